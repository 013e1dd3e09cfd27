// The merchant's categories: create, rename, move and delete (each a use case audited in
// its own transaction, scoped by the actor's merchant), and the shop's and console's lists.
import 'server-only';
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { categories, type Category } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { AppError, isUniqueViolation, pgError, validationError } from '@/lib/errors';
import { reorder, renumber } from './ordering';
import { slugify } from './schema';

const uuid = z.guid();
const CATEGORY_NOT_FOUND = () => new AppError('not_found', 'No such category.');
const slugTaken = () => new AppError('conflict', 'A category with this slug exists already.', { fields: { slug: 'taken' } });

const categoryInputSchema = z.object({
  name: z.string().trim().min(1).max(60),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .optional(),
  sort: z.number().int().min(-1_000_000).max(1_000_000).optional(),
});
export type CategoryInput = z.input<typeof categoryInputSchema>;

export type MerchantCategoryRow = Pick<Category, 'id' | 'name' | 'slug' | 'sort'> & { productCount: number };

/** The merchant's categories in shop order, each with how many products use it. */
export async function listMerchantCategories(db: DbOrTx, merchantId: string): Promise<MerchantCategoryRow[]> {
  return db
    .select({
      id: categories.id,
      name: categories.name,
      slug: categories.slug,
      sort: categories.sort,
      productCount: sql<number>`(SELECT count(*)::int FROM products p WHERE p.category_id = "categories"."id")`,
    })
    .from(categories)
    .where(eq(categories.merchantId, merchantId))
    .orderBy(asc(categories.sort), asc(categories.name), asc(categories.id));
}

/** The categories a shop shows, in its order. */
export async function listStoreCategories(db: DbOrTx, merchantId: string) {
  return db
    .select({ id: categories.id, slug: categories.slug, name: categories.name })
    .from(categories)
    .where(eq(categories.merchantId, merchantId))
    .orderBy(asc(categories.sort), asc(categories.name));
}

/** A new category, at the end of the list unless a sort is given. The slug is made from the name if not given. */
export async function createCategory(db: DbOrTx, actor: Actor, input: unknown): Promise<Category> {
  const merchantId = merchantOf(actor);
  const parsed = categoryInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const c = parsed.data;
  try {
    return await db.transaction(async (tx) => {
      let sort = c.sort;
      if (sort === undefined) {
        const [row] = await tx.execute<{ s: number }>(sql`SELECT coalesce(max(sort), 0)::int + 10 AS s FROM categories WHERE merchant_id = ${merchantId}`);
        sort = Number(row?.s ?? 10);
      }
      const [row] = await tx
        .insert(categories)
        .values({ merchantId, name: c.name, slug: c.slug || slugify(c.name), sort })
        .returning();
      await recordAudit(tx, actor, { action: 'category.create', targetType: 'category', targetId: row!.id, detail: { name: c.name } });
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'categories_merchant_slug_key')) throw slugTaken();
    throw err;
  }
}

/** Renames a category (and optionally changes its slug). */
export async function updateCategory(db: DbOrTx, actor: Actor, categoryId: string, input: unknown): Promise<Category> {
  const merchantId = merchantOf(actor);
  if (!uuid.safeParse(categoryId).success) throw CATEGORY_NOT_FOUND();
  const parsed = categoryInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const c = parsed.data;
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .update(categories)
        .set({ name: c.name, ...(c.slug ? { slug: c.slug } : {}), ...(c.sort !== undefined ? { sort: c.sort } : {}) })
        .where(and(eq(categories.id, categoryId), eq(categories.merchantId, merchantId)))
        .returning();
      if (!row) throw CATEGORY_NOT_FOUND();
      await recordAudit(tx, actor, { action: 'category.update', targetType: 'category', targetId: row.id, detail: { name: c.name } });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'categories_merchant_slug_key')) throw slugTaken();
    throw err;
  }
}

/** Moves a category one place up or down (same renumbering as products). */
export async function moveCategory(db: DbOrTx, actor: Actor, input: { categoryId: string; direction: 'up' | 'down' }): Promise<void> {
  const merchantId = merchantOf(actor);
  const { categoryId, direction } = input;
  if (direction !== 'up' && direction !== 'down') throw new AppError('validation_failed', 'Up or down.', { fields: { direction: 'invalid_choice' } });
  if (!uuid.safeParse(categoryId).success) throw CATEGORY_NOT_FOUND();
  await db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: categories.id, sort: categories.sort })
      .from(categories)
      .where(eq(categories.merchantId, merchantId))
      .orderBy(asc(categories.sort), asc(categories.name), asc(categories.id))
      .for('update');
    await reorder(rows, categoryId, direction, (ids) => renumber(tx, 'categories', merchantId, ids, rows));
    await recordAudit(tx, actor, { action: 'category.update', targetType: 'category', targetId: categoryId, detail: { changed: ['sort'], move: direction } });
  });
}

/**
 * Deletes a category no product uses. In use → `conflict` with `fields.category = 'in_use'`
 * and the count in the message; the merchant moves those products first. The category row is
 * locked first, and products reference it by foreign key, so a product moved into it meanwhile
 * makes the delete fail rather than leave a dangling reference.
 */
export async function deleteCategory(db: DbOrTx, actor: Actor, categoryId: string): Promise<void> {
  const merchantId = merchantOf(actor);
  if (!uuid.safeParse(categoryId).success) throw CATEGORY_NOT_FOUND();
  const inUse = (n: number | null) =>
    new AppError('conflict', n ? `${n} product(s) still use this category.` : 'Products still use this category.', { fields: { category: 'in_use' } });
  try {
    await db.transaction(async (tx) => {
      const [cat] = await tx
        .select({ id: categories.id, name: categories.name })
        .from(categories)
        .where(and(eq(categories.id, categoryId), eq(categories.merchantId, merchantId)))
        .for('update');
      if (!cat) throw CATEGORY_NOT_FOUND();
      const [used] = await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM products WHERE category_id = ${categoryId}`);
      const n = Number(used?.n ?? 0);
      if (n > 0) throw inUse(n);
      await tx.delete(categories).where(and(eq(categories.id, categoryId), eq(categories.merchantId, merchantId)));
      await recordAudit(tx, actor, { action: 'category.delete', targetType: 'category', targetId: categoryId, detail: { name: cat.name } });
    });
  } catch (err) {
    // A product moved into the category after the count: the foreign key refuses the delete.
    if (pgError(err).code === '23503') throw inUse(null);
    throw err;
  }
}

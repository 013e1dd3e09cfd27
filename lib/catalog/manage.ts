// The merchant console's side of the catalogue: listing, editing, switching on/off and
// ordering products, and managing categories. Every function is scoped by the merchant id
// the caller proved (never one from a form); another merchant's row is `not_found`.
// Changes are audited in the same transaction as the change.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, asc, eq, ilike, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { categories, products, type Category, type Product } from '@/db/schema';
import { recordAudit } from '@/lib/audit';
import { AppError, pgError, validationError } from '@/lib/errors';
import { stockByProduct, type Stock } from '@/lib/inventory';
import { openFromText, sealToText } from '@/lib/crypto';
import { createProduct, deliveryColumns, productInputSchema, slugify } from './index';

/** Who made a change, for the audit log. Without one the entry is the system's. */
export type Actor = { userId: string; ip?: string | null };

function auditActor(actor: Actor | undefined) {
  return actor ? { actorType: 'user' as const, actorId: actor.userId, ip: actor.ip ?? null } : { actorType: 'system' as const };
}

const uuid = z.string().uuid();

async function assertOwnCategory(db: DbOrTx, merchantId: string, categoryId: string | null | undefined): Promise<void> {
  if (!categoryId) return;
  const [cat] = await db
    .select({ id: categories.id })
    .from(categories)
    .where(and(eq(categories.id, categoryId), eq(categories.merchantId, merchantId)));
  if (!cat) throw new AppError('validation_failed', 'Unknown category.', { fields: { categoryId: 'no such category' } });
}

function slugConflict(err: unknown, constraint: string): boolean {
  const e = pgError(err);
  return e.code === '23505' && e.constraint === constraint;
}

// ── Products ────────────────────────────────────────────────────────────────────────

/** createProduct plus its audit entry, in one transaction. */
export async function createMerchantProduct(db: DbOrTx, merchantId: string, input: unknown, actor?: Actor): Promise<Product> {
  return db.transaction(async (tx) => {
    // Without a sort of its own a new product goes to the end of the shop's list, not the top.
    if (input && typeof input === 'object' && (input as { sort?: unknown }).sort === undefined) {
      const [row] = await tx.execute<{ s: number }>(sql`SELECT coalesce(max(sort), 0)::int + 10 AS s FROM products WHERE merchant_id = ${merchantId}`);
      input = { ...input, sort: Number(row?.s ?? 10) };
    }
    const product = await createProduct(tx, merchantId, input);
    await recordAudit(tx, {
      merchantId,
      ...auditActor(actor),
      action: 'product.create',
      targetType: 'product',
      targetId: product.id,
      detail: { title: product.title, price: product.price, currency: product.currency },
    });
    return product;
  });
}

/** The fields a merchant edits; everything else on the row is the system's. */
const editable = [
  'title',
  'slug',
  'categoryId',
  'price',
  'currency',
  'deliveryType',
  'description',
  'instructions',
  'active',
  'sort',
  'stockAlert',
  'minQty',
  'maxQty',
  'maxPerEmailDay',
  'wholesaleTiers',
  'agentPrices',
  'generatorRule',
  'deliveryUrl',
] as const satisfies readonly (keyof Product)[];

const priceFields = ['price', 'currency', 'agentPrices', 'wholesaleTiers'] as const;

/**
 * Changes a product of this merchant. `input` may name only some fields: it is laid over
 * the stored product and the result validated as a whole (so minQty ≤ maxQty holds across
 * a partial edit). Audited as `product.price_change` (old and new prices) when a price
 * changed, else `product.update`, with the names of the fields that changed.
 */
export async function updateProduct(db: DbOrTx, merchantId: string, productId: string, input: unknown, actor?: Actor): Promise<Product> {
  if (!uuid.safeParse(productId).success) throw new AppError('not_found', 'No such product.');
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new AppError('validation_failed', 'The request is not valid.');
  try {
    return await db.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(products)
        .where(and(eq(products.id, productId), eq(products.merchantId, merchantId)))
        .for('update');
      if (!current) throw new AppError('not_found', 'No such product.');

      const stored = Object.fromEntries(editable.map((k) => [k, current[k]]));
      const given = Object.fromEntries(Object.entries(input).filter(([k, v]) => (editable as readonly string[]).includes(k) && v !== undefined));
      const parsed = productInputSchema.safeParse({ ...stored, ...given });
      if (!parsed.success) throw validationError(parsed.error.issues);
      const p = parsed.data;
      await assertOwnCategory(tx, merchantId, p.categoryId);

      const next = {
        ...p,
        slug: p.slug ?? current.slug,
        categoryId: p.categoryId ?? null,
        maxPerEmailDay: p.maxPerEmailDay ?? null,
        generatorRule: p.deliveryType === 'generated' ? (p.generatorRule ?? null) : null,
        ...deliveryColumns(p.deliveryType, p.deliveryUrl, current.deliverySecret),
        wholesaleTiers: [...p.wholesaleTiers].sort((a, b) => a.minQty - b.minQty),
      };
      const changed = editable.filter((k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]));
      if (changed.length === 0) return current;

      const [row] = await tx
        .update(products)
        .set({ ...next, updatedAt: sql`now()` })
        .where(and(eq(products.id, productId), eq(products.merchantId, merchantId)))
        .returning();
      const priceChanged = changed.some((k) => (priceFields as readonly string[]).includes(k));
      await recordAudit(tx, {
        merchantId,
        ...auditActor(actor),
        action: priceChanged ? 'product.price_change' : 'product.update',
        targetType: 'product',
        targetId: productId,
        detail: priceChanged
          ? {
              changed,
              title: next.title,
              old: { price: current.price, currency: current.currency, agentPrices: current.agentPrices, wholesaleTiers: current.wholesaleTiers },
              new: { price: next.price, currency: next.currency, agentPrices: next.agentPrices, wholesaleTiers: next.wholesaleTiers },
            }
          : { changed, title: next.title },
      });
      return row!;
    });
  } catch (err) {
    if (slugConflict(err, 'products_merchant_slug_key'))
      throw new AppError('conflict', 'A product with this slug exists already.', { fields: { slug: 'taken' } });
    throw err;
  }
}

/** Switches a product on or off in the shop. */
export async function setProductActive(db: DbOrTx, merchantId: string, productId: string, active: boolean, actor?: Actor): Promise<Product> {
  return updateProduct(db, merchantId, productId, { active }, actor);
}

export type MerchantProductRow = Pick<
  Product,
  'id' | 'slug' | 'title' | 'price' | 'currency' | 'deliveryType' | 'active' | 'sort' | 'stockAlert' | 'categoryId' | 'createdAt'
> & {
  categoryName: string | null;
  /** Key counts for `auto` products; null for products that need no stock. */
  stock: Stock | null;
  lowStock: boolean;
};

export type ProductListFilter = { categoryId?: string | null; q?: string | null; cursor?: string | null; limit?: number };

type Cursor = { s: number; c: string; i: string };
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(raw: string): Cursor | null {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    // Only what this code writes: an int sort value and PostgreSQL's timestamptz text (anything else could
    // reach PostgreSQL as an out-of-range value and fail there).
    const iso =
      typeof c.c === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)$/.test(c.c) && !Number.isNaN(Date.parse(c.c));
    return Number.isInteger(c.s) && Math.abs(c.s) <= 2_147_483_647 && iso && uuid.safeParse(c.i).success ? c : null;
  } catch {
    return null;
  }
}

/**
 * A page of the merchant's products in shop order (sort, then age), with category names and
 * exact stock for `auto` products (one batched count, not one per row). Keyset pages: the
 * cursor is the last row's (sort, created_at, id); `categoryId: 'none'` lists uncategorised ones.
 */
export async function listMerchantProducts(
  db: DbOrTx,
  merchantId: string,
  filter: ProductListFilter = {},
): Promise<{ rows: MerchantProductRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const where: SQL[] = [eq(products.merchantId, merchantId)];
  if (filter.categoryId === 'none') where.push(sql`${products.categoryId} IS NULL`);
  else if (filter.categoryId && uuid.safeParse(filter.categoryId).success) where.push(eq(products.categoryId, filter.categoryId));
  else if (filter.categoryId) return { rows: [], nextCursor: null };
  const q = filter.q?.trim().slice(0, 100);
  if (q) where.push(ilike(products.title, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (filter.cursor) {
    const c = decodeCursor(filter.cursor);
    if (!c) throw new AppError('validation_failed', 'Bad cursor.', { fields: { cursor: 'invalid' } });
    where.push(sql`(${products.sort}, ${products.createdAt}, ${products.id}) > (${c.s}, ${c.c}::timestamptz, ${c.i}::uuid)`);
  }
  const rows = await db
    .select({
      id: products.id,
      slug: products.slug,
      title: products.title,
      price: products.price,
      currency: products.currency,
      deliveryType: products.deliveryType,
      active: products.active,
      sort: products.sort,
      stockAlert: products.stockAlert,
      categoryId: products.categoryId,
      createdAt: products.createdAt,
      // Full precision (microseconds) for the cursor; a JS Date would drop them.
      createdAtExact: sql<string>`${products.createdAt}::text`,
      categoryName: categories.name,
    })
    .from(products)
    .leftJoin(categories, eq(categories.id, products.categoryId))
    .where(and(...where))
    .orderBy(asc(products.sort), asc(products.createdAt), asc(products.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const stock = await stockByProduct(
    db,
    page.filter((r) => r.deliveryType === 'auto').map((r) => r.id),
  );
  const last = page.at(-1);
  return {
    rows: page.map(({ createdAtExact: _, ...r }) => {
      const s = stock.get(r.id) ?? null;
      return { ...r, stock: s, lowStock: s !== null && s.available <= r.stockAlert };
    }),
    nextCursor: rows.length > limit && last ? encodeCursor({ s: last.sort, c: last.createdAtExact, i: last.id }) : null,
  };
}

/**
 * Moves a product one place up or down in the shop's order. The merchant's products are
 * renumbered 10, 20, 30… in their current order with the two neighbours swapped, so ties
 * (every product created at sort 0) still move. Rows are locked so two moves do not interleave.
 */
export async function moveProduct(db: DbOrTx, merchantId: string, productId: string, direction: 'up' | 'down', actor?: Actor): Promise<void> {
  if (!uuid.safeParse(productId).success) throw new AppError('not_found', 'No such product.');
  await db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: products.id, sort: products.sort })
      .from(products)
      .where(eq(products.merchantId, merchantId))
      .orderBy(asc(products.sort), asc(products.createdAt), asc(products.id))
      .for('update');
    await reorder(rows, productId, direction, (ids) => renumber(tx, 'products', merchantId, ids, rows));
    await recordAudit(tx, {
      merchantId,
      ...auditActor(actor),
      action: 'product.update',
      targetType: 'product',
      targetId: productId,
      detail: { changed: ['sort'], move: direction },
    });
  });
}

async function reorder(rows: { id: string; sort: number }[], id: string, direction: 'up' | 'down', write: (ids: string[]) => Promise<void>): Promise<void> {
  const i = rows.findIndex((r) => r.id === id);
  if (i < 0) throw new AppError('not_found', 'No such row.');
  const j = direction === 'up' ? i - 1 : i + 1;
  if (j < 0 || j >= rows.length) return; // already first / last
  const ids = rows.map((r) => r.id);
  [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  await write(ids);
}

/** Gives `ids` the sorts 10, 20, 30… writing only the rows whose sort changes, in one statement. */
async function renumber(tx: DbOrTx, table: 'products' | 'categories', merchantId: string, ids: string[], before: { id: string; sort: number }[]) {
  const old = new Map(before.map((r) => [r.id, r.sort]));
  const changes = ids.map((id, n) => ({ id, sort: (n + 1) * 10 })).filter((r) => old.get(r.id) !== r.sort);
  if (changes.length === 0) return;
  const values = sql.join(
    changes.map((c) => sql`(${c.id}::uuid, ${c.sort}::int)`),
    sql`, `,
  );
  await tx.execute(sql`UPDATE ${sql.identifier(table)} AS t SET sort = v.sort FROM (VALUES ${values}) AS v(id, sort)
                        WHERE t.id = v.id AND t.merchant_id = ${merchantId}`);
}

// ── Categories ──────────────────────────────────────────────────────────────────────

const categoryInputSchema = z.object({
  name: z.string().trim().min(1).max(60),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes')
    .optional(),
  sort: z.number().int().min(-1_000_000).max(1_000_000).optional(),
});

export type MerchantCategoryRow = Pick<Category, 'id' | 'name' | 'slug' | 'sort'> & { productCount: number };

/** The merchant's categories in shop order, each with how many products use it. */
export async function listMerchantCategories(db: DbOrTx, merchantId: string): Promise<MerchantCategoryRow[]> {
  const rows = await db
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
  return rows;
}

async function nextCategorySort(tx: DbOrTx, merchantId: string): Promise<number> {
  const [row] = await tx.execute<{ s: number }>(sql`SELECT coalesce(max(sort), 0)::int + 10 AS s FROM categories WHERE merchant_id = ${merchantId}`);
  return Number(row?.s ?? 10);
}

/** A new category at the end of the list. The slug (for the shop's URL) is made from the name if not given. */
export async function createMerchantCategory(db: DbOrTx, merchantId: string, input: unknown, actor?: Actor): Promise<Category> {
  const parsed = categoryInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const c = parsed.data;
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(categories)
        .values({ merchantId, name: c.name, slug: c.slug || slugify(c.name), sort: c.sort ?? (await nextCategorySort(tx, merchantId)) })
        .returning();
      await recordAudit(tx, {
        merchantId,
        ...auditActor(actor),
        action: 'category.create',
        targetType: 'category',
        targetId: row!.id,
        detail: { name: c.name },
      });
      return row!;
    });
  } catch (err) {
    if (slugConflict(err, 'categories_merchant_slug_key'))
      throw new AppError('conflict', 'A category with this slug exists already.', { fields: { slug: 'taken' } });
    throw err;
  }
}

/** Renames a category (and optionally changes its slug). */
export async function updateCategory(db: DbOrTx, merchantId: string, categoryId: string, input: unknown, actor?: Actor): Promise<Category> {
  if (!uuid.safeParse(categoryId).success) throw new AppError('not_found', 'No such category.');
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
      if (!row) throw new AppError('not_found', 'No such category.');
      await recordAudit(tx, {
        merchantId,
        ...auditActor(actor),
        action: 'category.update',
        targetType: 'category',
        targetId: row.id,
        detail: { name: c.name },
      });
      return row;
    });
  } catch (err) {
    if (slugConflict(err, 'categories_merchant_slug_key'))
      throw new AppError('conflict', 'A category with this slug exists already.', { fields: { slug: 'taken' } });
    throw err;
  }
}

/** Moves a category one place up or down (same renumbering as products). */
export async function moveCategory(db: DbOrTx, merchantId: string, categoryId: string, direction: 'up' | 'down'): Promise<void> {
  if (!uuid.safeParse(categoryId).success) throw new AppError('not_found', 'No such category.');
  await db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: categories.id, sort: categories.sort })
      .from(categories)
      .where(eq(categories.merchantId, merchantId))
      .orderBy(asc(categories.sort), asc(categories.name), asc(categories.id))
      .for('update');
    await reorder(rows, categoryId, direction, (ids) => renumber(tx, 'categories', merchantId, ids, rows));
  });
}

/**
 * Deletes a category no product uses. In use → `conflict` with `fields.category = 'in_use'`
 * and the count in the message; the merchant moves those products first. The category row is
 * locked first, and products reference it by foreign key, so a product moved into it meanwhile
 * makes the delete fail rather than leave a dangling reference.
 */
export async function deleteCategory(db: DbOrTx, merchantId: string, categoryId: string, actor?: Actor): Promise<void> {
  if (!uuid.safeParse(categoryId).success) throw new AppError('not_found', 'No such category.');
  const inUse = (n: number | null) =>
    new AppError('conflict', n ? `${n} product(s) still use this category.` : 'Products still use this category.', { fields: { category: 'in_use' } });
  try {
    await db.transaction(async (tx) => {
      const [cat] = await tx
        .select({ id: categories.id, name: categories.name })
        .from(categories)
        .where(and(eq(categories.id, categoryId), eq(categories.merchantId, merchantId)))
        .for('update');
      if (!cat) throw new AppError('not_found', 'No such category.');
      const [used] = await tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM products WHERE category_id = ${categoryId}`);
      const n = Number(used?.n ?? 0);
      if (n > 0) throw inUse(n);
      await tx.delete(categories).where(and(eq(categories.id, categoryId), eq(categories.merchantId, merchantId)));
      await recordAudit(tx, {
        merchantId,
        ...auditActor(actor),
        action: 'category.delete',
        targetType: 'category',
        targetId: categoryId,
        detail: { name: cat.name },
      });
    });
  } catch (err) {
    // A product moved into the category after the count: the foreign key refuses the delete.
    if (pgError(err).code === '23503') throw inUse(null);
    throw err;
  }
}

/**
 * The signing secret of a `webhook` product (dynamic delivery), for the merchant to put in
 * its delivery endpoint: read (audited) or replaced by a new one (audited; the old one stops
 * verifying at once).
 */
export async function deliverySecretOf(db: DbOrTx, merchantId: string, productId: string, input: { rotate: boolean; actor?: Actor }): Promise<string> {
  if (!uuid.safeParse(productId).success) throw new AppError('not_found', 'No such product.');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: products.id, deliveryType: products.deliveryType, secret: products.deliverySecret })
      .from(products)
      .where(and(eq(products.id, productId), eq(products.merchantId, merchantId)))
      .for('update');
    if (!row) throw new AppError('not_found', 'No such product.');
    if (row.deliveryType !== 'webhook') throw new AppError('conflict', 'Only webhook-delivery products have a signing secret.');
    let sealed = row.secret;
    if (input.rotate || !sealed) {
      sealed = sealToText(`whsec_${randomBytes(24).toString('base64url')}`);
      await tx
        .update(products)
        .set({ deliverySecret: sealed, updatedAt: sql`now()` })
        .where(eq(products.id, row.id));
    }
    await recordAudit(tx, {
      merchantId,
      ...auditActor(input.actor),
      action: input.rotate ? 'product.delivery_secret_rotate' : 'product.delivery_secret_reveal',
      targetType: 'product',
      targetId: row.id,
    });
    return openFromText(sealed);
  });
}

// The merchant's products: one use case per change (create, edit, switch on/off, move,
// the dynamic-delivery secret), each `(db, actor, input)`, scoped by the actor's merchant
// (another merchant's product is `not_found`) and audited in its own transaction. The
// console and the merchant API both come through here. Reads take the proven merchant id.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, ilike, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { categories, products, type Product } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { newSigningSecret, openFromText, sealedIn, sealToText } from '@/lib/crypto';
import { decodeCursor, keysetPage, pageSize } from '@/lib/cursor';
import { AppError, isUniqueViolation, validationError } from '@/lib/errors';
import { stockByProduct, type Stock } from '@/lib/inventory';
import { deliveryColumns, productInputSchema, slugify } from './schema';
import { reorder, renumber } from './ordering';

const uuid = z.guid();
const PRODUCT_NOT_FOUND = () => new AppError('not_found', 'No such product.');

async function assertOwnCategory(db: DbOrTx, merchantId: string, categoryId: string | null | undefined): Promise<void> {
  if (!categoryId) return;
  const [cat] = await db
    .select({ id: categories.id })
    .from(categories)
    .where(and(eq(categories.id, categoryId), eq(categories.merchantId, merchantId)));
  if (!cat) throw new AppError('validation_failed', 'Unknown category.', { fields: { categoryId: 'unknown' } });
}

const slugTaken = () => new AppError('conflict', 'A product with this slug exists already.', { fields: { slug: 'taken' } });

/** A product of this merchant, or `not_found` (also for another merchant's product). */
export async function getMerchantProduct(db: DbOrTx, merchantId: string, productId: string): Promise<Product> {
  if (!uuid.safeParse(productId).success) throw PRODUCT_NOT_FOUND();
  const [row] = await db
    .select()
    .from(products)
    .where(and(eq(products.id, productId), eq(products.merchantId, merchantId)));
  if (!row) throw PRODUCT_NOT_FOUND();
  return row;
}

/**
 * A new product of the actor's merchant, audited. Without a sort of its own it goes to the
 * end of the shop's list, not the top.
 */
export async function createProduct(db: DbOrTx, actor: Actor, input: unknown): Promise<Product> {
  const merchantId = merchantOf(actor);
  const parsed = productInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const p = parsed.data;
  const sortGiven = !!input && typeof input === 'object' && (input as { sort?: unknown }).sort !== undefined;
  try {
    return await db.transaction(async (tx) => {
      await assertOwnCategory(tx, merchantId, p.categoryId);
      let sort = p.sort;
      if (!sortGiven) {
        const [row] = await tx.execute<{ s: number }>(sql`SELECT coalesce(max(sort), 0)::int + 10 AS s FROM products WHERE merchant_id = ${merchantId}`);
        sort = Number(row?.s ?? 10);
      }
      // The id is made here: the delivery secret is sealed bound to it.
      const id = randomUUID();
      const [product] = await tx
        .insert(products)
        .values({
          ...p,
          id,
          sort,
          categoryId: p.categoryId ?? null,
          maxPerEmailDay: p.maxPerEmailDay ?? null,
          generatorRule: p.deliveryType === 'generated' ? (p.generatorRule ?? null) : null,
          ...deliveryColumns({ id, merchantId }, p.deliveryType, p.deliveryUrl, null),
          wholesaleTiers: [...p.wholesaleTiers].sort((a, b) => a.minQty - b.minQty),
          merchantId,
          slug: p.slug ?? slugify(p.title),
        })
        .returning();
      await recordAudit(tx, actor, {
        action: 'product.create',
        targetType: 'product',
        targetId: product!.id,
        detail: { title: product!.title, price: product!.price, currency: product!.currency },
      });
      return product!;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'products_merchant_slug_key')) throw slugTaken();
    throw err;
  }
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
  'agentMinRank',
  'agentVisible',
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
export async function updateProduct(db: DbOrTx, actor: Actor, productId: string, input: unknown): Promise<Product> {
  const merchantId = merchantOf(actor);
  if (!uuid.safeParse(productId).success) throw PRODUCT_NOT_FOUND();
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new AppError('validation_failed', 'The request is not valid.');
  try {
    return await db.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(products)
        .where(and(eq(products.id, productId), eq(products.merchantId, merchantId)))
        .for('update');
      if (!current) throw PRODUCT_NOT_FOUND();

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
        ...deliveryColumns(current, p.deliveryType, p.deliveryUrl, current.deliverySecret),
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
      await recordAudit(tx, actor, {
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
    if (isUniqueViolation(err, 'products_merchant_slug_key')) throw slugTaken();
    throw err;
  }
}

/** Switches a product on or off in the shop. */
export async function setProductActive(db: DbOrTx, actor: Actor, input: { productId: string; active: boolean }): Promise<Product> {
  if (typeof input.active !== 'boolean') throw new AppError('validation_failed', 'active is true or false.', { fields: { active: 'invalid' } });
  return updateProduct(db, actor, input.productId, { active: input.active });
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

// Only what this code writes: an int sort value, PostgreSQL's timestamptz text and a uuid
// (anything else could reach PostgreSQL as an out-of-range value and fail there).
const productCursorSchema = z.object({
  s: z.number().int().min(-2_147_483_648).max(2_147_483_647),
  c: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)$/)
    .refine((v) => !Number.isNaN(Date.parse(v))),
  i: z.guid(),
});

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
  const limit = pageSize(filter.limit);
  const c = decodeCursor(filter.cursor, productCursorSchema);
  const where: SQL[] = [eq(products.merchantId, merchantId)];
  if (filter.categoryId === 'none') where.push(sql`${products.categoryId} IS NULL`);
  else if (filter.categoryId && uuid.safeParse(filter.categoryId).success) where.push(eq(products.categoryId, filter.categoryId));
  else if (filter.categoryId) return { rows: [], nextCursor: null };
  const q = filter.q?.trim().slice(0, 100);
  if (q) where.push(ilike(products.title, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (c) {
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
  const { page, nextCursor } = keysetPage(rows, limit, (last) => ({ s: last.sort, c: last.createdAtExact, i: last.id }));
  const stock = await stockByProduct(
    db,
    page.filter((r) => r.deliveryType === 'auto').map((r) => r.id),
  );
  return {
    nextCursor,
    rows: page.map(({ createdAtExact: _, ...r }) => {
      const s = stock.get(r.id) ?? null;
      return { ...r, stock: s, lowStock: s !== null && s.available <= r.stockAlert };
    }),
  };
}

/**
 * Moves a product one place up or down in the shop's order. The merchant's products are
 * renumbered 10, 20, 30… in their current order with the two neighbours swapped, so ties
 * (every product created at sort 0) still move. Rows are locked so two moves do not interleave.
 */
export async function moveProduct(db: DbOrTx, actor: Actor, input: { productId: string; direction: 'up' | 'down' }): Promise<void> {
  const merchantId = merchantOf(actor);
  const { productId, direction } = input;
  if (direction !== 'up' && direction !== 'down') throw new AppError('validation_failed', 'Up or down.', { fields: { direction: 'invalid_choice' } });
  if (!uuid.safeParse(productId).success) throw PRODUCT_NOT_FOUND();
  await db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: products.id, sort: products.sort })
      .from(products)
      .where(eq(products.merchantId, merchantId))
      .orderBy(asc(products.sort), asc(products.createdAt), asc(products.id))
      .for('update');
    await reorder(rows, productId, direction, (ids) => renumber(tx, 'products', merchantId, ids, rows));
    await recordAudit(tx, actor, {
      action: 'product.update',
      targetType: 'product',
      targetId: productId,
      detail: { changed: ['sort'], move: direction },
    });
  });
}

/**
 * The signing secret of a `webhook` product (dynamic delivery), for the merchant to put in
 * its delivery endpoint: read (audited) or replaced by a new one (audited; the old one stops
 * verifying at once).
 */
export async function deliverySecretOf(db: DbOrTx, actor: Actor, input: { productId: string; rotate: boolean }): Promise<string> {
  const merchantId = merchantOf(actor);
  const { productId } = input;
  if (!uuid.safeParse(productId).success) throw PRODUCT_NOT_FOUND();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: products.id, deliveryType: products.deliveryType, secret: products.deliverySecret })
      .from(products)
      .where(and(eq(products.id, productId), eq(products.merchantId, merchantId)))
      .for('update');
    if (!row) throw PRODUCT_NOT_FOUND();
    if (row.deliveryType !== 'webhook') throw new AppError('conflict', 'Only webhook-delivery products have a signing secret.');
    let sealed = row.secret;
    if (input.rotate || !sealed) {
      sealed = sealToText(newSigningSecret(), sealedIn.deliverySecret({ id: row.id, merchantId }));
      await tx
        .update(products)
        .set({ deliverySecret: sealed, updatedAt: sql`now()` })
        .where(eq(products.id, row.id));
    }
    await recordAudit(tx, actor, {
      action: input.rotate ? 'product.delivery_secret_rotate' : 'product.delivery_secret_reveal',
      targetType: 'product',
      targetId: row.id,
    });
    return openFromText(sealed, sealedIn.deliverySecret({ id: row.id, merchantId }));
  });
}

/** The merchant's products, newest first, as whole records (the merchant API's list). */
export async function listProductRecords(db: DbOrTx, merchantId: string, limit = 500): Promise<Product[]> {
  return db
    .select()
    .from(products)
    .where(eq(products.merchantId, merchantId))
    .orderBy(desc(products.createdAt))
    .limit(Math.min(Math.max(limit, 1), 500));
}

// Stock counts: exact per status for the merchant, capped "available" for the storefront.
import 'server-only';
import { inArray, sql } from 'drizzle-orm';
import { rawClient, type DbOrTx } from '@/db/client';
import { cardKeys } from '@/db/schema';

export type Stock = { available: number; reserved: number; sold: number; void: number };

/** Exact counts per status (merchant views). */
export async function stockOf(db: DbOrTx, productId: string): Promise<Stock> {
  const rows = await db.execute<{ status: keyof Stock; n: string }>(
    sql`SELECT status, count(*) AS n FROM card_keys WHERE product_id = ${productId} GROUP BY status`,
  );
  const stock: Stock = { available: 0, reserved: 0, sold: 0, void: 0 };
  for (const r of rows) stock[r.status] = Number(r.n);
  return stock;
}

/** Below this many available keys the storefront also says how many unpaid orders hold ("N reserved"), counted up to the same number. */
export const LOW_STOCK = 100;

/**
 * What the storefront shows per product: the keys available, counted only up to `cap` (a
 * listing says "1000+", never counts a million), and, where fewer than `LOW_STOCK` are
 * available, the keys held by unpaid orders (they come back if those orders lapse), counted
 * up to `LOW_STOCK`: a shelf a hoard has emptied never reads as sold out for good, and a
 * well-stocked one (where the figure tells a buyer nothing) costs no count of a hoard's
 * thousands of reservations on every listing. One query.
 */
export async function shelfCounts(db: DbOrTx, productIds: string[], cap = 1000): Promise<Map<string, { available: number; reserved: number }>> {
  if (productIds.length === 0) return new Map();
  const rows = await db.execute<{ id: string; n: string; r: string }>(sql`
    SELECT p.id, least(a.n, ${cap}) AS n,
           CASE WHEN a.n < ${LOW_STOCK}
                THEN (SELECT count(*) FROM (SELECT 1 FROM card_keys k WHERE k.product_id = p.id AND k.status = 'reserved' LIMIT ${LOW_STOCK}) s)
                ELSE 0 END AS r
      FROM products p
      CROSS JOIN LATERAL (SELECT count(*) AS n FROM (SELECT 1 FROM card_keys k WHERE k.product_id = p.id AND k.status = 'available' LIMIT ${Math.max(cap, LOW_STOCK)}) s) a
     WHERE ${inArray(sql`p.id`, productIds)}`);
  return new Map(rows.map((r) => [r.id, { available: Number(r.n), reserved: Number(r.r) }]));
}

/**
 * Exact counts per status for many products in one query (the console's product list),
 * instead of one `stockOf` per row. Products without keys get zeros.
 */
export async function stockByProduct(db: DbOrTx, productIds: string[]): Promise<Map<string, Stock>> {
  const stock = new Map<string, Stock>(productIds.map((id) => [id, { available: 0, reserved: 0, sold: 0, void: 0 }]));
  if (productIds.length === 0) return stock;
  const rows = await db.execute<{ product_id: string; status: keyof Stock; n: string }>(sql`
    SELECT product_id, status, count(*) AS n FROM card_keys
     WHERE ${inArray(cardKeys.productId, productIds)} GROUP BY product_id, status`);
  for (const r of rows) stock.get(r.product_id)![r.status] = Number(r.n);
  return stock;
}

/**
 * Whether the product has a key available right now: one probe of the partial index on
 * available keys, no transaction. The checkout asks it first for a product it recently
 * found sold out, so a flash sale's refusals cost one query; the reservation still decides
 * every order that goes ahead.
 */
export async function hasAvailableKey(db: DbOrTx, productId: string): Promise<boolean> {
  const [row] = await rawClient(db).unsafe<{ any: boolean }[]>(
    `SELECT EXISTS (SELECT 1 FROM card_keys WHERE product_id = $1 AND status = 'available') AS any`,
    [productId],
    { prepare: true },
  );
  return row?.any === true;
}

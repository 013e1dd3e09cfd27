// The merchant's view of a product's card keys: masked list, one-key reveal (audited),
// void, export in keyset batches, and import checked against the merchant. Every function
// takes the merchantId from the caller's session and answers `not_found` for a product or
// key of another merchant, so a guessed id teaches nothing.
import 'server-only';
import { and, asc, desc, eq, inArray, lt, gt, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { cardKeys, orders, products, type CardKeyStatus } from '@/db/schema';
import { recordAudit } from '@/lib/audit';
import { getMerchantProduct } from '@/lib/catalog';
import { open } from '@/lib/crypto';
import { AppError } from '@/lib/errors';
import { importKeys, stockOf, type ImportResult, type Stock } from './index';

export const KEY_STATUSES = ['available', 'reserved', 'sold', 'void'] as const satisfies readonly CardKeyStatus[];
export const MAX_VOID_PER_CALL = 1000;

const KEY_NOT_FOUND = () => new AppError('not_found', 'No such key.');

export function isKeyStatus(value: unknown): value is CardKeyStatus {
  return typeof value === 'string' && (KEY_STATUSES as readonly string[]).includes(value);
}

/**
 * Enough of a key to tell two apart in a list, not enough to use it: the first 3 and last
 * 2 characters of a long key, less of a short one. The run of dots is capped so that a very
 * long key does not stretch the table (its exact length is no one's business either).
 */
export function maskKey(key: string): string {
  const chars = [...key];
  const n = chars.length;
  const [head, tail] = n >= 10 ? [3, 2] : n >= 6 ? [1, 1] : [0, 0];
  const hidden = Math.min(Math.max(n - head - tail, 1), 12);
  return chars.slice(0, head).join('') + '•'.repeat(hidden) + (tail ? chars.slice(n - tail).join('') : '');
}

/** The products whose stock is card keys (delivery `auto`), for the console's chooser. */
export async function listKeyProducts(db: DbOrTx, merchantId: string): Promise<{ id: string; title: string; active: boolean }[]> {
  return db
    .select({ id: products.id, title: products.title, active: products.active })
    .from(products)
    .where(and(eq(products.merchantId, merchantId), eq(products.deliveryType, 'auto')))
    .orderBy(asc(products.sort), asc(products.title), asc(products.id));
}

/** The merchant's product, or `not_found`. */
async function ownProduct(db: DbOrTx, merchantId: string, productId: string) {
  return getMerchantProduct(db, merchantId, productId);
}

/** Stock numbers of one of the merchant's products. */
export async function productStock(db: DbOrTx, input: { merchantId: string; productId: string }): Promise<Stock> {
  await ownProduct(db, input.merchantId, input.productId);
  return stockOf(db, input.productId);
}

export type KeyRow = {
  id: number;
  /** Never the key itself: see maskKey. */
  masked: string;
  status: CardKeyStatus;
  createdAt: string;
  reservedAt: string | null;
  soldAt: string | null;
  orderNo: string | null;
};

function parseCursor(cursor: string | null | undefined): number | null {
  if (cursor == null || cursor === '') return null;
  if (!/^\d{1,15}$/.test(cursor)) throw new AppError('validation_failed', 'Invalid cursor.', { fields: { cursor: 'invalid' } });
  return Number(cursor);
}

/**
 * One page of a product's keys of one status, newest first, keyset on id (the cursor is
 * the last id shown). Keys are opened here only to be masked: plaintext never leaves.
 */
export async function listKeys(
  db: DbOrTx,
  input: { merchantId: string; productId: string; status: CardKeyStatus; cursor?: string | null; limit?: number },
): Promise<{ keys: KeyRow[]; nextCursor: string | null }> {
  await ownProduct(db, input.merchantId, input.productId);
  if (!isKeyStatus(input.status)) throw new AppError('validation_failed', 'Unknown status.', { fields: { status: KEY_STATUSES.join(', ') } });
  const limit = Math.min(Math.max(Math.trunc(input.limit ?? 50) || 50, 1), 200);
  const cursor = parseCursor(input.cursor);
  const conditions = [eq(cardKeys.productId, input.productId), eq(cardKeys.merchantId, input.merchantId), eq(cardKeys.status, input.status)];
  if (cursor != null) conditions.push(lt(cardKeys.id, cursor));
  const rows = await db
    .select({
      id: cardKeys.id,
      secret: cardKeys.secret,
      keyId: cardKeys.keyId,
      status: cardKeys.status,
      createdAt: cardKeys.createdAt,
      reservedAt: cardKeys.reservedAt,
      soldAt: cardKeys.soldAt,
      orderNo: orders.orderNo,
    })
    .from(cardKeys)
    .leftJoin(orders, eq(orders.id, cardKeys.orderId))
    .where(and(...conditions))
    .orderBy(desc(cardKeys.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    keys: page.map((r) => ({
      id: r.id,
      masked: maskKey(open({ keyId: r.keyId, data: r.secret })),
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      reservedAt: r.reservedAt?.toISOString() ?? null,
      soldAt: r.soldAt?.toISOString() ?? null,
      orderNo: r.orderNo ?? null,
    })),
    nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null,
  };
}

function parseKeyId(keyId: unknown): number {
  const n = typeof keyId === 'number' ? keyId : typeof keyId === 'string' && /^\d{1,15}$/.test(keyId) ? Number(keyId) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw KEY_NOT_FOUND();
  return n;
}

/**
 * The plaintext of one key, for the merchant who owns it. The audit row is written in the
 * same transaction, so a key is never shown without its record. The key itself is never
 * put in the audit detail or a log line.
 */
export async function revealKey(
  db: DbOrTx,
  input: { merchantId: string; keyId: number | string; actorId: string | null; ip: string | null },
): Promise<{ id: number; key: string; status: CardKeyStatus }> {
  const id = parseKeyId(input.keyId);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: cardKeys.id, secret: cardKeys.secret, keyId: cardKeys.keyId, status: cardKeys.status, productId: cardKeys.productId })
      .from(cardKeys)
      .where(and(eq(cardKeys.id, id), eq(cardKeys.merchantId, input.merchantId)));
    if (!row) throw KEY_NOT_FOUND();
    const key = open({ keyId: row.keyId, data: row.secret });
    await recordAudit(tx, {
      merchantId: input.merchantId,
      actorType: 'user',
      actorId: input.actorId,
      action: 'key.reveal',
      targetType: 'card_key',
      targetId: String(row.id),
      ip: input.ip,
      detail: { productId: row.productId, status: row.status },
    });
    return { id: row.id, key, status: row.status };
  });
}

/**
 * Voids available keys of one product: all of them or none. The rows are locked first (in
 * id order, so two voids cannot deadlock); a key a buyer holds is locked by the buyer's
 * transaction, and once that commits the lock here sees it reserved and refuses. Allocation
 * takes keys with SKIP LOCKED, so it steps around keys being voided. Either way a key is
 * never both void and in an order.
 */
export async function voidKeys(
  db: DbOrTx,
  input: { merchantId: string; productId: string; keyIds: readonly (number | string)[]; actorId: string | null; ip: string | null },
): Promise<{ voided: number }> {
  await ownProduct(db, input.merchantId, input.productId);
  const ids = [...new Set(input.keyIds.map(parseKeyId))].sort((a, b) => a - b);
  if (ids.length === 0) throw new AppError('validation_failed', 'Choose at least one key.', { fields: { keyIds: 'required' } });
  if (ids.length > MAX_VOID_PER_CALL) throw new AppError('validation_failed', `At most ${MAX_VOID_PER_CALL} keys at once.`, { fields: { keyIds: 'too many' } });
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: cardKeys.id, status: cardKeys.status })
      .from(cardKeys)
      .where(and(inArray(cardKeys.id, ids), eq(cardKeys.merchantId, input.merchantId), eq(cardKeys.productId, input.productId)))
      .orderBy(asc(cardKeys.id))
      .for('update');
    if (rows.length !== ids.length) throw KEY_NOT_FOUND();
    const refused = rows.filter((r) => r.status !== 'available');
    if (refused.length > 0) {
      throw new AppError('conflict', 'Only available keys can be voided.', { fields: { keyIds: 'not available' } });
    }
    const updated = await tx
      .update(cardKeys)
      .set({ status: 'void' })
      .where(and(inArray(cardKeys.id, ids), eq(cardKeys.status, 'available')))
      .returning({ id: cardKeys.id });
    if (updated.length !== ids.length) throw new AppError('conflict', 'Only available keys can be voided.', { fields: { keyIds: 'not available' } });
    await recordAudit(tx, {
      merchantId: input.merchantId,
      actorType: 'user',
      actorId: input.actorId,
      action: 'key.void',
      targetType: ids.length === 1 ? 'card_key' : 'product',
      targetId: ids.length === 1 ? String(ids[0]) : input.productId,
      ip: input.ip,
      detail: { productId: input.productId, count: updated.length, keyIds: ids.slice(0, 100) },
    });
    return { voided: updated.length };
  });
}

/**
 * Starts an export: checks the product, counts the keys and writes the audit row before any
 * key leaves (a download cut short has still shown what it showed). Returns the id bound the
 * stream stops at, so the count and the file describe the same set unless keys change status
 * while it runs.
 */
export async function beginKeyExport(
  db: DbOrTx,
  input: { merchantId: string; productId: string; status: CardKeyStatus; actorId: string | null; ip: string | null },
): Promise<{ count: number; maxId: number; productTitle: string }> {
  const product = await ownProduct(db, input.merchantId, input.productId);
  if (!isKeyStatus(input.status)) throw new AppError('validation_failed', 'Unknown status.', { fields: { status: KEY_STATUSES.join(', ') } });
  const [row] = await db.execute<{ n: string; max: string | null }>(sql`
    SELECT count(*) AS n, max(id) AS max FROM card_keys
     WHERE product_id = ${input.productId} AND merchant_id = ${input.merchantId} AND status = ${input.status}`);
  const count = Number(row?.n ?? 0);
  await recordAudit(db, {
    merchantId: input.merchantId,
    actorType: 'user',
    actorId: input.actorId,
    action: 'key.export',
    targetType: 'product',
    targetId: input.productId,
    ip: input.ip,
    detail: { status: input.status, count },
  });
  return { count, maxId: Number(row?.max ?? 0), productTitle: product.title };
}

/**
 * The plaintext keys of a product and status in batches, oldest first, keyset on id: a
 * 100,000-key export holds one batch in memory at a time. Call beginKeyExport first.
 */
export async function* exportKeyBatches(
  db: DbOrTx,
  input: { merchantId: string; productId: string; status: CardKeyStatus; maxId: number; batchSize?: number },
): AsyncGenerator<string[]> {
  const size = Math.min(Math.max(input.batchSize ?? 2000, 1), 10_000);
  let after = 0;
  for (;;) {
    const rows = await db
      .select({ id: cardKeys.id, secret: cardKeys.secret, keyId: cardKeys.keyId })
      .from(cardKeys)
      .where(
        and(
          eq(cardKeys.productId, input.productId),
          eq(cardKeys.merchantId, input.merchantId),
          eq(cardKeys.status, input.status),
          gt(cardKeys.id, after),
          sql`${cardKeys.id} <= ${input.maxId}`,
        ),
      )
      .orderBy(asc(cardKeys.id))
      .limit(size);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    yield rows.map((r) => open({ keyId: r.keyId, data: r.secret }));
    if (rows.length < size) return;
  }
}

/**
 * One batch of an import for the merchant's own card-key product. The console sends a large
 * file as many of these in a row; duplicates against earlier batches count as duplicates
 * against stored keys.
 */
export async function importMerchantKeys(db: DbOrTx, input: { merchantId: string; productId: string; keys: string[] }): Promise<ImportResult> {
  const product = await ownProduct(db, input.merchantId, input.productId);
  if (product.deliveryType !== 'auto') {
    throw new AppError('validation_failed', 'This product does not deliver card keys from stock.', { fields: { productId: 'not auto' } });
  }
  return importKeys(db, { merchantId: input.merchantId, productId: input.productId, keys: input.keys });
}

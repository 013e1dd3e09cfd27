// The merchant's view of a product's card keys: masked list, one-key reveal (audited),
// void, export in keyset batches. Reads take the merchant id the caller proved; changes are
// use cases (db, actor, input) scoped by the actor's merchant. A product or key of another
// merchant is `not_found`, so a guessed id teaches nothing.
import 'server-only';
import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { cardKeys, orders, products, type CardKeyStatus } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { decodeCursor, keysetPage, pageSize } from '@/lib/cursor';
import { AppError } from '@/lib/errors';
import { ownProduct } from './owned';
import { openKey, sealedKeyColumns } from './sold';
import { stockOf, type Stock } from './stock';

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

const keyCursorSchema = z.object({ id: z.number().int().positive() });

/**
 * One page of a product's keys of one status, newest first, keyset on id (the cursor is
 * the last id shown). Keys are opened here only to be masked: plaintext never leaves.
 */
export async function listKeys(
  db: DbOrTx,
  input: { merchantId: string; productId: string; status: CardKeyStatus; cursor?: string | null; limit?: number },
): Promise<{ keys: KeyRow[]; nextCursor: string | null }> {
  await ownProduct(db, input.merchantId, input.productId);
  if (!isKeyStatus(input.status)) throw new AppError('validation_failed', 'Unknown status.', { fields: { status: 'invalid_choice' } });
  const limit = pageSize(input.limit);
  const cursor = decodeCursor(input.cursor, keyCursorSchema);
  const conditions = [eq(cardKeys.productId, input.productId), eq(cardKeys.merchantId, input.merchantId), eq(cardKeys.status, input.status)];
  if (cursor) conditions.push(lt(cardKeys.id, cursor.id));
  const rows = await db
    .select({
      id: cardKeys.id,
      ...sealedKeyColumns,
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
  const { page, nextCursor } = keysetPage(rows, limit, (last) => ({ id: last.id }));
  return {
    nextCursor,
    keys: page.map((r) => ({
      id: r.id,
      masked: maskKey(openKey(r)),
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      reservedAt: r.reservedAt?.toISOString() ?? null,
      soldAt: r.soldAt?.toISOString() ?? null,
      orderNo: r.orderNo ?? null,
    })),
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
export async function revealKey(db: DbOrTx, actor: Actor, input: { keyId: number | string }): Promise<{ id: number; key: string; status: CardKeyStatus }> {
  const merchantId = merchantOf(actor);
  const id = parseKeyId(input.keyId);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: cardKeys.id, ...sealedKeyColumns, status: cardKeys.status })
      .from(cardKeys)
      .where(and(eq(cardKeys.id, id), eq(cardKeys.merchantId, merchantId)));
    if (!row) throw KEY_NOT_FOUND();
    const key = openKey(row);
    await recordAudit(tx, actor, {
      action: 'key.reveal',
      targetType: 'card_key',
      targetId: String(row.id),
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
export async function voidKeys(db: DbOrTx, actor: Actor, input: { productId: string; keyIds: readonly (number | string)[] }): Promise<{ voided: number }> {
  const merchantId = merchantOf(actor);
  await ownProduct(db, merchantId, input.productId);
  if (!Array.isArray(input.keyIds)) throw new AppError('validation_failed', 'Choose at least one key.', { fields: { keyIds: 'required' } });
  const ids = [...new Set(input.keyIds.map(parseKeyId))].sort((a, b) => a - b);
  if (ids.length === 0) throw new AppError('validation_failed', 'Choose at least one key.', { fields: { keyIds: 'required' } });
  if (ids.length > MAX_VOID_PER_CALL)
    throw new AppError('validation_failed', `At most ${MAX_VOID_PER_CALL} keys at once.`, { fields: { keyIds: { code: 'too_many', max: MAX_VOID_PER_CALL } } });
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: cardKeys.id, status: cardKeys.status })
      .from(cardKeys)
      .where(and(inArray(cardKeys.id, ids), eq(cardKeys.merchantId, merchantId), eq(cardKeys.productId, input.productId)))
      .orderBy(asc(cardKeys.id))
      .for('update');
    if (rows.length !== ids.length) throw KEY_NOT_FOUND();
    const refused = rows.filter((r) => r.status !== 'available');
    if (refused.length > 0) {
      throw new AppError('conflict', 'Only available keys can be voided.', { fields: { keyIds: 'not_available' } });
    }
    const updated = await tx
      .update(cardKeys)
      .set({ status: 'void' })
      .where(and(inArray(cardKeys.id, ids), eq(cardKeys.status, 'available')))
      .returning({ id: cardKeys.id });
    if (updated.length !== ids.length) throw new AppError('conflict', 'Only available keys can be voided.', { fields: { keyIds: 'not_available' } });
    await recordAudit(tx, actor, {
      action: 'key.void',
      targetType: ids.length === 1 ? 'card_key' : 'product',
      targetId: ids.length === 1 ? String(ids[0]) : input.productId,
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
  actor: Actor,
  input: { productId: string; status: string },
): Promise<{ count: number; maxId: number; productTitle: string; status: CardKeyStatus }> {
  const merchantId = merchantOf(actor);
  const product = await ownProduct(db, merchantId, input.productId);
  const status = input.status;
  if (!isKeyStatus(status)) throw new AppError('validation_failed', 'Unknown status.', { fields: { status: 'invalid_choice' } });
  const [row] = await db.execute<{ n: string; max: string | null }>(sql`
    SELECT count(*) AS n, max(id) AS max FROM card_keys
     WHERE product_id = ${product.id} AND merchant_id = ${merchantId} AND status = ${status}`);
  const count = Number(row?.n ?? 0);
  await recordAudit(db, actor, { action: 'key.export', targetType: 'product', targetId: product.id, detail: { status, count } });
  return { count, maxId: Number(row?.max ?? 0), productTitle: product.title, status };
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
      .select({ id: cardKeys.id, ...sealedKeyColumns })
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
    yield rows.map(openKey);
    if (rows.length < size) return;
  }
}

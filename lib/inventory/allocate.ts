// Allocation of card keys to orders: reserve at checkout, sell at payment, release at
// expiry, generate for `generated` products, and the plaintext of an order's sold keys for
// the few readers allowed (SPEC invariant 7).
//
// Allocation reads partial indexes WHERE status = 'available' (card_keys_available_lane_idx,
// then card_keys_available_idx): a sold key leaves them, so finding a free key costs the
// same with 0 or 1,000,000 keys sold (invariant 8). SKIP LOCKED lets concurrent buyers take
// different keys without queueing behind each other; the status check and the row lock
// together make a key belong to one order at most (invariants 1 and 2).
import 'server-only';
import { randomInt } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { rawClient, type DbOrTx } from '@/db/client';
import { compiled } from '@/db/compiled';
import { cardKeys, KEY_LANES, type GeneratorRule } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { fingerprinter } from './fingerprints';
import { openKey, sealedKeyColumns, soldKeyRow } from './sold';

// Concurrent buyers who all start at the head of the same index queue up behind each
// other's row locks and the index entries of keys just taken. Each search therefore starts
// in a random lane (a random 1/256 of the stock, its own partial index), and only a lane
// that comes up short falls back to the whole stock. Keys still go out roughly oldest first.
// Fixed SQL texts (prepared once per connection). One key (the common case) is taken with
// `id = (SELECT … LIMIT 1)`, which plans as a primary-key lookup: measurably cheaper than
// `id = ANY(ARRAY(…))`, which serves larger quantities.
function takeSql(status: 'reserved' | 'sold', one: boolean, inLane: boolean): string {
  const pick = `SELECT id FROM card_keys
                 WHERE product_id = $1 ${inLane ? `AND lane = ${one ? '$3' : '$4'}` : ''} AND status = 'available'
                 ORDER BY id LIMIT ${one ? '1' : '$3'} FOR UPDATE SKIP LOCKED`;
  return `UPDATE card_keys SET status = '${status}', order_id = $2, reserved_at = now()${status === 'sold' ? ', sold_at = now()' : ''}
           WHERE id ${one ? `= (${pick})` : `= ANY(ARRAY(${pick}))`}
       RETURNING id`;
}
const TAKE: Record<string, string> = {};
for (const status of ['reserved', 'sold'] as const)
  for (const one of [true, false]) for (const inLane of [true, false]) TAKE[`${status}:${one}:${inLane}`] = takeSql(status, one, inLane);

/** Takes up to `quantity` available keys for `orderId` under SKIP LOCKED; returns their ids. */
async function takeAvailable(tx: DbOrTx, productId: string, orderId: string, quantity: number, status: 'reserved' | 'sold'): Promise<number[]> {
  const client = rawClient(tx);
  const laneSql = TAKE[`${status}:${quantity === 1}:true`]!;
  const lane = randomInt(KEY_LANES);
  const ids = (
    await client.unsafe<{ id: string }[]>(laneSql, quantity === 1 ? [productId, orderId, lane] : [productId, orderId, quantity, lane], { prepare: true })
  ).map((r) => Number(r.id));
  if (ids.length < quantity) {
    const missing = quantity - ids.length;
    const more = await client.unsafe<{ id: string }[]>(
      TAKE[`${status}:${missing === 1}:false`]!,
      missing === 1 ? [productId, orderId] : [productId, orderId, missing],
      { prepare: true },
    );
    ids.push(...more.map((r) => Number(r.id)));
  }
  return ids;
}

async function countAvailable(tx: DbOrTx, productId: string, cap: number): Promise<number> {
  const [row] = await tx.execute<{ n: string }>(sql`
    SELECT count(*) AS n FROM (SELECT 1 FROM card_keys WHERE product_id = ${productId} AND status = 'available' LIMIT ${cap}) s`);
  return Number(row?.n ?? 0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Reserves `quantity` keys for an order inside the caller's transaction, or throws
 * `out_of_stock`. When SKIP LOCKED finds too few, keys locked by transactions still in
 * flight may come back if those roll back, so it looks again a few times before saying no.
 */
export async function reserveKeys(
  tx: DbOrTx,
  input: { productId: string; orderId: string; quantity: number; status?: 'reserved' | 'sold'; retries?: number },
): Promise<number[]> {
  const status = input.status ?? 'reserved';
  const ids = await takeAvailable(tx, input.productId, input.orderId, input.quantity, status);
  let retries = input.retries ?? 8;
  while (ids.length < input.quantity) {
    const missing = input.quantity - ids.length;
    // Available rows we could not lock are held by other transactions right now.
    if (retries-- <= 0 || (await countAvailable(tx, input.productId, missing)) < missing) {
      throw new AppError('out_of_stock', 'Not enough stock for this quantity.');
    }
    await sleep(5 + Math.random() * 20);
    ids.push(...(await takeAvailable(tx, input.productId, input.orderId, missing, status)));
  }
  return ids;
}

/** Reserved keys of an order become sold. Returns how many. */
const sellReserved = compiled<{ orderId: string }>()((db) =>
  db
    .update(cardKeys)
    .set({ status: 'sold', soldAt: sql`now()` })
    .where(and(eq(cardKeys.orderId, sql.placeholder('orderId')), eq(cardKeys.status, 'reserved')))
    .returning({ id: cardKeys.id }),
);

export async function sellReservedKeys(tx: DbOrTx, orderId: string): Promise<number> {
  return (await sellReserved(tx, { orderId })).length;
}

/** Reserved keys of these orders go back to stock (expiry). */
export async function releaseKeys(tx: DbOrTx, orderIds: string[]): Promise<number> {
  if (orderIds.length === 0) return 0;
  const rows = await tx
    .update(cardKeys)
    .set({ status: 'available', orderId: null, reservedAt: null })
    .where(and(inArray(cardKeys.orderId, orderIds), eq(cardKeys.status, 'reserved')))
    .returning({ id: cardKeys.id });
  return rows.length;
}

export const DEFAULT_GENERATOR: GeneratorRule = { prefix: '', length: 16, charset: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789', groups: 4, separator: '-' };

/** A key from the product's rule, with a cryptographic RNG. */
export function generateKey(rule: GeneratorRule): string {
  const chars = [...rule.charset];
  let body = '';
  for (let i = 0; i < rule.length; i++) body += chars[randomInt(chars.length)];
  if (rule.groups > 1) {
    const size = Math.ceil(rule.length / rule.groups);
    body = (body.match(new RegExp(`.{1,${size}}`, 'g')) ?? [body]).join(rule.separator);
  }
  return rule.prefix + body;
}

/**
 * Generates and stores `quantity` sold keys for an order (delivery type `generated`). The
 * fingerprint index keeps them unique per product: keys are inserted in one statement,
 * and any that collide with a stored key (or with each other) are drawn again.
 */
export async function generateKeysForOrder(
  tx: DbOrTx,
  input: { merchantId: string; productId: string; orderId: string; quantity: number; rule: GeneratorRule | null },
): Promise<number> {
  const rule = input.rule ?? DEFAULT_GENERATOR;
  const fp = await fingerprinter(tx);
  let made = 0;
  for (let round = 0; made < input.quantity && round < 10; round++) {
    const batch = new Map<string, string>(); // fingerprint (hex) → key: no duplicates within a statement
    for (let i = 0; i < (input.quantity - made) * 2 && batch.size < input.quantity - made; i++) {
      const key = generateKey(rule);
      batch.set(fp(input.productId, key).toString('hex'), key);
    }
    const rows = [...batch.values()].map((key) => soldKeyRow(fp, input, key));
    const inserted = await tx.insert(cardKeys).values(rows).onConflictDoNothing().returning({ id: cardKeys.id });
    made += inserted.length;
  }
  if (made < input.quantity) throw new Error('could not generate unique keys');
  return made;
}

/** Plaintext keys of an order's sold keys, in allocation order. Callers are the few allowed readers. */
export async function revealOrderKeys(db: DbOrTx, orderId: string): Promise<string[]> {
  const rows = await db
    .select(sealedKeyColumns)
    .from(cardKeys)
    .where(and(eq(cardKeys.orderId, orderId), eq(cardKeys.status, 'sold')))
    .orderBy(cardKeys.id);
  return rows.map(openKey);
}

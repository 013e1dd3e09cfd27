import 'server-only';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { cardKeys } from '@/db/schema';
import { fingerprint, seal } from '@/lib/crypto';

/** A card_keys row for a key made for an order outside the stock: sealed, fingerprinted, sold to it. */
export function soldKeyRow(input: { merchantId: string; productId: string; orderId: string }, key: string) {
  const sealed = seal(key);
  return {
    merchantId: input.merchantId,
    productId: input.productId,
    secret: sealed.data,
    keyId: sealed.keyId,
    fingerprint: fingerprint(input.productId, key),
    status: 'sold' as const,
    orderId: input.orderId,
    reservedAt: sql`now()` as unknown as Date,
    soldAt: sql`now()` as unknown as Date,
  };
}

/**
 * Stores keys that were made for an order outside the stock (dynamic delivery: the
 * merchant's URL returned them) as sold to it, sealed and fingerprinted like imported ones.
 * A key equal to one already stored for the product is refused (unique fingerprint): a key
 * is never sold twice, even when the merchant's system repeats itself.
 */
export async function storeSoldKeys(tx: DbOrTx, input: { merchantId: string; productId: string; orderId: string; keys: string[] }): Promise<void> {
  const rows = input.keys.map((key) => soldKeyRow(input, key));
  const inserted = await tx.insert(cardKeys).values(rows).onConflictDoNothing().returning({ id: cardKeys.id });
  if (inserted.length !== rows.length) throw new Error('the merchant returned a key that was delivered before');
}

import 'server-only';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { cardKeys } from '@/db/schema';
import { open, seal, sealedIn } from '@/lib/crypto';
import { fingerprinter } from './fingerprints';

export type Fingerprinter = Awaited<ReturnType<typeof fingerprinter>>;

/** The stored form of one key of a product: fingerprinted, then sealed bound to (merchant, product, fingerprint). */
export function sealedKey(fp: Fingerprinter, owner: { merchantId: string; productId: string }, key: string) {
  const fingerprint = fp(owner.productId, key);
  const sealed = seal(key, sealedIn.cardKey({ ...owner, fingerprint }));
  return { merchantId: owner.merchantId, productId: owner.productId, secret: sealed.data, keyId: sealed.keyId, fingerprint };
}

/** The columns a stored key is opened from (openKey). */
export const sealedKeyColumns = {
  secret: cardKeys.secret,
  keyId: cardKeys.keyId,
  merchantId: cardKeys.merchantId,
  productId: cardKeys.productId,
  fingerprint: cardKeys.fingerprint,
};

/** The plaintext of a stored key: the few allowed readers (delivery, reveal, export) come through here. */
export function openKey(r: { secret: Buffer; keyId: string; merchantId: string; productId: string; fingerprint: Buffer }): string {
  return open({ keyId: r.keyId, data: r.secret }, sealedIn.cardKey(r));
}

/** A card_keys row for a key made for an order outside the stock: sealed, fingerprinted, sold to it. */
export function soldKeyRow(fp: Fingerprinter, input: { merchantId: string; productId: string; orderId: string }, key: string) {
  return {
    ...sealedKey(fp, input, key),
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
  const fp = await fingerprinter(tx);
  const rows = input.keys.map((key) => soldKeyRow(fp, input, key));
  const inserted = await tx.insert(cardKeys).values(rows).onConflictDoNothing().returning({ id: cardKeys.id });
  if (inserted.length !== rows.length) throw new Error('the merchant returned a key that was delivered before');
}

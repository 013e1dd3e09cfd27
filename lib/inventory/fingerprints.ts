// The key card-key fingerprints are made with (duplicate detection without decrypting). It
// lives in the database, sealed like any secret, so it outlives the KEY_ENCRYPTION_KEY it
// was first derived from: after `npm run cli -- reseal` that key can be retired and every
// stored fingerprint still matches. The first use in a database stores the key earlier
// versions derived (so fingerprints made before it existed stay valid); concurrent first
// uses agree through ON CONFLICT DO NOTHING.
import 'server-only';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { platformSettings } from '@/db/schema';
import { fingerprintWith, initialFingerprintKey, openFromText, sealedIn, sealToText } from '@/lib/crypto';

export const FINGERPRINT_SETTING = 'card_key_fingerprint_key';

let cached: Buffer | undefined;

async function storedKey(db: DbOrTx): Promise<Buffer> {
  const read = async () => (await db.select({ value: platformSettings.value }).from(platformSettings).where(eq(platformSettings.key, FINGERPRINT_SETTING)))[0];
  let row = await read();
  if (!row) {
    const sealed = sealToText(initialFingerprintKey().toString('base64'), sealedIn.setting(FINGERPRINT_SETTING));
    await db.insert(platformSettings).values({ key: FINGERPRINT_SETTING, value: { sealed } }).onConflictDoNothing();
    row = await read();
  }
  return Buffer.from(openFromText((row!.value as { sealed: string }).sealed, sealedIn.setting(FINGERPRINT_SETTING)), 'base64');
}

/** A function computing fingerprints within a product (the key read once per process). */
export async function fingerprinter(db: DbOrTx): Promise<(productId: string, normalizedKey: string) => Buffer> {
  const key = (cached ??= await storedKey(db));
  return (productId, normalizedKey) => fingerprintWith(key, productId, normalizedKey);
}

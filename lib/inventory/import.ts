// Importing card keys: sealed, fingerprinted, de-duplicated, into a product of the actor's
// merchant that delivers from stock. One door for the console's batches, the merchant API,
// the seed and the tests; each call is audited with its counts, never the keys.
import 'server-only';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { cardKeys } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { AppError, validationError } from '@/lib/errors';
import { fingerprinter } from './fingerprints';
import { ownProduct } from './owned';
import { sealedKey } from './sold';

export const MAX_KEY_LENGTH = 4096;
export const MAX_KEYS_PER_IMPORT = 100_000;
const INSERT_CHUNK = 1000;

/** One key per line; surrounding blanks and empty lines are dropped. */
export function parseKeyLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

export type ImportResult = { imported: number; duplicates: number };

const importSchema = z.object({
  productId: z.string(),
  keys: z.array(z.string()).min(1),
});

/**
 * Seals and stores keys. Duplicates, within the batch and against the product's stored
 * keys, are skipped and counted; the unique (product_id, fingerprint) index decides, so
 * two concurrent imports of the same key store it once. A product that does not deliver
 * from stock (manual, generated, dynamic) takes no keys.
 */
export async function importKeys(db: DbOrTx, actor: Actor, raw: { productId: string; keys: string[] }): Promise<ImportResult> {
  const merchantId = merchantOf(actor);
  const parsed = importSchema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const input = parsed.data;
  if (input.keys.length > MAX_KEYS_PER_IMPORT) throw new AppError('payload_too_large', `At most ${MAX_KEYS_PER_IMPORT} keys per import.`);
  const seen = new Set<string>();
  const unique: string[] = [];
  let total = 0;
  for (const rawKey of input.keys) {
    const key = rawKey.trim();
    if (key.length === 0) continue;
    total++;
    if (key.length > MAX_KEY_LENGTH)
      throw new AppError('validation_failed', `A key is longer than ${MAX_KEY_LENGTH} characters.`, {
        fields: { keys: { code: 'too_long', max: MAX_KEY_LENGTH } },
      });
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(key);
  }
  if (total === 0) throw new AppError('validation_failed', 'No keys given.', { fields: { keys: 'required' } });
  return db.transaction(async (tx) => {
    const product = await ownProduct(tx, merchantId, input.productId);
    if (product.deliveryType !== 'auto') {
      throw new AppError('validation_failed', 'This product does not deliver card keys from stock.', { fields: { productId: 'not_stock_product' } });
    }
    let imported = 0;
    const fp = await fingerprinter(tx);
    for (let i = 0; i < unique.length; i += INSERT_CHUNK) {
      const rows = unique.slice(i, i + INSERT_CHUNK).map((key) => sealedKey(fp, { merchantId, productId: product.id }, key));
      const inserted = await tx.insert(cardKeys).values(rows).onConflictDoNothing().returning({ id: cardKeys.id });
      imported += inserted.length;
    }
    const result = { imported, duplicates: total - imported };
    await recordAudit(tx, actor, { action: 'key.import', targetType: 'product', targetId: product.id, detail: result });
    return result;
  });
}

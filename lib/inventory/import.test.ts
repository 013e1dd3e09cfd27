import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKeys, parseKeyLines, stockOf } from '@/lib/inventory';
import { resetConfig } from '@/lib/config';
import { cardKeys } from '@/db/schema';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';
import { openKey, sealedKeyColumns } from './sold';

let t: TestDb;
let merchant: Awaited<ReturnType<typeof seedMerchant>>;
beforeAll(async () => {
  t = await createTestDatabase();
  merchant = await seedMerchant(t.db);
});
afterAll(async () => dropTestDatabase(t));

describe('key import', () => {
  it('skips and counts duplicates within a batch and against stored keys', async () => {
    const product = await seedProduct(t.db, merchant.merchantId);
    expect(await importKeys(t.db, merchant.actor, { productId: product.id, keys: ['A', 'B', 'A', ' B ', 'C', ''] })).toEqual({
      imported: 3,
      duplicates: 2,
    });
    expect(await importKeys(t.db, merchant.actor, { productId: product.id, keys: ['C', 'D', 'A', 'D'] })).toEqual({
      imported: 1,
      duplicates: 3,
    });
    expect((await stockOf(t.db, product.id)).available).toBe(4);
  });

  it('the same key may exist in two products (duplicates are per product)', async () => {
    const p1 = await seedProduct(t.db, merchant.merchantId);
    const p2 = await seedProduct(t.db, merchant.merchantId);
    await importKeys(t.db, merchant.actor, { productId: p1.id, keys: ['SHARED'] });
    expect(await importKeys(t.db, merchant.actor, { productId: p2.id, keys: ['SHARED'] })).toEqual({ imported: 1, duplicates: 0 });
  });

  it('concurrent imports of overlapping batches store each key once', async () => {
    const product = await seedProduct(t.db, merchant.merchantId);
    const batch = (from: number) => Array.from({ length: 1500 }, (_, i) => `OVR-${from + i}`);
    const results = await Promise.all([0, 500, 1000].map((from) => importKeys(t.db, merchant.actor, { productId: product.id, keys: batch(from) })));
    expect(results.reduce((a, r) => a + r.imported, 0)).toBe(2500);
    expect(results.reduce((a, r) => a + r.duplicates, 0)).toBe(4500 - 2500);
    expect((await stockOf(t.db, product.id)).available).toBe(2500);
  });

  it('keys are unreadable in the database without the encryption key', async () => {
    const product = await seedProduct(t.db, merchant.merchantId);
    const secret = 'XBOX-SECRET-1234-5678';
    await importKeys(t.db, merchant.actor, { productId: product.id, keys: [secret] });
    const [row] = await t.db.execute<{ secret: Buffer; key_id: string; fingerprint: Buffer; dump: string }>(
      sql`SELECT secret, key_id, fingerprint, row_to_json(k)::text AS dump FROM card_keys k WHERE product_id = ${product.id}`,
    );
    const stored = {
      secret: Buffer.from(row!.secret),
      keyId: row!.key_id,
      merchantId: merchant.merchantId,
      productId: product.id,
      fingerprint: Buffer.from(row!.fingerprint),
    };
    expect(row!.dump).not.toContain(secret);
    expect(row!.dump).not.toContain(Buffer.from(secret).toString('hex'));
    expect(row!.dump).not.toContain(Buffer.from(secret).toString('base64'));
    expect(Buffer.from(row!.secret).includes(Buffer.from(secret))).toBe(false);
    expect(openKey(stored)).toBe(secret);
    // Bound to its row: the same ciphertext under another product or merchant does not open.
    expect(() => openKey({ ...stored, productId: randomUUID() })).toThrow();
    expect(() => openKey({ ...stored, merchantId: randomUUID() })).toThrow();

    // With another key configured the ciphertext does not open.
    const saved = process.env.KEY_ENCRYPTION_KEY;
    try {
      process.env.KEY_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');
      resetConfig();
      expect(() => openKey(stored)).toThrow();
    } finally {
      process.env.KEY_ENCRYPTION_KEY = saved;
      resetConfig();
    }
  });

  it('rotation: with a new key prepended, old keys still open and fingerprints still match', async () => {
    const product = await seedProduct(t.db, merchant.merchantId);
    await importKeys(t.db, merchant.actor, { productId: product.id, keys: ['ROT-1'] });
    const saved = process.env.KEY_ENCRYPTION_KEY!;
    try {
      process.env.KEY_ENCRYPTION_KEY = `${Buffer.alloc(32, 9).toString('base64')},${saved}`;
      resetConfig();
      expect(await importKeys(t.db, merchant.actor, { productId: product.id, keys: ['ROT-1', 'ROT-2'] })).toEqual({
        imported: 1,
        duplicates: 1,
      });
      const rows = await t.db.select(sealedKeyColumns).from(cardKeys).where(eq(cardKeys.productId, product.id)).orderBy(cardKeys.id);
      expect(new Set(rows.map((r) => r.keyId)).size).toBe(2);
      expect(rows.map(openKey)).toEqual(['ROT-1', 'ROT-2']);
    } finally {
      process.env.KEY_ENCRYPTION_KEY = saved;
      resetConfig();
    }
  });

  it('parses one key a line, trimming blanks and CRLF', () => {
    expect(parseKeyLines('a\r\n b \n\n\tc\n')).toEqual(['a', 'b', 'c']);
  });
});

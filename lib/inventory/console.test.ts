import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { beginKeyExport, exportKeyBatches, importKeys, listKeys, maskKey, reserveKeys, revealKey, stockOf, voidKeys } from '@/lib/inventory';
import { parseKeyText, planBatches } from '@/lib/inventory/batching';
import { createOrder } from '@/lib/orders';
import { createTestDatabase, dropTestDatabase, secondPool, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';

let t: TestDb;
let a: Awaited<ReturnType<typeof seedMerchant>>;
let b: Awaited<ReturnType<typeof seedMerchant>>;

beforeAll(async () => {
  t = await createTestDatabase({ max: 60 });
  a = await seedMerchant(t.db);
  b = await seedMerchant(t.db);
});
afterAll(async () => dropTestDatabase(t));

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof AppError ? e.code : `error: ${String(e)}`),
  );

async function keyIds(productId: string): Promise<number[]> {
  const rows = await t.db.execute<{ id: string }>(sql`SELECT id FROM card_keys WHERE product_id = ${productId} ORDER BY id`);
  return rows.map((r) => Number(r.id));
}

async function auditRows(merchantId: string, action: string) {
  return t.db.execute<{ target_type: string; target_id: string; actor_id: string; ip: string; detail: Record<string, unknown>; dump: string }>(
    sql`SELECT target_type, target_id, actor_id, ip, detail, row_to_json(l)::text AS dump FROM audit_log l WHERE merchant_id = ${merchantId} AND action = ${action} ORDER BY id`,
  );
}

describe('maskKey', () => {
  it('shows the first 3 and last 2 characters of a long key, less of a short one, and caps the dots', () => {
    expect(maskKey('ABCD-EFGH-IJ')).toBe('ABC•••••••IJ');
    expect(maskKey('ABCD-EFGH-IJKL-MNOP')).toBe('ABC••••••••••••OP');
    expect(maskKey('ABCDEFG')).toBe('A•••••G');
    expect(maskKey('ABC')).toBe('•••');
    expect(maskKey('X'.repeat(500))).toBe(`XXX${'•'.repeat(12)}XX`);
    expect(maskKey('卡密一二三四五六七八')).toBe('卡密一•••••七八');
  });
});

describe('listKeys', () => {
  it('masks every key, filters by status, pages by id without gaps or repeats, and never returns plaintext', async () => {
    const product = await seedProduct(t.db, a.merchantId, { keys: 7, keyPrefix: 'LISTSECRET-' });
    const [first] = await keyIds(product.id);
    await voidKeys(t.db, { ...a.actor, ip: '1.2.3.4' }, { productId: product.id, keyIds: [first!] });

    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof listKeys>> = await listKeys(t.db, {
        merchantId: a.merchantId,
        productId: product.id,
        status: 'available',
        cursor,
        limit: 4,
      });
      const text = JSON.stringify(page);
      expect(text).not.toContain('LISTSECRET');
      for (const k of page.keys) {
        expect(k.masked).toMatch(/^LIS•+-\d$/);
        expect(k.status).toBe('available');
        expect(k).not.toHaveProperty('secret');
      }
      seen.push(...page.keys.map((k) => k.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toEqual([...seen].sort((x, y) => y - x));
    expect(new Set(seen).size).toBe(6);
    expect(seen).not.toContain(first);

    const voided = await listKeys(t.db, { merchantId: a.merchantId, productId: product.id, status: 'void' });
    expect(voided.keys.map((k) => k.id)).toEqual([first]);
    expect(voided.nextCursor).toBeNull();
  });

  it('shows the order number of a sold key', async () => {
    const product = await seedProduct(t.db, a.merchantId, { keys: 2 });
    const order = await createOrder(
      t.db,
      { productId: product.id, quantity: 1, email: 'list@example.test', channel: a.demoChannelId },
      { merchantId: a.merchantId },
    );
    const page = await listKeys(t.db, { merchantId: a.merchantId, productId: product.id, status: 'reserved' });
    expect(page.keys).toHaveLength(1);
    expect(page.keys[0]!.orderNo).toBe(order.orderNo);
  });

  it("another merchant's product is not_found; a bad cursor or status is validation_failed", async () => {
    const product = await seedProduct(t.db, a.merchantId, { keys: 1 });
    expect(await codeOf(listKeys(t.db, { merchantId: b.merchantId, productId: product.id, status: 'available' }))).toBe('not_found');
    expect(await codeOf(listKeys(t.db, { merchantId: a.merchantId, productId: 'not-a-uuid', status: 'available' }))).toBe('not_found');
    expect(await codeOf(listKeys(t.db, { merchantId: a.merchantId, productId: product.id, status: 'available', cursor: '1 OR 1=1' }))).toBe(
      'validation_failed',
    );
    expect(await codeOf(listKeys(t.db, { merchantId: a.merchantId, productId: product.id, status: 'gone' as never }))).toBe('validation_failed');
  });
});

describe('revealKey', () => {
  it('returns the key and writes exactly one audit row, without the key in it', async () => {
    const product = await seedProduct(t.db, a.merchantId, { keys: 1, keyPrefix: 'REVEAL-ME-' });
    const [id] = await keyIds(product.id);
    const before = (await auditRows(a.merchantId, 'key.reveal')).length;
    const shown = await revealKey(t.db, { ...a.actor, ip: '203.0.113.9' }, { keyId: String(id) });
    expect(shown).toEqual({ id, key: 'REVEAL-ME-0', status: 'available' });
    const rows = await auditRows(a.merchantId, 'key.reveal');
    expect(rows).toHaveLength(before + 1);
    const row = rows[rows.length - 1]!;
    expect(row).toMatchObject({ target_type: 'card_key', target_id: String(id), actor_id: a.userId, ip: '203.0.113.9' });
    expect(row.dump).not.toContain('REVEAL-ME');
  });

  it("another merchant's key, or no key, is not_found and writes no audit row", async () => {
    const product = await seedProduct(t.db, a.merchantId, { keys: 1 });
    const [id] = await keyIds(product.id);
    const beforeA = (await auditRows(a.merchantId, 'key.reveal')).length;
    const beforeB = (await auditRows(b.merchantId, 'key.reveal')).length;
    expect(await codeOf(revealKey(t.db, { ...b.actor, ip: null }, { keyId: id! }))).toBe('not_found');
    expect(await codeOf(revealKey(t.db, { ...a.actor, ip: null }, { keyId: 'abc' }))).toBe('not_found');
    expect(await codeOf(revealKey(t.db, { ...a.actor, ip: null }, { keyId: 9_999_999 }))).toBe('not_found');
    expect(await auditRows(a.merchantId, 'key.reveal')).toHaveLength(beforeA);
    expect(await auditRows(b.merchantId, 'key.reveal')).toHaveLength(beforeB);
  });
});

describe('voidKeys', () => {
  it('voids available keys and records one audit row with the count', async () => {
    const product = await seedProduct(t.db, a.merchantId, { keys: 5 });
    const ids = await keyIds(product.id);
    expect(await voidKeys(t.db, { ...a.actor, ip: '1.1.1.1' }, { productId: product.id, keyIds: ids.slice(0, 3) })).toEqual({
      voided: 3,
    });
    expect(await stockOf(t.db, product.id)).toEqual({ available: 2, reserved: 0, sold: 0, void: 3 });
    const rows = (await auditRows(a.merchantId, 'key.void')).filter((r) => r.detail.productId === product.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.detail.count).toBe(3);
  });

  it('refuses when any chosen key is reserved or sold, and changes nothing', async () => {
    const product = await seedProduct(t.db, a.merchantId, { keys: 4 });
    await createOrder(t.db, { productId: product.id, quantity: 1, email: 'v@example.test', channel: a.demoChannelId }, { merchantId: a.merchantId });
    const [reserved] = await t.db.execute<{ id: string }>(sql`SELECT id FROM card_keys WHERE product_id = ${product.id} AND status = 'reserved'`);
    await t.db.execute(
      sql`UPDATE card_keys SET status = 'sold', sold_at = now(), order_id = ${randomUUID()} WHERE id = (SELECT min(id) FROM card_keys WHERE product_id = ${product.id} AND status = 'available')`,
    );
    const [sold] = await t.db.execute<{ id: string }>(sql`SELECT id FROM card_keys WHERE product_id = ${product.id} AND status = 'sold'`);
    const available = (await t.db.execute<{ id: string }>(sql`SELECT id FROM card_keys WHERE product_id = ${product.id} AND status = 'available'`)).map((r) =>
      Number(r.id),
    );
    const before = await stockOf(t.db, product.id);
    const auditBefore = (await auditRows(a.merchantId, 'key.void')).length;

    for (const bad of [reserved!.id, sold!.id]) {
      const err = await voidKeys(t.db, a.actor, { productId: product.id, keyIds: [...available, Number(bad)] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('conflict');
      expect((err as AppError).message).toMatch(/available/);
    }
    expect(await stockOf(t.db, product.id)).toEqual(before);
    expect(await auditRows(a.merchantId, 'key.void')).toHaveLength(auditBefore);
  });

  it("another merchant's key or product is not_found and nothing changes; an empty choice is validation_failed", async () => {
    const pa = await seedProduct(t.db, a.merchantId, { keys: 2 });
    const pb = await seedProduct(t.db, b.merchantId, { keys: 2 });
    const idsA = await keyIds(pa.id);
    const idsB = await keyIds(pb.id);
    // B's session naming A's product, A's product with B's key mixed in, B's product with A's keys.
    expect(await codeOf(voidKeys(t.db, { ...b.actor, ip: null }, { productId: pa.id, keyIds: idsA }))).toBe('not_found');
    expect(await codeOf(voidKeys(t.db, { ...a.actor, ip: null }, { productId: pa.id, keyIds: [idsA[0]!, idsB[0]!] }))).toBe('not_found');
    expect(await codeOf(voidKeys(t.db, { ...b.actor, ip: null }, { productId: pb.id, keyIds: idsA }))).toBe('not_found');
    expect(await codeOf(voidKeys(t.db, { ...a.actor, ip: null }, { productId: pa.id, keyIds: [] }))).toBe('validation_failed');
    expect(await stockOf(t.db, pa.id)).toEqual({ available: 2, reserved: 0, sold: 0, void: 0 });
    expect(await stockOf(t.db, pb.id)).toEqual({ available: 2, reserved: 0, sold: 0, void: 0 });
  });

  it('a void waiting on a buyer who holds the key is refused once the buyer commits', async () => {
    const product = await seedProduct(t.db, a.merchantId, { keys: 1 });
    const [id] = await keyIds(product.id);
    const other = secondPool(t.url, 2);
    try {
      let voiding: Promise<string> | undefined;
      await other.db.transaction(async (tx) => {
        await reserveKeys(tx, { productId: product.id, orderId: randomUUID(), quantity: 1 });
        // The buyer's transaction holds the row lock; the void on another connection waits.
        voiding = codeOf(voidKeys(t.db, { ...a.actor, ip: null }, { productId: product.id, keyIds: [id!] }));
        await new Promise((r) => setTimeout(r, 300));
      });
      expect(await voiding).toBe('conflict');
      expect(await stockOf(t.db, product.id)).toEqual({ available: 0, reserved: 1, sold: 0, void: 0 });
    } finally {
      await other.sql.end({ timeout: 5 });
    }
  });

  it('concurrent voids and orders of the same keys: no key is both void and in an order', async () => {
    const product = await seedProduct(t.db, a.merchantId, { keys: 30, maxQty: 3 });
    const ids = await keyIds(product.id);
    const other = secondPool(t.url, 20);
    try {
      const voids = ids.map((id) => codeOf(voidKeys(other.db, { ...a.actor, ip: null }, { productId: product.id, keyIds: [id] })));
      const buys = Array.from({ length: 30 }, (_, i) =>
        codeOf(
          createOrder(t.db, { productId: product.id, quantity: 1, email: `race${i}@example.test`, channel: a.demoChannelId }, { merchantId: a.merchantId }),
        ),
      );
      const [voidResults, buyResults] = await Promise.all([Promise.all(voids), Promise.all(buys)]);
      expect(voidResults.every((r) => r === 'ok' || r === 'conflict')).toBe(true);
      expect(buyResults.every((r) => r === 'ok' || r === 'out_of_stock')).toBe(true);

      const [bad] = await t.db.execute<{ n: string }>(
        sql`SELECT count(*) AS n FROM card_keys WHERE product_id = ${product.id} AND status = 'void' AND order_id IS NOT NULL`,
      );
      expect(Number(bad!.n)).toBe(0);
      const stock = await stockOf(t.db, product.id);
      expect(stock.void).toBe(voidResults.filter((r) => r === 'ok').length);
      expect(stock.reserved).toBe(buyResults.filter((r) => r === 'ok').length);
      expect(stock.available + stock.reserved + stock.void).toBe(30);
      // Every order that went through holds a key that is reserved for it.
      const [orphans] = await t.db.execute<{ n: string }>(sql`
        SELECT count(*) AS n FROM orders o WHERE o.product_id = ${product.id}
           AND NOT EXISTS (SELECT 1 FROM card_keys k WHERE k.order_id = o.id AND k.status = 'reserved')`);
      expect(Number(orphans!.n)).toBe(0);
    } finally {
      await other.sql.end({ timeout: 5 });
    }
  });
});

describe('export', () => {
  it('streams every key of the status in id batches and audits the count before any key leaves', async () => {
    const product = await seedProduct(t.db, a.merchantId, { keys: 25, keyPrefix: 'EXP-' });
    const ids = await keyIds(product.id);
    await voidKeys(t.db, { ...a.actor, ip: null }, { productId: product.id, keyIds: ids.slice(0, 5) });
    const start = await beginKeyExport(t.db, { ...a.actor, ip: '9.9.9.9' }, { productId: product.id, status: 'available' });
    expect(start.count).toBe(20);
    const rows = (await auditRows(a.merchantId, 'key.export')).filter((r) => r.target_id === product.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.detail).toEqual({ status: 'available', count: 20 });

    // A key imported after the export began is not in this file.
    await importKeys(t.db, a.actor, { productId: product.id, keys: ['EXP-LATE'] });
    const batches: string[][] = [];
    for await (const batch of exportKeyBatches(t.db, {
      merchantId: a.merchantId,
      productId: product.id,
      status: 'available',
      maxId: start.maxId,
      batchSize: 8,
    }))
      batches.push(batch);
    expect(batches.map((x) => x.length)).toEqual([8, 8, 4]);
    expect(batches.flat()).toEqual(Array.from({ length: 20 }, (_, i) => `EXP-${i + 5}`));
  });

  it("another merchant's product is not_found and is not audited", async () => {
    const product = await seedProduct(t.db, a.merchantId, { keys: 1 });
    expect(await codeOf(beginKeyExport(t.db, { ...b.actor, ip: null }, { productId: product.id, status: 'available' }))).toBe('not_found');
    expect(await auditRows(b.merchantId, 'key.export')).toHaveLength(0);
    const leaked: string[] = [];
    for await (const batch of exportKeyBatches(t.db, { merchantId: b.merchantId, productId: product.id, status: 'available', maxId: Number.MAX_SAFE_INTEGER }))
      leaked.push(...batch);
    expect(leaked).toEqual([]);
  });
});

describe('import in batches (the console path)', () => {
  it('counts duplicates within a batch and across batches, and blank and over-long lines apart', async () => {
    const product = await seedProduct(t.db, a.merchantId);
    const lines = ['', ...Array.from({ length: 2500 }, (_, i) => `BATCH-${i % 2000}`), '  ', 'X'.repeat(5000), 'BATCH-7', ''];
    const parsed = parseKeyText(lines.join('\r\n'));
    expect(parsed).toMatchObject({ blank: 2, tooLong: 1 });
    const batches = planBatches(parsed.keys, { maxKeys: 1000 });
    expect(batches.map((x) => x.length)).toEqual([1000, 1000, 501]);
    let imported = 0;
    let duplicates = 0;
    for (const batch of batches) {
      const r = await importKeys(t.db, a.actor, { productId: product.id, keys: batch });
      imported += r.imported;
      duplicates += r.duplicates;
    }
    expect({ imported, duplicates }).toEqual({ imported: 2000, duplicates: 501 });
    expect((await stockOf(t.db, product.id)).available).toBe(2000);
  });

  it("refuses another merchant's product and a product that is not delivered from stock", async () => {
    const product = await seedProduct(t.db, a.merchantId);
    const manual = await seedProduct(t.db, a.merchantId, { deliveryType: 'manual' });
    expect(await codeOf(importKeys(t.db, b.actor, { productId: product.id, keys: ['Z'] }))).toBe('not_found');
    expect(await codeOf(importKeys(t.db, a.actor, { productId: manual.id, keys: ['Z'] }))).toBe('validation_failed');
    expect(await stockOf(t.db, product.id)).toEqual({ available: 0, reserved: 0, sold: 0, void: 0 });
    expect(await stockOf(t.db, manual.id)).toEqual({ available: 0, reserved: 0, sold: 0, void: 0 });
  });

  it('batches stay under the byte budget and keep order; CSV takes the first column and drops a header', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `${'长'.repeat(100)}${i}`);
    const batches = planBatches(keys, { maxBytes: 64 * 1024 });
    for (const batch of batches) expect(Buffer.byteLength(JSON.stringify(batch))).toBeLessThanOrEqual(64 * 1024);
    expect(batches.flat()).toEqual(keys);
    expect(parseKeyText('key,note\nAAA-1,first\n"BB,B-2","x"\n"C""3"\n\nDDD\n', 'csv')).toEqual({
      keys: ['AAA-1', 'BB,B-2', 'C"3', 'DDD'],
      blank: 1,
      tooLong: 0,
      header: true,
    });
    expect(parseKeyText('\uFEFFa\nb\n').keys).toEqual(['a', 'b']);
  });
});

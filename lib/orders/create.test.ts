import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder } from '@/lib/orders';
import { AppError } from '@/lib/errors';
import { stockOf } from '@/lib/inventory';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';

let t: TestDb;
let merchant: Awaited<ReturnType<typeof seedMerchant>>;

beforeAll(async () => {
  t = await createTestDatabase({ max: 60 });
  merchant = await seedMerchant(t.db);
});
afterAll(async () => dropTestDatabase(t));

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof AppError ? e.code : `error: ${String(e)}`),
  );

describe('createOrder', () => {
  it('300 concurrent buyers for 100 keys: exactly 100 orders, 200 out_of_stock, no key in two orders', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 100, maxQty: 5 });
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        codeOf(
          createOrder(
            t.db,
            { productId: product.id, quantity: 1, email: `b${i}@example.test`, channel: merchant.demoChannelId },
            { merchantId: merchant.merchantId },
          ),
        ),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(100);
    expect(results.filter((r) => r !== 'ok' && r !== 'out_of_stock')).toEqual([]);
    expect(results.filter((r) => r === 'out_of_stock')).toHaveLength(200);

    const [counts] = await t.db.execute<{ orders: string; reserved: string; distinct_orders: string }>(sql`
      SELECT (SELECT count(*) FROM orders WHERE product_id = ${product.id}) AS orders,
             (SELECT count(*) FROM card_keys WHERE product_id = ${product.id} AND status = 'reserved') AS reserved,
             (SELECT count(DISTINCT order_id) FROM card_keys WHERE product_id = ${product.id} AND order_id IS NOT NULL) AS distinct_orders`);
    expect(Number(counts!.orders)).toBe(100);
    expect(Number(counts!.reserved)).toBe(100);
    expect(Number(counts!.distinct_orders)).toBe(100);
    // Every order holds exactly one key, every key at most one order.
    const perOrder = await t.db.execute<{ n: string }>(
      sql`SELECT count(*) AS n FROM card_keys WHERE product_id = ${product.id} AND order_id IS NOT NULL GROUP BY order_id`,
    );
    expect(perOrder.every((r) => Number(r.n) === 1)).toBe(true);
    expect(await stockOf(t.db, product.id)).toEqual({ available: 0, reserved: 100, sold: 0, void: 0 });
  });

  it('concurrent multi-key orders never oversell: sold + reserved never exceed the keys imported', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 50, maxQty: 10 });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        codeOf(
          createOrder(
            t.db,
            { productId: product.id, quantity: (i % 3) + 1, email: `q${i}@example.test`, channel: merchant.demoChannelId },
            { merchantId: merchant.merchantId },
          ),
        ),
      ),
    );
    const stock = await stockOf(t.db, product.id);
    const [row] = await t.db.execute<{ q: string; keyed: string }>(sql`
      SELECT coalesce(sum(quantity), 0) AS q,
             (SELECT count(*) FROM card_keys WHERE product_id = ${product.id} AND order_id IS NOT NULL) AS keyed
        FROM orders WHERE product_id = ${product.id}`);
    // Every ordered unit holds its own key, and no more keys are held than exist.
    expect(Number(row!.q)).toBe(stock.reserved);
    expect(Number(row!.keyed)).toBe(stock.reserved);
    expect(stock.reserved).toBeLessThanOrEqual(50);
    expect(stock).toMatchObject({ sold: 0, void: 0 });
    expect(results.every((r) => r === 'ok' || r === 'out_of_stock')).toBe(true);
  });

  it('with deep stock (lanes in use) 200 concurrent buyers of 1-3 keys each get distinct keys, exactly what they asked for', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 3000, maxQty: 5 });
    const orders = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        createOrder(
          t.db,
          { productId: product.id, quantity: (i % 3) + 1, email: `deep${i}@example.test`, channel: merchant.demoChannelId },
          { merchantId: merchant.merchantId },
        ),
      ),
    );
    const asked = orders.reduce((a, _o, i) => a + (i % 3) + 1, 0);
    const rows = await t.db.execute<{ order_no: string; quantity: number; keys: string }>(sql`
      SELECT o.order_no, o.quantity, count(k.id) AS keys FROM orders o LEFT JOIN card_keys k ON k.order_id = o.id
       WHERE o.product_id = ${product.id} GROUP BY o.order_no, o.quantity`);
    expect(rows).toHaveLength(200);
    expect(rows.every((r) => Number(r.keys) === r.quantity)).toBe(true);
    expect(await stockOf(t.db, product.id)).toEqual({ available: 3000 - asked, reserved: asked, sold: 0, void: 0 });
  });

  it('prices wholesale tiers and returns the contract shape', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 10, price: 1000, wholesaleTiers: [{ minQty: 3, unitPrice: 800 }] });
    const order = await createOrder(
      t.db,
      { productId: product.id, quantity: 3, email: 'Tier@Example.test', channel: merchant.demoChannelId },
      { merchantId: merchant.merchantId },
    );
    expect(order).toMatchObject({ status: 'pending', amount: 2400, currency: 'CNY', replayed: false });
    expect(order.orderNo).toMatch(/^\d{24}$/);
    expect(order.payUrl).toBe(`http://shop.test/pay/${order.orderNo}`);
    expect(order.token.length).toBeGreaterThanOrEqual(40);
    const expiresIn = new Date(order.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000 + 5_000);
    const [stored] = await t.db.execute<{ email: string; token_hash: string }>(sql`SELECT email, token_hash FROM orders WHERE order_no = ${order.orderNo}`);
    expect(stored!.email).toBe('tier@example.test');
    expect(stored!.token_hash).not.toContain(order.token);
  });

  it('rejects bad input with field errors and changes nothing', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 5, minQty: 1, maxQty: 2 });
    const before = await stockOf(t.db, product.id);
    const base = { productId: product.id, quantity: 1, email: 'ok@example.test', channel: merchant.demoChannelId };
    const cases: [unknown, string, string?][] = [
      [{ ...base, email: 'not-an-email' }, 'validation_failed', 'email'],
      [{ ...base, quantity: 0 }, 'validation_failed', 'quantity'],
      [{ ...base, quantity: 3 }, 'validation_failed', 'quantity'],
      [{ ...base, quantity: 1.5 }, 'validation_failed', 'quantity'],
      [{ ...base, productId: 'x' }, 'validation_failed', 'productId'],
      [{ ...base, productId: '00000000-0000-4000-8000-000000000000' }, 'not_found'],
      [{ ...base, channel: '00000000-0000-4000-8000-000000000000' }, 'channel_unavailable'],
      [{ ...base, couponCode: 'NOPE' }, 'validation_failed', 'couponCode'],
      ['not an object', 'validation_failed'],
    ];
    for (const [input, code, field] of cases) {
      const err = await createOrder(t.db, input, { merchantId: merchant.merchantId }).catch((e: unknown) => e);
      expect(err, JSON.stringify(input)).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe(code);
      if (field) expect((err as AppError).fields).toHaveProperty(field);
    }
    expect(await stockOf(t.db, product.id)).toEqual(before);
  });

  it("refuses another merchant's product and another merchant's channel", async () => {
    const other = await seedMerchant(t.db);
    const theirs = await seedProduct(t.db, other.merchantId, { keys: 3 });
    const mine = await seedProduct(t.db, merchant.merchantId, { keys: 3 });
    await expect(
      codeOf(createOrder(t.db, { productId: theirs.id, email: 'a@example.test', channel: merchant.demoChannelId }, { merchantId: merchant.merchantId })),
    ).resolves.toBe('not_found');
    await expect(
      codeOf(createOrder(t.db, { productId: mine.id, email: 'a@example.test', channel: other.demoChannelId }, { merchantId: merchant.merchantId })),
    ).resolves.toBe('channel_unavailable');
    expect((await stockOf(t.db, theirs.id)).available).toBe(3);
    expect((await stockOf(t.db, mine.id)).available).toBe(3);
  });

  it('an Idempotency-Key replay returns the first order, even when sent concurrently', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 10 });
    const input = { productId: product.id, quantity: 1, email: 'idem@example.test', channel: merchant.demoChannelId };
    const ctx = { merchantId: merchant.merchantId, idempotencyKey: 'retry-123' };
    const results = await Promise.all(Array.from({ length: 8 }, () => createOrder(t.db, input, ctx)));
    expect(new Set(results.map((r) => r.orderNo)).size).toBe(1);
    expect(new Set(results.map((r) => r.token)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect((await stockOf(t.db, product.id)).reserved).toBe(1);
    await expect(codeOf(createOrder(t.db, { ...input, quantity: 2 }, ctx))).resolves.toBe('idempotency_mismatch');
  });

  it('a retry with its Idempotency-Key gets its order back even while the product is sold out (the sold-out shortcut does not answer it)', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 1 });
    const input = { productId: product.id, quantity: 1, email: 'last@example.test', channel: merchant.demoChannelId };
    const ctx = { merchantId: merchant.merchantId, idempotencyKey: 'last-key-1' };
    const first = await createOrder(t.db, input, ctx);
    // Another buyer finds it sold out: this process now takes the shortcut for this product.
    await expect(codeOf(createOrder(t.db, { ...input, email: 'other@example.test' }, { merchantId: merchant.merchantId }))).resolves.toBe('out_of_stock');
    await expect(codeOf(createOrder(t.db, { ...input, email: 'third@example.test' }, { merchantId: merchant.merchantId }))).resolves.toBe('out_of_stock');
    // The first buyer's lost answer, retried: its own order, not "sold out".
    const retried = await createOrder(t.db, input, ctx);
    expect(retried).toMatchObject({ orderNo: first.orderNo, replayed: true });
  });

  it('an Idempotency-Key replay is bound to its caller; the stored key and request digest reveal neither key nor query password', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 10 });
    const input = { productId: product.id, quantity: 1, email: 'bound@example.test', channel: merchant.demoChannelId, queryPassword: 'pw-1234' };
    const from = (buyerIp: string) => ({ merchantId: merchant.merchantId, idempotencyKey: 'guessable-1', buyerIp });
    const mine = await createOrder(t.db, input, from('198.51.100.20'));
    // The same key and body from another address: its own order, never the first one's token.
    const other = await createOrder(t.db, input, from('198.51.100.21'));
    expect(other.replayed).toBe(false);
    expect(other.orderNo).not.toBe(mine.orderNo);
    expect(other.token).not.toBe(mine.token);
    // From the same address (IPv6: the same /64) it is a replay.
    expect(await createOrder(t.db, input, from('198.51.100.20'))).toMatchObject({ orderNo: mine.orderNo, replayed: true });
    const v6a = await createOrder(t.db, input, from('2001:db8:1:2::a'));
    expect(await createOrder(t.db, input, from('2001:db8:1:2::b'))).toMatchObject({ orderNo: v6a.orderNo, replayed: true });
    // What is stored: digests, not the key; the request digest is the same whatever the query password.
    const rows = await t.db.execute<{ key: string; request_hash: string }>(
      sql`SELECT key, request_hash FROM idempotency_keys WHERE order_id IN (SELECT id FROM orders WHERE order_no IN (${mine.orderNo}, ${other.orderNo}))`,
    );
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.key).toMatch(/^[0-9a-f]{64}$/);
      expect(r.key).not.toContain('guessable');
    }
    expect(rows[0]!.key).not.toBe(rows[1]!.key);
    expect(rows[0]!.request_hash).toBe(rows[1]!.request_hash);
    expect(await createOrder(t.db, { ...input, queryPassword: 'another-pw' }, from('198.51.100.20'))).toMatchObject({ orderNo: mine.orderNo, replayed: true });
  });

  it('limits orders per e-mail per day, also under concurrency', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 20, maxPerEmailDay: 2 });
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        codeOf(createOrder(t.db, { productId: product.id, email: 'same@example.test', channel: merchant.demoChannelId }, { merchantId: merchant.merchantId })),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(2);
    expect(results.filter((r) => r === 'limit_exceeded')).toHaveLength(4);
  });

  it('uses the merchant order expiry setting', async () => {
    await t.db.execute(sql`UPDATE merchants SET settings = settings || '{"orderExpiryMinutes": 5}' WHERE id = ${merchant.merchantId}`);
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 1 });
    const order = await createOrder(
      t.db,
      { productId: product.id, email: 'exp@example.test', channel: merchant.demoChannelId },
      { merchantId: merchant.merchantId },
    );
    const minutes = (new Date(order.expiresAt).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(4.5);
    expect(minutes).toBeLessThanOrEqual(5.1);
    await t.db.execute(sql`UPDATE merchants SET settings = settings - 'orderExpiryMinutes' WHERE id = ${merchant.merchantId}`);
  });
});

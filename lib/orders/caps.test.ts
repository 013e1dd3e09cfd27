import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStoreProduct } from '@/lib/catalog';
import { AppError } from '@/lib/errors';
import { stockOf } from '@/lib/inventory';
import { applyPayment, createOrder } from '@/lib/orders';
import { DEFAULT_RISK_POLICY, listRiskEvents, updateRiskPolicy } from '@/lib/risk';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';

let t: TestDb;

beforeAll(async () => {
  t = await createTestDatabase({ max: 40 });
});
afterAll(async () => dropTestDatabase(t));

type Merchant = Awaited<ReturnType<typeof seedMerchant>>;
const shop = () => seedMerchant(t.db, undefined, { caps: 'default' });

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof AppError ? e.code : `error: ${String(e)}`),
  );

const order = (m: Merchant, productId: string, email: string, buyerIp: string | null, quantity = 1) =>
  createOrder(t.db, { productId, quantity, email, channel: m.demoChannelId }, { merchantId: m.merchantId, buyerIp });

describe('caps on unpaid orders (defaults: 3 per address, 2 per e-mail, 20 % of a product’s stock)', () => {
  it('20 concurrent orders from one address: exactly 3 pending, 17 refused with too_many_pending, each in the risk log', async () => {
    const m = await shop();
    const product = await seedProduct(t.db, m.merchantId, { keys: 100 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => outcome(order(m, product.id, `bot${i}@example.test`, '198.51.100.7'))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(3);
    expect(results.filter((r) => r !== 'ok')).toEqual(Array(17).fill('too_many_pending'));
    expect(await stockOf(t.db, product.id)).toMatchObject({ reserved: 3, available: 97 });
    // The storefront shows what unpaid orders hold, so a hoard never reads as "sold out" for good.
    expect(await getStoreProduct(t.db, m.merchantId, product.slug)).toMatchObject({ stock: 97, reserved: 3 });
    const { events } = await listRiskEvents(t.db, m.merchantId, { limit: 100 });
    expect(events).toHaveLength(17);
    expect(events[0]).toMatchObject({ stage: 'order_create', action: 'block', address: '198.51.100.7', productId: product.id });
    expect(events[0]!.reasons).toEqual([{ code: 'pending_per_address', detail: { held: 3, limit: 3 } }]);
    // Another address is another buyer.
    expect(await outcome(order(m, product.id, 'human@example.test', '198.51.100.8'))).toBe('ok');
  });

  it('the addresses of one IPv6 /64 share a cap; the next /64 does not', async () => {
    const m = await shop();
    const product = await seedProduct(t.db, m.merchantId, { keys: 100 });
    for (const [i, ip] of ['2001:db8:1:2::1', '2001:db8:1:2:ffff::9', '2001:db8:1:2:abcd:1:2:3'].entries()) {
      expect(await outcome(order(m, product.id, `v6-${i}@example.test`, ip))).toBe('ok');
    }
    expect(await outcome(order(m, product.id, 'v6-4@example.test', '2001:db8:1:2::99'))).toBe('too_many_pending');
    expect(await outcome(order(m, product.id, 'v6-5@example.test', '2001:db8:1:3::1'))).toBe('ok');
  });

  it('an e-mail’s variants are one buyer (case, +tag, Gmail dots, googlemail): the third unpaid order is refused from any address', async () => {
    const m = await shop();
    const product = await seedProduct(t.db, m.merchantId, { keys: 100 });
    expect(await outcome(order(m, product.id, 'Jane.Doe+first@gmail.com', '203.0.113.1'))).toBe('ok');
    expect(await outcome(order(m, product.id, 'janedoe@googlemail.com', '203.0.113.2'))).toBe('ok');
    expect(await outcome(order(m, product.id, 'j.a.n.e.d.o.e+third@gmail.com', '203.0.113.3'))).toBe('too_many_pending');
    // Dots matter outside Gmail.
    expect(await outcome(order(m, product.id, 'jane.doe@example.test', '203.0.113.4'))).toBe('ok');
  });

  it('a buyer may hold at most 20 % of a product’s stock unpaid (one unit always), counted by e-mail or address', async () => {
    const m = await shop();
    const ten = await seedProduct(t.db, m.merchantId, { keys: 10, maxQty: 10 });
    expect(await outcome(order(m, ten.id, 'hoard@example.test', '203.0.113.10', 3))).toBe('too_many_pending');
    expect(await outcome(order(m, ten.id, 'hoard@example.test', '203.0.113.10', 2))).toBe('ok');
    // Same address, another e-mail: still the same holder of those 2.
    expect(await outcome(order(m, ten.id, 'other-name@example.test', '203.0.113.10', 1))).toBe('too_many_pending');
    // Another buyer gets its own share of what is left (8 available: 20 % of 8 is 1).
    expect(await outcome(order(m, ten.id, 'neighbour@example.test', '203.0.113.11', 2))).toBe('too_many_pending');
    expect(await outcome(order(m, ten.id, 'neighbour@example.test', '203.0.113.11', 1))).toBe('ok');
    // A product with 2 keys: one each.
    const two = await seedProduct(t.db, m.merchantId, { keys: 2, maxQty: 5 });
    expect(await outcome(order(m, two.id, 'small@example.test', '203.0.113.12', 2))).toBe('too_many_pending');
    expect(await outcome(order(m, two.id, 'small@example.test', '203.0.113.12', 1))).toBe('ok');
    const [event] = (await listRiskEvents(t.db, m.merchantId)).events;
    expect(event!.reasons).toEqual([{ code: 'stock_share', detail: { held: 0, wanted: 2, sharePercent: 20 } }]);
    // Products that do not sell from stock have no share to protect.
    const manual = await seedProduct(t.db, m.merchantId, { deliveryType: 'manual', maxQty: 10 });
    expect(await outcome(order(m, manual.id, 'bulk@example.test', '203.0.113.13', 10))).toBe('ok');
  });

  it('paid and lapsed orders do not count; the merchant’s own policy applies at once; another merchant’s does not', async () => {
    const m = await shop();
    const product = await seedProduct(t.db, m.merchantId, { keys: 100 });
    const ip = '192.0.2.50';
    const first = await order(m, product.id, 'p1@example.test', ip);
    await applyPayment(t.db, m.demoChannelId, { outTradeNo: first.orderNo, tradeNo: `T-${first.orderNo}`, amount: first.amount, currency: 'CNY', raw: {} });
    const lapsed = await order(m, product.id, 'p2@example.test', ip);
    await t.db.execute(sql`UPDATE orders SET expires_at = now() - interval '1 second' WHERE order_no = ${lapsed.orderNo}`);
    for (let i = 3; i <= 5; i++) expect(await outcome(order(m, product.id, `p${i}@example.test`, ip))).toBe('ok');
    expect(await outcome(order(m, product.id, 'p6@example.test', ip))).toBe('too_many_pending');

    await updateRiskPolicy(t.db, m.actor, { ...DEFAULT_RISK_POLICY, pendingPerAddress: 5 });
    expect(await outcome(order(m, product.id, 'p6@example.test', ip))).toBe('ok');

    // The same address at another shop with its own (default) policy starts from nothing.
    const other = await shop();
    const theirs = await seedProduct(t.db, other.merchantId, { keys: 10 });
    expect(await outcome(order(other, theirs.id, 'p7@example.test', ip))).toBe('ok');
    expect((await listRiskEvents(t.db, other.merchantId)).events).toEqual([]);
  });

  it('a policy out of range is refused field by field and changes nothing', async () => {
    const m = await shop();
    await expect(updateRiskPolicy(t.db, m.actor, { pendingPerAddress: 0, pendingPerEmail: 2, stockSharePercent: 101 })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { pendingPerAddress: { code: 'too_small' }, stockSharePercent: { code: 'too_large' } },
    });
    // The saved policy is still the one the shop was set up with.
    const rows = await t.db.execute<{ policy: Record<string, unknown> }>(sql`SELECT policy FROM risk_policies WHERE merchant_id = ${m.merchantId}`);
    expect(rows.map((r) => r.policy)).toEqual([{ passSamplePercent: 0 }]);
  });
});

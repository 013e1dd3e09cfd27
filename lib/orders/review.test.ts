// The review queue: an order a review rule holds can be paid, is not delivered, and is
// delivered on approval (from the keys it reserved) or refunded on rejection (keys back in
// stock); an unpaid held order can be decided before its payment. Against a real PostgreSQL.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { applyPayment, createOrder, getOrderStatus, listReviewQueue, reviewOrder } from '@/lib/orders';
import { createCoupons } from '@/lib/coupons';
import { createRiskRule, encodeSolution, listRiskEvents, type Challenge } from '@/lib/risk';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';

let t: TestDb;
let m: Awaited<ReturnType<typeof seedMerchant>>;
let other: Awaited<ReturnType<typeof seedMerchant>>;
let productId: string;

beforeAll(async () => {
  t = await createTestDatabase({ max: 20 });
  m = await seedMerchant(t.db);
  other = await seedMerchant(t.db);
  productId = (await seedProduct(t.db, m.merchantId, { keys: 30 })).id;
  await createRiskRule(t.db, m.actor, { kind: 'email_domain', pattern: 'vpn-heavy.test', action: 'review', note: 'first orders from here go by hand' });
});
afterAll(async () => dropTestDatabase(t));

const one = async <T>(q: ReturnType<typeof sql>) => (await t.db.execute(q))[0] as T;
const keysOf = async (orderNo: string) =>
  (
    await t.db.execute<{ status: string; n: number }>(
      sql`SELECT k.status, count(*)::int AS n FROM card_keys k JOIN orders o ON o.id = k.order_id WHERE o.order_no = ${orderNo} GROUP BY k.status`,
    )
  ).reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: r.n }), {});
const available = async () =>
  (await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM card_keys WHERE product_id = ${productId} AND status = 'available'`)).n;
const place = (email: string, quantity = 2) =>
  createOrder(t.db, { productId, quantity, email, channel: m.demoChannelId }, { merchantId: m.merchantId, buyerIp: '198.51.100.7' });
const pay = (o: { orderNo: string; amount: number }) =>
  applyPayment(t.db, m.demoChannelId, { outTradeNo: o.orderNo, tradeNo: `T-${o.orderNo}`, amount: o.amount, currency: 'CNY', raw: {} });
const outbox = async (orderNo: string) =>
  (await t.db.execute<{ topic: string }>(sql`SELECT DISTINCT topic FROM outbox WHERE payload->>'orderNo' = ${orderNo} ORDER BY topic`)).map((r) => r.topic);

describe('orders held for review', () => {
  it('a review rule lets the buyer order and pay; delivery waits; the merchant is told; approval delivers the reserved keys', async () => {
    const order = await place('alice@vpn-heavy.test');
    expect(order.status).toBe('pending');
    // Before payment the buyer is not told the order was flagged.
    expect((await getOrderStatus(t.db, order.orderNo)).view.review).toBeUndefined();
    const { events } = await listRiskEvents(t.db, m.merchantId, { limit: 1 });
    expect(events[0]).toMatchObject({
      action: 'review',
      orderNo: order.orderNo,
      reasons: [{ code: 'rule', detail: { pattern: 'vpn-heavy.test', action: 'review' } }],
    });

    expect((await pay(order)).outcome).toBe('paid');
    const held = await getOrderStatus(t.db, order.orderNo);
    expect(held.order).toMatchObject({ status: 'paid', review: 'pending' });
    expect(held.view).toMatchObject({ status: 'paid', review: 'pending' });
    expect(await keysOf(order.orderNo)).toEqual({ reserved: 2 });
    expect(await outbox(order.orderNo)).toContain('order.review_required');
    expect((await listReviewQueue(t.db, m.merchantId)).map((r) => r.orderNo)).toContain(order.orderNo);

    // A second copy of the notification changes nothing.
    expect((await pay(order)).outcome).toBe('duplicate');
    expect(await keysOf(order.orderNo)).toEqual({ reserved: 2 });

    const decided = await reviewOrder(t.db, m.actor, order.orderNo, { decision: 'approve', reason: 'known customer' });
    expect(decided).toEqual({ orderNo: order.orderNo, review: 'approved', status: 'delivered' });
    expect(await keysOf(order.orderNo)).toEqual({ sold: 2 });
    expect(await outbox(order.orderNo)).toContain('order.delivered');
    const audit = await one<{ action: string }>(sql`SELECT action FROM audit_log WHERE target_id = ${order.orderNo} ORDER BY id DESC LIMIT 1`);
    expect(audit.action).toBe('order.review_approve');
    expect((await listReviewQueue(t.db, m.merchantId)).map((r) => r.orderNo)).not.toContain(order.orderNo);
    // Decided once: a second decision is a conflict.
    await expect(reviewOrder(t.db, m.actor, order.orderNo, { decision: 'reject' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('rejecting a paid held order refunds it and puts its keys back in stock', async () => {
    const order = await place('bob@vpn-heavy.test');
    await pay(order);
    const before = await available();
    expect(await reviewOrder(t.db, m.actor, order.orderNo, { decision: 'reject' })).toMatchObject({ review: 'rejected', status: 'refunded' });
    expect(await keysOf(order.orderNo)).toEqual({});
    expect(await available()).toBe(before + 2);
    expect((await getOrderStatus(t.db, order.orderNo)).view).toMatchObject({ status: 'refunded', review: 'rejected' });
    const refund = await one<{ detail: Record<string, unknown> }>(
      sql`SELECT e.detail FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.order_no = ${order.orderNo} AND e.type = 'refunded'`,
    );
    expect(refund.detail).toMatchObject({ reason: 'review_rejected' });
  });

  it('rejecting a paid held order that used a coupon gives the use back to the code', async () => {
    await createCoupons(t.db, m.actor, { code: 'HELD5', type: 'fixed', value: 500, totalLimit: 1 });
    const held = await createOrder(
      t.db,
      { productId, quantity: 1, email: 'hank@vpn-heavy.test', channel: m.demoChannelId, couponCode: 'HELD5' },
      { merchantId: m.merchantId },
    );
    await pay(held);
    const counts = () => one<{ used: number; reserved: number }>(sql`SELECT used_count AS used, reserved_count AS reserved FROM coupons WHERE code = 'HELD5'`);
    expect(await counts()).toEqual({ used: 1, reserved: 0 });
    await reviewOrder(t.db, m.actor, held.orderNo, { decision: 'reject' });
    expect(await counts()).toEqual({ used: 0, reserved: 0 });
    // The one use is free again: another buyer can take it.
    expect(
      (
        await createOrder(
          t.db,
          { productId, quantity: 1, email: 'ivy@example.test', channel: m.demoChannelId, couponCode: 'HELD5' },
          { merchantId: m.merchantId },
        )
      ).discount,
    ).toBe(500);
  });

  it('an unpaid held order: approved, it is delivered when paid; rejected, it lapses now and a late payment is held, never delivered', async () => {
    const early = await place('carol@vpn-heavy.test', 1);
    expect(await reviewOrder(t.db, m.actor, early.orderNo, { decision: 'approve' })).toMatchObject({ review: 'approved', status: 'pending' });
    await pay(early);
    expect((await getOrderStatus(t.db, early.orderNo)).order.status).toBe('delivered');

    const late = await place('dave@vpn-heavy.test', 1);
    const before = await available();
    expect(await reviewOrder(t.db, m.actor, late.orderNo, { decision: 'reject', reason: 'chargeback history' })).toMatchObject({ status: 'expired' });
    expect(await available()).toBe(before + 1);
    await pay(late);
    const after = await getOrderStatus(t.db, late.orderNo);
    expect(after.order).toMatchObject({ status: 'paid', review: 'rejected' });
    expect(await keysOf(late.orderNo)).toEqual({});
    expect(await outbox(late.orderNo)).toContain('order.review_required');
  });

  it("another merchant's order is not found, an order never held is a conflict, a bad decision is a 400; nothing changes", async () => {
    const order = await place('erin@vpn-heavy.test', 1);
    const plain = await place('frank@example.test', 1);
    await expect(reviewOrder(t.db, other.actor, order.orderNo, { decision: 'approve' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(reviewOrder(t.db, m.actor, plain.orderNo, { decision: 'approve' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(reviewOrder(t.db, m.actor, order.orderNo, { decision: 'maybe' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(reviewOrder(t.db, m.actor, order.orderNo, { decision: 'approve', reason: 'x'.repeat(201) })).rejects.toBeInstanceOf(AppError);
    expect((await getOrderStatus(t.db, order.orderNo)).order.review).toBe('pending');
  });

  it('approve and reject at the same time: exactly one decision wins', async () => {
    const order = await place('gina@vpn-heavy.test', 1);
    await pay(order);
    const results = await Promise.allSettled([
      reviewOrder(t.db, m.actor, order.orderNo, { decision: 'approve' }),
      reviewOrder(t.db, m.actor, order.orderNo, { decision: 'reject' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['conflict']);
    const final = (await getOrderStatus(t.db, order.orderNo)).order;
    expect(final.status === 'delivered' ? final.review === 'approved' : final.status === 'refunded' && final.review === 'rejected').toBe(true);
  });

  it('a challenge rule matching the same buyer does not cancel the review: solved, the order is still held', async () => {
    await createRiskRule(t.db, m.actor, { kind: 'ip', pattern: '198.51.100.99', action: 'challenge' });
    const ctx = { merchantId: m.merchantId, buyerIp: '198.51.100.99' };
    const input = { productId, quantity: 1, email: 'jill@vpn-heavy.test', channel: m.demoChannelId };
    const asked = await createOrder(t.db, input, ctx).catch((e: AppError) => e);
    expect(asked).toMatchObject({ code: 'challenge_required' });
    const challenge = (asked as AppError).body!.challenge as Challenge;
    const solution = await solveChallenge({ challenge, deriveKey });
    const placed = await createOrder(t.db, input, { ...ctx, challenge: encodeSolution(challenge, solution!) });
    await pay(placed);
    expect((await getOrderStatus(t.db, placed.orderNo)).order).toMatchObject({ status: 'paid', review: 'pending' });
  });
});

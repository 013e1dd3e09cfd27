import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEER_HEADER } from '@/app/_lib/http';
import { GET as notifyGet, POST as notifyPost } from '@/app/api/pay/[channelId]/notify/route';
import { resetConfig } from '@/lib/config';
import { setLogger } from '@/lib/log';
import { createOrder, getOrderForBuyer, handlePaymentNotification } from '@/lib/orders';
import { stockOf } from '@/lib/inventory';
import { demoNotification, loadChannel } from '@/lib/payments';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { epayNotification } from '@/test/epay-simulator';
import { EPAY_KEY, seedEpayChannel, seedMerchant, seedProduct } from '@/test/fixtures';
import { captureLog } from '@/test/log-capture';

let t: TestDb;
let merchant: Awaited<ReturnType<typeof seedMerchant>>;
let epayId: string;

beforeAll(async () => {
  t = await createTestDatabase({ max: 60 });
  merchant = await seedMerchant(t.db);
  epayId = (await seedEpayChannel(t.db, merchant.merchantId)).id;
});
afterAll(async () => dropTestDatabase(t));

const ctx = (channelId: string) => ({ params: Promise.resolve({ channelId }) });

let sent = 0;
/**
 * `from`: the socket address, as npm start's hook records it (scripts/peer-address.mjs);
 * by default each request its own, so only the throttle test shares one.
 */
function sendGet(channelId: string, params: Record<string, string>, from = `10.9.${(++sent >> 8) & 255}.${sent & 255}`) {
  const headers = { [PEER_HEADER]: from };
  return notifyGet(new Request(`http://shop.test/api/pay/${channelId}/notify?${new URLSearchParams(params)}`, { headers }), ctx(channelId));
}
function sendPost(channelId: string, params: Record<string, string>) {
  return notifyPost(
    new Request(`http://shop.test/api/pay/${channelId}/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    }),
    ctx(channelId),
  );
}

async function counts(orderNo: string) {
  const [row] = await t.db.execute<{ payments: string; events: string; delivered: string; outbox: string; status: string }>(sql`
    SELECT (SELECT count(*) FROM payments p WHERE p.order_id = o.id) AS payments,
           (SELECT count(*) FROM order_events e WHERE e.order_id = o.id AND e.type = 'delivered') AS delivered,
           (SELECT count(*) FROM order_events e WHERE e.order_id = o.id) AS events,
           (SELECT count(*) FROM outbox x WHERE x.payload->>'orderId' = o.id::text) AS outbox,
           o.status
      FROM orders o WHERE o.order_no = ${orderNo}`);
  return { payments: Number(row!.payments), delivered: Number(row!.delivered), events: Number(row!.events), outbox: Number(row!.outbox), status: row!.status };
}

describe('payment notifications', () => {
  it('every notification of 100 orders sent 3x concurrently, mixed GET/POST: one payment and one delivery each, every copy answered success', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 100, price: 1234 });
    const orders = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        createOrder(t.db, { productId: product.id, email: `n${i}@example.test`, channel: epayId }, { merchantId: merchant.merchantId }),
      ),
    );
    const sends = orders.flatMap((o, i) => {
      const params = epayNotification(EPAY_KEY, { pid: '1001', outTradeNo: o.orderNo, tradeNo: `T${i}`, amount: o.amount });
      return [sendGet(epayId, params), sendPost(epayId, params), i % 2 ? sendGet(epayId, params) : sendPost(epayId, params)];
    });
    const responses = await Promise.all(sends);
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(bodies.every((b) => b === 'success')).toBe(true);

    for (const o of orders) {
      expect(await counts(o.orderNo)).toEqual({ payments: 1, delivered: 1, events: 3, outbox: 1, status: 'delivered' });
    }
    expect(await stockOf(t.db, product.id)).toEqual({ available: 0, reserved: 0, sold: 100, void: 0 });
    // Each buyer sees exactly their own key, and no key was given twice.
    const keys = await Promise.all(orders.map(async (o) => (await getOrderForBuyer(t.db, o.orderNo, o.token)).keys!));
    expect(keys.every((k) => k.length === 1)).toBe(true);
    expect(new Set(keys.flat()).size).toBe(100);
  });

  it('rejects forged, unsigned, wrong-amount, unknown-order and non-success notifications and changes nothing', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 5, price: 500 });
    const order = await createOrder(t.db, { productId: product.id, email: 'r@example.test', channel: epayId }, { merchantId: merchant.merchantId });
    const good = epayNotification(EPAY_KEY, { pid: '1001', outTradeNo: order.orderNo, tradeNo: 'R1', amount: order.amount });
    const { sign: _sign, ...unsigned } = good;
    const cases: [string, Record<string, string>][] = [
      ['forged signature', epayNotification('some-other-key-000000', { pid: '1001', outTradeNo: order.orderNo, tradeNo: 'R1', amount: order.amount })],
      ['tampered amount', { ...good, money: '0.01' }],
      ['missing signature', unsigned],
      ['wrong amount, correctly signed', epayNotification(EPAY_KEY, { pid: '1001', outTradeNo: order.orderNo, tradeNo: 'R1', amount: order.amount - 1 })],
      ['unknown order', epayNotification(EPAY_KEY, { pid: '1001', outTradeNo: '20990101000000123456789', tradeNo: 'R1', amount: order.amount })],
      [
        'non-success trade_status',
        epayNotification(EPAY_KEY, { pid: '1001', outTradeNo: order.orderNo, tradeNo: 'R1', amount: order.amount, tradeStatus: 'WAIT_BUYER_PAY' }),
      ],
      ['another epay merchant id', epayNotification(EPAY_KEY, { pid: '9999', outTradeNo: order.orderNo, tradeNo: 'R1', amount: order.amount })],
      ['malformed money', { ...epayNotification(EPAY_KEY, { pid: '1001', outTradeNo: order.orderNo, tradeNo: 'R1', amount: order.amount }) }],
    ];
    // make the last one malformed while keeping a valid signature over it
    const { epaySign } = await import('@/lib/payments');
    const bad = { ...cases[7]![1], money: '5,00' };
    cases[7]![1] = { ...bad, sign: epaySign(bad, EPAY_KEY) };

    for (const [name, params] of cases) {
      const res = await sendGet(epayId, params);
      expect(res.status, name).toBe(400);
      expect(await res.text(), name).toBe('fail');
    }
    const post = await notifyPost(
      new Request(`http://shop.test/api/pay/${epayId}/notify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' }),
      ctx(epayId),
    );
    expect(post.status).toBe(400);
    const unknownChannel = await sendGet('00000000-0000-4000-8000-000000000000', good);
    expect(unknownChannel.status).toBe(404);
    expect((await sendGet('0'.repeat(36), good)).status).toBe(404);
    expect((await sendGet('not-a-uuid', good)).status).toBe(404);

    expect(await counts(order.orderNo)).toMatchObject({ payments: 0, delivered: 0, events: 1, status: 'pending' });
    expect((await stockOf(t.db, product.id)).reserved).toBe(1);
    // The correctly signed notification of another amount is the provider's word: held, listed, and the merchant told.
    const alerts = await t.db.execute<{ topic: string }>(sql`SELECT DISTINCT topic FROM outbox WHERE payload->>'orderNo' = ${order.orderNo}`);
    expect(alerts.map((a) => a.topic)).toEqual(['payment.mismatch']);
    const held = await t.db.execute<{ kind: string; resolution: string }>(
      sql`SELECT kind, resolution FROM payment_mismatches WHERE out_trade_no = ${order.orderNo}`,
    );
    expect(held.map((m) => [m.kind, m.resolution])).toEqual([['amount_different', 'held']]);

    // And the genuine one still works afterwards.
    const ok = await sendGet(epayId, good);
    expect(await ok.text()).toBe('success');
    expect((await counts(order.orderNo)).status).toBe('delivered');
  });

  it('notifications that fail verification are throttled per address and logged in aggregate; valid ones are never counted or slowed', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 80, price: 700 });
    const order = await createOrder(t.db, { productId: product.id, email: 'th@example.test', channel: epayId }, { merchantId: merchant.merchantId });
    const forged = epayNotification('not-the-merchant-key-0000', { pid: '1001', outTradeNo: order.orderNo, tradeNo: 'TH-F1', amount: order.amount });
    const out = captureLog('warn');
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 34; i++) statuses.push((await sendGet(epayId, forged, '198.51.100.7')).status);
      // 30 verified and refused, then 429 before verifying anything.
      expect(statuses).toEqual([...Array(30).fill(400), ...Array(4).fill(429)]);
      const throttled = await sendGet(epayId, forged, '198.51.100.7');
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
      // One line at the first failure and one at the first throttled request, not one per request.
      const lines = out.parsed().filter((l) => String(l.msg).startsWith('payment notification refused'));
      expect(lines.map((l) => [l.address, l.reason])).toEqual([
        ['198.51.100.7', 'bad_signature'],
        ['198.51.100.7', 'throttled'],
      ]);
      // Random channel ids from a sender do not each get a line of their own.
      for (let i = 0; i < 5; i++) await sendGet(`00000000-0000-4000-8000-00000000000${i}`, forged, '198.51.100.8');
      expect(
        out
          .parsed()
          .filter((l) => l.address === '198.51.100.8')
          .map((l) => l.channelId),
      ).toEqual(['(none)']);

      // A provider's burst of valid notifications from one address: all accepted, never counted.
      const burst = await Promise.all(
        Array.from({ length: 60 }, async (_, i) => {
          const o = await createOrder(t.db, { productId: product.id, email: `b${i}@example.test`, channel: epayId }, { merchantId: merchant.merchantId });
          const res = await sendGet(
            epayId,
            epayNotification(EPAY_KEY, { pid: '1001', outTradeNo: o.orderNo, tradeNo: `TH-B${i}`, amount: o.amount }),
            '203.0.113.60',
          );
          return res.text();
        }),
      );
      expect(new Set(burst)).toEqual(new Set(['success']));
      const [row] = await t.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM rate_limits WHERE key LIKE 'notify_fail:203.0.113.60'`);
      expect(Number(row!.n)).toBe(0);
      // The throttled address changed nothing; the genuine notification from the provider's address pays.
      expect((await counts(order.orderNo)).status).toBe('pending');
      const good = epayNotification(EPAY_KEY, { pid: '1001', outTradeNo: order.orderNo, tradeNo: 'TH-G1', amount: order.amount });
      expect(await (await sendGet(epayId, good, '203.0.113.60')).text()).toBe('success');
      expect((await counts(order.orderNo)).status).toBe('delivered');
    } finally {
      setLogger(undefined);
    }
  });

  it("a channel cannot pay another merchant's order, even with a valid signature", async () => {
    const other = await seedMerchant(t.db);
    const otherEpay = await seedEpayChannel(t.db, other.merchantId);
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 2, price: 700 });
    const order = await createOrder(t.db, { productId: product.id, email: 'x@example.test', channel: epayId }, { merchantId: merchant.merchantId });
    const params = epayNotification(EPAY_KEY, { pid: '1001', outTradeNo: order.orderNo, tradeNo: 'X1', amount: order.amount });
    const res = await sendGet(otherEpay.id, params);
    expect(res.status).toBe(400);
    expect((await counts(order.orderNo)).status).toBe('pending');
  });

  it('a second payment with a new trade no for a paid order is recorded as a duplicate and alerts the merchant, without a second delivery', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 3, price: 300 });
    const order = await createOrder(t.db, { productId: product.id, email: 'd@example.test', channel: epayId }, { merchantId: merchant.merchantId });
    await sendGet(epayId, epayNotification(EPAY_KEY, { pid: '1001', outTradeNo: order.orderNo, tradeNo: 'D1', amount: order.amount }));
    const second = await sendGet(epayId, epayNotification(EPAY_KEY, { pid: '1001', outTradeNo: order.orderNo, tradeNo: 'D2', amount: order.amount }));
    expect(await second.text()).toBe('success');
    const c = await counts(order.orderNo);
    expect(c).toMatchObject({ payments: 2, delivered: 1, status: 'delivered' });
    const [dup] = await t.db.execute<{ duplicate: boolean }>(sql`SELECT duplicate FROM payments WHERE trade_no = 'D2'`);
    expect(dup!.duplicate).toBe(true);
    const alerts = await t.db.execute(sql`SELECT 1 FROM outbox WHERE topic = 'payment.duplicate' AND payload->>'orderNo' = ${order.orderNo}`);
    expect(alerts).toHaveLength(1);
    expect((await stockOf(t.db, product.id)).sold).toBe(1);
  });

  it('the demo channel pays through the same path, verified with its own secret', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 2, price: 100 });
    const order = await createOrder(
      t.db,
      { productId: product.id, email: 'demo@example.test', channel: merchant.demoChannelId },
      { merchantId: merchant.merchantId },
    );
    const channel = await loadChannel(t.db, merchant.demoChannelId);
    const secret = (channel!.config as { secret: string }).secret;
    const forged = demoNotification('x'.repeat(32), { orderNo: order.orderNo, amount: order.amount, currency: 'CNY' }, 'DEMO-1');
    expect((await handlePaymentNotification(t.db, merchant.demoChannelId, { method: 'POST', query: {}, body: forged })).outcome).toBe('rejected');
    const real = demoNotification(secret, { orderNo: order.orderNo, amount: order.amount, currency: 'CNY' }, 'DEMO-1');
    // With demo payments switched off, even a correctly signed demo notification is refused.
    process.env.DEMO_CHANNEL_ENABLED = 'false';
    resetConfig();
    try {
      expect(await handlePaymentNotification(t.db, merchant.demoChannelId, { method: 'POST', query: {}, body: real })).toMatchObject({
        outcome: 'rejected',
        reason: 'channel_disabled',
      });
    } finally {
      process.env.DEMO_CHANNEL_ENABLED = 'true';
      resetConfig();
    }
    const res = await handlePaymentNotification(t.db, merchant.demoChannelId, { method: 'POST', query: {}, body: real });
    expect(res).toMatchObject({ outcome: 'delivered', body: 'success' });
    const view = await getOrderForBuyer(t.db, order.orderNo, order.token);
    expect(view.keys).toHaveLength(1);
  });

  it('manual products wait for the merchant after payment, with an alert', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { deliveryType: 'manual', price: 900 });
    const order = await createOrder(t.db, { productId: product.id, email: 'm@example.test', channel: epayId }, { merchantId: merchant.merchantId });
    await sendGet(epayId, epayNotification(EPAY_KEY, { pid: '1001', outTradeNo: order.orderNo, tradeNo: 'M1', amount: order.amount }));
    expect((await counts(order.orderNo)).status).toBe('awaiting_fulfillment');
    const alerts = await t.db.execute(sql`SELECT consumer FROM outbox WHERE topic = 'order.awaiting_fulfillment' AND payload->>'orderNo' = ${order.orderNo}`);
    expect(alerts.map((a) => a.consumer)).toEqual(['mail.merchant']);
  });

  it('generated products get fresh unique keys from the rule at payment', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { deliveryType: 'generated', price: 100, maxQty: 20 });
    await t.db.execute(
      sql`UPDATE products SET generator_rule = '{"prefix":"VIP-","length":12,"charset":"ABCDEF0123456789","groups":3,"separator":"-"}' WHERE id = ${product.id}`,
    );
    const order = await createOrder(
      t.db,
      { productId: product.id, quantity: 20, email: 'g@example.test', channel: epayId },
      { merchantId: merchant.merchantId },
    );
    await sendGet(epayId, epayNotification(EPAY_KEY, { pid: '1001', outTradeNo: order.orderNo, tradeNo: 'G1', amount: order.amount }));
    const view = await getOrderForBuyer(t.db, order.orderNo, order.token);
    expect(view.status).toBe('delivered');
    expect(view.keys).toHaveLength(20);
    expect(new Set(view.keys).size).toBe(20);
    for (const k of view.keys!) expect(k).toMatch(/^VIP-[A-F0-9]{4}-[A-F0-9]{4}-[A-F0-9]{4}$/);
  });
});

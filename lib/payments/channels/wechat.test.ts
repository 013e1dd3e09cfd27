// WeChat Pay v3 Native against its simulator (test/simulators/wechat.ts), over HTTP both
// ways: the shop signs its calls and verifies every answer; the simulator signs and seals
// its notifications to the shop's own notification route (test/app-http.ts).
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/audit';
import { stockOf } from '@/lib/inventory';
import { expireOrders, getOrderForBuyer, reconcilePayments } from '@/lib/orders';
import { createChannel, testChannel } from '@/lib/payments';
import { channelHarness } from '@/test/channel-harness';
import { lapse } from '@/test/payment-state';
import { startWechatSimulator, type WechatFaults } from '@/test/simulators/wechat';

const { h, order, paymentOf, state, withFaults } = channelHarness({ kind: 'wechat', start: () => startWechatSimulator() });
const creates = () => h.sim.calls.filter((c) => c.path === '/v3/pay/transactions/native').length;

describe('WeChat Pay Native through HTTP', () => {
  it('creates the Native payment once and shows its code_url as a QR; the notification delivers the key', async () => {
    const o = await order();
    const before = creates();
    const bodies = (await Promise.all(Array.from({ length: 5 }, async () => (await paymentOf(o)).json()))) as {
      action: { type: string; payload: string; app: string };
      channel: { method: string };
    }[];
    expect(creates() - before).toBe(1);
    expect(new Set(bodies.map((b) => b.action.payload)).size).toBe(1);
    expect(bodies[0]).toMatchObject({ channel: { kind: 'wechat', method: 'wxpay' }, action: { type: 'qr', app: 'wechat' } });
    expect(bodies[0]!.action.payload).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    // The notify URL has no query string (WeChat refuses one) and the amount is in fen.
    expect(h.sim.calls.at(-1)?.body).toMatchObject({
      out_trade_no: o.orderNo,
      amount: { total: 8880, currency: 'CNY' },
      notify_url: `${h.app.base}/api/pay/${h.channelId}/notify`,
    });

    expect(await h.sim.pay(o.orderNo)).toEqual([true]);
    expect(h.sim.deliveries.at(-1)).toMatchObject({ status: 200, body: '' });
    expect(await state(o.orderNo)).toEqual({ status: 'delivered', payments: 1, delivered: 1, attempts: 1 });
    expect((await getOrderForBuyer(h.t.db, o.orderNo, o.token)).keys).toHaveLength(1);
  });

  it('the same notification 3× at once: one payment, one delivery, every copy answered 2xx', async () => {
    const o = await order();
    await paymentOf(o);
    await withFaults({ copies: 3 }, async () => {
      expect(await h.sim.pay(o.orderNo)).toEqual([true, true, true]);
    });
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1, delivered: 1 });
  });

  it.each([
    ['a bad signature', { badNotifySign: true }],
    ['a timestamp 10 minutes old', { skewSeconds: -600 }],
    ['an unknown platform serial', { serial: 'PUB_KEY_ID_SOMEONE_ELSE' }],
    ['a wrong amount', { amount: 1 }],
    ['another merchant (mchid)', { mchid: '1900009999' }],
    ['a state that is not SUCCESS', { tradeState: 'NOTPAY' }],
  ] satisfies [string, WechatFaults][])('%s: nothing changes; every try answered 4xx {"code":"FAIL"}', async (_name, fault) => {
    const o = await order();
    await paymentOf(o);
    const stock = await stockOf(h.t.db, h.productId);
    const sent = h.sim.deliveries.length;
    await withFaults(fault, async () => {
      expect(await h.sim.pay(o.orderNo)).toEqual([false]);
    });
    const replies = h.sim.deliveries.slice(sent);
    expect(replies).toHaveLength(16);
    expect(replies.every((d) => d.status === 400 && JSON.parse(d.body).code === 'FAIL')).toBe(true);
    expect(await state(o.orderNo)).toMatchObject({ status: 'pending', payments: 0 });
    expect(await stockOf(h.t.db, h.productId)).toEqual(stock);
  });

  it('a WECHATPAY/SIGNTEST/ probe is refused; the real notification that follows is taken', async () => {
    const o = await order();
    await paymentOf(o);
    const sent = h.sim.deliveries.length;
    await withFaults({ probe: true }, async () => expect(await h.sim.pay(o.orderNo)).toEqual([true]));
    const [probe, real] = h.sim.deliveries.slice(sent);
    expect(probe).toMatchObject({ probe: true, status: 400 });
    expect(real).toMatchObject({ status: 200 });
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1 });
  });

  it('a lost notification is found by the order query during reconciliation', async () => {
    const o = await order();
    await paymentOf(o);
    await withFaults({ dropNotify: true }, async () => {
      await h.sim.pay(o.orderNo);
    });
    await reconcilePayments(h.t.db, { minAgeSeconds: 0, budgetMs: 5_000 });
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1 });
  });

  it('a late payment of an expired order is accepted while stock lasts', async () => {
    const o = await order();
    await paymentOf(o);
    await lapse(h.t.db, o.orderNo);
    await expireOrders(h.t.db);
    expect(await h.sim.pay(o.orderNo)).toEqual([true]);
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1 });
  });

  it('an answer not signed by the platform key is not used; HTTP 500 is a failure; the retry is a new out_trade_no', async () => {
    const o = await order();
    await withFaults({ badResponseSign: true }, async () => {
      expect((await paymentOf(o)).status).toBe(502);
    });
    await h.t.db.execute(
      sql`UPDATE payment_attempts SET updated_at = now() - interval '11 seconds' WHERE order_id = (SELECT id FROM orders WHERE order_no = ${o.orderNo})`,
    );
    h.sim.faults.http500 = 1;
    expect((await paymentOf(o)).status).toBe(502);
    await h.t.db.execute(
      sql`UPDATE payment_attempts SET updated_at = now() - interval '11 seconds' WHERE order_id = (SELECT id FROM orders WHERE order_no = ${o.orderNo})`,
    );
    expect(((await (await paymentOf(o)).json()) as { outTradeNo: string }).outTradeNo).toBe(`${o.orderNo}-3`);
  });

  it('the connection test tells accepted credentials from a wrong key', async () => {
    expect(await testChannel(h.t.db, systemActor(h.merchant.merchantId), { channelId: h.channelId })).toMatchObject({ status: 'ok' });
    const other = await startWechatSimulator();
    try {
      const wrong = await createChannel(h.t.db, systemActor(h.merchant.merchantId), {
        kind: 'wechat',
        name: 'wrong',
        config: { ...h.sim.config, privateKey: other.config.privateKey },
      });
      expect(await testChannel(h.t.db, systemActor(h.merchant.merchantId), { channelId: wrong.id })).toMatchObject({ status: 'rejected' });
    } finally {
      await other.close();
    }
  });
});

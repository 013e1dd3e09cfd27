// Alipay 当面付 against its simulator (test/simulators/alipay.ts), over HTTP both ways: the
// shop calls the simulator's gateway over HTTPS (trusted through NODE_EXTRA_CA_CERTS), the
// simulator notifies the shop's own route handler (test/app-http.ts). The official
// alipay-sdk checks the simulator independently, so our signer and the simulator cannot
// share one mistake.
import { AlipaySdk } from 'alipay-sdk';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/audit';
import { stockOf } from '@/lib/inventory';
import { expireOrders, getOrderForBuyer, reconcilePayments, refundOrder } from '@/lib/orders';
import { createChannel, testChannel } from '@/lib/payments';
import { channelHarness } from '@/test/channel-harness';
import { lapse } from '@/test/payment-state';
import { startAlipaySimulator } from '@/test/simulators/alipay';
import { alipaySignContent, signedPartOf } from './alipay';

const { h, order, paymentOf, state, withFaults } = channelHarness({ kind: 'alipay', start: () => startAlipaySimulator() });

describe('the simulator, checked by the official alipay-sdk', () => {
  it('the SDK signs requests the simulator accepts, verifies the simulator’s signed answers and its notifications', async () => {
    const sdk = new AlipaySdk({
      appId: h.sim.appId,
      privateKey: h.sim.config.privateKey,
      alipayPublicKey: h.sim.config.alipayPublicKey,
      gateway: h.sim.gateway,
      keyType: 'PKCS8',
    });
    const o = await order();
    // exec() verifies the answer's signature over its raw bytes (escaped slashes included) and throws if it does not hold.
    const res = await sdk.exec('alipay.trade.precreate', {
      notify_url: `${h.app.base}/x`,
      bizContent: { out_trade_no: `SDK${o.orderNo}`, total_amount: '88.80', subject: '月卡' },
    });
    expect(res).toMatchObject({ code: '10000', outTradeNo: `SDK${o.orderNo}` });
    expect(h.sim.trades.get(`SDK${o.orderNo}`)).toBeDefined();
    // A notification as the simulator sends it verifies with the SDK (URL-decoded fields, sign and sign_type left out).
    const trade = h.sim.trades.get(`SDK${o.orderNo}`)!;
    trade.tradeNo = '2026000001';
    expect(sdk.checkNotifySign(h.sim.notification(trade))).toBe(true);
    expect(sdk.checkNotifySign({ ...h.sim.notification(trade), total_amount: '0.01' })).toBe(false);
  });

  it('takes the signed part of an answer from its exact bytes', () => {
    const text = '{"alipay_trade_query_response":{"code":"10000","url":"https:\\/\\/x"},"sign":"abc"}';
    expect(signedPartOf(text, 'alipay_trade_query_response')).toBe('{"code":"10000","url":"https:\\/\\/x"}');
    expect(alipaySignContent({ b: '2', a: '1', sign: 's' })).toBe('a=1&b=2');
  });
});

describe('Alipay 当面付 through HTTP', () => {
  it('creates the QR once however often and however concurrently the payment is asked for; the notification delivers the key', async () => {
    const o = await order();
    const before = h.sim.calls.filter((c) => c.method === 'alipay.trade.precreate').length;
    const answers = await Promise.all(Array.from({ length: 5 }, () => paymentOf(o)));
    const again = await paymentOf(o);
    const bodies = (await Promise.all([...answers, again].map((r) => r.json()))) as {
      action: { type: string; payload: string; app: string };
      channel: { method: string };
    }[];
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect(new Set(bodies.map((b) => b.action.payload)).size).toBe(1);
    expect(bodies[0]).toMatchObject({ channel: { id: h.channelId, kind: 'alipay', method: 'alipay' }, action: { type: 'qr', app: 'alipay' } });
    expect(h.sim.calls.filter((c) => c.method === 'alipay.trade.precreate').length - before).toBe(1);
    expect(h.sim.calls.at(-1)?.bizContent).toMatchObject({ out_trade_no: o.orderNo, total_amount: '88.80', subject: '月卡' });

    expect(await h.sim.pay(o.orderNo)).toEqual([true]);
    expect(h.sim.deliveries.at(-1)).toMatchObject({ status: 200, body: 'success' });
    expect(await state(o.orderNo)).toEqual({ status: 'delivered', payments: 1, delivered: 1, attempts: 1 });
    const view = await getOrderForBuyer(h.t.db, o.orderNo, o.token);
    expect(view.keys).toHaveLength(1);
  });

  it('the same notification 3× at once: one payment, one delivery, every copy answered success', async () => {
    const o = await order();
    await paymentOf(o);
    await withFaults({ copies: 3 }, async () => {
      expect(await h.sim.pay(o.orderNo)).toEqual([true, true, true]);
    });
    expect(h.sim.deliveries.slice(-3).every((d) => d.status === 200 && d.body === 'success')).toBe(true);
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1, delivered: 1 });
  });

  it.each([
    ['a bad signature', { badNotifySign: true }],
    ['a wrong amount', { notifyAmount: '0.01' }],
    ['another merchant’s app_id', { notifyAppId: '2021000000009999' }],
    ['a status that is not paid', { notifyStatus: 'WAIT_BUYER_PAY' }],
  ] as const)('%s: nothing changes and Alipay is answered fail (it retries on its schedule)', async (_name, fault) => {
    const o = await order();
    await paymentOf(o);
    const stock = await stockOf(h.t.db, h.productId);
    const sent = h.sim.deliveries.length;
    await withFaults(fault, async () => {
      expect(await h.sim.pay(o.orderNo)).toEqual([false]);
    });
    // The first try and all 7 retries, each refused.
    expect(h.sim.deliveries.slice(sent).map((d) => d.body)).toEqual(Array(8).fill('fail'));
    expect(await state(o.orderNo)).toMatchObject({ status: 'pending', payments: 0, delivered: 0 });
    expect(await stockOf(h.t.db, h.productId)).toEqual(stock);
  });

  it('a TRADE_CLOSED arriving after the payment (out of order, or after a refund) changes nothing and is acknowledged', async () => {
    const o = await order();
    await paymentOf(o);
    expect(await h.sim.pay(o.orderNo)).toEqual([true]);
    // The same trade notified again with a later status.
    await withFaults({ notifyStatus: 'TRADE_CLOSED' }, async () => expect(await h.sim.pay(o.orderNo)).toEqual([true]));
    expect(h.sim.deliveries.at(-1)).toMatchObject({ status: 200, body: 'success' });
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1, delivered: 1 });
  });

  it('a gateway that does not answer within the deadline fails the attempt; nothing is shown', async () => {
    const o = await order();
    await withFaults({ timeouts: 1 }, async () => expect((await paymentOf(o)).status).toBe(502));
    const [a] = await h.t.db.execute<{ status: string; error: string }>(sql`SELECT status, error FROM payment_attempts WHERE out_trade_no = ${o.orderNo}`);
    expect(a).toMatchObject({ status: 'failed', error: expect.stringMatching(/^unavailable: no answer/) });
  });

  it('a notification for an order number the shop never sent to Alipay is refused', async () => {
    const o = await order();
    // No payment created: no attempt holds this out_trade_no, so a valid-looking notification names nothing of ours.
    h.sim.trades.set(o.orderNo, {
      outTradeNo: o.orderNo,
      amount: '88.80',
      subject: 'x',
      status: 'WAIT_BUYER_PAY',
      tradeNo: '',
      notifyUrl: `${h.app.base}/api/pay/${h.channelId}/notify`,
      scanned: false,
    });
    expect(await h.sim.pay(o.orderNo)).toEqual([false]);
    expect(await state(o.orderNo)).toMatchObject({ status: 'pending', payments: 0, attempts: 0 });
  });

  it('a lost notification is found by alipay.trade.query during reconciliation', async () => {
    const o = await order();
    await paymentOf(o);
    await withFaults({ dropNotify: true }, async () => {
      await h.sim.pay(o.orderNo);
    });
    expect(await state(o.orderNo)).toMatchObject({ status: 'pending' });
    const result = await reconcilePayments(h.t.db, { minAgeSeconds: 0, budgetMs: 5_000 });
    expect(result.recovered).toBeGreaterThanOrEqual(1);
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1, delivered: 1 });
  });

  it('a provider failure is shown, not hidden: HTTP 500 fails the attempt, the next try uses a new out_trade_no', async () => {
    const o = await order();
    h.sim.faults.http500 = 1;
    const failed = await paymentOf(o);
    expect(failed.status).toBe(502);
    expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('provider_unavailable');
    // The API retries a failure only once it is 10 s old.
    expect((await paymentOf(o)).status).toBe(502);
    await h.t.db.execute(sql`UPDATE payment_attempts SET updated_at = now() - interval '11 seconds' WHERE out_trade_no = ${o.orderNo}`);
    const ok = await paymentOf(o);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { outTradeNo: string }).outTradeNo).toBe(`${o.orderNo}-2`);
    // The buyer pays the second attempt: it pays the order.
    await h.sim.pay(`${o.orderNo}-2`);
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1, attempts: 2 });
  });

  it('an attempt whose creator died mid-call is abandoned after its lease; the next load creates a new one', async () => {
    const o = await order();
    // A request took the attempt and died before Alipay answered (its lease ran out).
    await h.t.db.execute(sql`
      INSERT INTO payment_attempts (merchant_id, order_id, channel_id, seq, out_trade_no, status, lease_until, amount, currency)
      SELECT merchant_id, id, channel_id, 1, order_no, 'creating', now() - interval '1 second', amount, currency FROM orders WHERE order_no = ${o.orderNo}`);
    const res = await paymentOf(o);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { outTradeNo: string }).outTradeNo).toBe(`${o.orderNo}-2`);
    const rows = await h.t.db.execute<{ seq: number; status: string }>(
      sql`SELECT seq, status FROM payment_attempts WHERE out_trade_no LIKE ${o.orderNo + '%'} ORDER BY seq`,
    );
    expect(rows.map((r) => [r.seq, r.status])).toEqual([
      [1, 'failed'],
      [2, 'open'],
    ]);
  });

  it('an answer whose signature does not verify is not used', async () => {
    const o = await order();
    await withFaults({ badResponseSign: true }, async () => {
      expect((await paymentOf(o)).status).toBe(502);
    });
    const [a] = await h.t.db.execute<{ status: string; error: string; action: unknown }>(
      sql`SELECT status, error, action FROM payment_attempts WHERE out_trade_no = ${o.orderNo}`,
    );
    expect(a).toMatchObject({ status: 'failed', action: null });
    expect(a!.error).toMatch(/verify/);
  });

  it('a late payment of an expired order is accepted while stock lasts (SPEC invariant 5)', async () => {
    const o = await order();
    await paymentOf(o);
    await lapse(h.t.db, o.orderNo);
    await expireOrders(h.t.db);
    expect(await state(o.orderNo)).toMatchObject({ status: 'expired' });
    expect(await h.sim.pay(o.orderNo)).toEqual([true]);
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1, delivered: 1 });
  });

  it('the merchant refunds through Alipay: two refunds at once are one refund at Alipay (the second is refused before Alipay is asked); the order is refunded once', async () => {
    const o = await order();
    await paymentOf(o);
    await h.sim.pay(o.orderNo);
    const results = await Promise.allSettled([
      refundOrder(h.t.db, h.merchant.actor, { orderNo: o.orderNo, keys: 'keep', viaProvider: true }),
      refundOrder(h.t.db, h.merchant.actor, { orderNo: o.orderNo, keys: 'keep', viaProvider: true }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'fulfilled')).toMatchObject({ value: { provider: { status: 'succeeded' }, keysTo: 'sold' } });
    const refunds = h.sim.calls.filter((c) => c.method === 'alipay.trade.refund' && c.bizContent.out_trade_no === o.orderNo);
    expect(refunds.map((c) => c.bizContent)).toEqual([expect.objectContaining({ refund_amount: '88.80', out_request_no: `RF${o.orderNo}` })]);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'conflict' } });
    expect(await state(o.orderNo)).toMatchObject({ status: 'refunded' });
  });

  it('a refund Alipay refuses leaves the order as it was, with Alipay’s words', async () => {
    const o = await order();
    await paymentOf(o);
    await h.sim.pay(o.orderNo);
    // Alipay no longer knows the trade as paid (e.g. refunded on its own site).
    h.sim.trades.get(o.orderNo)!.status = 'TRADE_CLOSED';
    await expect(refundOrder(h.t.db, h.merchant.actor, { orderNo: o.orderNo, keys: 'keep', viaProvider: true })).rejects.toMatchObject({
      code: 'provider_unavailable',
      message: expect.stringContaining('ACQ.TRADE_STATUS_ERROR'),
    });
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered' });
  });

  it('the connection test tells accepted credentials from refused ones', async () => {
    expect(await testChannel(h.t.db, systemActor(h.merchant.merchantId), { channelId: h.channelId })).toMatchObject({ status: 'ok' });
    const other = await startAlipaySimulator();
    try {
      // The app's key of another simulator: the gateway refuses the signature.
      const wrong = await createChannel(h.t.db, systemActor(h.merchant.merchantId), {
        kind: 'alipay',
        name: 'wrong key',
        config: { ...h.sim.config, privateKey: other.config.privateKey },
      });
      expect(await testChannel(h.t.db, systemActor(h.merchant.merchantId), { channelId: wrong.id })).toMatchObject({ status: 'rejected' });
    } finally {
      await other.close();
    }
  });
});

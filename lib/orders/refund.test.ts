// Refunds through the provider, against the Alipay simulator: the refund is taken (number and
// amount) before the provider is asked and completed after, so retries, races with refunds
// recorded elsewhere, refusals and a process that dies in between all end with the shop's
// books equal to the provider's.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { refundOrder, resumeRefunds } from '@/lib/orders';
import { channelHarness } from '@/test/channel-harness';
import { startAlipaySimulator } from '@/test/simulators/alipay';

const { h, order, paymentOf } = channelHarness({ kind: 'alipay', start: () => startAlipaySimulator() });

/** What Alipay was asked to refund for this order: [out_request_no, amount]. */
const asked = (orderNo: string) =>
  h.sim.calls
    .filter((c) => c.method === 'alipay.trade.refund' && c.bizContent.out_trade_no === orderNo)
    .map((c) => [c.bizContent.out_request_no, c.bizContent.refund_amount]);
const books = async (orderNo: string) =>
  (
    await h.t.db.execute<{ status: string; refunded_amount: string; rows: string }>(sql`
      SELECT o.status, o.refunded_amount,
             (SELECT string_agg(r.seq || ':' || r.status || ':' || r.amount, ',' ORDER BY r.seq) FROM order_refunds r WHERE r.order_id = o.id) AS rows
        FROM orders o WHERE o.order_no = ${orderNo}`)
  )[0];
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );

async function paidOrder() {
  const o = await order();
  await paymentOf(o);
  await h.sim.pay(o.orderNo);
  return o;
}

describe('refunds through the provider', () => {
  it('a retried request with the same Idempotency-Key is one refund at Alipay and here; without a key a second request is a second refund', async () => {
    const o = await paidOrder();
    const input = { orderNo: o.orderNo, amount: 1000, reason: 'one key bad', keys: 'keep' as const, viaProvider: true, idempotencyKey: 'retry-key-0001' };
    const first = await refundOrder(h.t.db, h.merchant.actor, input);
    const again = await refundOrder(h.t.db, h.merchant.actor, input);
    expect(again).toMatchObject({ refundId: first.refundId, replayed: true, refunded: 1000 });
    expect(asked(o.orderNo)).toEqual([[`RF${o.orderNo}`, '10.00']]);
    await refundOrder(h.t.db, h.merchant.actor, { ...input, idempotencyKey: undefined });
    expect(asked(o.orderNo)).toEqual([
      [`RF${o.orderNo}`, '10.00'],
      [`RF${o.orderNo}-2`, '10.00'],
    ]);
    expect(await books(o.orderNo)).toEqual({ status: 'delivered', refunded_amount: '2000', rows: '1:done:1000,2:done:1000' });
  });

  it('a refund recorded elsewhere while Alipay is being asked takes the next number; both are kept', async () => {
    const o = await paidOrder();
    const racing: typeof fetch = async (url, init) => {
      // While the provider call is in flight, the merchant records an off-channel refund.
      expect(await codeOf(refundOrder(h.t.db, h.merchant.actor, { orderNo: o.orderNo, amount: 500, reason: 'cash back', keys: 'keep' }))).toBe('ok');
      return fetch(url, init);
    };
    const r = await refundOrder(h.t.db, h.merchant.actor, { orderNo: o.orderNo, amount: 2000, reason: 'x', keys: 'keep', viaProvider: true }, racing);
    expect(r).toMatchObject({ refunded: 2500, remaining: 8880 - 2500 });
    expect(asked(o.orderNo)).toEqual([[`RF${o.orderNo}`, '20.00']]);
    expect(await books(o.orderNo)).toEqual({ status: 'delivered', refunded_amount: '2500', rows: '1:done:2000,2:done:500' });
  });

  it('a refund Alipay refuses is kept as failed, counts for nothing, and the next refund takes the next number', async () => {
    const o = await paidOrder();
    h.sim.trades.get(o.orderNo)!.status = 'TRADE_CLOSED';
    expect(await codeOf(refundOrder(h.t.db, h.merchant.actor, { orderNo: o.orderNo, amount: 1000, keys: 'keep', viaProvider: true }))).toBe(
      'provider_unavailable',
    );
    h.sim.trades.get(o.orderNo)!.status = 'TRADE_SUCCESS';
    await refundOrder(h.t.db, h.merchant.actor, { orderNo: o.orderNo, keys: 'void', viaProvider: true });
    expect(asked(o.orderNo)).toEqual([
      [`RF${o.orderNo}`, '10.00'],
      [`RF${o.orderNo}-2`, '88.80'],
    ]);
    expect(await books(o.orderNo)).toEqual({ status: 'refunded', refunded_amount: '8880', rows: '1:failed:1000,2:done:8880' });
  });

  it('Alipay refunded but its answer was lost (or the process died): the refund stays open and the reconcile job asks again under the same number, once', async () => {
    const o = await paidOrder();
    // Alipay refunded RF{no}; the shop had taken the refund (requested) and died before recording the answer.
    let died = false;
    const dying: typeof fetch = async (url, init) => {
      await fetch(url, init);
      died = true;
      throw new Error('process killed');
    };
    expect(await codeOf(refundOrder(h.t.db, h.merchant.actor, { orderNo: o.orderNo, amount: 3000, keys: 'keep', viaProvider: true }, dying))).toBe(
      'provider_unavailable',
    );
    expect(died).toBe(true);
    // No answer the shop can trust: the refund stays open (as after a crash), two minutes pass.
    expect(await books(o.orderNo)).toEqual({ status: 'delivered', refunded_amount: '0', rows: '1:requested:3000' });
    await h.t.db.execute(
      sql`UPDATE order_refunds SET created_at = now() - interval '3 minutes' WHERE order_id = (SELECT id FROM orders WHERE order_no = ${o.orderNo})`,
    );
    // Meanwhile no second refund of what is in flight can be taken.
    expect(await codeOf(refundOrder(h.t.db, h.merchant.actor, { orderNo: o.orderNo, amount: 8880 - 2999, keys: 'keep' }))).toBe('validation_failed');
    expect(await resumeRefunds(h.t.db)).toBe(1);
    expect(await resumeRefunds(h.t.db)).toBe(0);
    expect(asked(o.orderNo)).toEqual([
      [`RF${o.orderNo}`, '30.00'],
      [`RF${o.orderNo}`, '30.00'],
    ]);
    expect(await books(o.orderNo)).toEqual({ status: 'delivered', refunded_amount: '3000', rows: '1:done:3000' });
  });
});

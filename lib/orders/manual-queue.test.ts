// The last level of routing, against the Alipay simulator: no channel can take the payment,
// the buyer leaves the order with the merchant (keys held, merchant alerted); the merchant
// sends a fresh link once the channel is back, or records an offline payment. Nothing is
// lost and nothing is paid twice.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { stockOf } from '@/lib/inventory';
import {
  createOrder,
  expireOrders,
  getOrderForBuyer,
  leaveForManualPayment,
  listManualQueue,
  paymentForOrder,
  recordOfflinePayment,
  sendPaymentLink,
  switchPaymentChannel,
} from '@/lib/orders';
import { seedMerchant } from '@/test/fixtures';
import { channelHarness } from '@/test/channel-harness';
import { startAlipaySimulator } from '@/test/simulators/alipay';

const { h, order, paymentOf, withFaults } = channelHarness({ kind: 'alipay', start: () => startAlipaySimulator() });
const outbox = async (topic: string, orderNo: string) =>
  (
    await h.t.db.execute<{ consumer: string }>(sql`SELECT consumer FROM outbox WHERE topic = ${topic} AND payload->>'orderNo' = ${orderNo} ORDER BY consumer`)
  ).map((r) => r.consumer);

/** An order whose payment Alipay could not create. */
async function failedOrder() {
  const o = await order();
  await withFaults({ http500: 1 }, async () => expect((await paymentOf(o)).status).toBe(502));
  return o;
}

describe('the manual queue', () => {
  it('the buyer leaves a failed payment with the merchant: keys held for the hold time, merchant alerted once, listed', async () => {
    const o = await failedOrder();
    const stock = await stockOf(h.t.db, h.productId);
    const { until } = await leaveForManualPayment(h.t.db, o.orderNo);
    expect(until.getTime()).toBeGreaterThan(Date.now() + 23.9 * 3600_000);
    expect((await leaveForManualPayment(h.t.db, o.orderNo)).until).toEqual(until);
    expect(await outbox('order.manual_payment', o.orderNo)).toContain('mail.merchant');
    expect((await outbox('order.manual_payment', o.orderNo)).filter((c) => c === 'mail.merchant')).toHaveLength(1);
    // The expiry sweep leaves it alone; its key stays reserved.
    await expireOrders(h.t.db);
    expect((await getOrderForBuyer(h.t.db, o.orderNo, o.token)).status).toBe('pending');
    expect(await stockOf(h.t.db, h.productId)).toEqual(stock);
    expect((await listManualQueue(h.t.db, h.merchant.merchantId)).map((r) => r.orderNo)).toContain(o.orderNo);
  });

  it('an order with a payment shown cannot be queued', async () => {
    const o = await order();
    expect((await paymentOf(o)).status).toBe(200);
    await expect(leaveForManualPayment(h.t.db, o.orderNo)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('the channel is back: the merchant sends a fresh link (a new attempt), the buyer is e-mailed it and pays', async () => {
    const o = await failedOrder();
    await leaveForManualPayment(h.t.db, o.orderNo);
    // Still down: nothing is sent.
    await withFaults({ http500: 1 }, async () => {
      await expect(sendPaymentLink(h.t.db, h.merchant.actor, { orderNo: o.orderNo })).rejects.toMatchObject({ code: 'provider_unavailable' });
    });
    expect(await outbox('order.payment_link', o.orderNo)).toEqual([]);
    const p = await sendPaymentLink(h.t.db, h.merchant.actor, { orderNo: o.orderNo });
    expect(p).toMatchObject({ state: 'ready', outTradeNo: `${o.orderNo}-3` });
    expect(await outbox('order.payment_link', o.orderNo)).toEqual(['mail.paymentLink']);
    expect(await h.sim.pay(p.outTradeNo)).toEqual([true]);
    expect((await getOrderForBuyer(h.t.db, o.orderNo, o.token)).status).toBe('delivered');
    expect((await listManualQueue(h.t.db, h.merchant.merchantId)).map((r) => r.orderNo)).not.toContain(o.orderNo);
  });

  it('an offline payment: paid and delivered once, audited; a provider payment after it is a recorded duplicate', async () => {
    const o = await failedOrder();
    await leaveForManualPayment(h.t.db, o.orderNo);
    const link = await sendPaymentLink(h.t.db, h.merchant.actor, { orderNo: o.orderNo });
    expect(await recordOfflinePayment(h.t.db, h.merchant.actor, { orderNo: o.orderNo, reference: 'BANK-1' })).toEqual({ status: 'delivered' });
    await expect(recordOfflinePayment(h.t.db, h.merchant.actor, { orderNo: o.orderNo, reference: 'BANK-1' })).rejects.toMatchObject({ code: 'conflict' });
    const [audit] = await h.t.db.execute<{ detail: { reference: string } }>(
      sql`SELECT detail FROM audit_log WHERE action = 'order.offline_payment' AND target_id = ${o.orderNo}`,
    );
    expect(audit!.detail.reference).toBe('BANK-1');
    // The buyer also paid the link: a second payment, kept and alerted, not a second delivery.
    expect(await h.sim.pay(link.outTradeNo)).toEqual([true]);
    const rows = await h.t.db.execute<{ duplicate: boolean }>(
      sql`SELECT p.duplicate FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.order_no = ${o.orderNo} ORDER BY p.id`,
    );
    expect(rows.map((r) => r.duplicate)).toEqual([false, true]);
    expect((await getOrderForBuyer(h.t.db, o.orderNo, o.token)).keys).toHaveLength(1);
    await expect(recordOfflinePayment(h.t.db, h.merchant.actor, { orderNo: (await failedOrder()).orderNo, reference: '' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('the order stays payable by another method: the buyer switches it to another channel while nothing was shown', async () => {
    const o = await failedOrder();
    // Another shop's channel is refused; so is a switch once a payment is shown.
    const other = await seedMerchant(h.t.db);
    await expect(switchPaymentChannel(h.t.db, o.orderNo, other.demoChannelId)).rejects.toMatchObject({ code: 'channel_unavailable' });
    await switchPaymentChannel(h.t.db, o.orderNo, h.merchant.demoChannelId);
    const p = await paymentForOrder(h.t.db, o.orderNo, { retryFailed: 'never' });
    expect(p).toMatchObject({ state: 'ready', channel: { id: h.merchant.demoChannelId, kind: 'demo' }, action: { type: 'demo' } });
    const shown = await order();
    expect((await paymentOf(shown)).status).toBe(200);
    await expect(switchPaymentChannel(h.t.db, shown.orderNo, h.merchant.demoChannelId)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('an order on a channel that shows its payment without an attempt (demo, epay) can be neither switched nor queued', async () => {
    // An order created on the demo channel: its button was shown at once, with no attempt stored.
    const onDemo = await createOrder(
      h.t.db,
      { productId: h.productId, email: 'demo-buyer@example.test', channel: h.merchant.demoChannelId },
      { merchantId: h.merchant.merchantId },
    );
    await expect(switchPaymentChannel(h.t.db, onDemo.orderNo, h.channelId)).rejects.toMatchObject({ code: 'conflict' });
    await expect(leaveForManualPayment(h.t.db, onDemo.orderNo)).rejects.toMatchObject({ code: 'conflict' });
  });
});

// Reconciliation you can see, against the Alipay simulator: a lost notification recovered
// and listed; a payment of another amount held (not delivered), listed once and alerted; a
// payment recorded here that Alipay does not know, found by the check after payment.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getOrderForBuyer, mismatchReport, reconcilePayments } from '@/lib/orders';
import { channelHarness } from '@/test/channel-harness';
import { startAlipaySimulator } from '@/test/simulators/alipay';

const { h, order, paymentOf, withFaults } = channelHarness({ kind: 'alipay', start: () => startAlipaySimulator() });
const reconcile = () => reconcilePayments(h.t.db, { minAgeSeconds: 0, budgetMs: 5_000 });
const report = () => mismatchReport(h.t.db, h.merchant.merchantId);
const alerts = async (orderNo: string) =>
  (
    await h.t.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM outbox WHERE topic = 'payment.mismatch' AND consumer = 'mail.merchant' AND payload->>'orderNo' = ${orderNo}`,
    )
  )[0]!.n;

describe('reconciliation mismatches', () => {
  it('a lost notification: recovered by the query, delivered, listed as recovered (no alert)', async () => {
    const o = await order();
    await paymentOf(o);
    await withFaults({ dropNotify: true }, () => h.sim.pay(o.orderNo));
    await reconcile();
    expect((await getOrderForBuyer(h.t.db, o.orderNo, o.token)).status).toBe('delivered');
    expect((await report()).rows.find((r) => r.orderNo === o.orderNo)).toMatchObject({
      kind: 'paid_not_recorded',
      resolution: 'recovered',
      expectedAmount: 8880,
    });
    expect(await alerts(o.orderNo)).toBe(0);
  });

  it('paid at Alipay with another amount: held, not delivered, listed once however often it is seen, the merchant alerted', async () => {
    const o = await order();
    await paymentOf(o);
    await withFaults({ dropNotify: true, queryAmount: '0.01' }, async () => {
      await h.sim.pay(o.orderNo);
      await reconcile();
      await h.t.db.execute(sql`UPDATE orders SET checked_at = NULL WHERE order_no = ${o.orderNo}`);
      await reconcile();
    });
    expect((await getOrderForBuyer(h.t.db, o.orderNo, o.token)).status).toBe('pending');
    const rows = (await report()).rows.filter((r) => r.orderNo === o.orderNo);
    expect(rows).toEqual([expect.objectContaining({ kind: 'amount_different', resolution: 'held', expectedAmount: 8880, providerAmount: 1 })]);
    expect(await alerts(o.orderNo)).toBe(1);
  });

  it('a signed notification of another amount is held and listed once, through all of Alipay’s retries', async () => {
    const o = await order();
    await paymentOf(o);
    await withFaults({ notifyAmount: '1.00' }, () => h.sim.pay(o.orderNo));
    expect((await getOrderForBuyer(h.t.db, o.orderNo, o.token)).status).toBe('pending');
    expect((await report()).rows.filter((r) => r.orderNo === o.orderNo)).toEqual([
      expect.objectContaining({ kind: 'amount_different', resolution: 'held', providerAmount: 100 }),
    ]);
    expect(await alerts(o.orderNo)).toBe(1);
  });

  it('paid here but unknown at Alipay: found by the check after payment, the merchant alerted', async () => {
    const o = await order();
    await paymentOf(o);
    expect(await h.sim.pay(o.orderNo)).toEqual([true]);
    // Alipay has no record of it (a forged-but-valid-looking history, or Alipay's own loss).
    h.sim.trades.delete(o.orderNo);
    const result = await reconcile();
    expect(result.verified).toBeGreaterThanOrEqual(1);
    expect((await report()).rows.find((r) => r.orderNo === o.orderNo)).toMatchObject({ kind: 'unknown_there', resolution: 'alerted' });
    expect(await alerts(o.orderNo)).toBe(1);
    // Asked once only.
    const again = await reconcile();
    expect(again.verified).toBe(0);
  });

  it('the report gives the rate: mismatches per payment over 30 days', async () => {
    const r = await report();
    const payments = r.days.reduce((s, d) => s + d.payments, 0);
    // The four above, and one more: the order whose notification carried a wrong amount was
    // paid the right amount at Alipay, so the next reconciliation recovered it.
    expect(r.rows.map((x) => `${x.kind}/${x.resolution}`).sort()).toEqual([
      'amount_different/held',
      'amount_different/held',
      'paid_not_recorded/recovered',
      'paid_not_recorded/recovered',
      'unknown_there/alerted',
    ]);
    expect(r.rate).toBeCloseTo(5 / payments);
  });
});

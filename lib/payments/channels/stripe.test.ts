// Stripe Checkout against its simulator (test/simulators/stripe.ts), through the official
// `stripe` package pointed at it, and webhooks to the shop's own notification route.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/audit';
import { stockOf } from '@/lib/inventory';
import { expireOrders, getOrderForBuyer, reconcilePayments, type CreatedOrder } from '@/lib/orders';
import { createChannel, testChannel } from '@/lib/payments';
import { channelHarness } from '@/test/channel-harness';
import { lapse } from '@/test/payment-state';
import { startStripeSimulator, type StripeFaults } from '@/test/simulators/stripe';

const { h, order, paymentOf, state, withFaults } = channelHarness({
  kind: 'stripe',
  start: () => startStripeSimulator(),
  product: { price: 1999, currency: 'USD', title: 'Game pass' },
  registered: (sim, url) => (sim.webhookUrl = url),
});
async function session(o: CreatedOrder) {
  expect((await paymentOf(o)).status).toBe(200);
  return h.sim.sessionOf(o.orderNo)!;
}

describe('Stripe Checkout through HTTP', () => {
  it('creates one Checkout Session however often it is asked for; the completed event delivers the key', async () => {
    const o = await order();
    const before = h.sim.sessions.size;
    const bodies = (await Promise.all(Array.from({ length: 5 }, async () => (await paymentOf(o)).json()))) as {
      action: { type: string; url: string };
      channel: { method: string };
    }[];
    expect(h.sim.sessions.size - before).toBe(1);
    const s = h.sim.sessionOf(o.orderNo)!;
    expect(bodies.every((b) => b.action.type === 'redirect' && b.action.url === s.url)).toBe(true);
    expect(bodies[0]!.channel).toMatchObject({ kind: 'stripe', method: 'card' });
    // Minor units as an integer, the order's currency, the buyer's e-mail prefilled.
    expect(s).toMatchObject({ amount_total: 1999, currency: 'usd', client_reference_id: o.orderNo, customer_email: expect.stringMatching(/@example\.test$/) });

    expect(await h.sim.pay(s.id)).toEqual([true]);
    expect(await state(o.orderNo)).toEqual({ status: 'delivered', payments: 1, delivered: 1, attempts: 1 });
    expect((await getOrderForBuyer(h.t.db, o.orderNo, o.token)).keys).toHaveLength(1);
  });

  it('the same event 3× at once: one payment, one delivery, every copy answered 2xx', async () => {
    const o = await order();
    const s = await session(o);
    await withFaults({ copies: 3 }, async () => {
      expect(await h.sim.pay(s.id)).toEqual([true, true, true]);
    });
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1, delivered: 1 });
  });

  it.each([
    ['a bad signature', { badSign: true }],
    ['a signature 10 minutes old', { skewSeconds: -600 }],
    ['a wrong amount', { amount: 1 }],
    ['another currency', { currency: 'eur' }],
  ] satisfies [string, StripeFaults][])('%s: nothing changes; every try answered 400', async (_name, fault) => {
    const o = await order();
    const s = await session(o);
    const stock = await stockOf(h.t.db, h.productId);
    const sent = h.sim.deliveries.length;
    await withFaults(fault, async () => {
      expect(await h.sim.pay(s.id)).toEqual([false]);
    });
    expect(h.sim.deliveries.slice(sent).every((d) => d.status === 400)).toBe(true);
    expect(h.sim.deliveries.length - sent).toBe(10);
    expect(await state(o.orderNo)).toMatchObject({ status: 'pending', payments: 0 });
    expect(await stockOf(h.t.db, h.productId)).toEqual(stock);
  });

  it('events that pay nothing (unpaid completion, expiry, other types) are acknowledged with 2xx and change nothing', async () => {
    for (const fault of [{ paymentStatus: 'unpaid' }, { type: 'checkout.session.expired' }, { type: 'payment_intent.created' }] satisfies StripeFaults[]) {
      const o = await order();
      const s = await session(o);
      await withFaults(fault, async () => {
        expect(await h.sim.pay(s.id)).toEqual([true]);
      });
      expect(await state(o.orderNo)).toMatchObject({ status: 'pending', payments: 0 });
    }
  });

  it('a lost webhook is found by retrieving the session during reconciliation', async () => {
    const o = await order();
    const s = await session(o);
    await withFaults({ dropNotify: true }, async () => {
      await h.sim.pay(s.id);
    });
    await reconcilePayments(h.t.db, { minAgeSeconds: 0, budgetMs: 5_000 });
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1 });
  });

  it('a late payment of an expired order is accepted while stock lasts', async () => {
    const o = await order();
    const s = await session(o);
    await lapse(h.t.db, o.orderNo);
    await expireOrders(h.t.db);
    expect(await h.sim.pay(s.id)).toEqual([true]);
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1 });
  });

  it('an API 500 fails the attempt; the retry is a new attempt with its own session', async () => {
    const o = await order();
    h.sim.faults.http500 = 1;
    expect((await paymentOf(o)).status).toBe(502);
    await h.t.db.execute(sql`UPDATE payment_attempts SET updated_at = now() - interval '11 seconds' WHERE out_trade_no = ${o.orderNo}`);
    expect(((await (await paymentOf(o)).json()) as { outTradeNo: string }).outTradeNo).toBe(`${o.orderNo}-2`);
    expect(h.sim.sessionOf(`${o.orderNo}-2`)).toBeDefined();
  });

  it('the connection test tells a good secret key from a wrong one', async () => {
    expect(await testChannel(h.t.db, systemActor(h.merchant.merchantId), { channelId: h.channelId })).toMatchObject({ status: 'ok' });
    const wrong = await createChannel(h.t.db, systemActor(h.merchant.merchantId), {
      kind: 'stripe',
      name: 'wrong',
      config: { ...h.sim.config, secretKey: 'sk_test_0000000000000000wrong' },
    });
    expect(await testChannel(h.t.db, systemActor(h.merchant.merchantId), { channelId: wrong.id })).toMatchObject({ status: 'rejected' });
  });
});

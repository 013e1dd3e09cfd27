// USDT-TRC20 through epusdt, against its simulator (test/simulators/epusdt.ts), over HTTP
// both ways: the shop asks the simulator for a transaction over HTTPS, the simulator calls
// the shop's own notification route back (test/app-http.ts).
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/audit';
import { stockOf } from '@/lib/inventory';
import { expireOrders, getOrderForBuyer, reconcilePayments, type CreatedOrder } from '@/lib/orders';
import { createChannel, testChannel } from '@/lib/payments';
import { channelHarness } from '@/test/channel-harness';
import { lapse } from '@/test/payment-state';
import { startEpusdtSimulator } from '@/test/simulators/epusdt';
import { epusdtSign } from './usdt';

const { h, order, paymentOf, state, withFaults } = channelHarness({ kind: 'usdt', start: () => startEpusdtSimulator({ timeScale: 0.00001 }) });
async function started(o: CreatedOrder) {
  expect((await paymentOf(o)).status).toBe(200);
  return h.sim.tradeOf(o.orderNo)!;
}

describe('epusdt signature', () => {
  it('matches the published test vector (numbers written the shortest way, token appended)', () => {
    // assimon/epusdt wiki/API.md
    expect(
      epusdtSign(
        {
          order_id: '20220201030210321',
          amount: 42,
          notify_url: 'http://example.com/notify',
          redirect_url: 'http://example.com/redirect',
          empty: '',
          nil: null,
        },
        'epusdt_password_xasddawqe',
      ),
    ).toBe('1cd4b52df5587cfb1968b0c0c6e156cd');
  });
});

describe('USDT (epusdt) through HTTP', () => {
  it('creates the transaction once, shows the exact USDT amount and address, and the callback delivers the key', async () => {
    const o = await order();
    const before = h.sim.creates.length;
    const answers = await Promise.all(Array.from({ length: 5 }, () => paymentOf(o)));
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as { action: Record<string, string>; channel: { method: string } }[];
    expect(h.sim.creates.length - before).toBe(1);
    // The shop sent CNY as epusdt reads it, no empty fields.
    expect(h.sim.creates.at(-1)).toMatchObject({ order_id: o.orderNo, amount: 88.8 });
    const trade = h.sim.tradeOf(o.orderNo)!;
    expect(bodies.every((b) => JSON.stringify(b) === JSON.stringify(bodies[0]))).toBe(true);
    expect(bodies[0]).toMatchObject({
      channel: { kind: 'usdt', method: 'usdt' },
      action: { type: 'crypto', network: 'TRON (TRC-20)', address: h.sim.wallet, amount: String(trade.actualAmount), currency: 'USDT' },
    });
    expect(await h.sim.pay(trade.tradeId)).toEqual([true]);
    expect(h.sim.deliveries.at(-1)).toMatchObject({ status: 200, body: 'ok' });
    expect(await state(o.orderNo)).toEqual({ status: 'delivered', payments: 1, delivered: 1, attempts: 1 });
    expect((await getOrderForBuyer(h.t.db, o.orderNo, o.token)).keys).toHaveLength(1);
  });

  it('two buyers at once get different USDT amounts (how the chain transfer is matched)', async () => {
    const [a, b] = await Promise.all([order(), order()]);
    await Promise.all([paymentOf(a), paymentOf(b)]);
    expect(h.sim.tradeOf(a.orderNo)!.actualAmount).not.toBe(h.sim.tradeOf(b.orderNo)!.actualAmount);
  });

  it('the same callback 3× at once: one payment, one delivery, each answered ok', async () => {
    const o = await order();
    const trade = await started(o);
    await withFaults({ copies: 3 }, async () => {
      expect(await h.sim.pay(trade.tradeId)).toEqual([true, true, true]);
    });
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1, delivered: 1 });
  });

  it.each([
    ['a bad signature', { badSign: true }],
    ['a wrong amount', { amount: 1 }],
    ['status 1 (waiting), as BEpusdt-style servers send', { status: 1 }],
    ['another trade_id than the one bound at creation', { tradeId: 'T-someone-else' }],
  ] as const)('%s: nothing changes, each of the 5 tries answered fail', async (_name, fault) => {
    const o = await order();
    const trade = await started(o);
    const stock = await stockOf(h.t.db, h.productId);
    const sent = h.sim.deliveries.length;
    await withFaults(fault, async () => {
      expect(await h.sim.pay(trade.tradeId)).toEqual([false]);
    });
    expect(h.sim.deliveries.slice(sent).map((d) => d.body)).toEqual(Array(5).fill('fail'));
    expect(await state(o.orderNo)).toMatchObject({ status: 'pending', payments: 0 });
    expect(await stockOf(h.t.db, h.productId)).toEqual(stock);
  });

  it('a lost callback is found through check-status during reconciliation', async () => {
    const o = await order();
    const trade = await started(o);
    await withFaults({ dropNotify: true }, async () => {
      await h.sim.pay(trade.tradeId);
    });
    expect(await state(o.orderNo)).toMatchObject({ status: 'pending' });
    await reconcilePayments(h.t.db, { minAgeSeconds: 0, budgetMs: 5_000 });
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1 });
  });

  it('a late transfer for an expired order is accepted while stock lasts', async () => {
    const o = await order();
    const trade = await started(o);
    await lapse(h.t.db, o.orderNo);
    await expireOrders(h.t.db);
    expect(await h.sim.pay(trade.tradeId)).toEqual([true]);
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1 });
  });

  it('a server that does not answer fails the attempt; the next one after 10 s is a new order_id', async () => {
    const o = await order();
    h.sim.faults.http500 = 1;
    expect((await paymentOf(o)).status).toBe(502);
    await h.t.db.execute(sql`UPDATE payment_attempts SET updated_at = now() - interval '11 seconds' WHERE out_trade_no = ${o.orderNo}`);
    const ok = (await (await paymentOf(o)).json()) as { outTradeNo: string };
    expect(ok.outTradeNo).toBe(`${o.orderNo}-2`);
    expect(h.sim.tradeOf(`${o.orderNo}-2`)).toBeDefined();
  });

  it('the connection test tells a good token from a wrong one, creating nothing', async () => {
    const trades = h.sim.trades.size;
    expect(await testChannel(h.t.db, systemActor(h.merchant.merchantId), { channelId: h.channelId })).toMatchObject({ status: 'ok' });
    const wrong = await createChannel(h.t.db, systemActor(h.merchant.merchantId), {
      kind: 'usdt',
      name: 'wrong',
      config: { ...h.sim.config, token: 'a-wrong-token-0123456789' },
    });
    expect(await testChannel(h.t.db, systemActor(h.merchant.merchantId), { channelId: wrong.id })).toMatchObject({ status: 'rejected' });
    expect(h.sim.trades.size).toBe(trades);
  });
});

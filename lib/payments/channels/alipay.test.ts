// Alipay 当面付 against its simulator (test/simulators/alipay.ts), over HTTP both ways: the
// shop calls the simulator's gateway over HTTPS (trusted through NODE_EXTRA_CA_CERTS), the
// simulator notifies the shop's own route handler (test/app-http.ts). The official
// alipay-sdk checks the simulator independently, so our signer and the simulator cannot
// share one mistake.
import { AlipaySdk } from 'alipay-sdk';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/audit';
import { stockOf } from '@/lib/inventory';
import { createOrder, getOrderForBuyer, reconcilePayments, type CreatedOrder } from '@/lib/orders';
import { createChannel, testChannel } from '@/lib/payments';
import { startAppRoutes } from '@/test/app-http';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';
import { startAlipaySimulator } from '@/test/simulators/alipay';
import { alipaySignContent, signedPartOf } from './alipay';

let t: TestDb;
let sim: Awaited<ReturnType<typeof startAlipaySimulator>>;
let app: Awaited<ReturnType<typeof startAppRoutes>>;
let merchant: Awaited<ReturnType<typeof seedMerchant>>;
let channelId: string;
let productId: string;

beforeAll(async () => {
  t = await createTestDatabase({ max: 30 });
  sim = await startAlipaySimulator();
  app = await startAppRoutes();
  merchant = await seedMerchant(t.db);
  channelId = (await createChannel(t.db, systemActor(merchant.merchantId), { kind: 'alipay', name: '支付宝当面付', config: sim.config })).id;
  productId = (await seedProduct(t.db, merchant.merchantId, { keys: 50, price: 8880, title: '月卡' })).id;
});
afterAll(async () => {
  await sim?.settle();
  await app?.close();
  await sim?.close();
  await dropTestDatabase(t);
});

let n = 0;
const order = () => createOrder(t.db, { productId, email: `a${n++}@example.test`, channel: channelId }, { merchantId: merchant.merchantId });
const paymentOf = (o: CreatedOrder) => fetch(`${app.base}/api/store/orders/${o.orderNo}/payment`, { headers: { Authorization: `Bearer ${o.token}` } });

async function state(orderNo: string) {
  const [row] = await t.db.execute<{ status: string; payments: string; delivered: string; attempts: string }>(sql`
    SELECT o.status,
           (SELECT count(*) FROM payments p WHERE p.order_id = o.id) AS payments,
           (SELECT count(*) FROM order_events e WHERE e.order_id = o.id AND e.type = 'delivered') AS delivered,
           (SELECT count(*) FROM payment_attempts a WHERE a.order_id = o.id) AS attempts
      FROM orders o WHERE o.order_no = ${orderNo}`);
  return { status: row!.status, payments: Number(row!.payments), delivered: Number(row!.delivered), attempts: Number(row!.attempts) };
}

describe('the simulator, checked by the official alipay-sdk', () => {
  it('the SDK signs requests the simulator accepts, verifies the simulator’s signed answers and its notifications', async () => {
    const sdk = new AlipaySdk({
      appId: sim.appId,
      privateKey: sim.config.privateKey,
      alipayPublicKey: sim.config.alipayPublicKey,
      gateway: sim.gateway,
      keyType: 'PKCS8',
    });
    const o = await order();
    // exec() verifies the answer's signature over its raw bytes (escaped slashes included) and throws if it does not hold.
    const res = await sdk.exec('alipay.trade.precreate', {
      notify_url: `${app.base}/x`,
      bizContent: { out_trade_no: `SDK${o.orderNo}`, total_amount: '88.80', subject: '月卡' },
    });
    expect(res).toMatchObject({ code: '10000', outTradeNo: `SDK${o.orderNo}` });
    expect(sim.trades.get(`SDK${o.orderNo}`)).toBeDefined();
    // A notification as the simulator sends it verifies with the SDK (URL-decoded fields, sign and sign_type left out).
    const trade = sim.trades.get(`SDK${o.orderNo}`)!;
    trade.tradeNo = '2026000001';
    expect(sdk.checkNotifySign(sim.notification(trade))).toBe(true);
    expect(sdk.checkNotifySign({ ...sim.notification(trade), total_amount: '0.01' })).toBe(false);
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
    const before = sim.calls.filter((c) => c.method === 'alipay.trade.precreate').length;
    const answers = await Promise.all(Array.from({ length: 5 }, () => paymentOf(o)));
    const again = await paymentOf(o);
    const bodies = (await Promise.all([...answers, again].map((r) => r.json()))) as {
      action: { type: string; payload: string; app: string };
      channel: { method: string };
    }[];
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect(new Set(bodies.map((b) => b.action.payload)).size).toBe(1);
    expect(bodies[0]).toMatchObject({ channel: { id: channelId, kind: 'alipay', method: 'alipay' }, action: { type: 'qr', app: 'alipay' } });
    expect(sim.calls.filter((c) => c.method === 'alipay.trade.precreate').length - before).toBe(1);
    expect(sim.calls.at(-1)?.bizContent).toMatchObject({ out_trade_no: o.orderNo, total_amount: '88.80', subject: '月卡' });

    expect(await sim.pay(o.orderNo)).toEqual([true]);
    expect(sim.deliveries.at(-1)).toMatchObject({ status: 200, body: 'success' });
    expect(await state(o.orderNo)).toEqual({ status: 'delivered', payments: 1, delivered: 1, attempts: 1 });
    const view = await getOrderForBuyer(t.db, o.orderNo, o.token);
    expect(view.keys).toHaveLength(1);
  });

  it('the same notification 3× at once: one payment, one delivery, every copy answered success', async () => {
    const o = await order();
    await paymentOf(o);
    sim.faults.copies = 3;
    try {
      expect(await sim.pay(o.orderNo)).toEqual([true, true, true]);
    } finally {
      sim.faults.copies = 1;
    }
    expect(sim.deliveries.slice(-3).every((d) => d.status === 200 && d.body === 'success')).toBe(true);
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
    const stock = await stockOf(t.db, productId);
    Object.assign(sim.faults, fault);
    const sent = sim.deliveries.length;
    try {
      expect(await sim.pay(o.orderNo)).toEqual([false]);
    } finally {
      for (const k of Object.keys(fault)) delete sim.faults[k as keyof typeof fault];
    }
    // The first try and all 7 retries, each refused.
    expect(sim.deliveries.slice(sent).map((d) => d.body)).toEqual(Array(8).fill('fail'));
    expect(await state(o.orderNo)).toMatchObject({ status: 'pending', payments: 0, delivered: 0 });
    expect(await stockOf(t.db, productId)).toEqual(stock);
  });

  it('a notification for an order number the shop never sent to Alipay is refused', async () => {
    const o = await order();
    // No payment created: no attempt holds this out_trade_no, so a valid-looking notification names nothing of ours.
    sim.trades.set(o.orderNo, {
      outTradeNo: o.orderNo,
      amount: '88.80',
      subject: 'x',
      status: 'WAIT_BUYER_PAY',
      tradeNo: '',
      notifyUrl: `${app.base}/api/pay/${channelId}/notify`,
      scanned: false,
    });
    expect(await sim.pay(o.orderNo)).toEqual([false]);
    expect(await state(o.orderNo)).toMatchObject({ status: 'pending', payments: 0, attempts: 0 });
  });

  it('a lost notification is found by alipay.trade.query during reconciliation', async () => {
    const o = await order();
    await paymentOf(o);
    sim.faults.dropNotify = true;
    try {
      await sim.pay(o.orderNo);
    } finally {
      sim.faults.dropNotify = false;
    }
    expect(await state(o.orderNo)).toMatchObject({ status: 'pending' });
    const result = await reconcilePayments(t.db, { minAgeSeconds: 0, budgetMs: 5_000 });
    expect(result.recovered).toBeGreaterThanOrEqual(1);
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1, delivered: 1 });
  });

  it('a provider failure is shown, not hidden: HTTP 500 fails the attempt, the next try uses a new out_trade_no', async () => {
    const o = await order();
    sim.faults.http500 = 1;
    const failed = await paymentOf(o);
    expect(failed.status).toBe(502);
    expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('provider_unavailable');
    // The API retries a failure only once it is 10 s old.
    expect((await paymentOf(o)).status).toBe(502);
    await t.db.execute(sql`UPDATE payment_attempts SET updated_at = now() - interval '11 seconds' WHERE out_trade_no = ${o.orderNo}`);
    const ok = await paymentOf(o);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { outTradeNo: string }).outTradeNo).toBe(`${o.orderNo}-2`);
    // The buyer pays the second attempt: it pays the order.
    await sim.pay(`${o.orderNo}-2`);
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1, attempts: 2 });
  });

  it('an answer whose signature does not verify is not used', async () => {
    const o = await order();
    sim.faults.badResponseSign = true;
    try {
      expect((await paymentOf(o)).status).toBe(502);
    } finally {
      sim.faults.badResponseSign = false;
    }
    const [a] = await t.db.execute<{ status: string; error: string; action: unknown }>(
      sql`SELECT status, error, action FROM payment_attempts WHERE out_trade_no = ${o.orderNo}`,
    );
    expect(a).toMatchObject({ status: 'failed', action: null });
    expect(a!.error).toMatch(/verify/);
  });

  it('a late payment of an expired order is accepted while stock lasts (SPEC invariant 5)', async () => {
    const o = await order();
    await paymentOf(o);
    await t.db.execute(sql`UPDATE orders SET expires_at = now() - interval '1 minute' WHERE order_no = ${o.orderNo}`);
    const { expireOrders } = await import('@/lib/orders');
    await expireOrders(t.db);
    expect(await state(o.orderNo)).toMatchObject({ status: 'expired' });
    expect(await sim.pay(o.orderNo)).toEqual([true]);
    expect(await state(o.orderNo)).toMatchObject({ status: 'delivered', payments: 1, delivered: 1 });
  });

  it('the connection test tells accepted credentials from refused ones', async () => {
    expect(await testChannel(t.db, systemActor(merchant.merchantId), { channelId })).toMatchObject({ status: 'ok' });
    const other = await startAlipaySimulator();
    try {
      // The app's key of another simulator: the gateway refuses the signature.
      const wrong = await createChannel(t.db, systemActor(merchant.merchantId), {
        kind: 'alipay',
        name: 'wrong key',
        config: { ...sim.config, privateKey: other.config.privateKey },
      });
      expect(await testChannel(t.db, systemActor(merchant.merchantId), { channelId: wrong.id })).toMatchObject({ status: 'rejected' });
    } finally {
      await other.close();
    }
  });
});

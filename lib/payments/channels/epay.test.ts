import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, expireOrders, reconcileOrder, reconcilePayments, reconcileStats } from '@/lib/orders';
import { epay, epaySign } from '@/lib/payments/channels/epay';
import { amountToInput, parseExactAmount } from '@/lib/money';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { startEpaySimulator } from '@/test/epay-simulator';
import { EPAY_KEY, seedEpayChannel, seedMerchant, seedProduct } from '@/test/fixtures';

describe('epay protocol', () => {
  it('signs as the protocol says: sorted, empty values and sign/sign_type left out, key appended, MD5 hex', () => {
    // md5("a=1&b=2&c=3KEY"), computed with md5sum
    expect(epaySign({ c: '3', a: '1', b: '2', empty: '', sign: 'x', sign_type: 'MD5' }, 'KEY')).toBe('2a06839ab762f3729a21ad3bf3558c31');
  });

  it('builds the submit.php redirect with a verifiable signature', async () => {
    const config = { gateway: 'https://pay.example.com', pid: '1001', key: EPAY_KEY };
    const { action } = await epay.createPayment(
      config,
      {
        channelId: 'c',
        orderNo: '2026',
        amount: 1234,
        currency: 'CNY',
        subject: '月卡',
        notifyUrl: 'http://shop/n',
        returnUrl: 'http://shop/r',
        expiresAt: new Date(Date.now() + 900_000),
      },
      fetch,
    );
    expect(action.type).toBe('redirect');
    const url = new URL((action as { url: string }).url);
    expect(url.origin + url.pathname).toBe('https://pay.example.com/submit.php');
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      pid: '1001',
      out_trade_no: '2026',
      money: '12.34',
      name: '月卡',
      notify_url: 'http://shop/n',
      return_url: 'http://shop/r',
      sign_type: 'MD5',
    });
    expect(params.sign).toBe(epaySign(params, EPAY_KEY));
    expect(params).not.toHaveProperty('key');
  });

  it('converts money exactly, never through floats', () => {
    expect(parseExactAmount('0.01', 'CNY')).toBe(1);
    expect(parseExactAmount('12.3', 'CNY')).toBe(1230);
    expect(parseExactAmount('100', 'CNY')).toBe(10000);
    expect(parseExactAmount('1.005', 'CNY')).toBeNull();
    expect(parseExactAmount('-1', 'CNY')).toBeNull();
    expect(parseExactAmount('1e3', 'CNY')).toBeNull();
    expect(amountToInput(1, 'CNY')).toBe('0.01');
    expect(amountToInput(123456, 'CNY')).toBe('1234.56');
  });

  it('accepts a signed POST form as well as a GET query', () => {
    const config = { gateway: 'https://pay.example.com', pid: '1001', key: EPAY_KEY };
    const p: Record<string, string> = {
      pid: '1001',
      trade_no: 'T',
      out_trade_no: 'O',
      type: 'alipay',
      name: 'n',
      money: '1.00',
      trade_status: 'TRADE_SUCCESS',
    };
    const signed = { ...p, sign: epaySign(p, EPAY_KEY), sign_type: 'MD5' };
    expect(epay.verifyNotification(config, { method: 'POST', query: {}, body: signed })).toMatchObject({ ok: true, amount: 100, paid: true });
    expect(epay.verifyNotification(config, { method: 'GET', query: signed, body: {} })).toMatchObject({ ok: true, tradeNo: 'T' });
    expect(epay.verifyNotification(config, { method: 'GET', query: { ...signed, sign: signed.sign!.toUpperCase() }, body: {} })).toMatchObject({ ok: true });
  });
});

const expireOrdersFor = (t: TestDb) => expireOrders(t.db);

describe('reconciliation against a local epay server', () => {
  let t: TestDb;
  let sim: Awaited<ReturnType<typeof startEpaySimulator>>;
  beforeAll(async () => {
    t = await createTestDatabase();
    sim = await startEpaySimulator('1001', EPAY_KEY);
  });
  afterAll(async () => {
    await sim.close();
    await dropTestDatabase(t);
  });

  it('recovers a paid order whose notification was lost, and leaves unpaid ones pending', async () => {
    const m = await seedMerchant(t.db);
    const channel = await seedEpayChannel(t.db, m.merchantId, sim.gateway);
    const product = await seedProduct(t.db, m.merchantId, { keys: 3, price: 1999 });
    const paid = await createOrder(t.db, { productId: product.id, email: 'p@example.test', channel: channel.id }, { merchantId: m.merchantId });
    const unpaid = await createOrder(t.db, { productId: product.id, email: 'u@example.test', channel: channel.id }, { merchantId: m.merchantId });
    const underpaid = await createOrder(t.db, { productId: product.id, email: 'w@example.test', channel: channel.id }, { merchantId: m.merchantId });
    sim.payments.set(paid.orderNo, { outTradeNo: paid.orderNo, tradeNo: 'SIM-1', money: '19.99', status: 1 });
    sim.payments.set(unpaid.orderNo, { outTradeNo: unpaid.orderNo, tradeNo: 'SIM-2', money: '19.99', status: 0 });
    sim.payments.set(underpaid.orderNo, { outTradeNo: underpaid.orderNo, tradeNo: 'SIM-3', money: '0.01', status: 1 });
    await t.db.execute(sql`UPDATE orders SET created_at = now() - interval '5 minutes'`);

    const result = await reconcilePayments(t.db);
    expect(result).toMatchObject({ checked: 3, recovered: 1, errors: 0 });
    expect(sim.queries.sort()).toEqual([paid.orderNo, unpaid.orderNo, underpaid.orderNo].sort());
    const statuses = await t.db.execute<{ order_no: string; status: string }>(sql`SELECT order_no, status FROM orders`);
    const byNo = Object.fromEntries(statuses.map((s) => [s.order_no, s.status]));
    expect(byNo).toEqual({ [paid.orderNo]: 'delivered', [unpaid.orderNo]: 'pending', [underpaid.orderNo]: 'pending' });
    // The console's figures: this merchant's recovery, the orders still watched, the last run.
    expect(await reconcileStats(t.db, m.merchantId)).toMatchObject({ recoveredLast7Days: 1, watched: 2, lastRun: { checked: 3, recovered: 1, errors: 0 } });
    const other = await seedMerchant(t.db);
    expect(await reconcileStats(t.db, other.merchantId)).toMatchObject({ recoveredLast7Days: 0, watched: 0 });

    // Asked again only after five minutes.
    expect((await reconcilePayments(t.db)).checked).toBe(0);
  });

  it('finds an order paid while our notify URL was down for longer than the provider retries', async () => {
    const m = await seedMerchant(t.db);
    const channel = await seedEpayChannel(t.db, m.merchantId, sim.gateway);
    const product = await seedProduct(t.db, m.merchantId, { keys: 2, price: 500 });
    const recent = await createOrder(t.db, { productId: product.id, email: 'r3@example.test', channel: channel.id }, { merchantId: m.merchantId });
    const ancient = await createOrder(t.db, { productId: product.id, email: 'r4@example.test', channel: channel.id }, { merchantId: m.merchantId });
    for (const o of [recent, ancient]) sim.payments.set(o.orderNo, { outTradeNo: o.orderNo, tradeNo: `T-${o.orderNo}`, money: '5.00', status: 1 });
    // Expired three hours ago (past the provider's retry hour), and four days ago (past our window).
    await t.db.execute(
      sql`UPDATE orders SET created_at = now() - interval '3 hours 15 minutes', expires_at = now() - interval '3 hours' WHERE order_no = ${recent.orderNo}`,
    );
    await t.db.execute(
      sql`UPDATE orders SET created_at = now() - interval '4 days 1 hour', expires_at = now() - interval '4 days' WHERE order_no = ${ancient.orderNo}`,
    );
    await expireOrdersFor(t);
    sim.queries.length = 0;
    const result = await reconcilePayments(t.db);
    expect(sim.queries).toEqual([recent.orderNo]);
    expect(result).toMatchObject({ recovered: 1 });
    const statuses = await t.db.execute<{ order_no: string; status: string }>(
      sql`SELECT order_no, status FROM orders WHERE order_no IN (${recent.orderNo}, ${ancient.orderNo})`,
    );
    expect(Object.fromEntries(statuses.map((s) => [s.order_no, s.status]))).toEqual({ [recent.orderNo]: 'delivered', [ancient.orderNo]: 'expired' });
  });

  it('a buyer waiting on a pending order has it looked up once a minute, however many pages poll', async () => {
    const m = await seedMerchant(t.db);
    const channel = await seedEpayChannel(t.db, m.merchantId, sim.gateway);
    const product = await seedProduct(t.db, m.merchantId, { keys: 2, price: 800 });
    const waiting = await createOrder(t.db, { productId: product.id, email: 'wait@example.test', channel: channel.id }, { merchantId: m.merchantId });
    const fresh = await createOrder(t.db, { productId: product.id, email: 'fresh@example.test', channel: channel.id }, { merchantId: m.merchantId });
    for (const o of [waiting, fresh]) sim.payments.set(o.orderNo, { outTradeNo: o.orderNo, tradeNo: `W-${o.orderNo}`, money: '8.00', status: 0 });
    await t.db.execute(sql`UPDATE orders SET created_at = now() - interval '90 seconds' WHERE order_no = ${waiting.orderNo}`);
    sim.queries.length = 0;

    // Ten page loads at once while it is unpaid: one question to the provider.
    const first = await Promise.all(Array.from({ length: 10 }, () => reconcileOrder(t.db, waiting.orderNo)));
    expect(first.reduce((n, r) => n + r.checked, 0)).toBe(1);
    // A minute-old order not yet (its notification may still be on the way).
    expect(await reconcileOrder(t.db, fresh.orderNo)).toEqual({ checked: 0, recovered: 0, errors: 0 });
    expect(sim.queries).toEqual([waiting.orderNo]);

    // Paid at the provider, notification lost: the next look a minute later finds and delivers it.
    sim.payments.set(waiting.orderNo, { outTradeNo: waiting.orderNo, tradeNo: `W-${waiting.orderNo}`, money: '8.00', status: 1 });
    expect(await reconcileOrder(t.db, waiting.orderNo)).toMatchObject({ checked: 0 });
    await t.db.execute(sql`UPDATE orders SET checked_at = now() - interval '61 seconds' WHERE order_no = ${waiting.orderNo}`);
    expect(await reconcileOrder(t.db, waiting.orderNo)).toEqual({ checked: 1, recovered: 1, errors: 0 });
    const [row] = await t.db.execute<{ status: string }>(sql`SELECT status FROM orders WHERE order_no = ${waiting.orderNo}`);
    expect(row!.status).toBe('delivered');
    // Delivered: nothing more to ask.
    await t.db.execute(sql`UPDATE orders SET checked_at = NULL WHERE order_no = ${waiting.orderNo}`);
    expect((await reconcileOrder(t.db, waiting.orderNo)).checked).toBe(0);
  });

  it('a provider that is down is an error to retry, not a crash', async () => {
    const m = await seedMerchant(t.db);
    const channel = await seedEpayChannel(t.db, m.merchantId, 'http://127.0.0.1:9/');
    const product = await seedProduct(t.db, m.merchantId, { keys: 1 });
    await createOrder(t.db, { productId: product.id, email: 'down@example.test', channel: channel.id }, { merchantId: m.merchantId });
    await t.db.execute(sql`UPDATE orders SET created_at = now() - interval '5 minutes' WHERE channel_id = ${channel.id}`);
    expect(await reconcilePayments(t.db)).toMatchObject({ checked: 1, recovered: 0, errors: 1 });
  });
});

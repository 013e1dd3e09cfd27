import { createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { orders, products } from '@/db/schema';
import { sealedIn, sealToText } from '@/lib/crypto';
import { DELIVERY_ATTEMPTS, deliveryConsumers } from '@/lib/dynamic-delivery';
import { runJob } from '@/lib/jobs';
import { mailConsumers } from '@/lib/mail';
import { createOrder, getOrderForBuyer, handlePaymentNotification } from '@/lib/orders';
import { drainOutbox, type ClaimedRow } from '@/lib/outbox';
import { demoNotification, loadChannel } from '@/lib/payments';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';
import { startRecorder } from '@/test/http-recorder';

let t: TestDb;
let merchant: Awaited<ReturnType<typeof seedMerchant>>;
let recorder: Awaited<ReturnType<typeof startRecorder>>;
const SECRET = 'dyn-secret-0123456789';

beforeAll(async () => {
  t = await createTestDatabase({ max: 70 });
  merchant = await seedMerchant(t.db);
  recorder = await startRecorder();
});
afterAll(async () => {
  await recorder.close();
  await dropTestDatabase(t);
});
beforeEach(() => {
  recorder.requests.length = 0;
});

const consumers = () => ({ ...mailConsumers(t.db), ...deliveryConsumers(t.db, { timeoutMs: 300 }) });

async function drainAll(rounds = 30) {
  for (let i = 0; i < rounds; i++) {
    await t.db.execute(sql`UPDATE outbox SET available_at = now() WHERE status = 'pending'`);
    const r = await drainOutbox(t.db, { consumers: consumers(), backoffBaseSeconds: 1 });
    if (r.claimed === 0) return;
  }
}

async function webhookProduct(path: string) {
  const product = await seedProduct(t.db, merchant.merchantId, { price: 500, maxQty: 5 });
  await t.db
    .update(products)
    .set({
      deliveryType: 'webhook',
      deliveryUrl: `${recorder.url}${path}`,
      deliverySecret: sealToText(SECRET, sealedIn.deliverySecret({ id: product.id, merchantId: merchant.merchantId })),
    })
    .where(eq(products.id, product.id));
  return product;
}

async function paidOrder(productId: string, quantity = 1) {
  const order = await createOrder(
    t.db,
    { productId, quantity, email: 'dyn@example.test', channel: merchant.demoChannelId },
    { merchantId: merchant.merchantId },
  );
  const channel = await loadChannel(t.db, merchant.demoChannelId);
  const body = demoNotification(
    (channel!.config as { secret: string }).secret,
    { orderNo: order.orderNo, amount: order.amount, currency: order.currency },
    `T-${order.orderNo}`,
  );
  const res = await handlePaymentNotification(t.db, merchant.demoChannelId, { method: 'POST', query: {}, body });
  expect(res.outcome).toBe('paid');
  return order;
}

const statusOf = async (orderNo: string) => (await t.db.select({ s: orders.status }).from(orders).where(eq(orders.orderNo, orderNo)))[0]!.s;

describe('dynamic delivery (webhook delivery type)', () => {
  it('the payment commits with the order paid; after commit the merchant URL is called, signed, and its keys are delivered', async () => {
    const product = await webhookProduct('/deliver');
    recorder.setReply((req) => {
      const { orderNo, quantity } = JSON.parse(req.body) as { orderNo: string; quantity: number };
      return { body: JSON.stringify({ keys: Array.from({ length: quantity }, (_, i) => `DYN-${orderNo}-${i}`) }) };
    });
    const order = await paidOrder(product.id, 2);
    expect(recorder.requests).toHaveLength(0); // nothing was called inside the payment transaction
    expect(await statusOf(order.orderNo)).toBe('paid');

    await drainAll();
    const [call] = recorder.requests;
    expect(JSON.parse(call!.body)).toMatchObject({
      orderNo: order.orderNo,
      productId: product.id,
      quantity: 2,
      amount: 1000,
      currency: 'CNY',
      email: 'dyn@example.test',
    });
    expect(call!.headers['x-openfaka-delivery']).toBe(order.orderNo);
    const [, ts, mac] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(call!.headers['x-openfaka-signature']))!;
    expect(mac).toBe(createHmac('sha256', SECRET).update(`${ts}.${call!.body}`).digest('hex'));

    const view = await getOrderForBuyer(t.db, order.orderNo, order.token);
    expect(view.status).toBe('delivered');
    expect(view.keys).toEqual([`DYN-${order.orderNo}-0`, `DYN-${order.orderNo}-1`]);
    const mails = await t.db.execute(sql`SELECT status FROM outbox WHERE consumer = 'mail.delivery' AND payload->>'orderNo' = ${order.orderNo}`);
    expect(mails.map((m) => m.status)).toEqual(['done']);
  });

  it('a slow merchant times out and is retried; the order stays paid meanwhile, then is delivered once', async () => {
    const product = await webhookProduct('/slow');
    let calls = 0;
    recorder.setReply((req) => {
      calls++;
      const { orderNo } = JSON.parse(req.body) as { orderNo: string };
      return calls <= 2 ? { delayMs: 1000, body: JSON.stringify({ keys: [`LATE-${orderNo}`] }) } : { body: JSON.stringify({ keys: [`OK-${orderNo}`] }) };
    });
    const order = await paidOrder(product.id);
    await t.db.execute(sql`UPDATE outbox SET available_at = now() WHERE status = 'pending'`);
    await drainOutbox(t.db, { consumers: consumers() });
    expect(await statusOf(order.orderNo)).toBe('paid');
    const [row] = await t.db.execute<{ last_error: string }>(
      sql`SELECT last_error FROM outbox WHERE consumer = 'delivery.dynamic' AND payload->>'orderNo' = ${order.orderNo}`,
    );
    expect(row!.last_error).toBe('OutboundError: timed out');
    await drainAll();
    const view = await getOrderForBuyer(t.db, order.orderNo, order.token);
    expect(view.status).toBe('delivered');
    expect(view.keys).toEqual([`OK-${order.orderNo}`]); // the late answers of timed-out calls were not used
  });

  it(`a failing merchant: after ${DELIVERY_ATTEMPTS} tries the paid order waits for the merchant, with an alert`, async () => {
    const product = await webhookProduct('/broken');
    recorder.setReply((req) => (req.path === '/broken' ? { status: 500 } : {}));
    const order = await paidOrder(product.id);
    await drainAll();
    expect(recorder.requests.filter((r) => r.path === '/broken')).toHaveLength(DELIVERY_ATTEMPTS);
    expect(await statusOf(order.orderNo)).toBe('awaiting_fulfillment');
    const alerts = await t.db.execute(sql`SELECT consumer FROM outbox WHERE topic = 'order.awaiting_fulfillment' AND payload->>'orderNo' = ${order.orderNo}`);
    expect(alerts.map((a) => a.consumer)).toEqual(['mail.merchant']);
    const [payments] = await t.db.execute<{ n: string }>(
      sql`SELECT count(*) AS n FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.order_no = ${order.orderNo}`,
    );
    expect(Number(payments!.n)).toBe(1); // the payment is kept
  });

  it('answers of the wrong shape or count are failures, not deliveries', async () => {
    const product = await webhookProduct('/odd');
    const answers = ['not json', '{"keys": []}', '{"keys": ["A", "B"]}', '{"key": "A"}'];
    recorder.setReply((_req, i) => ({ body: answers[i] ?? '{"keys": ["FINALLY"]}' }));
    const order = await paidOrder(product.id);
    await drainAll();
    const errors = await t.db.execute<{ type: string }>(
      sql`SELECT type FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.order_no = ${order.orderNo} ORDER BY e.id`,
    );
    expect(errors.map((e) => e.type)).toEqual(['created', 'paid', 'delivered']);
    expect((await getOrderForBuyer(t.db, order.orderNo, order.token)).keys).toEqual(['FINALLY']);
  });

  it('two deliveries of one order running at once: keys stored and the order delivered once', async () => {
    const product = await webhookProduct('/twice');
    recorder.setReply((req) => ({ delayMs: 50, body: JSON.stringify({ keys: [`ONCE-${(JSON.parse(req.body) as { orderNo: string }).orderNo}`] }) }));
    const order = await paidOrder(product.id);
    const [row] = await t.db.execute<{ id: string; payload: Record<string, unknown> }>(
      sql`SELECT id, payload FROM outbox WHERE consumer = 'delivery.dynamic' AND payload->>'orderNo' = ${order.orderNo}`,
    );
    const claimed: ClaimedRow = {
      id: Number(row!.id),
      topic: 'delivery.requested',
      consumer: 'delivery.dynamic',
      payload: row!.payload,
      attempts: 1,
      merchantId: merchant.merchantId,
    };
    const run = deliveryConsumers(t.db)['delivery.dynamic']!;
    await Promise.all([run(claimed), run(claimed), run(claimed)]);
    expect(recorder.requests.length).toBeGreaterThanOrEqual(1);
    const keys = await t.db.execute(sql`SELECT 1 FROM card_keys k JOIN orders o ON o.id = k.order_id WHERE o.order_no = ${order.orderNo}`);
    expect(keys).toHaveLength(1);
    const delivered = await t.db.execute(
      sql`SELECT 1 FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.order_no = ${order.orderNo} AND e.type = 'delivered'`,
    );
    expect(delivered).toHaveLength(1);
  });
});

describe('the outbox job (cron route and worker)', () => {
  it('runs dynamic deliveries and webhook fan-outs, not only e-mails', async () => {
    const product = await webhookProduct('/via-job');
    recorder.setReply((req) => ({ body: JSON.stringify({ keys: [`JOB-${(JSON.parse(req.body) as { orderNo: string }).orderNo}`] }) }));
    const order = await paidOrder(product.id);
    const result = await runJob(t.db, 'outbox');
    expect(result.failed).toBe(0);
    expect(await statusOf(order.orderNo)).toBe('delivered');
  });
});

describe('generated delivery type', () => {
  it('10,000 keys generated by concurrent deliveries are all distinct, even from a rule with collisions', async () => {
    // 16^5 ≈ 1M possible keys: ~50 birthday collisions among 10,000, each drawn again.
    const product = await seedProduct(t.db, merchant.merchantId, { deliveryType: 'generated', price: 1, maxQty: 10 });
    await t.db
      .update(products)
      .set({ generatorRule: { prefix: 'G', length: 5, charset: '0123456789ABCDEF', groups: 1, separator: '' } })
      .where(eq(products.id, product.id));
    const channel = await loadChannel(t.db, merchant.demoChannelId);
    const secret = (channel!.config as { secret: string }).secret;
    const created = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        createOrder(
          t.db,
          { productId: product.id, quantity: 10, email: `g${i}@example.test`, channel: merchant.demoChannelId },
          { merchantId: merchant.merchantId },
        ),
      ),
    );
    const outcomes = await Promise.all(
      created.map((o) =>
        handlePaymentNotification(t.db, merchant.demoChannelId, {
          method: 'POST',
          query: {},
          body: demoNotification(secret, { orderNo: o.orderNo, amount: o.amount, currency: o.currency }, `G-${o.orderNo}`),
        }),
      ),
    );
    expect(outcomes.filter((o) => o.outcome !== 'delivered').map((o) => o.outcome)).toEqual([]);
    const [stats] = await t.db.execute<{ keys: string; distinct_fp: string; orders: string }>(sql`
      SELECT count(*) AS keys, count(DISTINCT fingerprint) AS distinct_fp, count(DISTINCT order_id) AS orders FROM card_keys WHERE product_id = ${product.id}`);
    expect(stats).toEqual({ keys: '10000', distinct_fp: '10000', orders: '1000' });
  });
});

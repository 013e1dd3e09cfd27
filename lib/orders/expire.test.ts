import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPayment, createOrder, expireOrders, getOrderForBuyer, getOrderStatus } from '@/lib/orders';
import { stockOf } from '@/lib/inventory';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';

let t: TestDb;
let merchant: Awaited<ReturnType<typeof seedMerchant>>;

beforeAll(async () => {
  t = await createTestDatabase({ max: 30 });
  merchant = await seedMerchant(t.db);
});
afterAll(async () => dropTestDatabase(t));

async function backdate(orderNo: string) {
  await t.db.execute(sql`UPDATE orders SET expires_at = now() - interval '1 second' WHERE order_no = ${orderNo}`);
}

const pay = (orderNo: string, amount: number, tradeNo: string) =>
  applyPayment(t.db, merchant.demoChannelId, { outTradeNo: orderNo, tradeNo, amount, currency: 'CNY', raw: {} });

describe('expiry and late payment', () => {
  it('with no sweeper running, keys of lapsed orders go back to stock when the next buyer would find it sold out', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 2 });
    const order = (email: string, quantity = 1) =>
      createOrder(t.db, { productId: product.id, quantity, email, channel: merchant.demoChannelId }, { merchantId: merchant.merchantId });
    const lapsed = await order('lapsed@example.test');
    const live = await order('live@example.test');
    await backdate(lapsed.orderNo);
    // One key is held by a lapsed order, one by a live one: the next buyer gets the lapsed one's.
    const next = await order('next@example.test');
    expect(next.status).toBe('pending');
    const statuses = await t.db.execute<{ order_no: string; status: string }>(sql`SELECT order_no, status FROM orders WHERE product_id = ${product.id}`);
    expect(Object.fromEntries(statuses.map((r) => [r.order_no, r.status]))).toEqual({
      [lapsed.orderNo]: 'expired',
      [live.orderNo]: 'pending',
      [next.orderNo]: 'pending',
    });
    // Live reservations are never taken: now it is sold out.
    await expect(order('late@example.test')).rejects.toMatchObject({ code: 'out_of_stock' });
    expect(await stockOf(t.db, product.id)).toMatchObject({ available: 0, reserved: 2 });
  });

  it('the sweeper expires due orders and releases their keys, leaving others alone', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 5 });
    const a = await createOrder(
      t.db,
      { productId: product.id, quantity: 2, email: 'a@example.test', channel: merchant.demoChannelId },
      { merchantId: merchant.merchantId },
    );
    const b = await createOrder(
      t.db,
      { productId: product.id, quantity: 1, email: 'b@example.test', channel: merchant.demoChannelId },
      { merchantId: merchant.merchantId },
    );
    expect(await stockOf(t.db, product.id)).toMatchObject({ available: 2, reserved: 3 });
    await backdate(a.orderNo);
    expect(await expireOrders(t.db)).toBe(1);
    expect(await stockOf(t.db, product.id)).toMatchObject({ available: 4, reserved: 1 });
    expect((await getOrderStatus(t.db, a.orderNo)).view.status).toBe('expired');
    expect((await getOrderStatus(t.db, b.orderNo)).view.status).toBe('pending');
    expect(await expireOrders(t.db)).toBe(0);
  });

  it('concurrent sweepers expire each order once', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 40 });
    const orders = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        createOrder(t.db, { productId: product.id, email: `s${i}@example.test`, channel: merchant.demoChannelId }, { merchantId: merchant.merchantId }),
      ),
    );
    await t.db.execute(sql`UPDATE orders SET expires_at = now() - interval '1 second' WHERE product_id = ${product.id}`);
    const counts = await Promise.all([expireOrders(t.db, { batchSize: 7 }), expireOrders(t.db, { batchSize: 7 }), expireOrders(t.db, { batchSize: 7 })]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(40);
    const events = await t.db.execute(
      sql`SELECT order_id FROM order_events WHERE type = 'expired' AND order_id IN (SELECT id FROM orders WHERE product_id = ${product.id})`,
    );
    expect(events).toHaveLength(orders.length);
    expect(await stockOf(t.db, product.id)).toMatchObject({ available: 40, reserved: 0 });
  });

  it('reading an order past its expiry expires it on the spot, without the sweeper', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 1 });
    const order = await createOrder(
      t.db,
      { productId: product.id, email: 'r@example.test', channel: merchant.demoChannelId },
      { merchantId: merchant.merchantId },
    );
    await backdate(order.orderNo);
    expect((await getOrderForBuyer(t.db, order.orderNo, order.token)).status).toBe('expired');
    expect((await stockOf(t.db, product.id)).available).toBe(1);
  });

  it('a late payment re-reserves stock when there is some and delivers', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 2 });
    const order = await createOrder(
      t.db,
      { productId: product.id, email: 'late@example.test', channel: merchant.demoChannelId },
      { merchantId: merchant.merchantId },
    );
    await backdate(order.orderNo);
    await expireOrders(t.db);
    expect((await pay(order.orderNo, order.amount, 'LATE-1')).outcome).toBe('delivered');
    const view = await getOrderForBuyer(t.db, order.orderNo, order.token);
    expect(view.status).toBe('delivered');
    expect(view.keys).toHaveLength(1);
    expect(await stockOf(t.db, product.id)).toMatchObject({ available: 1, sold: 1, reserved: 0 });
  });

  it('a late payment with no stock left lands in awaiting_fulfillment with an alert', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 1 });
    const first = await createOrder(
      t.db,
      { productId: product.id, email: 'l1@example.test', channel: merchant.demoChannelId },
      { merchantId: merchant.merchantId },
    );
    await backdate(first.orderNo);
    await expireOrders(t.db);
    // Someone else buys and pays the only key meanwhile.
    const second = await createOrder(
      t.db,
      { productId: product.id, email: 'l2@example.test', channel: merchant.demoChannelId },
      { merchantId: merchant.merchantId },
    );
    expect((await pay(second.orderNo, second.amount, 'L-2')).outcome).toBe('delivered');
    expect((await pay(first.orderNo, first.amount, 'L-1')).outcome).toBe('awaiting_fulfillment');
    expect((await getOrderStatus(t.db, first.orderNo)).view.status).toBe('awaiting_fulfillment');
    const alerts = await t.db.execute(sql`SELECT payload FROM outbox WHERE topic = 'order.awaiting_fulfillment' AND payload->>'orderNo' = ${first.orderNo}`);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.payload).toMatchObject({ reason: 'no_stock' });
    expect(await stockOf(t.db, product.id)).toMatchObject({ available: 0, sold: 1 });
  });

  it('payment and expiry racing on the same order: delivered or expired-then-delivered, never a lost payment', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 30 });
    const orders = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        createOrder(t.db, { productId: product.id, email: `race${i}@example.test`, channel: merchant.demoChannelId }, { merchantId: merchant.merchantId }),
      ),
    );
    await t.db.execute(sql`UPDATE orders SET expires_at = now() - interval '1 second' WHERE product_id = ${product.id}`);
    await Promise.all([expireOrders(t.db, { batchSize: 5 }), ...orders.map((o, i) => pay(o.orderNo, o.amount, `RACE-${i}`))]);
    const statuses = await t.db.execute<{ status: string }>(sql`SELECT status FROM orders WHERE product_id = ${product.id}`);
    expect(statuses.every((s) => s.status === 'delivered')).toBe(true);
    expect(await stockOf(t.db, product.id)).toMatchObject({ sold: 30, reserved: 0, available: 0 });
  });
});

describe('a delivery that fails', () => {
  it('keeps the payment and leaves the order visibly awaiting the merchant, with an alert', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { deliveryType: 'generated', price: 100 });
    // A rule that cannot produce a key (empty charset).
    await t.db.execute(sql`UPDATE products SET generator_rule = '{"prefix":"X-","length":8,"charset":"","groups":1,"separator":"-"}' WHERE id = ${product.id}`);
    const order = await createOrder(
      t.db,
      { productId: product.id, email: 'gen@example.test', channel: merchant.demoChannelId },
      { merchantId: merchant.merchantId },
    );
    expect((await pay(order.orderNo, order.amount, 'GEN-FAIL')).outcome).toBe('awaiting_fulfillment');
    const [row] = await t.db.execute<{ status: string; payments: string; alerts: string }>(sql`
      SELECT o.status,
             (SELECT count(*) FROM payments p WHERE p.order_id = o.id) AS payments,
             (SELECT count(*) FROM outbox x WHERE x.topic = 'order.awaiting_fulfillment' AND x.payload->>'orderNo' = o.order_no) AS alerts
        FROM orders o WHERE o.order_no = ${order.orderNo}`);
    expect(row).toEqual({ status: 'awaiting_fulfillment', payments: '1', alerts: '1' });
    // A retried notification is a duplicate, not a second attempt at payment.
    expect((await pay(order.orderNo, order.amount, 'GEN-FAIL')).outcome).toBe('duplicate');
  });
});

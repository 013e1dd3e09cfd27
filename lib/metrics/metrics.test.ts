import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/api/metrics/route';
import { resetConfig } from '@/lib/config';
import { collectMetrics, LATENCY_BUCKETS, renderPrometheus } from '@/lib/metrics';
import { createOrder, handlePaymentNotification } from '@/lib/orders';
import { demoNotification, loadChannel } from '@/lib/payments';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';

let t: TestDb;
const TOKEN = 'metrics-token-for-tests-0123456789';

/** `name{labels}` → value, checking every sample line has the exposition format's shape. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+]+|\+Inf|NaN)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    out.set(m[1]! + (m[2] ?? ''), Number(m[3]));
  }
  return out;
}

beforeAll(async () => {
  t = await createTestDatabase();
  const merchant = await seedMerchant(t.db);
  const product = await seedProduct(t.db, merchant.merchantId, { keys: 20 });
  const channel = await loadChannel(t.db, merchant.demoChannelId);
  const secret = (channel!.config as { secret: string }).secret;
  const orders = [];
  for (let i = 0; i < 8; i++) {
    orders.push(
      await createOrder(
        t.db,
        { productId: product.id, quantity: 1, email: `m${i}@example.test`, channel: merchant.demoChannelId },
        { merchantId: merchant.merchantId },
      ),
    );
  }
  // Orders 0-4 paid and delivered (each enqueues a delivery e-mail), 5 expired, 6-7 pending.
  for (const o of orders.slice(0, 5)) {
    const r = await handlePaymentNotification(t.db, merchant.demoChannelId, { method: 'POST', query: {}, body: demoNotification(secret, o, `T-${o.orderNo}`) });
    expect(r.outcome).toBe('delivered');
  }
  // Constructed payment→delivery latencies: 0.03 s, 0.4 s, 3 s, 100 s within the hour; one delivered two hours ago.
  const latencies: [number, number][] = [
    [0, 0.03],
    [1, 0.4],
    [2, 3],
    [3, 100],
  ];
  for (const [i, s] of latencies) {
    await t.db.execute(
      sql`UPDATE orders SET delivered_at = now() - interval '1 minute', paid_at = now() - interval '1 minute' - make_interval(secs => ${s}) WHERE order_no = ${orders[i]!.orderNo}`,
    );
  }
  await t.db.execute(
    sql`UPDATE orders SET delivered_at = now() - interval '2 hours', paid_at = now() - interval '2 hours' WHERE order_no = ${orders[4]!.orderNo}`,
  );
  await t.db.execute(sql`UPDATE orders SET status = 'expired' WHERE order_no = ${orders[5]!.orderNo}`);
  // Outbox: of the five delivery e-mails, one done, one failed once (retrying, written 300 s ago), one dead;
  // plus a dead merchant alert.
  const rows = await t.db.execute<{ id: string }>(sql`SELECT id FROM outbox WHERE consumer = 'mail.delivery' ORDER BY id`);
  expect(rows).toHaveLength(5);
  const [done, retrying, dead] = rows.map((r) => Number(r.id));
  await t.db.execute(sql`UPDATE outbox SET status = 'done', processed_at = now() WHERE id = ${done}`);
  await t.db.execute(
    sql`UPDATE outbox SET attempts = 1, last_error = 'smtp down', created_at = now() - interval '300 seconds', available_at = now() - interval '10 seconds' WHERE id = ${retrying}`,
  );
  await t.db.execute(sql`UPDATE outbox SET status = 'dead', attempts = 10, last_error = 'smtp down' WHERE id = ${dead}`);
  await t.db.execute(
    sql`INSERT INTO outbox (merchant_id, topic, consumer, payload, status, attempts) VALUES (${merchant.merchantId}, 'stock.low', 'mail.merchant', '{}'::jsonb, 'dead', 10)`,
  );
});
afterAll(async () => {
  delete process.env.METRICS_TOKEN;
  resetConfig();
  await dropTestDatabase(t);
});

describe('metrics', () => {
  it('renders parseable exposition text whose numbers match the constructed orders and outbox', async () => {
    const text = renderPrometheus(await collectMetrics(t.db));
    const m = parse(text);
    expect(text).toContain('# TYPE openfaka_orders gauge');
    expect(text).toContain('# TYPE openfaka_payment_to_delivery_seconds histogram');

    expect(m.get('openfaka_orders{status="delivered"}')).toBe(5);
    expect(m.get('openfaka_orders{status="expired"}')).toBe(1);
    expect(m.get('openfaka_orders{status="pending"}')).toBe(2);
    expect(m.get('openfaka_orders{status="paid"}')).toBe(0);
    expect(m.get('openfaka_orders{status="refunded"}')).toBe(0);

    // Four deliveries in the last hour (the two-hour-old one is outside the window).
    const bucket = (le: string) => m.get(`openfaka_payment_to_delivery_seconds_bucket{le="${le}"}`);
    expect(bucket('0.05')).toBe(1);
    expect(bucket('0.1')).toBe(1);
    expect(bucket('0.5')).toBe(2);
    expect(bucket('2.5')).toBe(2);
    expect(bucket('5')).toBe(3);
    expect(bucket('60')).toBe(3);
    expect(bucket('300')).toBe(4);
    expect(bucket('+Inf')).toBe(4);
    expect(m.get('openfaka_payment_to_delivery_seconds_count')).toBe(4);
    expect(m.get('openfaka_payment_to_delivery_seconds_sum')).toBeCloseTo(103.43, 2);
    // Buckets are cumulative.
    const counts = LATENCY_BUCKETS.map((le) => bucket(String(le))!);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));

    expect(m.get('openfaka_outbox_pending{consumer="mail.delivery"}')).toBe(3);
    expect(m.get('openfaka_outbox_retrying{consumer="mail.delivery"}')).toBe(1);
    expect(m.get('openfaka_outbox_dead{consumer="mail.delivery"}')).toBe(1);
    expect(m.get('openfaka_outbox_dead{consumer="mail.merchant"}')).toBe(1);
    expect(m.get('openfaka_outbox_pending{consumer="mail.merchant"}')).toBe(0);
    expect(m.get('openfaka_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(299);
    expect(m.get('openfaka_outbox_oldest_pending_age_seconds')).toBeLessThan(330);
    expect(m.get('openfaka_outbox_lag_seconds')).toBeGreaterThanOrEqual(9);
    expect(m.get('openfaka_deliveries_failed{consumer="mail.delivery",state="retrying"}')).toBe(1);
    expect(m.get('openfaka_deliveries_failed{consumer="mail.delivery",state="dead"}')).toBe(1);
    // Merchant alerts are not buyer deliveries.
    expect(m.has('openfaka_deliveries_failed{consumer="mail.merchant",state="dead"}')).toBe(false);
  });

  it('label values are escaped', () => {
    const text = renderPrometheus([{ name: 'x', help: 'h', type: 'gauge', samples: [{ labels: { a: 'q"b\\n\nz' }, value: 1 }] }]);
    expect(text).toContain('x{a="q\\"b\\\\n\\nz"} 1');
    expect(() => parse(text)).not.toThrow();
  });

  it('/api/metrics: 404 without METRICS_TOKEN configured, 401 without or with a wrong token, 200 with the right one', async () => {
    const get = (auth?: string) => GET(new Request('http://shop.test/api/metrics', { headers: auth ? { authorization: auth } : {} }));
    delete process.env.METRICS_TOKEN;
    resetConfig();
    expect((await get(`Bearer ${TOKEN}`)).status).toBe(404);

    process.env.METRICS_TOKEN = TOKEN;
    resetConfig();
    const none = await get();
    expect(none.status).toBe(401);
    expect(await none.text()).not.toContain('openfaka_');
    expect((await get('Bearer wrong-token')).status).toBe(401);
    expect((await get(`Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await get(`Basic ${TOKEN}`)).status).toBe(401);
    expect((await get(`Bearer ${process.env.CRON_SECRET}`)).status).toBe(401);

    const ok = await get(`Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const m = parse(await ok.text());
    expect(m.get('openfaka_orders{status="delivered"}')).toBe(5);
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders, outbox, type OrderStatus } from '@/db/schema';
import type { Db } from '@/db/client';
import { dashboardSummary, lowStockProducts, periodRange, revenueSeries, salesHeatmap, shanghaiDayStart } from '@/lib/reports';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';

// "Now" is Wednesday 2026-03-11 12:00 in Shanghai (04:00 UTC); Shanghai's day began at 16:00 UTC on the 10th.
const NOW = new Date('2026-03-11T04:00:00Z');

let t: TestDb;
let a: Awaited<ReturnType<typeof seedMerchant>>;
let b: Awaited<ReturnType<typeof seedMerchant>>;
let productA: string;
let productB: string;

type Seed = { status: OrderStatus; created: string; paid?: string; delivered?: string; amount: number; currency?: string };

async function insertOrder(db: Db, m: { merchantId: string; demoChannelId: string }, productId: string, o: Seed & { agentId?: string }) {
  const [row] = await db
    .insert(orders)
    .values({
      orderNo: `${Date.now()}${Math.floor(Math.random() * 1e6)
        .toString()
        .padStart(6, '0')}`,
      merchantId: m.merchantId,
      productId,
      channelId: m.demoChannelId,
      status: o.status,
      quantity: 1,
      unitPrice: o.amount,
      amount: o.amount,
      currency: o.currency ?? 'CNY',
      email: 'buyer@example.test',
      tokenHash: randomBytes(16).toString('hex'),
      agentId: o.agentId ?? null,
      expiresAt: new Date(new Date(o.created).getTime() + 15 * 60_000),
      createdAt: new Date(o.created),
      paidAt: o.paid ? new Date(o.paid) : null,
      deliveredAt: o.delivered ? new Date(o.delivered) : null,
      refundedAt: o.status === 'refunded' ? new Date(o.paid ?? o.created) : null,
    })
    .returning();
  return row!;
}

beforeAll(async () => {
  t = await createTestDatabase();
  a = await seedMerchant(t.db, 'reports-a');
  b = await seedMerchant(t.db, 'reports-b');
  productA = (await seedProduct(t.db, a.merchantId, { title: 'Alpha' })).id;
  productB = (await seedProduct(t.db, b.merchantId, { title: 'Beta' })).id;
  const seeds: Seed[] = [
    // 00:30 Wednesday in Shanghai: today, although still the 10th in UTC.
    { status: 'delivered', created: '2026-03-10T16:29:00Z', paid: '2026-03-10T16:30:00Z', delivered: '2026-03-10T16:31:00Z', amount: 1000 },
    // 23:30 Tuesday in Shanghai: yesterday, inside 7 days.
    { status: 'delivered', created: '2026-03-10T15:29:00Z', paid: '2026-03-10T15:30:00Z', delivered: '2026-03-10T15:32:00Z', amount: 2000 },
    { status: 'refunded', created: '2026-03-11T01:00:00Z', paid: '2026-03-11T01:01:00Z', delivered: '2026-03-11T01:01:30Z', amount: 5000 },
    { status: 'expired', created: '2026-03-11T02:00:00Z', amount: 800 },
    { status: 'pending', created: '2026-03-11T03:00:00Z', amount: 900 },
    { status: 'awaiting_fulfillment', created: '2026-03-11T03:09:00Z', paid: '2026-03-11T03:10:00Z', amount: 300, currency: 'USD' },
    { status: 'paid', created: '2026-03-11T03:19:00Z', paid: '2026-03-11T03:20:00Z', amount: 700 },
    // Tuesday 23:45 a week earlier: in 30 days only, the same heat map cell as the 23:30 one.
    { status: 'delivered', created: '2026-03-03T15:44:00Z', paid: '2026-03-03T15:45:00Z', delivered: '2026-03-03T15:45:05Z', amount: 100 },
    // 40 days ago: outside every period.
    { status: 'delivered', created: '2026-01-30T03:00:00Z', paid: '2026-01-30T03:01:00Z', delivered: '2026-01-30T03:02:00Z', amount: 4000 },
  ];
  for (const s of seeds) await insertOrder(t.db, a, productA, s);
  // Another merchant's busy morning must not show up anywhere.
  await insertOrder(t.db, b, productB, {
    status: 'delivered',
    created: '2026-03-11T02:00:00Z',
    paid: '2026-03-11T02:00:30Z',
    delivered: '2026-03-11T02:00:40Z',
    amount: 99_999,
  });
  await insertOrder(t.db, b, productB, { status: 'awaiting_fulfillment', created: '2026-03-11T02:00:00Z', paid: '2026-03-11T02:01:00Z', amount: 99_999 });
  await t.db.insert(outbox).values([
    { merchantId: a.merchantId, topic: 'order.delivered', consumer: 'mail', payload: {}, status: 'pending', createdAt: new Date(Date.now() - 3600_000) },
    { merchantId: a.merchantId, topic: 'order.delivered', consumer: 'mail', payload: {}, status: 'pending' },
    { merchantId: a.merchantId, topic: 'order.delivered', consumer: 'mail', payload: {}, status: 'dead' },
    { merchantId: a.merchantId, topic: 'order.delivered', consumer: 'mail', payload: {}, status: 'done' },
    { merchantId: b.merchantId, topic: 'order.delivered', consumer: 'mail', payload: {}, status: 'dead' },
  ]);
});
afterAll(async () => dropTestDatabase(t));

describe('periods in Asia/Shanghai', () => {
  it('today starts at Shanghai midnight (16:00 UTC the day before); 7d and 30d count calendar days including today', () => {
    expect(shanghaiDayStart(NOW).toISOString()).toBe('2026-03-10T16:00:00.000Z');
    // 23:59 UTC is already 07:59 the next day in Shanghai.
    expect(shanghaiDayStart(new Date('2026-03-10T23:59:00Z')).toISOString()).toBe('2026-03-10T16:00:00.000Z');
    expect(shanghaiDayStart(new Date('2026-03-10T15:59:59Z')).toISOString()).toBe('2026-03-09T16:00:00.000Z');
    expect(periodRange('today', NOW)).toMatchObject({ from: new Date('2026-03-10T16:00:00Z'), to: NOW, bucket: 'hour' });
    expect(periodRange('7d', NOW)).toMatchObject({ from: new Date('2026-03-04T16:00:00Z'), bucket: 'day' });
    expect(periodRange('30d', NOW).from.toISOString()).toBe('2026-02-09T16:00:00.000Z');
  });
});

describe('dashboardSummary', () => {
  it("today: revenue per currency without refunds, conversion, delivery time, awaiting and outbox — none of another merchant's", async () => {
    const s = await dashboardSummary(t.db, a.merchantId, periodRange('today', NOW));
    expect(s.revenue).toEqual([
      { currency: 'CNY', amount: 1700, orders: 2 },
      { currency: 'USD', amount: 300, orders: 1 },
    ]);
    // Created today: delivered(00:30), refunded, expired, pending, awaiting, paid = 6; reached paid: 4.
    expect(s.created).toBe(6);
    expect(s.paid).toBe(4);
    expect(s.conversion).toBeCloseTo(4 / 6);
    expect(s.avgDeliverySeconds).toBe(60);
    expect(s.awaiting.count).toBe(1);
    expect(s.awaiting.oldest).toEqual([expect.objectContaining({ productTitle: 'Alpha', amount: 300, currency: 'USD', paidAt: '2026-03-11T03:10:00.000Z' })]);
    expect(s.outbox.pending).toBe(2);
    expect(s.outbox.dead).toBe(1);
    expect(s.outbox.oldestPendingSeconds).toBeGreaterThanOrEqual(3599);
  });

  it("7 days takes in yesterday's late-evening order; the 40-day-old one stays out", async () => {
    const s = await dashboardSummary(t.db, a.merchantId, periodRange('7d', NOW));
    expect(s.revenue).toEqual([
      { currency: 'CNY', amount: 3700, orders: 3 },
      { currency: 'USD', amount: 300, orders: 1 },
    ]);
    expect(s.created).toBe(7);
    expect(s.paid).toBe(5);
    expect(s.avgDeliverySeconds).toBe(90);
    const month = await dashboardSummary(t.db, a.merchantId, periodRange('30d', NOW));
    expect(month.created).toBe(8);
    expect(month.revenue[0]).toEqual({ currency: 'CNY', amount: 3800, orders: 4 });
  });

  it('a merchant with no orders gets zeros and nulls, not errors', async () => {
    const empty = await seedMerchant(t.db, 'reports-empty');
    const s = await dashboardSummary(t.db, empty.merchantId, periodRange('30d', NOW));
    expect(s).toEqual({
      revenue: [],
      created: 0,
      paid: 0,
      conversion: null,
      avgDeliverySeconds: null,
      awaiting: { count: 0, oldest: [] },
      outbox: { pending: 0, oldestPendingSeconds: null, dead: 0 },
    });
    expect((await salesHeatmap(t.db, empty.merchantId, periodRange('30d', NOW))).total).toBe(0);
    expect(await lowStockProducts(t.db, empty.merchantId)).toEqual([]);
  });
});

describe('revenueSeries', () => {
  it('by day over 7 days: one point per Shanghai day, the 00:30 payment on the 11th and the 23:30 one on the 10th', async () => {
    const points = await revenueSeries(t.db, a.merchantId, periodRange('7d', NOW));
    expect(points.map((p) => p.bucket)).toEqual(['2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10', '2026-03-11']);
    expect(points[5]).toEqual({ bucket: '2026-03-10', orders: 1, amounts: { CNY: 2000 } });
    expect(points[6]).toEqual({ bucket: '2026-03-11', orders: 3, amounts: { CNY: 1700, USD: 300 } });
    expect(points.slice(0, 5).every((p) => p.orders === 0 && Object.keys(p.amounts).length === 0)).toBe(true);
  });

  it('by hour today: midnight to the current hour, refunds left out', async () => {
    const points = await revenueSeries(t.db, a.merchantId, periodRange('today', NOW));
    expect(points).toHaveLength(12);
    expect(points[0]).toEqual({ bucket: '2026-03-11 00:00', orders: 1, amounts: { CNY: 1000 } });
    expect(points[9]).toEqual({ bucket: '2026-03-11 09:00', orders: 0, amounts: {} }); // the refunded order
    expect(points[11]).toEqual({ bucket: '2026-03-11 11:00', orders: 2, amounts: { CNY: 700, USD: 300 } });
  });
});

describe('salesHeatmap', () => {
  it('cells land on the Shanghai weekday and hour of payment (Monday = row 0)', async () => {
    const h = await salesHeatmap(t.db, a.merchantId, periodRange('7d', NOW));
    expect(h.cells).toHaveLength(7);
    expect(h.cells.every((row) => row.length === 24)).toBe(true);
    expect(h.cells[1]![23]).toBe(1); // Tuesday 23:30
    expect(h.cells[2]![0]).toBe(1); // Wednesday 00:30
    expect(h.cells[2]![11]).toBe(2); // Wednesday 11:10 and 11:20
    expect(h.cells[2]![9]).toBe(0); // refunded
    expect(h).toMatchObject({ max: 2, total: 4 });
    // Over 30 days two Tuesdays' 23:00 hours add up in one cell.
    const month = await salesHeatmap(t.db, a.merchantId, periodRange('30d', NOW));
    expect(month.cells[1]![23]).toBe(2);
    expect(month.total).toBe(5);
  });
});

describe('lowStockProducts', () => {
  it('lists active auto products at or below their alert, emptiest first, and nothing of another merchant', async () => {
    const m = await seedMerchant(t.db, 'reports-stock');
    const low = await seedProduct(t.db, m.merchantId, { title: 'Low', stockAlert: 5, keys: 3 });
    const empty = await seedProduct(t.db, m.merchantId, { title: 'Sold out', stockAlert: 0 });
    await seedProduct(t.db, m.merchantId, { title: 'Deep', stockAlert: 5, keys: 10 });
    await seedProduct(t.db, m.merchantId, { title: 'Manual', stockAlert: 5, deliveryType: 'manual' });
    await seedProduct(t.db, m.merchantId, { title: 'Off', stockAlert: 5, active: false });
    await seedProduct(t.db, b.merchantId, { title: 'Foreign', stockAlert: 5 });
    const rows = await lowStockProducts(t.db, m.merchantId);
    expect(rows.map((r) => [r.title, r.available, r.stockAlert])).toEqual([
      ['Sold out', 0, 0],
      ['Low', 3, 5],
    ]);
    expect(rows.map((r) => r.id)).toEqual([empty.id, low.id]);
  });
});

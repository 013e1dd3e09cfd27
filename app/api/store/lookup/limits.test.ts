// Lookups and coupon tries through the risk control: an order number guessed at (wrong e-mail
// or password) from any number of addresses is paused after 5 failures; one address is held to
// 10 lookups a minute; an address that uses up its failed coupon codes is paused. Each pause
// is in the shop's risk log once per window, never once per request.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDefaultMerchant } from '@/lib/accounts';
import { createOrder } from '@/lib/orders';
import { listRiskEvents, RULES } from '@/lib/risk';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct, withinOneWindow } from '@/test/fixtures';
import { POST as quote } from '@/app/api/store/coupons/quote/route';
import { POST as lookup } from './route';

let t: TestDb;
let m: Awaited<ReturnType<typeof seedMerchant>>;
let productId: string;

beforeAll(async () => {
  t = await createTestDatabase({ max: 10 });
  m = await seedMerchant(t.db);
  await setDefaultMerchant(t.db, m.merchantId);
  productId = (await seedProduct(t.db, m.merchantId, { keys: 10 })).id;
});
afterAll(async () => dropTestDatabase(t));

const post = (route: (r: Request) => Promise<Response>, path: string, body: unknown, ip: string) =>
  route(
    new Request(`http://shop.test${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-openfaka-peer': ip },
      body: JSON.stringify(body),
    }),
  );
const order = (email: string) => createOrder(t.db, { productId, quantity: 1, email, channel: m.demoChannelId }, { merchantId: m.merchantId });
const logOf = async (stage: string) => (await listRiskEvents(t.db, m.merchantId, { stage })).events;

describe('lookups and coupon tries', () => {
  it('an order number guessed at from many addresses is paused after 10 lookups, logged once; other orders are untouched', async () => {
    const target = await order('owner@example.test');
    const bystander = await order('other@example.test');
    await withinOneWindow(RULES.lookupGuess.windowSeconds);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await post(lookup, '/api/store/lookup', { orderNo: target.orderNo, email: `guess${i}@example.test` }, `203.0.113.${i + 1}`)).status);
    expect(statuses).toEqual([...Array(10).fill(404), 429, 429]);
    // Even the right e-mail waits now (the pause is of the order number, for its window).
    expect((await post(lookup, '/api/store/lookup', { orderNo: target.orderNo, email: 'owner@example.test' }, '203.0.113.50')).status).toBe(429);
    expect((await post(lookup, '/api/store/lookup', { orderNo: bystander.orderNo, email: 'other@example.test' }, '203.0.113.51')).status).toBe(200);
    const events = await logOf('order_lookup');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'block', reasons: [{ code: 'lookup_guessing', detail: { orderNo: target.orderNo, limit: 10 } }] });
  });

  it('a burst of parallel guesses at one order number gets no more than its 10 lookups', async () => {
    const target = await order('burst@example.test');
    await withinOneWindow(RULES.lookupGuess.windowSeconds);
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        post(lookup, '/api/store/lookup', { orderNo: target.orderNo, email: `g${i}@example.test` }, `198.51.100.${i + 1}`).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 404)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });

  it('one address: the eleventh lookup in a minute is 429, and the log has one entry however many follow', async () => {
    await t.db.execute(sql`DELETE FROM risk_events`);
    const ip = '198.51.100.200';
    await withinOneWindow(RULES.lookup.windowSeconds);
    const statuses: number[] = [];
    for (let i = 0; i < RULES.lookup.limit + 3; i++)
      statuses.push((await post(lookup, '/api/store/lookup', { orderNo: '1'.repeat(24), email: 'x@example.test' }, ip)).status);
    expect(statuses.slice(RULES.lookup.limit)).toEqual([429, 429, 429]);
    expect((await logOf('order_lookup')).filter((e) => e.reasons[0]?.code === 'lookup_rate')).toMatchObject([{ address: ip }]);
  });

  it('coupon codes: the try that uses up the allowance is logged once, at the coupon stage', async () => {
    const ip = '198.51.100.201';
    await withinOneWindow(RULES.couponTry.windowSeconds);
    const statuses: number[] = [];
    for (let i = 0; i < RULES.couponTry.limit + 2; i++) {
      statuses.push((await post(quote, '/api/store/coupons/quote', { productId, quantity: 1, couponCode: `NOPE${i}` }, ip)).status);
    }
    expect(statuses.slice(0, RULES.couponTry.limit).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(RULES.couponTry.limit)).toEqual([429, 429]);
    expect(await logOf('coupon_check')).toMatchObject([{ action: 'block', address: ip, reasons: [{ code: 'coupon_tries' }] }]);
  });
});

// The coupon routes as a client meets them: the merchant API (create, list, read, patch) and
// the storefront's quote, called through their handlers with real requests and a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDefaultMerchant } from '@/lib/accounts';
import { systemActor } from '@/lib/audit';
import { createApiKey } from '@/lib/auth';
import { createOrder } from '@/lib/orders';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';
import { POST as quote } from '@/app/api/store/coupons/quote/route';
import { GET as list, POST as create } from './route';
import { GET as read, PATCH as patch } from './[id]/route';

let t: TestDb;
let m: Awaited<ReturnType<typeof seedMerchant>>;
let other: Awaited<ReturnType<typeof seedMerchant>>;

beforeAll(async () => {
  t = await createTestDatabase({ max: 20 });
  m = await seedMerchant(t.db);
  other = await seedMerchant(t.db);
  await setDefaultMerchant(t.db, m.merchantId);
});
afterAll(async () => dropTestDatabase(t));

function api(path: string, method: string, body?: unknown, key = m.apiKey): Request {
  return new Request(`http://shop.test${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const storeRequest = (body: unknown, ip: string) =>
  new Request('http://shop.test/api/store/coupons/quote', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-openfaka-peer': ip },
    body: JSON.stringify(body),
  });

describe('merchant API: /api/v1/coupons', () => {
  it('creates a code, shows used and reserved, lists it, and turns it off', async () => {
    const res = await create(api('/api/v1/coupons', 'POST', { code: 'api-ten', type: 'percent', value: 10, totalLimit: 5 }));
    expect(res.status).toBe(201);
    const { coupons } = (await res.json()) as { coupons: { id: string; code: string }[] };
    expect(coupons).toEqual([{ id: expect.any(String), code: 'api-ten' }]);
    const id = coupons[0]!.id;

    const product = await seedProduct(t.db, m.merchantId, { keys: 3, price: 3000 });
    const order = await createOrder(
      t.db,
      { productId: product.id, email: 'a@example.test', channel: m.demoChannelId, couponCode: 'API-TEN' },
      { merchantId: m.merchantId },
    );
    expect(order).toMatchObject({ amount: 2700, discount: 300 });

    const detail = await (await read(api(`/api/v1/coupons/${id}`, 'GET'), params(id))).json();
    expect(detail).toMatchObject({ code: 'api-ten', type: 'percent', value: 10, used: 0, reserved: 1, totalLimit: 5, enabled: true });
    expect(detail.redemptions).toMatchObject([{ orderNo: order.orderNo, status: 'reserved', discount: 300 }]);

    const listed = await (await list(api('/api/v1/coupons?q=API', 'GET'))).json();
    expect(listed.coupons.map((c: { code: string }) => c.code)).toEqual(['api-ten']);

    const off = await patch(api(`/api/v1/coupons/${id}`, 'PATCH', { enabled: false }), params(id));
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ enabled: false, reserved: 1 });
    const changed = await (await patch(api(`/api/v1/coupons/${id}`, 'PATCH', { value: 20, enabled: true }), params(id))).json();
    expect(changed).toMatchObject({ value: 20, enabled: true, type: 'percent', totalLimit: 5 });
    const tooLow = await patch(api(`/api/v1/coupons/${id}`, 'PATCH', { totalLimit: 0 }), params(id));
    expect(tooLow.status).toBe(400);
  });

  it('generates a batch with count > 1', async () => {
    const res = await create(api('/api/v1/coupons', 'POST', { type: 'fixed', value: 500, count: 25, prefix: 'vip', perEmailLimit: 1 }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { batchId: string; coupons: { code: string }[] };
    expect(body.coupons).toHaveLength(25);
    expect(body.coupons.every((c) => /^VIP[2-9A-HJKMNP-Z]{12}$/.test(c.code))).toBe(true);
    const page = await (await list(api(`/api/v1/coupons?batchId=${body.batchId}&limit=10`, 'GET'))).json();
    expect(page.coupons).toHaveLength(10);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('bad input gets 400 with fields and creates nothing; another merchant’s id is 404; a key without the scope is 403', async () => {
    const bad = await create(api('/api/v1/coupons', 'POST', { type: 'percent', value: 150, endsAt: 'soon' }));
    expect(bad.status).toBe(400);
    const err = await bad.json();
    expect(err.error).toMatchObject({ code: 'validation_failed', fields: { value: { code: 'too_large' }, endsAt: { code: 'invalid_date' } } });
    const malformed = await create(
      new Request('http://shop.test/api/v1/coupons', {
        method: 'POST',
        headers: { authorization: `Bearer ${m.apiKey}`, 'content-type': 'application/json' },
        body: '{',
      }),
    );
    expect(malformed.status).toBe(400);

    const theirs = await create(api('/api/v1/coupons', 'POST', { code: 'THEIRS', type: 'fixed', value: 100 }, other.apiKey));
    const theirId = ((await theirs.json()) as { coupons: { id: string }[] }).coupons[0]!.id;
    expect((await read(api(`/api/v1/coupons/${theirId}`, 'GET'), params(theirId))).status).toBe(404);
    expect((await patch(api(`/api/v1/coupons/${theirId}`, 'PATCH', { enabled: false }), params(theirId))).status).toBe(404);
    expect((await read(api('/api/v1/coupons/not-a-uuid', 'GET'), params('not-a-uuid'))).status).toBe(404);

    const narrow = await createApiKey(t.db, systemActor(m.merchantId), { name: 'orders only', scopes: ['orders:read'] });
    expect((await create(api('/api/v1/coupons', 'POST', { type: 'fixed', value: 100 }, narrow.key))).status).toBe(403);
  });
});

describe('storefront: POST /api/store/coupons/quote', () => {
  it('answers the new total, or 400 with the reason on couponCode; tries are limited per address', async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 2, price: 4999 });
    await create(api('/api/v1/coupons', 'POST', { code: 'MIN50', type: 'fixed', value: 1000, minAmount: 5000 }));
    await create(api('/api/v1/coupons', 'POST', { code: 'FIVE', type: 'fixed', value: 500 }));

    const ok = await quote(storeRequest({ productId: product.id, quantity: 1, couponCode: 'five' }, '198.51.100.7'));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ code: 'FIVE', subtotal: 4999, discount: 500, amount: 4499, currency: 'CNY' });

    const below = await quote(storeRequest({ productId: product.id, quantity: 1, couponCode: 'MIN50' }, '198.51.100.7'));
    expect(below.status).toBe(400);
    const body = await below.json();
    expect(body.error.fields.couponCode).toMatchObject({ code: 'min_amount', min: 5000, currency: 'CNY' });
    expect(body.error.fields.couponCode.message).toContain('50.00');
    // Two of the product reach the minimum.
    expect((await quote(storeRequest({ productId: product.id, quantity: 2, couponCode: 'MIN50' }, '198.51.100.7'))).status).toBe(200);

    const unknown = await quote(storeRequest({ productId: product.id, quantity: 1, couponCode: 'THEIRS' }, '198.51.100.7'));
    expect((await unknown.json()).error.fields.couponCode.code).toBe('unknown');

    // 20 failed codes a minute per address; then even a good code is refused, with Retry-After; another address is not.
    const ip = '198.51.100.99';
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await quote(storeRequest({ productId: product.id, quantity: 1, couponCode: `GUESS${i}` }, ip))).status);
    expect(statuses.slice(0, 20).every((s) => s === 400)).toBe(true);
    const limited = await quote(storeRequest({ productId: product.id, quantity: 1, couponCode: 'FIVE' }, ip));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await quote(storeRequest({ productId: product.id, quantity: 1, couponCode: 'FIVE' }, '198.51.100.100'))).status).toBe(200);
    // Codes that apply never count: a buyer re-checking a good code at every change of quantity is not slowed.
    const checks: number[] = [];
    for (let i = 0; i < 25; i++)
      checks.push((await quote(storeRequest({ productId: product.id, quantity: 1 + (i % 2), couponCode: 'FIVE' }, '198.51.100.101'))).status);
    expect(checks.every((s) => s === 200)).toBe(true);
  });
});

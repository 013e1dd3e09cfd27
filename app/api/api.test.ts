// The HTTP contract of SPEC section 4, through the route handlers themselves.
import { sql } from 'drizzle-orm';
import { RULES } from '@/lib/risk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as cronGet } from '@/app/api/cron/[job]/route';
import { GET as health } from '@/app/api/health/route';
import { GET as storeChannels } from '@/app/api/store/channels/route';
import { POST as lookup } from '@/app/api/store/lookup/route';
import { GET as storeOrder } from '@/app/api/store/orders/[orderNo]/route';
import { POST as storeCreate } from '@/app/api/store/orders/route';
import { GET as storeProducts } from '@/app/api/store/products/route';
import { PATCH as v1UpdateChannel } from '@/app/api/v1/channels/[id]/route';
import { GET as v1Channels, POST as v1CreateChannel } from '@/app/api/v1/channels/route';
import { GET as v1Orders } from '@/app/api/v1/orders/route';
import { POST as v1ImportKeys } from '@/app/api/v1/products/[id]/keys/route';
import { GET as v1Product } from '@/app/api/v1/products/[id]/route';
import { POST as v1CreateProduct } from '@/app/api/v1/products/route';
import { applyPayment } from '@/lib/orders';
import { listMerchantChannels } from '@/lib/payments';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, withinOneWindow } from '@/test/fixtures';

let t: TestDb;
let a: Awaited<ReturnType<typeof seedMerchant>>;
let b: Awaited<ReturnType<typeof seedMerchant>>;

beforeAll(async () => {
  t = await createTestDatabase();
  a = await seedMerchant(t.db, 'shop-a'); // first merchant: the default shop
  b = await seedMerchant(t.db, 'shop-b');
});
afterAll(async () => dropTestDatabase(t));

const base = 'http://shop.test';
function req(path: string, init: { method?: string; body?: unknown; key?: string; headers?: Record<string, string>; raw?: string } = {}) {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  let body: string | undefined;
  if (init.raw !== undefined) body = init.raw;
  else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  return new Request(base + path, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
}
const p = <T extends Record<string, string>>(v: T) => ({ params: Promise.resolve(v) });

async function newProduct(key: string, body: Record<string, unknown> = {}) {
  const res = await v1CreateProduct(req('/api/v1/products', { key, body: { title: 'Game card 100', price: 1000, ...body } }));
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
}

describe('merchant API', () => {
  it('creates a product, imports keys as JSON and as text/plain with duplicates counted, reports stock', async () => {
    const product = await newProduct(a.apiKey);
    const r1 = await v1ImportKeys(req(`/api/v1/products/${product.id}/keys`, { key: a.apiKey, body: { keys: ['K1', 'K2', 'K2'] } }), p({ id: product.id }));
    expect(r1.status).toBe(201);
    expect(await r1.json()).toEqual({ imported: 2, duplicates: 1 });
    const r2 = await v1ImportKeys(
      req(`/api/v1/products/${product.id}/keys`, { key: a.apiKey, raw: 'K2\nK3\r\n\nK4\n', headers: { 'content-type': 'text/plain' } }),
      p({ id: product.id }),
    );
    expect(await r2.json()).toEqual({ imported: 2, duplicates: 1 });
    const got = await v1Product(req(`/api/v1/products/${product.id}`, { key: a.apiKey }), p({ id: product.id }));
    expect(await got.json()).toMatchObject({
      id: product.id,
      title: 'Game card 100',
      price: 1000,
      currency: 'CNY',
      stock: { available: 4, reserved: 0, sold: 0 },
    });
    const audit = await t.db.execute(sql`SELECT action FROM audit_log WHERE merchant_id = ${a.merchantId} AND target_id = ${product.id} ORDER BY id`);
    expect(audit.map((r) => r.action)).toEqual(['product.create', 'key.import', 'key.import']);
  });

  it('creates a webhook-delivery product; its signing secret is never in an API answer', async () => {
    const res = await v1CreateProduct(
      req('/api/v1/products', { key: a.apiKey, body: { title: 'Dynamic', price: 500, deliveryType: 'webhook', deliveryUrl: 'https://example.com/deliver' } }),
    );
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown>;
    expect(created).toMatchObject({ deliveryType: 'webhook', deliveryUrl: 'https://example.com/deliver' });
    expect(created).not.toHaveProperty('deliverySecret');
    const got = await v1Product(req(`/api/v1/products/${String(created.id)}`, { key: a.apiKey }), p({ id: String(created.id) }));
    expect(await got.json()).not.toHaveProperty('deliverySecret');
    const missing = await v1CreateProduct(req('/api/v1/products', { key: a.apiKey, body: { title: 'Dynamic', price: 500, deliveryType: 'webhook' } }));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      error: { code: 'validation_failed', fields: { deliveryUrl: { code: 'required', message: expect.any(String) } } },
    });
  });

  it("a merchant's API key cannot touch another merchant's products or orders", async () => {
    const theirs = await newProduct(b.apiKey);
    await v1ImportKeys(req(`/api/v1/products/${theirs.id}/keys`, { key: b.apiKey, body: { keys: ['B-ONLY'] } }), p({ id: theirs.id }));
    const read = await v1Product(req(`/api/v1/products/${theirs.id}`, { key: a.apiKey }), p({ id: theirs.id }));
    expect(read.status).toBe(404);
    expect(await read.json()).toMatchObject({ error: { code: 'not_found' } });
    const write = await v1ImportKeys(req(`/api/v1/products/${theirs.id}/keys`, { key: a.apiKey, body: { keys: ['INJECTED'] } }), p({ id: theirs.id }));
    expect(write.status).toBe(404);
    const [{ n }] = (await t.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM card_keys WHERE product_id = ${theirs.id}`)) as unknown as [{ n: string }];
    expect(Number(n)).toBe(1);

    // B's order is invisible in A's order list.
    await t.db.execute(sql`DELETE FROM rate_limits`);
    const order = await storeCreateFor(b, theirs.id);
    const listA = await (await v1Orders(req('/api/v1/orders', { key: a.apiKey }))).json();
    expect(listA.orders.map((o: { orderNo: string }) => o.orderNo)).not.toContain(order);
    const listB = await (await v1Orders(req('/api/v1/orders', { key: b.apiKey }))).json();
    expect(listB.orders.map((o: { orderNo: string }) => o.orderNo)).toContain(order);
  });

  it('refuses missing, malformed, unknown and revoked API keys', async () => {
    for (const key of [undefined, 'nope', 'ofk_00000000_' + 'x'.repeat(32), a.apiKey.slice(0, -2) + 'zz']) {
      const res = await v1CreateProduct(req('/api/v1/products', { key, body: { title: 'x', price: 1 } }));
      expect(res.status, String(key)).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    await t.db.execute(sql`UPDATE api_keys SET revoked_at = now() WHERE merchant_id = ${b.merchantId}`);
    expect((await v1Orders(req('/api/v1/orders', { key: b.apiKey }))).status).toBe(401);
    await t.db.execute(sql`UPDATE api_keys SET revoked_at = NULL WHERE merchant_id = ${b.merchantId}`);
  });

  it('answers malformed bodies with validation errors naming the fields', async () => {
    const bad = await v1CreateProduct(req('/api/v1/products', { key: a.apiKey, body: { title: '', price: 9.99 } }));
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.error.code).toBe('validation_failed');
    expect(Object.keys(body.error.fields)).toEqual(expect.arrayContaining(['title', 'price']));
    const notJson = await v1CreateProduct(req('/api/v1/products', { key: a.apiKey, raw: '{oops', headers: { 'content-type': 'application/json' } }));
    expect(notJson.status).toBe(400);
    const wrongType = await v1CreateProduct(
      req('/api/v1/products', { key: a.apiKey, raw: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    );
    expect(wrongType.status).toBe(415);
    const badChannel = await v1CreateChannel(
      req('/api/v1/channels', { key: a.apiKey, body: { kind: 'epay', name: 'E', config: { gateway: 'not a url', pid: '1' } } }),
    );
    expect(badChannel.status).toBe(400);
    expect((await badChannel.json()).error.fields).toHaveProperty('config.gateway');
  });

  it('creates an epay channel whose credentials are stored sealed', async () => {
    const res = await v1CreateChannel(
      req('/api/v1/channels', {
        key: a.apiKey,
        body: { kind: 'epay', name: '支付宝', config: { gateway: 'https://pay.example.com/', pid: '1001', key: 'super-secret-epay-key' } },
      }),
    );
    expect(res.status).toBe(201);
    const { id } = await res.json();
    const [row] = await t.db.execute<{ config: string }>(sql`SELECT config FROM payment_channels WHERE id = ${id}`);
    expect(row!.config).not.toContain('super-secret-epay-key');
    const audit = await t.db.execute<{ detail: unknown }>(sql`SELECT detail::text AS detail FROM audit_log WHERE target_id = ${id}`);
    expect(JSON.stringify(audit)).not.toContain('super-secret');
  });

  // The API and the console share one door for channels (lib/payments createChannel): the
  // console's rules hold here too.
  it('cannot add a second demo channel, nor a channel whose minimum is above its maximum; nothing is created', async () => {
    const count = async () =>
      Number((await t.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM payment_channels WHERE merchant_id = ${a.merchantId}`))[0]!.n);
    const before = await count();
    const demo = await v1CreateChannel(req('/api/v1/channels', { key: a.apiKey, body: { kind: 'demo', name: 'Second demo' } }));
    expect(demo.status).toBe(409);
    expect(await demo.json()).toMatchObject({ error: { code: 'conflict', fields: { kind: { code: 'taken' } } } });
    const inverted = await v1CreateChannel(
      req('/api/v1/channels', {
        key: a.apiKey,
        body: {
          kind: 'epay',
          name: 'Upside down',
          minAmount: 5000,
          maxAmount: 100,
          config: { gateway: 'https://pay.example.com', pid: '1', key: 'epay-key-0123456789' },
        },
      }),
    );
    expect(inverted.status).toBe(400);
    expect(await inverted.json()).toMatchObject({
      error: { code: 'validation_failed', fields: { maxAmount: { code: 'below_minimum', message: expect.any(String) } } },
    });
    expect(await count()).toBe(before);
    // The same rule on an edit: PATCH cannot invert the range of an existing channel.
    const ok = await v1CreateChannel(
      req('/api/v1/channels', {
        key: b.apiKey,
        body: { kind: 'epay', name: 'Ranged', minAmount: 100, config: { gateway: 'https://pay.example.com', pid: '1', key: 'epay-key-0123456789' } },
      }),
    );
    const { id } = (await ok.json()) as { id: string };
    const patched = await v1UpdateChannel(req(`/api/v1/channels/${id}`, { method: 'PATCH', key: b.apiKey, body: { maxAmount: 50 } }), p({ id }));
    expect(patched.status).toBe(400);
    const renamed = await v1UpdateChannel(
      req(`/api/v1/channels/${id}`, { method: 'PATCH', key: b.apiKey, body: { name: 'Ranged 2', maxAmount: 500 } }),
      p({ id }),
    );
    expect(await renamed.json()).toMatchObject({ name: 'Ranged 2', minAmount: 100, maxAmount: 500, changed: ['name', 'maxAmount'] });
    // Another merchant's channel id is not found.
    const foreign = await v1UpdateChannel(req(`/api/v1/channels/${id}`, { method: 'PATCH', key: a.apiKey, body: { name: 'mine' } }), p({ id }));
    expect(foreign.status).toBe(404);
  });

  it('cannot import keys into a product that does not deliver from stock', async () => {
    for (const deliveryType of ['manual', 'generated']) {
      const product = await newProduct(a.apiKey, { title: `No stock (${deliveryType})`, deliveryType });
      const res = await v1ImportKeys(req(`/api/v1/products/${product.id}/keys`, { key: a.apiKey, body: { keys: ['SHOULD-NOT-LAND'] } }), p({ id: product.id }));
      expect(res.status, deliveryType).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_failed', fields: { productId: { code: 'not_stock_product' } } } });
      const [row] = await t.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM card_keys WHERE product_id = ${product.id}`);
      expect(Number(row!.n)).toBe(0);
    }
  });

  it('an epay key under 16 characters is refused; a 16-character one is saved with a weak_key warning', async () => {
    const refused = await v1CreateChannel(
      req('/api/v1/channels', {
        key: b.apiKey,
        body: { kind: 'epay', name: 'Too short', config: { gateway: 'https://pay.example.com', pid: '77', key: 'k8-chars' } },
      }),
    );
    expect(refused.status).toBe(400);
    const body = await refused.json();
    expect(body).toMatchObject({ error: { code: 'validation_failed', fields: { 'config.key': { code: 'too_short', min: 16 } } } });
    expect(JSON.stringify(body)).not.toContain('k8-chars');
    const [row] = await t.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM payment_channels WHERE name = 'Too short'`);
    expect(Number(row!.n)).toBe(0);
  });

  it('the channel list shows no more of a secret than the console does', async () => {
    const short = 'k16-ch-secret-ab';
    const created = await v1CreateChannel(
      req('/api/v1/channels', {
        key: b.apiKey,
        body: { kind: 'epay', name: 'Short key', config: { gateway: 'https://pay.example.com', pid: '77', key: short } },
      }),
    );
    const { id } = (await created.json()) as { id: string };
    const listed = (await (await v1Channels(req('/api/v1/channels', { key: b.apiKey }))).json()) as {
      channels: { id: string; config: Record<string, string>; warnings: string[] }[];
    };
    const mine = listed.channels.find((c) => c.id === id)!;
    expect(mine.warnings).toEqual(['weak_key']);
    const consoleView = (await listMerchantChannels(t.db, b.merchantId)).find((c) => c.id === id)!;
    expect(mine.config).toEqual(Object.fromEntries(consoleView.config.map((f) => [f.name, f.hint])));
    expect(mine.config.key).toBe('••••••t-ab');
    const text = JSON.stringify(listed);
    for (const piece of [short, short.slice(0, 12)]) expect(text).not.toContain(piece);
    // The demo channel's generated secret is never in the list either, only the console's hint of it.
    const demoSecret = ((await (await import('@/lib/payments')).loadChannel(t.db, b.demoChannelId))!.config as { secret: string }).secret;
    expect(text).not.toContain(demoSecret);
    expect(listed.channels.find((c) => c.id === b.demoChannelId)!.config.secret).toBe(`••••••${demoSecret.slice(-4)}`);
  });
});

async function storeCreateFor(m: typeof a, productId: string): Promise<string> {
  // Orders of a non-default merchant are created through the engine directly.
  const { createOrder } = await import('@/lib/orders');
  const o = await createOrder(t.db, { productId, email: 'x@example.test', channel: m.demoChannelId }, { merchantId: m.merchantId });
  return o.orderNo;
}

describe('storefront API', () => {
  it('lists the default shop products with stock, and its channels', async () => {
    const product = await newProduct(a.apiKey, { title: 'Listed', slug: 'listed' });
    await v1ImportKeys(req(`/api/v1/products/${product.id}/keys`, { key: a.apiKey, body: { keys: ['L1', 'L2', 'L3'] } }), p({ id: product.id }));
    const res = await storeProducts(req('/api/store/products'));
    const body = await res.json();
    expect(body.products.find((x: { id: string }) => x.id === product.id)).toEqual({
      id: product.id,
      slug: 'listed',
      title: 'Listed',
      price: 1000,
      currency: 'CNY',
      stock: 3,
      reserved: 0,
      deliveryType: 'auto',
    });
    const channels = await (await storeChannels(req('/api/store/channels'))).json();
    // Priority order: the epay channel created above (0) before the demo channel (-100).
    expect(channels.channels.map((c: { kind: string }) => c.kind)).toEqual(['epay', 'demo']);
    expect(channels.channels[1]).toEqual({ id: a.demoChannelId, kind: 'demo', name: expect.any(String), method: 'other' });
    expect(channels.channels[0].method).toBe('other');
    expect(JSON.stringify(channels)).not.toContain('super-secret');
    const agent = await storeProducts(req('/api/store/products?agent=nobody'));
    expect(agent.status).toBe(404);
  });

  it('buys end to end: create (201), read with token, 404 for a wrong token, lookup by e-mail, keys after payment', async () => {
    await t.db.execute(sql`DELETE FROM rate_limits`);
    const product = await newProduct(a.apiKey, { title: 'E2E' });
    await v1ImportKeys(req(`/api/v1/products/${product.id}/keys`, { key: a.apiKey, body: { keys: ['E2E-KEY-1'] } }), p({ id: product.id }));
    const created = await storeCreate(
      req('/api/store/orders', {
        body: { productId: product.id, quantity: 1, email: 'buyer@example.test', channel: a.demoChannelId, queryPassword: 'hunter22' },
      }),
    );
    expect(created.status).toBe(201);
    const order = await created.json();
    expect(Object.keys(order).sort()).toEqual(['amount', 'currency', 'expiresAt', 'orderNo', 'payUrl', 'status', 'token']);
    expect(created.headers.get('set-cookie')).toContain('HttpOnly');

    const wrong = await storeOrder(req(`/api/store/orders/${order.orderNo}`, { headers: { authorization: 'Bearer wrong' } }), p({ orderNo: order.orderNo }));
    expect(wrong.status).toBe(404);
    const missing = await storeOrder(req(`/api/store/orders/${order.orderNo}`), p({ orderNo: order.orderNo }));
    expect(missing.status).toBe(404);
    const nonexistent = await storeOrder(
      req('/api/store/orders/20260101000000000000000', { headers: { authorization: `Bearer ${order.token}` } }),
      p({ orderNo: '20260101000000000000000' }),
    );
    expect(await nonexistent.json()).toEqual(await wrong.json());

    const pending = await (
      await storeOrder(req(`/api/store/orders/${order.orderNo}`, { headers: { authorization: `Bearer ${order.token}` } }), p({ orderNo: order.orderNo }))
    ).json();
    expect(pending).toMatchObject({ orderNo: order.orderNo, status: 'pending', amount: 1000, currency: 'CNY', quantity: 1 });
    expect(pending.keys).toBeUndefined();

    await applyPayment(t.db, a.demoChannelId, { outTradeNo: order.orderNo, tradeNo: 'API-1', amount: 1000, currency: 'CNY', raw: {} });
    const done = await (
      await storeOrder(req(`/api/store/orders/${order.orderNo}`, { headers: { authorization: `Bearer ${order.token}` } }), p({ orderNo: order.orderNo }))
    ).json();
    expect(done).toMatchObject({ status: 'delivered', keys: ['E2E-KEY-1'] });
    expect(done.paidAt).toBeTruthy();
    expect(done.deliveredAt).toBeTruthy();

    const byEmail = await lookup(req('/api/store/lookup', { body: { orderNo: order.orderNo, email: 'BUYER@example.test' } }));
    expect((await byEmail.json()).keys).toEqual(['E2E-KEY-1']);
    const byPassword = await lookup(req('/api/store/lookup', { body: { orderNo: order.orderNo, queryPassword: 'hunter22' } }));
    expect((await byPassword.json()).keys).toEqual(['E2E-KEY-1']);
    const wrongPassword = await lookup(req('/api/store/lookup', { body: { orderNo: order.orderNo, queryPassword: 'nope' } }));
    expect(wrongPassword.status).toBe(404);
    const wrongEmail = await lookup(req('/api/store/lookup', { body: { orderNo: order.orderNo, email: 'else@example.test' } }));
    expect(wrongEmail.status).toBe(404);
    const malformed = await lookup(req('/api/store/lookup', { body: { orderNo: order.orderNo } }));
    expect(malformed.status).toBe(400);
  });

  it('maps engine errors to the contract: 400, 409 out_of_stock, 422 channel_unavailable', async () => {
    await t.db.execute(sql`DELETE FROM rate_limits`);
    const product = await newProduct(a.apiKey, { title: 'None left' });
    const oos = await storeCreate(
      req('/api/store/orders', { body: { productId: product.id, quantity: 1, email: 'o@example.test', channel: a.demoChannelId } }),
    );
    expect(oos.status).toBe(409);
    expect(await oos.json()).toMatchObject({ error: { code: 'out_of_stock' } });
    const ch = await storeCreate(req('/api/store/orders', { body: { productId: product.id, quantity: 1, email: 'o@example.test', channel: b.demoChannelId } }));
    expect(ch.status).toBe(422);
    const invalid = await storeCreate(req('/api/store/orders', { body: { productId: product.id, email: 'nope', channel: a.demoChannelId } }));
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error.fields).toHaveProperty('email');
  });

  it('an Idempotency-Key makes a retried request return the first result', async () => {
    await t.db.execute(sql`DELETE FROM rate_limits`);
    const product = await newProduct(a.apiKey, { title: 'Idem' });
    await v1ImportKeys(req(`/api/v1/products/${product.id}/keys`, { key: a.apiKey, body: { keys: ['I1', 'I2'] } }), p({ id: product.id }));
    const body = { productId: product.id, quantity: 1, email: 'i@example.test', channel: a.demoChannelId };
    const first = await storeCreate(req('/api/store/orders', { body, headers: { 'idempotency-key': 'abc' } }));
    const second = await storeCreate(req('/api/store/orders', { body, headers: { 'idempotency-key': 'abc' } }));
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual(await first.json());
  });

  it('rate-limits order creation per address with 429 and Retry-After past the backstop above every policy', async () => {
    await t.db.execute(sql`DELETE FROM rate_limits`);
    const body = { productId: '00000000-0000-4000-8000-000000000000', email: 'r@example.test', channel: a.demoChannelId };
    const statuses: number[] = [];
    let last: Response | undefined;
    await withinOneWindow();
    for (let i = 0; i < RULES.createOrder.limit + 2; i++) {
      last = await storeCreate(req('/api/store/orders', { body, headers: { 'x-openfaka-peer': '203.0.113.9' } }));
      statuses.push(last.status);
    }
    expect(statuses.slice(0, RULES.createOrder.limit).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(RULES.createOrder.limit)).toEqual([429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is unaffected.
    const other = await storeCreate(req('/api/store/orders', { body, headers: { 'x-openfaka-peer': '203.0.113.10' } }));
    expect(other.status).toBe(404);
  });
});

describe('bad input is a 4xx, never a 500', () => {
  it('order listing: odd limits and forged cursors', async () => {
    expect((await v1Orders(req('/api/v1/orders?limit=1.5', { key: a.apiKey }))).status).toBe(200);
    const forged = Buffer.from(JSON.stringify({ id: 'not-a-uuid' })).toString('base64url');
    for (const cursor of ['garbage', forged]) {
      const res = await v1Orders(req(`/api/v1/orders?cursor=${cursor}`, { key: a.apiKey }));
      expect(res.status).toBe(400);
    }
    expect((await v1Orders(req('/api/v1/orders?status=nope', { key: a.apiKey }))).status).toBe(400);
  });

  it('pages through orders created in the same millisecond without skipping any', async () => {
    const product = await newProduct(a.apiKey, { title: 'Same ms' });
    await v1ImportKeys(req(`/api/v1/products/${product.id}/keys`, { key: a.apiKey, body: { keys: ['S1', 'S2', 'S3', 'S4'] } }), p({ id: product.id }));
    const made: string[] = [];
    for (let i = 0; i < 4; i++) made.push(await storeCreateFor(a, product.id));
    // Same millisecond, different microseconds.
    await t.db.execute(
      sql`UPDATE orders SET created_at = '2030-01-01 00:00:00.123400+00'::timestamptz + (random() * interval '0.0005 seconds') WHERE product_id = ${product.id}`,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { orders: { orderNo: string }[]; nextCursor: string | null } = await (
        await v1Orders(req(`/api/v1/orders?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { key: a.apiKey }))
      ).json();
      seen.push(...page.orders.map((o) => o.orderNo));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 100);
    expect(made.every((no) => seen.includes(no))).toBe(true);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('product fields that would overflow the database are refused', async () => {
    const res = await v1CreateProduct(req('/api/v1/products', { key: a.apiKey, body: { title: 'x', price: 1, sort: 1e12, stockAlert: 3e9 } }));
    expect(res.status).toBe(400);
    expect(Object.keys((await res.json()).error.fields)).toEqual(expect.arrayContaining(['sort', 'stockAlert']));
  });

  it('a body over the limit is refused even without Content-Length (chunked)', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 40)
          controller.enqueue(chunk); // 2.5 MB
        else controller.close();
      },
    });
    const res = await storeCreate(
      new Request('http://shop.test/api/store/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(40); // it stopped reading early
  });
});

describe('operations', () => {
  it('health reports the database and the outbox lag', async () => {
    const res = await health();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, db: 'up', outboxLag: expect.any(Number) });
  });

  it('cron routes need the secret, compared exactly', async () => {
    const job = p({ job: 'expire' });
    expect((await cronGet(req('/api/cron/expire'), job)).status).toBe(401);
    expect((await cronGet(req('/api/cron/expire', { headers: { authorization: 'Bearer wrong' } }), job)).status).toBe(401);
    const ok = await cronGet(req('/api/cron/expire', { headers: { authorization: `Bearer ${process.env.CRON_SECRET}` } }), job);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ job: 'expire', expired: expect.any(Number) });
    const unknown = await cronGet(req('/api/cron/nope', { headers: { authorization: `Bearer ${process.env.CRON_SECRET}` } }), p({ job: 'nope' }));
    expect(unknown.status).toBe(404);
  });
});

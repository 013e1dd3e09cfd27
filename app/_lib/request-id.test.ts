import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as notifyRoute } from '@/app/api/pay/[channelId]/notify/route';
import { POST as orderRoute } from '@/app/api/store/orders/route';
import { createLogger, setLogger } from '@/lib/log';
import { demoNotification, loadChannel } from '@/lib/payments';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';

let t: TestDb;
let merchant: Awaited<ReturnType<typeof seedMerchant>>;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  merchant = await seedMerchant(t.db); // the first merchant: the storefront's shop
  setLogger(
    createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk, _e, done) {
          for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
          done();
        },
      }),
    }),
  );
});
afterAll(async () => {
  setLogger(undefined);
  await dropTestDatabase(t);
});

describe('request ids in the logs', () => {
  it('an order and its payment notification: every line carries the request id and the order number, and the id is echoed', async () => {
    const product = await seedProduct(t.db, merchant.merchantId, { keys: 1 });
    const created = await orderRoute(
      new Request('http://shop.test/api/store/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-order-1', 'x-openfaka-peer': '203.0.113.9' },
        body: JSON.stringify({ productId: product.id, quantity: 1, email: 'rid@example.test', channel: merchant.demoChannelId }),
      }),
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe('req-order-1');
    const order = (await created.json()) as { orderNo: string; amount: number; currency: string };
    expect(lines.find((l) => l.msg === 'order created')).toMatchObject({ requestId: 'req-order-1', orderNo: order.orderNo });

    const secret = ((await loadChannel(t.db, merchant.demoChannelId))!.config as { secret: string }).secret;
    const body = new URLSearchParams(demoNotification(secret, order, 'RID-1')).toString();
    const res = await notifyRoute(
      new Request(`http://shop.test/api/pay/${merchant.demoChannelId}/notify`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }),
      { params: Promise.resolve({ channelId: merchant.demoChannelId }) },
    );
    expect(await res.text()).toBe('success');
    const generated = res.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const accepted = lines.find((l) => l.msg === 'payment notification accepted');
    expect(accepted).toMatchObject({ requestId: generated, orderNo: order.orderNo, outcome: 'delivered' });
    // The notification's signature is never logged.
    expect(JSON.stringify(lines)).not.toContain(new URLSearchParams(body).get('sign')!);
  });

  it('a malformed X-Request-Id is replaced, not logged', async () => {
    const res = await notifyRoute(
      new Request(`http://shop.test/api/pay/${merchant.demoChannelId}/notify`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'bad id {"level":"error"}' },
        body: 'out_trade_no=1',
      }),
      { params: Promise.resolve({ channelId: merchant.demoChannelId }) },
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(lines)).not.toContain('bad id');
  });
});

import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { outboxConsumers } from '@/lib/jobs';
import { validateOutboundUrl } from '@/lib/outbound';
import { createEndpoint, deleteEndpoint, listDeliveries, listEndpoints, setEndpointEnabled } from '@/lib/webhooks';
import { drainOutbox, enqueue } from '@/lib/outbox';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant } from '@/test/fixtures';
import { startRecorder } from '@/test/http-recorder';
import { stubProduction } from '@/test/production';

let t: TestDb;
let recorder: Awaited<ReturnType<typeof startRecorder>>;

beforeAll(async () => {
  recorder = await startRecorder();
  process.env.TELEGRAM_API_BASE = `${recorder.url}/telegram`;
  resetConfig();
  t = await createTestDatabase();
});
afterAll(async () => {
  delete process.env.TELEGRAM_API_BASE;
  resetConfig();
  await recorder.close();
  await dropTestDatabase(t);
});
beforeEach(async () => {
  recorder.requests.length = 0;
  recorder.setReply(() => ({}));
  await t.db.execute(sql`DELETE FROM outbox`);
});

/** Drains until nothing is due; rows waiting for a backoff are made due at once. */
async function drainAll(rounds = 20) {
  for (let i = 0; i < rounds; i++) {
    await t.db.execute(sql`UPDATE outbox SET available_at = now() WHERE status = 'pending'`);
    const r = await drainOutbox(t.db, { consumers: outboxConsumers(t.db), backoffBaseSeconds: 1, maxAttempts: 4 });
    if (r.claimed === 0) return;
  }
}

/** The receiver's check, written from docs/api.md: HMAC-SHA256 over "<t>.<body>", hex, compared in constant time. */
function verifySignature(header: string, body: string, secret: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) && Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
}

describe('merchant webhooks', () => {
  it('retries a failing endpoint with backoff until it answers, each attempt signed by the documented algorithm', async () => {
    const m = await seedMerchant(t.db);
    const { secret } = await createEndpoint(t.db, m.actor, { kind: 'http', name: 'ERP', url: `${recorder.url}/hook`, events: ['order.delivered'] });
    expect(secret).toMatch(/^whsec_/);
    recorder.setReply((_req, i) => (i < 2 ? { status: 503 } : { status: 200 }));
    await enqueue(t.db, { merchantId: m.merchantId, topic: 'order.delivered', eventKey: 'o-1', payload: { orderId: 'o-1', orderNo: '2026112500000001' } });
    await drainAll();

    const hooks = recorder.requests.filter((r) => r.path === '/hook');
    expect(hooks).toHaveLength(3); // 503, 503, 200
    for (const r of hooks) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-openfaka-event']).toBe('order.delivered');
      expect(verifySignature(String(r.headers['x-openfaka-signature']), r.body, secret!)).toBe(true);
      expect(verifySignature(String(r.headers['x-openfaka-signature']), r.body, 'whsec_wrong')).toBe(false);
      expect(verifySignature(String(r.headers['x-openfaka-signature']), r.body.replace('0001', '0002'), secret!)).toBe(false);
    }
    // Every attempt carries the same event id, so the receiver can drop repeats.
    expect(new Set(hooks.map((r) => r.headers['x-openfaka-delivery'])).size).toBe(1);
    expect(JSON.parse(hooks[2]!.body)).toMatchObject({ type: 'order.delivered', data: { orderNo: '2026112500000001' } });
    const [delivery] = await listDeliveries(t.db, m.merchantId);
    expect(delivery).toMatchObject({ status: 'done', attempts: 3, topic: 'order.delivered', orderNo: '2026112500000001' });
  });

  it('a delivery e-mail that is dead-lettered alerts the merchant (e-mail and endpoints) once', async () => {
    const m = await seedMerchant(t.db);
    await createEndpoint(t.db, m.actor, { kind: 'http', name: 'alerts', url: `${recorder.url}/alerts`, events: ['delivery.failed'] });
    // An order id that does not exist: the delivery e-mail cannot be built and fails every time.
    await enqueue(t.db, {
      merchantId: m.merchantId,
      topic: 'order.delivered',
      eventKey: 'missing',
      payload: { orderId: '00000000-0000-4000-8000-000000000000', orderNo: '2026112500000077' },
    });
    await drainAll();
    const alerts = await t.db.execute<{ consumer: string; status: string }>(
      sql`SELECT consumer, status FROM outbox WHERE topic = 'delivery.failed' AND consumer <> 'webhook.send' ORDER BY consumer`,
    );
    expect(alerts.map((a) => a.consumer)).toEqual(['mail.merchant', 'webhook.fanout']);
    const hooks = recorder.requests.filter((r) => r.path === '/alerts');
    expect(hooks).toHaveLength(1);
    expect(JSON.parse(hooks[0]!.body)).toMatchObject({ type: 'delivery.failed', data: { orderNo: '2026112500000077', consumer: 'mail.delivery' } });
  });

  it('an endpoint that keeps failing is dead-lettered after N attempts and does not hold back the others', async () => {
    const m = await seedMerchant(t.db);
    await createEndpoint(t.db, m.actor, { kind: 'http', name: 'down', url: `${recorder.url}/down`, events: [] });
    await createEndpoint(t.db, m.actor, { kind: 'http', name: 'up', url: `${recorder.url}/up`, events: [] });
    recorder.setReply((req) => (req.path === '/down' ? { status: 500 } : { status: 204, body: '' }));
    await enqueue(t.db, { merchantId: m.merchantId, topic: 'stock.low', eventKey: 'p:1', payload: { productId: 'p', title: 'Steam', available: 1 } });
    await drainAll();
    expect(recorder.requests.filter((r) => r.path === '/up')).toHaveLength(1);
    expect(recorder.requests.filter((r) => r.path === '/down')).toHaveLength(4);
    const statuses = (await listDeliveries(t.db, m.merchantId)).map((d) => d.status).sort();
    expect(statuses).toEqual(['dead', 'done']);
    const [dead] = (await listDeliveries(t.db, m.merchantId)).filter((d) => d.status === 'dead');
    expect(dead!.lastError).toBe('OutboundError: answered HTTP 500');
  });

  it('event filters, disabled and deleted endpoints, and merchants without endpoints', async () => {
    const m = await seedMerchant(t.db);
    const only = await createEndpoint(t.db, m.actor, { kind: 'http', name: 'stock only', url: `${recorder.url}/stock`, events: ['stock.low'] });
    const off = await createEndpoint(t.db, m.actor, { kind: 'http', name: 'off', url: `${recorder.url}/off`, events: [] });
    await setEndpointEnabled(t.db, m.actor, { id: off.endpoint.id, enabled: false });
    await enqueue(t.db, { merchantId: m.merchantId, topic: 'order.delivered', eventKey: 'f-1', payload: { orderId: 'x' } });
    await enqueue(t.db, { merchantId: m.merchantId, topic: 'stock.low', eventKey: 'f-2', payload: { productId: 'p', title: 'T', available: 0 } });
    await drainAll();
    expect(recorder.requests.map((r) => r.path)).toEqual(['/stock']);

    // Deleted after the event was queued: the delivery finds it gone and sends nothing.
    await enqueue(t.db, { merchantId: m.merchantId, topic: 'stock.low', eventKey: 'f-3', payload: { productId: 'p', title: 'T', available: 0 } });
    await drainOutbox(t.db, { consumers: outboxConsumers(t.db) }); // fan-out only
    await deleteEndpoint(t.db, m.actor, { id: only.endpoint.id });
    await drainAll();
    expect(recorder.requests).toHaveLength(1);

    // A merchant with no endpoint gets no fan-out rows at all.
    const quiet = await seedMerchant(t.db);
    await enqueue(t.db, { merchantId: quiet.merchantId, topic: 'order.delivered', eventKey: 'q-1', payload: { orderId: 'q' } });
    const rows = await t.db.execute<{ consumer: string }>(sql`SELECT consumer FROM outbox WHERE merchant_id = ${quiet.merchantId}`);
    expect(rows.map((r) => r.consumer)).toEqual(['mail.delivery']);
  });

  it('Telegram and Bark pushes carry a Chinese summary; credentials are sealed and listed only as hints', async () => {
    const m = await seedMerchant(t.db);
    const botToken = '123456789:AAH-secret-token-value-abcdefghij';
    await createEndpoint(t.db, m.actor, { kind: 'telegram', name: 'TG', botToken, chatId: '-1001234', events: [] });
    await createEndpoint(t.db, m.actor, { kind: 'bark', name: 'Phone', url: `${recorder.url}/bark`, deviceKey: 'DeviceKey12345678', events: [] });
    await enqueue(t.db, {
      merchantId: m.merchantId,
      topic: 'order.awaiting_fulfillment',
      eventKey: 'a-1',
      payload: { orderId: 'a', orderNo: '2026112500000009', reason: 'manual' },
    });
    await drainAll();
    const tg = recorder.requests.find((r) => r.path.startsWith('/telegram'))!;
    expect(tg.path).toBe(`/telegram/bot${botToken}/sendMessage`);
    expect(JSON.parse(tg.body)).toMatchObject({ chat_id: '-1001234', text: expect.stringContaining('订单 2026112500000009 等待人工发货') });
    const bark = recorder.requests.find((r) => r.path === '/bark/push')!;
    expect(JSON.parse(bark.body)).toMatchObject({ device_key: 'DeviceKey12345678', title: expect.stringContaining('等待人工发货') });

    const listed = JSON.stringify(await listEndpoints(t.db, m.merchantId));
    expect(listed).not.toContain(botToken);
    expect(listed).not.toContain('DeviceKey12345678');
    expect(listed).toContain('••••ghij');
    const stored = await t.db.execute<{ credentials: string }>(sql`SELECT credentials FROM webhook_endpoints WHERE merchant_id = ${m.merchantId}`);
    for (const s of stored) expect(s.credentials).not.toContain('secret-token');
    // Timed-out or failed calls never put the bot token in the stored error.
    recorder.setReply(() => ({ status: 502 }));
    await enqueue(t.db, {
      merchantId: m.merchantId,
      topic: 'payment.duplicate',
      eventKey: 'd-1',
      payload: { orderId: 'd', orderNo: '1', tradeNo: 'T', amount: 100, currency: 'CNY' },
    });
    await drainAll();
    const errors = await t.db.execute<{ last_error: string }>(sql`SELECT last_error FROM outbox WHERE last_error IS NOT NULL`);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.last_error).not.toContain('secret-token');
  });

  it('refuses bad input and another merchant’s endpoints, changing nothing', async () => {
    const a = await seedMerchant(t.db);
    const b = await seedMerchant(t.db);
    const bad = [
      { kind: 'http', name: 'x', url: 'ftp://example.com/hook', events: [] },
      { kind: 'http', name: 'x', url: 'not a url', events: [] },
      { kind: 'http', name: '', url: 'https://example.com/hook', events: [] },
      { kind: 'http', name: 'x', url: 'https://example.com/hook', events: ['order.unknown'] },
      { kind: 'telegram', name: 'x', botToken: 'nope', chatId: '1', events: [] },
      { kind: 'bark', name: 'x', deviceKey: 'a b', events: [] },
      { kind: 'smoke-signal', name: 'x' },
    ];
    for (const endpoint of bad) {
      const err = await createEndpoint(t.db, a.actor, endpoint).catch((e: AppError) => e);
      expect(err, JSON.stringify(endpoint)).toMatchObject({ code: 'validation_failed' });
    }
    const { endpoint } = await createEndpoint(t.db, a.actor, { kind: 'http', name: 'A', url: 'https://example.com/a', events: [] });
    expect(await setEndpointEnabled(t.db, b.actor, { id: endpoint.id, enabled: false }).catch((e: AppError) => e.code)).toBe('not_found');
    expect(await deleteEndpoint(t.db, b.actor, { id: endpoint.id }).catch((e: AppError) => e.code)).toBe('not_found');
    expect(await listEndpoints(t.db, b.merchantId)).toEqual([]);
    expect((await listEndpoints(t.db, a.merchantId)).map((e) => [e.name, e.enabled])).toEqual([['A', true]]);
  });

  it('in production, merchant URLs must be https and public', () => {
    stubProduction();
    try {
      expect(validateOutboundUrl('http://example.com/hook')).toEqual({ ok: false, reason: 'not_https' });
      for (const u of [
        'https://127.0.0.1/x',
        'https://localhost/x',
        'https://10.1.2.3/x',
        'https://192.168.1.1/x',
        'https://[::1]/x',
        'https://169.254.169.254/latest',
        'https://[64:ff9b::7f00:1]/x',
        'https://[2002:7f00:1::]/x',
      ]) {
        expect(validateOutboundUrl(u), u).toEqual({ ok: false, reason: 'private_address' });
      }
      expect(validateOutboundUrl('https://hooks.example.com/x').ok).toBe(true);
    } finally {
      vi.unstubAllEnvs();
      resetConfig();
    }
  });
});

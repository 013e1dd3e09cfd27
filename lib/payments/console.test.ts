import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '@/lib/config';
import { auditLog, paymentChannels } from '@/db/schema';
import type { Actor } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { createOrder, handlePaymentNotification } from '@/lib/orders';
import { openFromText, sealedIn, sealToText } from '@/lib/crypto';
import {
  getDriver,
  channelInputErrors,
  createChannel,
  getMerchantChannel,
  listMerchantChannels,
  loadChannel,
  setChannelEnabled,
  testChannel,
  updateChannel,
} from '@/lib/payments';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { epayNotification, startEpaySimulator } from '@/test/epay-simulator';
import { EPAY_KEY, seedEpayChannel, seedMerchant, seedProduct } from '@/test/fixtures';
import { stubProduction } from '@/test/production';

let t: TestDb;
let a: Awaited<ReturnType<typeof seedMerchant>>;
let b: Awaited<ReturnType<typeof seedMerchant>>;
const actor = (m: { actor: Actor }) => ({ ...m.actor, ip: '203.0.113.9' });

beforeAll(async () => {
  t = await createTestDatabase();
  a = await seedMerchant(t.db);
  b = await seedMerchant(t.db);
});
afterAll(async () => dropTestDatabase(t));

const failure = (p: Promise<unknown>) =>
  p.then(
    () => ({ code: 'ok' as string, fields: {} as Record<string, unknown> }),
    (e: unknown) => (e instanceof AppError ? { code: e.code as string, fields: e.fields ?? {} } : { code: `error: ${String(e)}`, fields: {} }),
  );
const rawRow = async (id: string) => (await t.db.select().from(paymentChannels).where(eq(paymentChannels.id, id)))[0]!;
const auditOf = (targetId: string) =>
  t.db
    .select()
    .from(auditLog)
    // The console's own acts (the fixtures create channels as the system, audited too).
    .where(and(eq(auditLog.targetType, 'channel'), eq(auditLog.targetId, targetId), eq(auditLog.actorType, 'user')));

describe('console channel management', () => {
  it('updateChannel keeps the stored key when the field is blank and replaces it when given; audit names fields, never values', async () => {
    const ch = await seedEpayChannel(t.db, a.merchantId, 'https://pay.example.com/');
    const edit1 = await updateChannel(t.db, actor(a), {
      channelId: ch.id,
      name: 'Alipay',
      config: { gateway: 'https://pay.example.com', pid: '2002', key: '' },
    });
    expect(edit1.changed).toEqual(['name', 'config.pid']);
    expect((await loadChannel(t.db, ch.id))!.config).toEqual({ gateway: 'https://pay.example.com', pid: '2002', key: EPAY_KEY });

    // A new gateway with the key left blank would send the stored key to that host: refused.
    const moved = await updateChannel(t.db, actor(a), { channelId: ch.id, config: { gateway: 'https://elsewhere.example.net', pid: '2002', key: '' } }).catch(
      (e: AppError) => e,
    );
    expect(moved).toMatchObject({ code: 'validation_failed' });
    expect((await loadChannel(t.db, ch.id))!.config).toMatchObject({ gateway: 'https://pay.example.com', key: EPAY_KEY });

    const edit2 = await updateChannel(t.db, actor(a), {
      channelId: ch.id,
      config: { gateway: 'https://pay2.example.com', pid: '2002', key: 'a-brand-new-key-5678' },
    });
    expect(edit2.changed).toEqual(['config.gateway', 'config.key']);
    expect((await loadChannel(t.db, ch.id))!.config).toMatchObject({ key: 'a-brand-new-key-5678' });
    expect(edit2.channel.config.find((f) => f.name === 'key')).toEqual({ name: 'key', secret: true, set: true, hint: '••••••5678' });

    const audits = await auditOf(ch.id);
    expect(audits.map((x) => [x.action, x.detail])).toEqual([
      ['channel.update', { fields: ['name', 'config.pid'] }],
      ['channel.update', { fields: ['config.gateway', 'config.key'] }],
    ]);
    expect(JSON.stringify(audits)).not.toContain('a-brand-new-key');
    expect(audits[0]!.actorId).toBe(a.userId);
    expect(audits[0]!.ip).toBe('203.0.113.9');
  });

  it('an edit that changes nothing writes nothing and audits nothing', async () => {
    const ch = await seedEpayChannel(t.db, a.merchantId, 'https://pay.example.com/');
    const before = await rawRow(ch.id);
    const r = await updateChannel(t.db, actor(a), { channelId: ch.id, name: 'Epay', config: { gateway: 'https://pay.example.com', pid: '1001', key: '' } });
    expect(r.changed).toEqual([]);
    expect(await rawRow(ch.id)).toEqual(before);
    expect(await auditOf(ch.id)).toHaveLength(0);
  });

  it('listMerchantChannels never returns a secret: neither the key nor the sealed config', async () => {
    const ch = await seedEpayChannel(t.db, a.merchantId, 'https://pay.example.com/');
    const list = await listMerchantChannels(t.db, a.merchantId);
    const json = JSON.stringify(list);
    expect(json).not.toContain(EPAY_KEY);
    expect(json).not.toContain((await rawRow(ch.id)).config);
    expect(json).not.toContain((await rawRow(a.demoChannelId)).config);
    const demoSecret = ((await loadChannel(t.db, a.demoChannelId))!.config as { secret: string }).secret;
    expect(json).not.toContain(demoSecret);
    const item = list.find((c) => c.id === ch.id)!;
    expect(item.config).toEqual([
      { name: 'gateway', secret: false, set: true, hint: 'https://pay.example.com' },
      { name: 'pid', secret: false, set: true, hint: '1001' },
      { name: 'key', secret: true, set: true, hint: '••••••6789' },
      // Every field the driver declares is listed, set or not, so the form can render it.
      { name: 'type', secret: false, set: false, hint: '' },
    ]);
    expect(item.testable).toBe(true);
    expect(list.find((c) => c.id === a.demoChannelId)).toMatchObject({ kind: 'demo', testable: false });
    // Only this merchant's channels.
    expect(list.every((c) => c.id !== b.demoChannelId)).toBe(true);
  });

  it("another merchant's channel id is not_found for read, edit, toggle and test, and stays unchanged", async () => {
    const theirs = await seedEpayChannel(t.db, b.merchantId, 'https://pay.example.com/');
    const before = await rawRow(theirs.id);
    expect((await failure(getMerchantChannel(t.db, a.merchantId, theirs.id))).code).toBe('not_found');
    expect((await failure(updateChannel(t.db, actor(a), { channelId: theirs.id, name: 'mine now', config: { key: 'attacker-key-000000' } }))).code).toBe(
      'not_found',
    );
    expect((await failure(setChannelEnabled(t.db, actor(a), { channelId: theirs.id, enabled: false }))).code).toBe('not_found');
    expect((await failure(testChannel(t.db, actor(a), { channelId: theirs.id }))).code).toBe('not_found');
    expect((await failure(updateChannel(t.db, actor(a), { channelId: 'not-a-uuid', name: 'x' }))).code).toBe('not_found');
    expect(await rawRow(theirs.id)).toEqual(before);
    expect(await auditOf(theirs.id)).toHaveLength(0);
  });

  it('invalid config is validation_failed with the field named, and nothing changes', async () => {
    const ch = await seedEpayChannel(t.db, a.merchantId, 'https://pay.example.com/');
    const before = await rawRow(ch.id);
    const badUrl = await failure(updateChannel(t.db, actor(a), { channelId: ch.id, config: { gateway: 'not a url' } }));
    expect(badUrl).toMatchObject({ code: 'validation_failed', fields: { 'config.gateway': expect.anything() } });
    const plainHttp = await failure(updateChannel(t.db, actor(a), { channelId: ch.id, config: { gateway: 'http://pay.example.com' } }));
    expect(plainHttp).toMatchObject({ code: 'validation_failed', fields: { 'config.gateway': expect.anything() } });
    const noPid = await failure(updateChannel(t.db, actor(a), { channelId: ch.id, name: 'Renamed', config: { pid: '' } }));
    expect(noPid).toMatchObject({ code: 'validation_failed', fields: { 'config.pid': expect.anything() } });
    const range = await failure(updateChannel(t.db, actor(a), { channelId: ch.id, minAmount: 5000, maxAmount: 100 }));
    expect(range).toMatchObject({ code: 'validation_failed', fields: { maxAmount: expect.anything() } });
    const fee = await failure(updateChannel(t.db, actor(a), { channelId: ch.id, feeBps: 10_001 }));
    expect(fee.code).toBe('validation_failed');
    expect(await rawRow(ch.id)).toEqual(before);

    const created = await failure(createChannel(t.db, actor(a), { kind: 'epay', name: 'New', config: { gateway: 'ftp://x', key: 'short' } }));
    expect(created.code).toBe('validation_failed');
    expect(Object.keys(created.fields).sort()).toEqual(['config.gateway', 'config.key', 'config.pid']);
  });

  it('channelInputErrors names every invalid field at once and writes nothing; a kept secret is not required', () => {
    expect(
      Object.keys(
        channelInputErrors('epay', {
          name: '',
          feeBps: 20_000,
          minAmount: 500,
          maxAmount: 100,
          config: { gateway: 'http://pay.example.com', pid: '', key: '' },
        }),
      ).sort(),
    ).toEqual(['config.gateway', 'config.key', 'config.pid', 'feeBps', 'maxAmount', 'name']);
    expect(channelInputErrors('epay', { name: 'ok', config: { gateway: 'https://pay.example.com', pid: '1', key: '' } }, ['key'])).toEqual({});
  });

  it('creates an epay channel (audited by kind only) and refuses a second demo channel', async () => {
    const c = await createChannel(t.db, actor(a), {
      kind: 'epay',
      name: '支付宝',
      config: { gateway: 'https://pay.example.com', pid: '7', key: 'secret-epay-key-1234' },
      priority: 5,
      minAmount: 100,
      maxAmount: 50000,
      feeBps: 60,
      enabled: false,
    });
    expect(c).toMatchObject({ kind: 'epay', name: '支付宝', priority: 5, minAmount: 100, maxAmount: 50000, feeBps: 60, enabled: false, usable: false });
    const audits = await auditOf(c.id);
    expect(audits.map((x) => [x.action, x.detail])).toEqual([['channel.create', { kind: 'epay' }]]);
    expect((await failure(createChannel(t.db, actor(a), { kind: 'demo', name: 'Demo 2' }))).code).toBe('conflict');
    expect((await failure(createChannel(t.db, actor(a), { kind: 'paypal', name: 'x' }))).code).toBe('validation_failed');
    const [{ n }] = (await t.db.execute<{ n: string }>(
      sql`SELECT count(*) AS n FROM payment_channels WHERE merchant_id = ${a.merchantId} AND kind = 'demo'`,
    )) as unknown as [{ n: string }];
    expect(Number(n)).toBe(1);
  });

  it('a change in the console is seen by the next order and notification of this process at once (no stale cache)', async () => {
    const ch = await seedEpayChannel(t.db, a.merchantId, 'https://pay.example.com/');
    const product = await seedProduct(t.db, a.merchantId, { keys: 3 });
    const order = () => createOrder(t.db, { productId: product.id, email: 'cache@example.test', channel: ch.id }, { merchantId: a.merchantId });
    expect((await order()).status).toBe('pending'); // the channel is now cached
    await setChannelEnabled(t.db, actor(a), { channelId: ch.id, enabled: false });
    expect((await failure(order())).code).toBe('channel_unavailable');
    await setChannelEnabled(t.db, actor(a), { channelId: ch.id, enabled: true });
    expect((await order()).status).toBe('pending');
    // New credentials: the next notification is verified with them, not the cached old ones.
    await updateChannel(t.db, actor(a), { channelId: ch.id, config: { key: 'a-brand-new-epay-key-0123456789' } });
    expect(((await loadChannel(t.db, ch.id))!.config as { key: string }).key).toBe('a-brand-new-epay-key-0123456789');
    await updateChannel(t.db, actor(a), { channelId: ch.id, maxAmount: 1 });
    expect((await failure(order())).code).toBe('channel_unavailable');
  });

  it('a change made by another instance (this process never told) is seen by orders and notifications at once', async () => {
    const ch = await seedEpayChannel(t.db, a.merchantId, 'https://pay.example.com/');
    const product = await seedProduct(t.db, a.merchantId, { keys: 3, price: 500 });
    const first = await createOrder(t.db, { productId: product.id, email: 'other@example.test', channel: ch.id }, { merchantId: a.merchantId });
    expect(((await loadChannel(t.db, ch.id))!.config as { key: string }).key).toBe(EPAY_KEY); // cached here now
    // Another instance replaces the leaked key and disables the channel: rows change, this process's cache does not.
    const NEW_KEY = 'the-replacement-epay-key-0123456789';
    const row = await rawRow(ch.id);
    const config = { ...(JSON.parse(openFromText(row.config, sealedIn.channelConfig(row))) as Record<string, unknown>), key: NEW_KEY };
    await t.db
      .update(paymentChannels)
      .set({ config: sealToText(JSON.stringify(config), sealedIn.channelConfig(row)), enabled: false })
      .where(eq(paymentChannels.id, ch.id));
    // No order on the disabled channel.
    expect((await failure(createOrder(t.db, { productId: product.id, email: 'o2@example.test', channel: ch.id }, { merchantId: a.merchantId }))).code).toBe(
      'channel_unavailable',
    );
    // A notification signed with the old key is refused; one with the new key pays (a buyer who paid before the switch is credited).
    const notification = (key: string) =>
      handlePaymentNotification(t.db, ch.id, {
        method: 'GET',
        query: epayNotification(key, { pid: '1001', outTradeNo: first.orderNo, tradeNo: 'OTHER-1', amount: 500 }),
        body: {},
      });
    expect((await notification(EPAY_KEY)).outcome).toBe('rejected');
    expect((await notification(NEW_KEY)).outcome).toBe('delivered');
  });

  it('setChannelEnabled toggles and audits channel.disable / channel.enable; a repeat is a no-op', async () => {
    const ch = await seedEpayChannel(t.db, a.merchantId, 'https://pay.example.com/');
    expect((await setChannelEnabled(t.db, actor(a), { channelId: ch.id, enabled: false })).enabled).toBe(false);
    expect((await setChannelEnabled(t.db, actor(a), { channelId: ch.id, enabled: false })).enabled).toBe(false);
    expect((await setChannelEnabled(t.db, actor(a), { channelId: ch.id, enabled: true })).enabled).toBe(true);
    expect((await auditOf(ch.id)).map((x) => x.action)).toEqual(['channel.disable', 'channel.enable']);
  });
});

describe('channel test against a local epay server', () => {
  let sim: Awaited<ReturnType<typeof startEpaySimulator>>;
  beforeAll(async () => {
    sim = await startEpaySimulator('1001', EPAY_KEY);
  });
  afterAll(async () => sim.close());

  it('the right pid and key: ok (reachable, credentials accepted), with a made-up order number', async () => {
    const ch = await seedEpayChannel(t.db, a.merchantId, sim.gateway);
    const result = await testChannel(t.db, actor(a), { channelId: ch.id });
    expect(result).toMatchObject({ status: 'ok' });
    expect(sim.queries.at(-1)).toMatch(/^TEST[0-9a-f]{16}$/);
  });

  it("a wrong key: rejected, in the provider's words, and the key is not in the result", async () => {
    const ch = await createChannel(t.db, actor(a), { kind: 'epay', name: 'Wrong', config: { gateway: sim.gateway, pid: '1001', key: 'wrong-key-wrong-key' } });
    const result = await testChannel(t.db, actor(a), { channelId: ch.id });
    expect(result).toEqual({ status: 'rejected', providerMessage: 'KEY校验失败' });
  });

  it('nobody listening: unreachable', async () => {
    const ch = await seedEpayChannel(t.db, a.merchantId, 'http://127.0.0.1:9/');
    expect(await testChannel(t.db, actor(a), { channelId: ch.id })).toEqual({ status: 'unreachable' });
  });

  it('at most 10 tests a minute per merchant: the 11th is rate_limited without a request; another merchant is unaffected', async () => {
    const m = await seedMerchant(t.db);
    const n = await seedMerchant(t.db);
    const mine = await seedEpayChannel(t.db, m.merchantId, sim.gateway);
    const theirs = await seedEpayChannel(t.db, n.merchantId, sim.gateway);
    const before = sim.queries.length;
    for (let i = 0; i < 10; i++) expect(await testChannel(t.db, m.actor, { channelId: mine.id })).toMatchObject({ status: 'ok' });
    expect((await failure(testChannel(t.db, m.actor, { channelId: mine.id }))).code).toBe('rate_limited');
    expect(sim.queries.length - before).toBe(10);
    expect(await testChannel(t.db, n.actor, { channelId: theirs.id })).toMatchObject({ status: 'ok' });
  });

  it('the demo channel has nothing to ask: null', async () => {
    expect(await testChannel(t.db, actor(a), { channelId: a.demoChannelId })).toBeNull();
  });

  it('in production an epay gateway must be a public https address (the key travels to it)', () => {
    stubProduction();
    try {
      const schema = getDriver('epay').configSchema;
      for (const gateway of ['http://pay.example.com', 'https://10.0.0.5', 'https://127.0.0.1:8443', 'https://localhost', 'https://169.254.169.254']) {
        expect(schema.safeParse({ gateway, pid: '1001', key: 'k'.repeat(16) }).success, gateway).toBe(false);
      }
      expect(schema.safeParse({ gateway: 'https://pay.example.com', pid: '1001', key: 'k'.repeat(16) }).success).toBe(true);
    } finally {
      vi.unstubAllEnvs();
      resetConfig();
    }
  });
});

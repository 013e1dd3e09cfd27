// Two Alipay channels of one merchant, each against its own simulator: when the primary
// fails, payments go to the backup of the same method; its circuit breaker (in PostgreSQL)
// opens after 5 failures, lets exactly one probe through after the cooldown, closes after 3
// probe successes and doubles the cooldown after a failed probe. "Time passes" by moving the
// breaker's opened_at back, the clock being the database's.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '@/lib/audit';
import { createOrder, getOrderForBuyer, paymentForOrder, type CreatedOrder } from '@/lib/orders';
import { admitCall, createChannel, healthOf, inRollout, reviewRollouts, updateChannel } from '@/lib/payments';
import { startAppRoutes } from '@/test/app-http';
import { createTestDatabase, dropTestDatabase, secondPool, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';
import { startAlipaySimulator } from '@/test/simulators/alipay';

let t: TestDb;
let primary: Awaited<ReturnType<typeof startAlipaySimulator>>;
let backup: Awaited<ReturnType<typeof startAlipaySimulator>>;
let app: Awaited<ReturnType<typeof startAppRoutes>>;
let merchant: Awaited<ReturnType<typeof seedMerchant>>;
let primaryId: string;
let backupId: string;
let productId: string;

beforeAll(async () => {
  t = await createTestDatabase({ max: 30 });
  [primary, backup] = await Promise.all([startAlipaySimulator({ appId: '2021000000000011' }), startAlipaySimulator({ appId: '2021000000000022' })]);
  app = await startAppRoutes();
  merchant = await seedMerchant(t.db);
  const actor = systemActor(merchant.merchantId);
  primaryId = (await createChannel(t.db, actor, { kind: 'alipay', name: '支付宝 主', priority: 10, config: primary.config })).id;
  backupId = (await createChannel(t.db, actor, { kind: 'alipay', name: '支付宝 备', priority: 5, config: backup.config })).id;
  productId = (await seedProduct(t.db, merchant.merchantId, { keys: 200, price: 8880 })).id;
});
afterAll(async () => {
  await Promise.all([primary?.settle(), backup?.settle()]);
  await app?.close();
  await Promise.all([primary?.close(), backup?.close()]);
  await dropTestDatabase(t);
});

let n = 0;
const order = () => createOrder(t.db, { productId, email: `f${n++}@example.test`, channel: primaryId }, { merchantId: merchant.merchantId });
const pay = (o: CreatedOrder) => paymentForOrder(t.db, o.orderNo, { retryFailed: 'now' });
const precreates = (sim: typeof primary) => sim.calls.filter((c) => c.method === 'alipay.trade.precreate').length;
const breaker = async () => (await healthOf(t.db, [primaryId])).get(primaryId)!;
const cooldownPasses = (seconds = 61) =>
  t.db.execute(sql`UPDATE channel_health SET opened_at = opened_at - make_interval(secs => ${seconds}) WHERE channel_id = ${primaryId}`);

describe('failover and the circuit breaker', () => {
  it('5 × HTTP 500: each payment goes to the backup at once, and the primary’s circuit opens, audited and alerted', async () => {
    primary.faults.http500 = 5;
    for (let i = 0; i < 5; i++) {
      const o = await order();
      const p = await pay(o);
      expect(p).toMatchObject({ state: 'ready', channel: { id: backupId, method: 'alipay' }, outTradeNo: `${o.orderNo}-2` });
    }
    expect(await breaker()).toMatchObject({ state: 'open', cooldownS: 60, recent: { ok: 0, fail: 5 } });
    const audits = await t.db.execute<{ detail: { from: string; to: string } }>(
      sql`SELECT detail FROM audit_log WHERE action = 'channel.health' AND target_id = ${primaryId}`,
    );
    expect(audits.map((a) => [a.detail.from, a.detail.to])).toEqual([['closed', 'open']]);
    const alerts = await t.db.execute<{ consumer: string }>(sql`SELECT consumer FROM outbox WHERE topic = 'channel.health' ORDER BY consumer`);
    // The merchant's e-mail (and its webhooks, Telegram or Bark where it has endpoints).
    expect(alerts.map((a) => a.consumer)).toContain('mail.merchant');
  });

  it('while it is open, the primary is not called; the buyer pays through the backup and gets the key', async () => {
    const before = precreates(primary);
    const o = await order();
    const p = await pay(o);
    expect(p).toMatchObject({ state: 'ready', channel: { id: backupId }, outTradeNo: o.orderNo });
    expect(precreates(primary)).toBe(before);
    expect(await backup.pay(o.orderNo)).toEqual([true]);
    expect((await getOrderForBuyer(t.db, o.orderNo, o.token)).status).toBe('delivered');
    // The order now belongs to the channel that took the money.
    const [row] = await t.db.execute<{ channel_id: string }>(sql`SELECT channel_id FROM orders WHERE order_no = ${o.orderNo}`);
    expect(row!.channel_id).toBe(backupId);
  });

  it('after the cooldown, 10 payments at once send exactly one probe to the primary; the rest go to the backup', async () => {
    await cooldownPasses();
    const before = precreates(primary);
    const orders = await Promise.all(Array.from({ length: 10 }, order));
    // The probe's call takes a while, as a real provider's does: the other nine ask while it
    // is out (a probe that has come back frees the slot for the next one, by design).
    primary.faults.latencyMs = 500;
    const paid = await Promise.all(orders.map(pay)).finally(() => (primary.faults.latencyMs = undefined));
    expect(precreates(primary) - before).toBe(1);
    expect(paid.filter((p) => p.channel.id === primaryId)).toHaveLength(1);
    expect(paid.filter((p) => p.channel.id === backupId)).toHaveLength(9);
    expect(paid.every((p) => p.state === 'ready')).toBe(true);
    expect(await breaker()).toMatchObject({ state: 'half_open' });
  });

  it('3 probe successes close it (the first came from the test above)', async () => {
    for (let i = 0; i < 2; i++) expect((await pay(await order())).channel.id).toBe(primaryId);
    expect(await breaker()).toMatchObject({ state: 'closed', cooldownS: 60 });
    const audits = await t.db.execute<{ to: string }>(
      sql`SELECT detail->>'to' AS to FROM audit_log WHERE action = 'channel.health' AND target_id = ${primaryId} ORDER BY id`,
    );
    expect(audits.map((a) => a.to)).toEqual(['open', 'half_open', 'closed']);
  });

  it('a failed probe reopens it with the cooldown doubled', async () => {
    primary.faults.http500 = 5;
    for (let i = 0; i < 5; i++) await pay(await order());
    expect(await breaker()).toMatchObject({ state: 'open', cooldownS: 60 });
    await cooldownPasses();
    primary.faults.http500 = 1;
    const o = await order();
    // The probe fails; the same payment still goes to the backup.
    expect(await pay(o)).toMatchObject({ state: 'ready', channel: { id: backupId } });
    expect(await breaker()).toMatchObject({ state: 'open', cooldownS: 120 });
    // 61 s is no longer enough.
    await cooldownPasses();
    expect(await admitCall(t.db, primaryId)).toBe('skip');
    await cooldownPasses(60);
    expect(await admitCall(t.db, primaryId)).toBe('probe');
  });

  it('another app process (its own connection pool) on the same database sees the same state', async () => {
    const other = secondPool(t.url, 2);
    try {
      await t.db.execute(sql`UPDATE channel_health SET state = 'open', opened_at = now(), probe_lease_until = NULL WHERE channel_id = ${primaryId}`);
      expect(await admitCall(other.db, primaryId)).toBe('skip');
      expect(await admitCall(t.db, primaryId)).toBe('skip');
    } finally {
      await other.sql.end();
    }
  });

  it('when no channel of the method can take it, the buyer is told and nothing is shown', async () => {
    await t.db.execute(sql`UPDATE channel_health SET state = 'open', opened_at = now() WHERE channel_id = ${primaryId}`);
    backup.faults.http500 = 1;
    const o = await order();
    const p = await pay(o);
    expect(p).toMatchObject({ state: 'failed', action: null, channel: { id: backupId } });
    expect((await getOrderForBuyer(t.db, o.orderNo, o.token)).status).toBe('pending');
  });

  it('a channel rolled out to 10 % takes exactly the buyers in its sample; the others pay through the stable channel', async () => {
    await t.db.execute(sql`UPDATE channel_health SET state = 'closed', consecutive_failures = 0 WHERE channel_id = ${primaryId}`);
    const { channel } = await updateChannel(t.db, merchant.actor, { channelId: primaryId, rolloutPercent: 10 });
    expect(channel.rolloutPercent).toBe(10);
    const [row] = await t.db.execute<{ rollout_salt: string }>(sql`SELECT rollout_salt FROM payment_channels WHERE id = ${primaryId}`);
    const orders = await Promise.all(Array.from({ length: 40 }, order));
    for (const o of orders) {
      const [{ email }] = [...(await t.db.execute<{ email: string }>(sql`SELECT email FROM orders WHERE order_no = ${o.orderNo}`))] as [{ email: string }];
      const expected = inRollout({ rolloutPercent: 10, rolloutSalt: row!.rollout_salt }, email) ? primaryId : backupId;
      expect((await pay(o)).channel.id).toBe(expected);
    }
  });

  it('a rollout that converts clearly worse than its method’s others is rolled back to 0 % by the job, audited and alerted', async () => {
    // 200 payments created on the rolled-out channel, 10 paid; the stable one 100 created, 80 paid.
    await t.db.execute(sql`
      INSERT INTO payment_attempts (merchant_id, order_id, channel_id, seq, out_trade_no, status, amount, currency)
      SELECT o.merchant_id, o.id, CASE WHEN g <= 200 THEN ${primaryId}::uuid ELSE ${backupId}::uuid END, 1000 + g, o.order_no || '-r' || g,
             CASE WHEN g <= 10 OR g BETWEEN 201 AND 280 THEN 'paid' ELSE 'open' END, o.amount, o.currency
        FROM generate_series(1, 300) g, (SELECT * FROM orders WHERE merchant_id = ${merchant.merchantId} LIMIT 1) o`);
    expect(await reviewRollouts(t.db)).toEqual({ rolledBack: [primaryId] });
    const [ch] = await t.db.execute<{ rollout_percent: number }>(sql`SELECT rollout_percent FROM payment_channels WHERE id = ${primaryId}`);
    expect(ch!.rollout_percent).toBe(0);
    const [audit] = await t.db.execute<{ detail: Record<string, number> }>(
      sql`SELECT detail FROM audit_log WHERE action = 'channel.rollback' AND target_id = ${primaryId}`,
    );
    expect(audit!.detail).toMatchObject({ fromPercent: 10, toPercent: 0 });
    // Once at 0 % nothing more is rolled back.
    expect(await reviewRollouts(t.db)).toEqual({ rolledBack: [] });
  });
});

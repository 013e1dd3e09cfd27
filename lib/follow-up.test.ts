// Draining what a request wrote, right after its response (issue 16): the rows are found by
// `trackOutbox`, drained by `drainFollowUps` with the worker's claim and lease, against a
// real SMTP server and a real webhook receiver.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetConfig } from '@/lib/config';
import { drainFollowUps, FOLLOW_UP_LEASE_SECONDS, outboxConsumers } from '@/lib/jobs';
import { resetMailTransport } from '@/lib/mail';
import { applyPayment, createOrder } from '@/lib/orders';
import { drainOutbox, enqueue, trackOutbox } from '@/lib/outbox';
import { createEndpoint } from '@/lib/webhooks';
import { createTestDatabase, dropTestDatabase, secondPool, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';
import { startRecorder } from '@/test/http-recorder';
import { startSmtpSink } from '@/test/smtp-sink';

let t: TestDb;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let recorder: Awaited<ReturnType<typeof startRecorder>>;
/** Message-IDs as the SMTP server accepted them, in order. */
const accepted = () => smtp.received.map((m) => m.messageId);

beforeAll(async () => {
  smtp = await startSmtpSink();
  process.env.SMTP_URL = smtp.url;
  recorder = await startRecorder();
  resetConfig();
  resetMailTransport();
  t = await createTestDatabase({ max: 20 });
});

afterAll(async () => {
  delete process.env.SMTP_URL;
  resetConfig();
  resetMailTransport();
  await recorder.close();
  await smtp.close();
  await dropTestDatabase(t);
});

beforeEach(async () => {
  smtp.received.length = 0;
  recorder.requests.length = 0;
  await t.db.execute(sql`DELETE FROM outbox`);
});

/** Runs `fn` as a request would and returns the outbox rows it wrote. */
async function written(fn: () => Promise<unknown>): Promise<number[]> {
  let ids: number[] = [];
  await trackOutbox(fn, (rows) => (ids = rows)).catch(() => undefined);
  return ids;
}

async function paidOrder(m: Awaited<ReturnType<typeof seedMerchant>>, productId: string, n: number) {
  const order = await createOrder(t.db, { productId, email: `buyer${n}@example.test`, channel: m.demoChannelId }, { merchantId: m.merchantId });
  const ids = await written(() =>
    applyPayment(t.db, m.demoChannelId, { outTradeNo: order.orderNo, tradeNo: `FU-${order.orderNo}`, amount: order.amount, currency: 'CNY', raw: {} }),
  );
  return { order, ids };
}

describe('draining what a request wrote', () => {
  it('finds the rows a payment wrote; a replay writes none; a rolled-back transaction leaves ids that claim nothing', async () => {
    const m = await seedMerchant(t.db);
    const product = await seedProduct(t.db, m.merchantId, { keys: 2 });
    const { order, ids } = await paidOrder(m, product.id, 1);
    const rows = await t.db.execute<{ id: string; consumer: string }>(sql`SELECT id, consumer FROM outbox ORDER BY id`);
    expect(ids.sort()).toEqual(rows.map((r) => Number(r.id)).sort());
    expect(rows.map((r) => r.consumer)).toEqual(['mail.delivery']);

    const replay = await written(() =>
      applyPayment(t.db, m.demoChannelId, { outTradeNo: order.orderNo, tradeNo: `FU-${order.orderNo}`, amount: order.amount, currency: 'CNY', raw: {} }),
    );
    expect(replay).toEqual([]);

    const rolledBack = await written(() =>
      t.db.transaction(async (tx) => {
        await enqueue(tx, { merchantId: m.merchantId, topic: 'stock.low', eventKey: 'rolled-back', payload: {} });
        throw new Error('abort');
      }),
    );
    expect(rolledBack).toHaveLength(1);
    expect(await drainFollowUps(t.db, rolledBack)).toMatchObject({ claimed: 0 });
  });

  it('sends the e-mail of the order it paid and leaves every other due row to the worker', async () => {
    const m = await seedMerchant(t.db);
    const product = await seedProduct(t.db, m.merchantId, { keys: 2 });
    const first = await paidOrder(m, product.id, 1);
    const second = await paidOrder(m, product.id, 2);
    const result = await drainFollowUps(t.db, second.ids);
    expect(result).toEqual({ claimed: 1, done: 1, failed: 0, dead: 0 });
    expect(accepted()).toEqual([`<delivery-${await orderId(second.order.orderNo)}@openfaka>`]);
    const [left] = await t.db.execute<{ status: string; attempts: number }>(sql`SELECT status, attempts FROM outbox WHERE id = ${first.ids[0]!}`);
    expect(left).toEqual({ status: 'pending', attempts: 0 });
    // Drained once: a second drain of the same rows finds them done.
    expect(await drainFollowUps(t.db, second.ids)).toMatchObject({ claimed: 0 });
    expect(accepted()).toHaveLength(1);
  });

  it('a failing consumer is retried later by the worker, with the shorter lease of a follow-up', async () => {
    const m = await seedMerchant(t.db);
    const product = await seedProduct(t.db, m.merchantId, { keys: 1 });
    const { ids } = await paidOrder(m, product.id, 1);
    const saved = process.env.SMTP_URL;
    process.env.SMTP_URL = 'smtp://127.0.0.1:9';
    resetConfig();
    resetMailTransport();
    try {
      expect(await drainFollowUps(t.db, ids)).toMatchObject({ claimed: 1, failed: 1 });
    } finally {
      process.env.SMTP_URL = saved;
      resetConfig();
      resetMailTransport();
    }
    const [row] = await t.db.execute<{ status: string; attempts: number; last_error: string | null; wait: number }>(
      sql`SELECT status, attempts, last_error, EXTRACT(EPOCH FROM available_at - now())::float8 AS wait FROM outbox WHERE id = ${ids[0]!}`,
    );
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.last_error).toBeTruthy();
    expect(row!.wait).toBeGreaterThan(0); // backoff: not retried in a loop by the same request
    await t.db.execute(sql`UPDATE outbox SET available_at = now()`);
    expect(await drainOutbox(t.db, { consumers: outboxConsumers(t.db) })).toMatchObject({ done: 1 });
    expect(accepted()).toHaveLength(1);
  });

  it("a webhook fan-out's sends are drained in the next round, so the merchant hears within the same second", async () => {
    const m = await seedMerchant(t.db);
    await createEndpoint(t.db, m.actor, { kind: 'http', name: 'ERP', url: `${recorder.url}/hook`, events: ['order.delivered'] });
    const product = await seedProduct(t.db, m.merchantId, { keys: 1 });
    const { ids } = await paidOrder(m, product.id, 1);
    expect(ids).toHaveLength(2); // mail.delivery and webhook.fanout
    const result = await drainFollowUps(t.db, ids);
    expect(result).toEqual({ claimed: 3, done: 3, failed: 0, dead: 0 }); // + the webhook.send the fan-out wrote
    expect(recorder.requests.filter((r) => r.path === '/hook')).toHaveLength(1);
    expect(accepted()).toHaveLength(1);
    const [pending] = await t.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM outbox WHERE status <> 'done'`);
    expect(Number(pending!.n)).toBe(0);
  });

  it('two requests draining after their responses and a worker at the same time: 60 orders, each e-mail exactly once', async () => {
    const m = await seedMerchant(t.db);
    const product = await seedProduct(t.db, m.merchantId, { keys: 60 });
    const paid = [];
    for (let i = 0; i < 60; i++) paid.push(await paidOrder(m, product.id, i));
    const allIds = paid.flatMap((p) => p.ids);
    expect(allIds).toHaveLength(60);
    // Two app processes' after() drains (each on its own pool) and a worker, all at once; the
    // two "requests" overlap on every row, as retried notifications for the same orders would.
    const a = secondPool(t.url, 5);
    const b = secondPool(t.url, 5);
    const worker = secondPool(t.url, 5);
    try {
      const workerLoop = (async () => {
        let total = 0;
        for (let i = 0; i < 50; i++) {
          const r = await drainOutbox(worker.db, { consumers: outboxConsumers(worker.db), batchSize: 7 });
          total += r.done;
          if (r.claimed === 0 && accepted().length >= 60) break;
        }
        return total;
      })();
      const [ra, rb, rw] = await Promise.all([drainFollowUps(a.db, allIds), drainFollowUps(b.db, [...allIds].reverse()), workerLoop]);
      expect(ra.done + rb.done + rw).toBe(60);
      expect(ra.failed + rb.failed).toBe(0);
    } finally {
      await Promise.all([a.sql.end(), b.sql.end(), worker.sql.end()]);
    }
    expect(accepted()).toHaveLength(60);
    expect(new Set(accepted()).size).toBe(60);
    const [left] = await t.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM outbox WHERE status <> 'done'`);
    expect(Number(left!.n)).toBe(0);
  });

  it('a row claimed by a drain that died comes back to the worker when the follow-up lease ends', async () => {
    const m = await seedMerchant(t.db);
    const product = await seedProduct(t.db, m.merchantId, { keys: 1 });
    const { ids } = await paidOrder(m, product.id, 1);
    // What a process killed mid-drain leaves: the row claimed under the follow-up lease, never finished.
    await t.db.execute(
      sql`UPDATE outbox SET attempts = 1, available_at = now() + make_interval(secs => ${FOLLOW_UP_LEASE_SECONDS}), leased_until = now() + make_interval(secs => ${FOLLOW_UP_LEASE_SECONDS}) WHERE id = ${ids[0]!}`,
    );
    expect(await drainOutbox(t.db, { consumers: outboxConsumers(t.db) })).toMatchObject({ claimed: 0 });
    expect(await drainFollowUps(t.db, ids)).toMatchObject({ claimed: 0 });
    await t.db.execute(sql`UPDATE outbox SET available_at = now() - interval '1 second', leased_until = now() - interval '1 second'`);
    expect(await drainOutbox(t.db, { consumers: outboxConsumers(t.db) })).toMatchObject({ claimed: 1, done: 1 });
    expect(accepted()).toHaveLength(1);
  });
});

async function orderId(orderNo: string): Promise<string> {
  const [row] = await t.db.execute<{ id: string }>(sql`SELECT id FROM orders WHERE order_no = ${orderNo}`);
  return row!.id;
}

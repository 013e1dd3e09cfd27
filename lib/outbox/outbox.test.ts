import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBatch, drainOutbox, enqueue, outboxLagSeconds, type ClaimedRow } from '@/lib/outbox';
import { createTestDatabase, dropTestDatabase, secondPool, type TestDb } from '@/test/db';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDatabase({ max: 20 });
});
afterAll(async () => dropTestDatabase(t));

async function clear() {
  await t.db.execute(sql`DELETE FROM outbox`);
}

describe('outbox', () => {
  it('rows are written in the state-changing transaction: a rollback leaves none', async () => {
    await clear();
    await t.db
      .transaction(async (tx) => {
        await enqueue(tx, { merchantId: null, topic: 'order.delivered', eventKey: 'rolled-back', payload: { orderId: 'x' } });
        throw new Error('abort');
      })
      .catch(() => undefined);
    await t.db.transaction(async (tx) => enqueue(tx, { merchantId: null, topic: 'order.delivered', eventKey: 'committed', payload: { orderId: 'y' } }));
    const rows = await t.db.execute<{ dedupe_key: string }>(sql`SELECT dedupe_key FROM outbox`);
    expect(rows.map((r) => r.dedupe_key)).toEqual(['mail.delivery:order.delivered:committed']);
  });

  it('two events of one order reach a consumer subscribed to both; a repeat of either does not', async () => {
    await clear();
    const [m] = await t.db.execute<{ id: string }>(sql`INSERT INTO merchants (slug, name) VALUES ('fanout-two', 'F') RETURNING id`);
    await t.db.execute(sql`INSERT INTO webhook_endpoints (merchant_id, name, url, credentials) VALUES (${m!.id}, 'e', 'https://example.com', 'k:x')`);
    for (const topic of ['order.awaiting_fulfillment', 'order.delivered', 'order.delivered']) {
      await enqueue(t.db, { merchantId: m!.id, topic, eventKey: 'order-1', payload: { orderId: 'order-1' } });
    }
    const rows = await t.db.execute<{ topic: string }>(sql`SELECT topic FROM outbox WHERE consumer = 'webhook.fanout' ORDER BY id`);
    expect(rows.map((r) => r.topic)).toEqual(['order.awaiting_fulfillment', 'order.delivered']);
  });

  it('the same event enqueued twice is one row per consumer', async () => {
    await clear();
    for (let i = 0; i < 3; i++) await enqueue(t.db, { merchantId: null, topic: 'stock.low', eventKey: 'p1:hour', payload: {} });
    expect(await t.db.execute(sql`SELECT 1 FROM outbox`)).toHaveLength(1);
  });

  it('two concurrent drainers on separate pools never handle the same row', async () => {
    await clear();
    await t.db.execute(sql`
      INSERT INTO outbox (topic, consumer, payload, dedupe_key)
      SELECT 'order.delivered', 'test.count', jsonb_build_object('n', g), 'k' || g FROM generate_series(1, 500) g`);
    const other = secondPool(t.url, 10);
    const seen: number[] = [];
    const consumer = async (row: ClaimedRow) => {
      seen.push(Number(row.payload.n));
      await new Promise((r) => setTimeout(r, Math.random() * 3));
    };
    const drainAll = async (db: typeof t.db) => {
      for (;;) {
        const r = await drainOutbox(db, { consumers: { 'test.count': consumer }, batchSize: 13 });
        if (r.claimed === 0) return;
      }
    };
    await Promise.all([drainAll(t.db), drainAll(other.db), drainAll(t.db), drainAll(other.db)]);
    await other.sql.end();
    expect(seen).toHaveLength(500);
    expect(new Set(seen).size).toBe(500);
    const [left] = await t.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM outbox WHERE status <> 'done'`);
    expect(Number(left!.n)).toBe(0);
  });

  it('failures retry with exponential backoff and go dead after the last attempt; other consumers are not held back', async () => {
    await clear();
    await t.db.execute(sql`INSERT INTO outbox (topic, consumer, payload, dedupe_key) VALUES ('x', 'flaky', '{}', 'f1'), ('x', 'fine', '{}', 'f2')`);
    const fine: number[] = [];
    const consumers = {
      flaky: async () => {
        throw new Error('SMTP 451 try later');
      },
      fine: async (row: ClaimedRow) => {
        fine.push(row.id);
      },
    };
    const r1 = await drainOutbox(t.db, { consumers, maxAttempts: 3, backoffBaseSeconds: 10 });
    expect(r1).toMatchObject({ claimed: 2, done: 1, failed: 1 });
    expect(fine).toHaveLength(1);
    const [row1] = await t.db.execute<{ attempts: number; delay: number; last_error: string; status: string }>(
      sql`SELECT attempts, EXTRACT(EPOCH FROM available_at - now())::float8 AS delay, last_error, status FROM outbox WHERE dedupe_key = 'f1'`,
    );
    expect(row1).toMatchObject({ attempts: 1, status: 'pending', last_error: 'Error: SMTP 451 try later' });
    expect(row1!.delay).toBeGreaterThan(7);
    expect(row1!.delay).toBeLessThan(13);
    // Not due yet: a drain now finds nothing.
    expect((await drainOutbox(t.db, { consumers, maxAttempts: 3 })).claimed).toBe(0);

    await t.db.execute(sql`UPDATE outbox SET available_at = now() WHERE dedupe_key = 'f1'`);
    await drainOutbox(t.db, { consumers, maxAttempts: 3, backoffBaseSeconds: 10 });
    const [row2] = await t.db.execute<{ attempts: number; delay: number }>(
      sql`SELECT attempts, EXTRACT(EPOCH FROM available_at - now())::float8 AS delay FROM outbox WHERE dedupe_key = 'f1'`,
    );
    expect(row2!.attempts).toBe(2);
    expect(row2!.delay).toBeGreaterThan(15); // 10 * 2^1 ± 20%

    await t.db.execute(sql`UPDATE outbox SET available_at = now() WHERE dedupe_key = 'f1'`);
    expect(await drainOutbox(t.db, { consumers, maxAttempts: 3 })).toMatchObject({ dead: 1 });
    const [row3] = await t.db.execute<{ status: string }>(sql`SELECT status FROM outbox WHERE dedupe_key = 'f1'`);
    expect(row3!.status).toBe('dead');
  });

  it("a crashed drainer's claimed rows come back when the lease ends", async () => {
    await clear();
    await t.db.execute(sql`INSERT INTO outbox (topic, consumer, payload, dedupe_key) VALUES ('x', 'c', '{}', 'lease')`);
    const claimed = await claimBatch(t.db, 10, 60); // claimed, then the process "dies"
    expect(claimed).toHaveLength(1);
    expect((await drainOutbox(t.db, { consumers: { c: async () => {} } })).claimed).toBe(0);
    await t.db.execute(sql`UPDATE outbox SET available_at = now() - interval '1 second' WHERE dedupe_key = 'lease'`); // lease over
    expect(await drainOutbox(t.db, { consumers: { c: async () => {} } })).toMatchObject({ claimed: 1, done: 1 });
  });

  it('a drainer whose lease ran out does not overwrite the outcome of the drainer that took over', async () => {
    await clear();
    await t.db.execute(sql`INSERT INTO outbox (topic, consumer, payload, dedupe_key) VALUES ('x', 'slow', '{}', 'lease2')`);
    let takeover: Promise<unknown> | undefined;
    const slow = async () => {
      // While this consumer is still busy, its lease runs out and a second drainer handles the row.
      await t.db.execute(sql`UPDATE outbox SET available_at = now() - interval '1 second' WHERE dedupe_key = 'lease2'`);
      takeover = drainOutbox(t.db, { consumers: { slow: async () => {} } });
      await takeover;
      throw new Error('first drainer fails late');
    };
    await drainOutbox(t.db, { consumers: { slow } });
    const [row] = await t.db.execute<{ status: string; attempts: number; last_error: string | null }>(
      sql`SELECT status, attempts, last_error FROM outbox WHERE dedupe_key = 'lease2'`,
    );
    expect(row).toEqual({ status: 'done', attempts: 2, last_error: null });
  });

  it('reports the lag of the oldest due row', async () => {
    await clear();
    expect(await outboxLagSeconds(t.db)).toBe(0);
    await t.db.execute(sql`INSERT INTO outbox (topic, consumer, payload, available_at) VALUES ('x', 'c', '{}', now() - interval '90 seconds')`);
    const lag = await outboxLagSeconds(t.db);
    expect(lag).toBeGreaterThanOrEqual(89);
    expect(lag).toBeLessThan(100);
  });
});

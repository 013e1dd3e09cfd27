// The merchant's view of the outbox: stats, the list, and "retry now".
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainOutbox, listOutbox, merchantOutboxStats, retryOutboxRow, type ClaimedRow } from '@/lib/outbox';
import { systemActor } from '@/lib/audit';
import { seedMerchant } from '@/test/fixtures';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';

let t: TestDb;
let a: string;
let b: string;
beforeAll(async () => {
  t = await createTestDatabase();
  a = (await seedMerchant(t.db)).merchantId;
  b = (await seedMerchant(t.db)).merchantId;
});
afterAll(async () => dropTestDatabase(t));

async function insertRow(
  merchantId: string | null,
  fields: { status?: string; attempts?: number; lastError?: string | null; consumer?: string; payload?: object; availableIn?: string } = {},
) {
  const [row] = await t.db.execute<{ id: string }>(sql`
    INSERT INTO outbox (merchant_id, topic, consumer, payload, status, attempts, last_error, available_at, processed_at)
    VALUES (${merchantId}, 'order.delivered', ${fields.consumer ?? 'test.ok'}, ${JSON.stringify(fields.payload ?? { orderId: 'o1', orderNo: 'OF123' })}::jsonb,
            ${fields.status ?? 'pending'}::outbox_status, ${fields.attempts ?? 0}, ${fields.lastError ?? null},
            now() + ${fields.availableIn ?? '0 seconds'}::interval, ${fields.status && fields.status !== 'pending' ? sql`now()` : null})
    RETURNING id`);
  return Number(row!.id);
}

async function rowOf(id: number) {
  const [r] = await t.db.execute<{ status: string; attempts: number; last_error: string | null }>(
    sql`SELECT status, attempts, last_error FROM outbox WHERE id = ${id}`,
  );
  return r!;
}

describe('outbox in the console', () => {
  it('retry revives a dead row: pending, due now, attempts kept, and drainOutbox then handles it', async () => {
    await t.db.execute(sql`DELETE FROM outbox`);
    const id = await insertRow(a, { status: 'dead', attempts: 10, lastError: 'SMTP refused' });
    await expect(drainOutbox(t.db, { consumers: {} })).resolves.toMatchObject({ claimed: 0 });
    await expect(retryOutboxRow(t.db, systemActor(a), { id: id })).resolves.toMatchObject({ id, from: 'dead', topic: 'order.delivered' });
    expect(await rowOf(id)).toMatchObject({ status: 'pending', attempts: 10 });
    const seen: ClaimedRow[] = [];
    const r = await drainOutbox(t.db, { consumers: { 'test.ok': async (row) => void seen.push(row) }, maxAttempts: 10 });
    expect(r).toMatchObject({ claimed: 1, done: 1 });
    expect(seen.map((s) => s.id)).toEqual([id]);
    expect(await rowOf(id)).toMatchObject({ status: 'done', attempts: 11, last_error: null });
  });

  it("another merchant's row → not_found, and the row is unchanged", async () => {
    const id = await insertRow(a, { status: 'dead', attempts: 3, lastError: 'boom' });
    await expect(retryOutboxRow(t.db, systemActor(b), { id: id })).rejects.toMatchObject({ code: 'not_found' });
    await expect(retryOutboxRow(t.db, systemActor(b), { id: '999999999' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(retryOutboxRow(t.db, systemActor(b), { id: 'abc' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await rowOf(id)).toMatchObject({ status: 'dead', attempts: 3, last_error: 'boom' });
  });

  it('a pending row in backoff after a failure may be retried; a done row or an untried pending row may not', async () => {
    const backoff = await insertRow(a, { attempts: 2, lastError: 'timeout', availableIn: '1 hour' });
    await retryOutboxRow(t.db, systemActor(a), { id: backoff });
    const [due] = await t.db.execute<{ due: boolean }>(sql`SELECT available_at <= now() AS due FROM outbox WHERE id = ${backoff}`);
    expect(due!.due).toBe(true);
    const done = await insertRow(a, { status: 'done', attempts: 1 });
    await expect(retryOutboxRow(t.db, systemActor(a), { id: done })).rejects.toMatchObject({ code: 'conflict' });
    expect(await rowOf(done)).toMatchObject({ status: 'done' });
    const fresh = await insertRow(a, {});
    await expect(retryOutboxRow(t.db, systemActor(a), { id: fresh })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('a row a drainer is running right now is not made due again (it would run twice)', async () => {
    await t.db.execute(sql`DELETE FROM outbox`);
    // A row that failed once and is due again: a drainer claims it and is still working.
    const id = await insertRow(a, { attempts: 1, lastError: 'timeout' });
    let release!: () => void;
    const running = new Promise<void>((resolve) => (release = resolve));
    const runs: number[] = [];
    const draining = drainOutbox(t.db, {
      consumers: {
        'test.ok': async (row) => {
          runs.push(row.id);
          await running;
        },
      },
    });
    await expect.poll(() => runs.length).toBe(1);
    await expect(retryOutboxRow(t.db, systemActor(a), { id: id })).rejects.toMatchObject({ code: 'conflict' });
    // A second drainer finds nothing due while the first still holds the row.
    await expect(drainOutbox(t.db, { consumers: { 'test.ok': async (row) => void runs.push(row.id) } })).resolves.toMatchObject({ claimed: 0 });
    release();
    await expect(draining).resolves.toMatchObject({ done: 1 });
    expect(runs).toEqual([id]);
  });

  it('stats and list cover only this merchant, with the order number but never the payload', async () => {
    await t.db.execute(sql`DELETE FROM outbox`);
    await insertRow(a, { payload: { orderId: 'o-secret-id', orderNo: 'OF777', token: 'tok-abc' } });
    await insertRow(a, { status: 'dead', attempts: 10, lastError: 'x', payload: { productId: 'p' } });
    await insertRow(a, { status: 'done', attempts: 1 });
    await insertRow(b, { status: 'dead', attempts: 10 });
    await insertRow(null, { status: 'dead', attempts: 10 });
    await t.db.execute(sql`UPDATE outbox SET created_at = now() - interval '90 seconds' WHERE status = 'pending'`);
    const stats = await merchantOutboxStats(t.db, a);
    expect(stats).toMatchObject({ pending: 1, done: 1, dead: 1 });
    expect(stats.oldestPendingSeconds).toBeGreaterThanOrEqual(89);
    expect(await merchantOutboxStats(t.db, b)).toEqual({ pending: 0, done: 0, dead: 1, oldestPendingSeconds: null });

    const { rows } = await listOutbox(t.db, a);
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.orderNo)).toEqual(['OF123', null, 'OF777']);
    expect(rows.map((r) => r.retryable)).toEqual([false, true, false]);
    const text = JSON.stringify(rows);
    expect(text).not.toContain('tok-abc');
    expect(text).not.toContain('o-secret-id');
    expect((await listOutbox(t.db, a, { status: 'dead' })).rows.map((r) => r.status)).toEqual(['dead']);
    await expect(listOutbox(t.db, a, { status: 'lost' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(listOutbox(t.db, a, { cursor: '-1' })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('keyset pages by id descending: every row once, no gaps', async () => {
    await t.db.execute(sql`DELETE FROM outbox`);
    for (let i = 0; i < 7; i++) await insertRow(a, { status: i % 2 ? 'dead' : 'pending', attempts: 1, lastError: 'e' });
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await listOutbox(t.db, a, { limit: 3, cursor });
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const [all] = await t.db.execute<{ ids: string[] }>(sql`SELECT array_agg(id::text ORDER BY id DESC) AS ids FROM outbox WHERE merchant_id = ${a}`);
    expect(seen).toEqual(all!.ids.map(Number));
  });
});

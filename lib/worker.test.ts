import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '@/lib/config';
import { createLogger, setLogger } from '@/lib/log';
import { resetMailTransport } from '@/lib/mail';
import { applyPayment, createOrder } from '@/lib/orders';
import { startWorker } from '@/lib/worker';
import { createTestDatabase, dropTestDatabase, secondPool, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';
import { startSmtpSink } from '@/test/smtp-sink';

let t: TestDb;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
/** Message-IDs as the SMTP server accepted them. */
const messageIds = () => smtp.received.map((m) => m.messageId);
let smtpDelayMs = 0;

beforeAll(async () => {
  // A real SMTP server on loopback that records each message's Message-ID.
  smtp = await startSmtpSink({ delayMs: () => smtpDelayMs });
  process.env.SMTP_URL = smtp.url;
  resetConfig();
  resetMailTransport();
  t = await createTestDatabase({ max: 30 });
});

afterAll(async () => {
  delete process.env.SMTP_URL;
  resetConfig();
  resetMailTransport();
  setLogger(undefined);
  await smtp.close();
  await dropTestDatabase(t);
});

/** `n` paid, delivered orders: `n` delivery e-mails waiting in the outbox. */
async function paidOrders(n: number, tag: string) {
  const m = await seedMerchant(t.db);
  const product = await seedProduct(t.db, m.merchantId, { keys: n });
  const orders = [];
  for (let i = 0; i < n; i++) {
    const o = await createOrder(
      t.db,
      { productId: product.id, quantity: 1, email: `${tag}${i}@example.test`, channel: m.demoChannelId },
      { merchantId: m.merchantId },
    );
    await applyPayment(t.db, m.demoChannelId, { outTradeNo: o.orderNo, tradeNo: `${tag}-${i}`, amount: o.amount, currency: o.currency, raw: {} });
    orders.push(o);
  }
  return orders;
}

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
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
  return lines;
}

async function pendingRows(): Promise<number> {
  const [r] = await t.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM outbox WHERE status = 'pending'`);
  return Number(r!.n);
}

describe('worker', () => {
  it('two workers draining one outbox send each of 200 delivery e-mails exactly once, and both take a share', async () => {
    await paidOrders(200, 'two');
    smtp.received.length = 0;
    smtpDelayMs = 5;
    const logs = captureLogs();
    const other = secondPool(t.url, 10);
    // Two workers on two pools, as two processes would be; small batches so they interleave.
    const a = startWorker(t.db, { jobs: ['outbox'], intervals: { outbox: 20 }, name: 'A' });
    const b = startWorker(other.db, { jobs: ['outbox'], intervals: { outbox: 20 }, name: 'B' });
    const until = Date.now() + 45_000;
    while ((await pendingRows()) > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(await a.stop()).toBe(true);
    expect(await b.stop()).toBe(true);
    await other.sql.end({ timeout: 5 });

    const left = await t.db.execute(sql`SELECT attempts, last_error, available_at > now() AS leased FROM outbox WHERE status = 'pending' LIMIT 5`);
    expect(await pendingRows(), `left pending: ${JSON.stringify(left)}`).toBe(0);
    expect(messageIds()).toHaveLength(200);
    expect(new Set(messageIds()).size).toBe(200);
    // Every row claimed once: one attempt each, all done.
    const rows = await t.db.execute<{ status: string; attempts: number; n: string }>(
      sql`SELECT status, attempts, count(*) AS n FROM outbox WHERE consumer = 'mail.delivery' GROUP BY status, attempts`,
    );
    expect(rows.map((r) => ({ status: r.status, attempts: r.attempts, n: Number(r.n) }))).toEqual([{ status: 'done', attempts: 1, n: 200 }]);
    // Each worker's lines carry its name; together they handled every row once.
    const handled = logs.filter((l) => l.msg === 'outbox row handled');
    expect(handled).toHaveLength(200);
    const byWorker = { A: handled.filter((l) => l.worker === 'A').length, B: handled.filter((l) => l.worker === 'B').length };
    expect(byWorker.A + byWorker.B).toBe(200);
    expect(byWorker.A).toBeGreaterThan(0);
    expect(byWorker.B).toBeGreaterThan(0);
    // Consumer lines carry the order number.
    expect(handled.every((l) => typeof l.orderNo === 'string' && l.orderNo.length > 0)).toBe(true);
    setLogger(undefined);
  });

  it('stop() finishes the batch in hand and claims nothing more', async () => {
    await paidOrders(120, 'stop');
    smtp.received.length = 0;
    smtpDelayMs = 400; // slow SMTP: the first batch (50 rows) is still sending when stop() comes
    const w = startWorker(t.db, { jobs: ['outbox'], intervals: { outbox: 10 }, name: 'S' });
    while (messageIds().length === 0) await new Promise((r) => setTimeout(r, 20));
    expect(await w.stop(20_000)).toBe(true);
    const [r] = await t.db.execute<{ done: string; leased: string; untouched: string }>(sql`
      SELECT count(*) FILTER (WHERE status = 'done') AS done,
             count(*) FILTER (WHERE status = 'pending' AND attempts > 0) AS leased,
             count(*) FILTER (WHERE status = 'pending' AND attempts = 0) AS untouched
        FROM outbox WHERE consumer = 'mail.delivery' AND payload->>'orderNo' IN (SELECT order_no FROM orders WHERE email LIKE 'stop%')`);
    // Whatever was claimed was finished (nothing left under a lease); the rest was never claimed.
    expect(Number(r!.leased)).toBe(0);
    expect(Number(r!.done)).toBe(messageIds().length);
    expect(Number(r!.done)).toBeGreaterThan(0);
    expect(Number(r!.untouched)).toBe(120 - Number(r!.done));
    expect(Number(r!.untouched)).toBeGreaterThan(0);
    smtpDelayMs = 0;
  });

  it('npm run worker exits 0 on SIGTERM, with its pool closed, well within the stop timeout', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=react-server', 'scripts/worker.ts', '--stop-timeout=10'], {
      env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'info', SMTP_URL: process.env.SMTP_URL },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const until = Date.now() + 30_000;
    while (!out.includes('"worker started"') && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('"worker started"');
    const sent = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - sent).toBeLessThan(10_000);
    const lines = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.msg === 'worker stopped')).toMatchObject({ clean: true, level: 'info' });
    expect(lines.every((l) => typeof l.time === 'string' && typeof l.level === 'string' && typeof l.msg === 'string')).toBe(true);
  }, 60_000);
});

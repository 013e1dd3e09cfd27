// The outbox: side effects written in the transaction that causes them, handled after
// commit. One row per (event, consumer), so one failing consumer never holds back another.
// Rows are claimed by moving `available_at` forward (a lease) under SKIP LOCKED: two
// drainers never hold the same row, and a crashed drainer's rows come back when the lease ends.
import 'server-only';
import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/db/client';
import { outbox } from '@/db/schema';
import { AppError, errorSummary } from '@/lib/errors';

export type OutboxEvent = {
  merchantId: string | null;
  topic: string;
  payload: Record<string, unknown>;
  /** Identifies the event: with the consumer, makes a second enqueue a no-op. */
  eventKey: string;
};

/** Which consumers handle which topics. */
export const subscriptions: Record<string, readonly string[]> = {
  'order.delivered': ['mail.delivery', 'webhook.fanout'],
  'order.awaiting_fulfillment': ['mail.merchant', 'webhook.fanout'],
  'order.refunded': ['webhook.fanout'],
  'payment.duplicate': ['mail.merchant', 'webhook.fanout'],
  'stock.low': ['mail.merchant', 'webhook.fanout'],
  'delivery.failed': ['mail.merchant', 'webhook.fanout'],
  // Dynamic delivery (product type `webhook`): the merchant's URL is called after commit.
  'delivery.requested': ['delivery.webhook'],
};

/** Consumers whose failure leaves a buyer without keys: when one is dead-lettered, the merchant is alerted. */
const DELIVERY_CONSUMERS = new Set(['mail.delivery', 'delivery.webhook']);

export async function enqueue(tx: DbOrTx, event: OutboxEvent): Promise<void> {
  const consumers = subscriptions[event.topic] ?? [];
  if (consumers.length === 0) return;
  const rows = sql.join(
    // The topic is part of the key: two events of one order (awaiting, then delivered)
    // reach a consumer subscribed to both, instead of the second being taken for a repeat.
    consumers.map((consumer) => sql`(${consumer}, ${`${consumer}:${event.topic}:${event.eventKey}`})`),
    sql`, `,
  );
  // One statement in the caller's transaction. The webhook fan-out row is only written for
  // a merchant that has an enabled endpoint (an index probe), so the common case costs
  // nothing more.
  await tx.execute(sql`
    INSERT INTO outbox (merchant_id, topic, consumer, payload, dedupe_key)
    SELECT ${event.merchantId}::uuid, ${event.topic}, v.consumer, ${JSON.stringify(event.payload)}::jsonb, v.dedupe_key
      FROM (VALUES ${rows}) AS v(consumer, dedupe_key)
     WHERE v.consumer <> 'webhook.fanout'
        OR EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.merchant_id = ${event.merchantId}::uuid AND w.enabled)
    ON CONFLICT (dedupe_key) DO NOTHING`);
}

/** Queues one row for one named consumer (fan-outs and re-sends), with its own dedupe key. */
export async function enqueueFor(
  tx: DbOrTx,
  row: { merchantId: string | null; topic: string; consumer: string; payload: Record<string, unknown>; dedupeKey: string },
): Promise<void> {
  await tx
    .insert(outbox)
    .values({ merchantId: row.merchantId, topic: row.topic, consumer: row.consumer, payload: row.payload, dedupeKey: row.dedupeKey })
    .onConflictDoNothing({ target: outbox.dedupeKey });
}

export type ClaimedRow = { id: number; topic: string; consumer: string; payload: Record<string, unknown>; attempts: number; merchantId: string | null };
export type Consumer = (row: ClaimedRow) => Promise<void>;

export type DrainOptions = {
  consumers: Record<string, Consumer>;
  batchSize?: number;
  leaseSeconds?: number;
  maxAttempts?: number;
  /** Base of the exponential backoff, in seconds. */
  backoffBaseSeconds?: number;
};

export type DrainResult = { claimed: number; done: number; failed: number; dead: number };

/** Seconds until the next try after `attempts` failures: exponential, capped at an hour, ±20% jitter. */
export function backoffSeconds(attempts: number, base: number): number {
  const raw = Math.min(3600, base * 2 ** Math.max(0, attempts - 1));
  return Math.max(1, Math.round(raw * (0.8 + Math.random() * 0.4)));
}

export async function claimBatch(db: DbOrTx, batchSize: number, leaseSeconds: number): Promise<ClaimedRow[]> {
  const rows = await db.execute<{
    id: string;
    topic: string;
    consumer: string;
    payload: Record<string, unknown>;
    attempts: number;
    merchant_id: string | null;
  }>(sql`
    UPDATE outbox o
       SET available_at = now() + make_interval(secs => ${leaseSeconds}),
           leased_until = now() + make_interval(secs => ${leaseSeconds}),
           attempts = o.attempts + 1
      FROM (SELECT id FROM outbox
             WHERE status = 'pending' AND available_at <= now()
             ORDER BY available_at, id
             LIMIT ${batchSize}
             FOR UPDATE SKIP LOCKED) due
     WHERE o.id = due.id
  RETURNING o.id, o.topic, o.consumer, o.payload, o.attempts, o.merchant_id`);
  return rows.map((r) => ({ id: Number(r.id), topic: r.topic, consumer: r.consumer, payload: r.payload, attempts: r.attempts, merchantId: r.merchant_id }));
}

/** Claims due rows and runs their consumers outside any transaction; returns what happened. */
export async function drainOutbox(db: Db, options: DrainOptions): Promise<DrainResult> {
  const batchSize = options.batchSize ?? 50;
  const leaseSeconds = options.leaseSeconds ?? 120;
  const maxAttempts = options.maxAttempts ?? 10;
  const base = options.backoffBaseSeconds ?? 15;
  const result: DrainResult = { claimed: 0, done: 0, failed: 0, dead: 0 };
  const rows = await claimBatch(db, batchSize, leaseSeconds);
  result.claimed = rows.length;
  await Promise.all(
    rows.map(async (row) => {
      const consumer = options.consumers[row.consumer];
      try {
        if (!consumer) throw new Error(`no consumer "${row.consumer}" is registered`);
        await consumer(row);
        // `attempts` is this claim's token: if the lease ran out and another drainer took the
        // row, these updates match nothing and leave its claim alone.
        await db.execute(
          sql`UPDATE outbox SET status = 'done', processed_at = now(), last_error = NULL, leased_until = NULL WHERE id = ${row.id} AND attempts = ${row.attempts}`,
        );
        result.done++;
      } catch (err) {
        const message = errorSummary(err);
        if (row.attempts >= maxAttempts) {
          await db.transaction(async (tx) => {
            const dead = await tx.execute(
              sql`UPDATE outbox SET status = 'dead', last_error = ${message}, processed_at = now(), leased_until = NULL WHERE id = ${row.id} AND attempts = ${row.attempts} RETURNING id`,
            );
            if (dead.length > 0 && DELIVERY_CONSUMERS.has(row.consumer)) {
              await enqueue(tx, {
                merchantId: row.merchantId,
                topic: 'delivery.failed',
                eventKey: `dead:${row.id}`,
                payload: { orderId: row.payload.orderId ?? null, orderNo: row.payload.orderNo ?? null, consumer: row.consumer, error: message.slice(0, 300) },
              });
            }
          });
          result.dead++;
        } else {
          const delay = backoffSeconds(row.attempts, base);
          await db.execute(
            sql`UPDATE outbox SET available_at = now() + make_interval(secs => ${delay}), last_error = ${message}, leased_until = NULL WHERE id = ${row.id} AND attempts = ${row.attempts}`,
          );
          result.failed++;
        }
      }
    }),
  );
  return result;
}

/** Seconds the oldest due row has waited (0 when nothing is due): the health check's lag. */
export async function outboxLagSeconds(db: DbOrTx): Promise<number> {
  const [row] = await db.execute<{ lag: number | null }>(
    sql`SELECT EXTRACT(EPOCH FROM now() - min(available_at))::float8 AS lag FROM outbox WHERE status = 'pending' AND available_at <= now()`,
  );
  return Math.max(0, Math.round(Number(row?.lag ?? 0)));
}

export async function outboxStats(db: DbOrTx): Promise<{ pending: number; dead: number }> {
  const [row] = await db.execute<{ pending: string; dead: string }>(
    sql`SELECT count(*) FILTER (WHERE status = 'pending') AS pending, count(*) FILTER (WHERE status = 'dead') AS dead FROM outbox`,
  );
  return { pending: Number(row?.pending ?? 0), dead: Number(row?.dead ?? 0) };
}

// ── The merchant's view (console) ──────────────────────────────────────────────────────
// Rows with merchant_id = the merchant only; platform rows (merchant_id NULL) are the
// operator's business. Payloads are never returned whole: only the order number, if any.

export const OUTBOX_STATUSES = ['pending', 'done', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export type OutboxListItem = {
  id: number;
  topic: string;
  consumer: string;
  status: OutboxStatus;
  attempts: number;
  availableAt: string;
  lastError: string | null;
  createdAt: string;
  processedAt: string | null;
  orderNo: string | null;
  /** Dead rows, and pending ones that have failed before, may be retried now. */
  retryable: boolean;
};

/** Keyset pagination by id descending (index outbox_merchant_idx on (merchant_id, id)). */
export async function listOutbox(
  db: DbOrTx,
  merchantId: string,
  params: { status?: string; cursor?: string; limit?: number } = {},
): Promise<{ rows: OutboxListItem[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(Math.trunc(params.limit ?? 50) || 50, 1), 200);
  const status = params.status || undefined;
  if (status && !(OUTBOX_STATUSES as readonly string[]).includes(status)) {
    throw new AppError('validation_failed', 'Unknown status.', { fields: { status: 'invalid' } });
  }
  let before: number | null = null;
  if (params.cursor) {
    if (!/^[1-9][0-9]{0,17}$/.test(params.cursor)) throw new AppError('validation_failed', 'Invalid cursor.', { fields: { cursor: 'invalid' } });
    before = Number(params.cursor);
  }
  const rows = await db.execute<{
    id: string;
    topic: string;
    consumer: string;
    status: OutboxStatus;
    attempts: number;
    available_at: Date | string;
    last_error: string | null;
    created_at: Date | string;
    processed_at: Date | string | null;
    order_no: string | null;
  }>(sql`
    SELECT id, topic, consumer, status, attempts, available_at, last_error, created_at, processed_at,
           CASE WHEN jsonb_typeof(payload -> 'orderNo') = 'string' THEN payload ->> 'orderNo' END AS order_no
      FROM outbox
     WHERE merchant_id = ${merchantId}
       ${status ? sql`AND status = ${status}::outbox_status` : sql``}
       ${before !== null ? sql`AND id < ${before}` : sql``}
     ORDER BY id DESC
     LIMIT ${limit + 1}`);
  const page = rows.slice(0, limit);
  const iso = (v: Date | string) => new Date(v).toISOString();
  return {
    rows: page.map((r) => ({
      id: Number(r.id),
      topic: r.topic,
      consumer: r.consumer,
      status: r.status,
      attempts: r.attempts,
      availableAt: iso(r.available_at),
      lastError: r.last_error,
      createdAt: iso(r.created_at),
      processedAt: r.processed_at ? iso(r.processed_at) : null,
      orderNo: r.order_no,
      retryable: r.status === 'dead' || (r.status === 'pending' && r.last_error !== null),
    })),
    nextCursor: rows.length > limit && page.length ? String(page[page.length - 1]!.id) : null,
  };
}

/**
 * "Retry now": a dead row, or a pending one waiting out its backoff after a failure, becomes
 * due at once. Attempts are kept, so a dead row gets one more try before it is dead again.
 * Another merchant's row or no such row → `not_found`; a row that is done, or pending
 * without a failure, → `conflict` (nothing to retry). A pending row under a drainer's lease
 * may run a second time: consumers are at-least-once already (a crashed drainer's rows come back).
 */
export async function retryOutboxRow(
  db: DbOrTx,
  merchantId: string,
  id: number | string,
): Promise<{ id: number; topic: string; consumer: string; from: OutboxStatus }> {
  const n = typeof id === 'number' ? id : /^[1-9][0-9]{0,17}$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new AppError('not_found', 'No such outbox row.');
  const [row] = await db.execute<{ id: string; topic: string; consumer: string; from: OutboxStatus }>(sql`
    UPDATE outbox o
       SET status = 'pending', available_at = now(), processed_at = NULL
      FROM (SELECT id, status FROM outbox WHERE id = ${n} AND merchant_id = ${merchantId} FOR UPDATE) prev
     WHERE o.id = prev.id
       AND (prev.status = 'dead' OR (prev.status = 'pending' AND o.last_error IS NOT NULL))
       -- A row a drainer holds right now is running: making it due again would run it twice.
       AND (o.leased_until IS NULL OR o.leased_until < now())
 RETURNING o.id, o.topic, o.consumer, prev.status AS "from"`);
  if (row) return { id: Number(row.id), topic: row.topic, consumer: row.consumer, from: row.from };
  const [exists] = await db.execute(sql`SELECT 1 FROM outbox WHERE id = ${n} AND merchant_id = ${merchantId}`);
  if (!exists) throw new AppError('not_found', 'No such outbox row.');
  throw new AppError('conflict', 'This row has nothing to retry.');
}

export type MerchantOutboxStats = { pending: number; done: number; dead: number; oldestPendingSeconds: number | null };

/** Counts by status and how long the oldest pending row has waited since it was written. */
export async function merchantOutboxStats(db: DbOrTx, merchantId: string): Promise<MerchantOutboxStats> {
  const [row] = await db.execute<{ pending: string; done: string; dead: string; oldest: number | null }>(sql`
    SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
           count(*) FILTER (WHERE status = 'done') AS done,
           count(*) FILTER (WHERE status = 'dead') AS dead,
           EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE status = 'pending'))::float8 AS oldest
      FROM outbox WHERE merchant_id = ${merchantId}`);
  return {
    pending: Number(row?.pending ?? 0),
    done: Number(row?.done ?? 0),
    dead: Number(row?.dead ?? 0),
    oldestPendingSeconds: row?.oldest == null ? null : Math.max(0, Math.round(Number(row.oldest))),
  };
}

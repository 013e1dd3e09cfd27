// The outbox queue: side effects written in the transaction that causes them, handled after
// commit. One row per (event, consumer), so one failing consumer never holds back another.
// Rows are claimed by moving `available_at` forward (a lease) under SKIP LOCKED: two
// drainers never hold the same row, and a crashed drainer's rows come back when the lease ends.
import 'server-only';
import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/db/client';
import { outbox } from '@/db/schema';
import { errorSummary } from '@/lib/errors';
import { noteEnqueued } from './follow-up';

export type OutboxEvent = {
  merchantId: string | null;
  topic: string;
  payload: Record<string, unknown>;
  /** Identifies the event: with the consumer, makes a second enqueue a no-op. */
  eventKey: string;
};

/** Which consumers handle which topics. */
export const subscriptions: Record<string, readonly string[]> = {
  // mail.* are e-mails (to the buyer, to the merchant); webhook.* the merchant's own endpoints
  // (signed HTTP, Telegram, Bark); delivery.dynamic asks the merchant's delivery URL for keys.
  'order.delivered': ['mail.delivery', 'webhook.fanout'],
  'order.awaiting_fulfillment': ['mail.merchant', 'webhook.fanout'],
  // A paid order held by a review rule waits for the merchant's decision.
  'order.review_required': ['mail.merchant', 'webhook.fanout'],
  'order.refunded': ['webhook.fanout'],
  'payment.duplicate': ['mail.merchant', 'webhook.fanout'],
  'stock.low': ['mail.merchant', 'webhook.fanout'],
  'delivery.failed': ['mail.merchant', 'webhook.fanout'],
  // A payment channel's circuit breaker opened, is being probed, or closed again.
  'channel.health': ['mail.merchant', 'webhook.fanout'],
  // Reconciliation found a payment held for its amount, or one its provider does not know.
  'payment.mismatch': ['mail.merchant', 'webhook.fanout'],
  // No channel could take an order's payment: the buyer left it with the merchant.
  'order.manual_payment': ['mail.merchant', 'webhook.fanout'],
  // A channel is back: the buyer is sent the link to pay a queued order.
  'order.payment_link': ['mail.paymentLink'],
  // Dynamic delivery (product type `webhook`): the merchant's URL is called after commit.
  'delivery.requested': ['delivery.dynamic'],
  // Agents: a new agent or application (the merchant reviews it), the decision (the applicant
  // is told), each step of a withdrawal (the agent is told), a balance that differs from its ledger.
  'agent.joined': ['mail.merchant', 'webhook.fanout'],
  'agent.application_decided': ['mail.agent'],
  'agent.withdrawal': ['mail.agent', 'webhook.fanout'],
  'agent.ledger_drift': ['mail.merchant', 'webhook.fanout'],
  // A console account paused after repeated wrong passwords: its owner is told.
  'account.locked': ['mail.account'],
};

/** Consumers whose failure leaves a buyer without keys: when one is dead-lettered, the merchant is alerted. */
const DELIVERY_CONSUMERS = new Set(['mail.delivery', 'delivery.dynamic']);

/** Writes the event's rows (one per subscribed consumer); a repeat of the event writes none. */
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
  const written = await tx.execute<{ id: string }>(sql`
    INSERT INTO outbox (merchant_id, topic, consumer, payload, dedupe_key)
    SELECT ${event.merchantId}::uuid, ${event.topic}, v.consumer, ${JSON.stringify(event.payload)}::jsonb, v.dedupe_key
      FROM (VALUES ${rows}) AS v(consumer, dedupe_key)
     WHERE v.consumer <> 'webhook.fanout'
        OR EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.merchant_id = ${event.merchantId}::uuid AND w.enabled)
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id`);
  noteEnqueued(written.map((r) => Number(r.id)));
}

/** Queues one row for one named consumer (fan-outs and re-sends), with its own dedupe key. */
export async function enqueueFor(
  tx: DbOrTx,
  row: { merchantId: string | null; topic: string; consumer: string; payload: Record<string, unknown>; dedupeKey: string },
): Promise<void> {
  const written = await tx
    .insert(outbox)
    .values({ merchantId: row.merchantId, topic: row.topic, consumer: row.consumer, payload: row.payload, dedupeKey: row.dedupeKey })
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .returning({ id: outbox.id });
  noteEnqueued(written.map((r) => Number(r.id)));
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

/**
 * Claims up to `batchSize` due rows: the oldest first, or, with `ids`, only those rows (the
 * ones a request has just written, drained right after its response). Either way under
 * SKIP LOCKED and a lease, so a row another drainer holds is left to it.
 */
export async function claimBatch(db: DbOrTx, batchSize: number, leaseSeconds: number, ids?: readonly number[]): Promise<ClaimedRow[]> {
  if (ids && ids.length === 0) return [];
  const only = ids ? sql`AND id = ANY(${`{${ids.map((id) => Math.trunc(id)).join(',')}}`}::bigint[])` : sql``;
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
             WHERE status = 'pending' AND available_at <= now() ${only}
             ORDER BY available_at, id
             LIMIT ${batchSize}
             FOR UPDATE SKIP LOCKED) due
     WHERE o.id = due.id
  RETURNING o.id, o.topic, o.consumer, o.payload, o.attempts, o.merchant_id`);
  return rows.map((r) => ({ id: Number(r.id), topic: r.topic, consumer: r.consumer, payload: r.payload, attempts: r.attempts, merchantId: r.merchant_id }));
}

/** Claims due rows and runs their consumers outside any transaction; returns what happened. */
export async function drainOutbox(db: Db, options: DrainOptions): Promise<DrainResult> {
  return runClaimed(db, await claimBatch(db, options.batchSize ?? 50, options.leaseSeconds ?? 120), options);
}

/**
 * Drains just these rows (those a request wrote), with the same claim, lease, retries and
 * dead-lettering as `drainOutbox`: a row a worker already holds, or has finished, is skipped.
 */
export async function drainRows(db: Db, ids: readonly number[], options: DrainOptions): Promise<DrainResult> {
  return runClaimed(db, await claimBatch(db, Math.max(1, ids.length), options.leaseSeconds ?? 120, ids), options);
}

async function runClaimed(db: Db, rows: ClaimedRow[], options: DrainOptions): Promise<DrainResult> {
  const maxAttempts = options.maxAttempts ?? 10;
  const base = options.backoffBaseSeconds ?? 15;
  const result: DrainResult = { claimed: rows.length, done: 0, failed: 0, dead: 0 };
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

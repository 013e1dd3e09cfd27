// The merchant's view of its outbox rows (console): counts, keyset pages, "retry now".
import 'server-only';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { decodeCursor, keysetPage, pageSize } from '@/lib/cursor';
import { AppError } from '@/lib/errors';
import { noteEnqueued } from './follow-up';

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

const cursorSchema = z.object({ id: z.number().int().positive() });

/** Keyset pagination by id descending (index outbox_merchant_idx on (merchant_id, id)). */
export async function listOutbox(
  db: DbOrTx,
  merchantId: string,
  params: { status?: string; cursor?: string; limit?: number } = {},
): Promise<{ rows: OutboxListItem[]; nextCursor: string | null }> {
  const limit = pageSize(params.limit);
  const status = params.status || undefined;
  if (status && !(OUTBOX_STATUSES as readonly string[]).includes(status)) {
    throw new AppError('validation_failed', 'Unknown status.', { fields: { status: 'invalid_choice' } });
  }
  const before = decodeCursor(params.cursor, cursorSchema)?.id ?? null;
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
  const { page, nextCursor } = keysetPage(rows, limit, (last) => ({ id: Number(last.id) }));
  const iso = (v: Date | string) => new Date(v).toISOString();
  return {
    nextCursor,
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
  };
}

/**
 * "Retry now": a dead row, or a pending one waiting out its backoff after a failure, becomes
 * due at once, audited with the row's topic. Attempts are kept, so a dead row gets one more
 * try before it is dead again. Another merchant's row or no such row → `not_found`; a row
 * that is done, pending without a failure, or held by a drainer right now → `conflict`
 * (nothing to retry, or it would run twice).
 */
export async function retryOutboxRow(
  db: DbOrTx,
  actor: Actor,
  input: { id: number | string },
): Promise<{ id: number; topic: string; consumer: string; from: OutboxStatus }> {
  const merchantId = merchantOf(actor);
  const id = input.id;
  const n = typeof id === 'number' ? id : typeof id === 'string' && /^[1-9][0-9]{0,17}$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new AppError('not_found', 'No such outbox row.');
  return db.transaction(async (tx) => {
    const [row] = await tx.execute<{ id: string; topic: string; consumer: string; from: OutboxStatus }>(sql`
    UPDATE outbox o
       SET status = 'pending', available_at = now(), processed_at = NULL
      FROM (SELECT id, status FROM outbox WHERE id = ${n} AND merchant_id = ${merchantId} FOR UPDATE) prev
     WHERE o.id = prev.id
       AND (prev.status = 'dead' OR (prev.status = 'pending' AND o.last_error IS NOT NULL))
       -- A row a drainer holds right now is running: making it due again would run it twice.
       AND (o.leased_until IS NULL OR o.leased_until < now())
 RETURNING o.id, o.topic, o.consumer, prev.status AS "from"`);
    if (!row) {
      const [exists] = await tx.execute(sql`SELECT 1 FROM outbox WHERE id = ${n} AND merchant_id = ${merchantId}`);
      if (!exists) throw new AppError('not_found', 'No such outbox row.');
      throw new AppError('conflict', 'This row has nothing to retry.');
    }
    const retried = { id: Number(row.id), topic: row.topic, consumer: row.consumer, from: row.from };
    // "Retry" means now: the console's request runs it right after its response.
    noteEnqueued([retried.id]);
    await recordAudit(tx, actor, {
      action: 'outbox.retry',
      targetType: 'outbox',
      targetId: String(retried.id),
      detail: { topic: retried.topic, consumer: retried.consumer, from: retried.from },
    });
    return retried;
  });
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

import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const outboxStatus = pgEnum('outbox_status', ['pending', 'done', 'dead']);

/**
 * Side effects, written in the transaction that caused them and handled after commit by
 * `drainOutbox`. A row is claimed by moving `available_at` past now (a lease), so a crashed worker's rows
 * come back; `dedupe_key` stops the same effect from being queued twice.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    merchantId: uuid('merchant_id'),
    topic: text('topic').notNull(),
    consumer: text('consumer').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    dedupeKey: text('dedupe_key'),
    status: outboxStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    /** While a drainer holds the row: until when. Cleared when it finishes; "retry now" leaves held rows alone. */
    leasedUntil: timestamp('leased_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    index('outbox_pending_idx')
      .on(t.availableAt, t.id)
      .where(sql`status = 'pending'`),
    uniqueIndex('outbox_dedupe_key').on(t.dedupeKey),
    index('outbox_merchant_idx').on(t.merchantId, t.id),
    // The console's failed/backlog counts skip the done rows, which are most of the table.
    index('outbox_merchant_open_idx')
      .on(t.merchantId)
      .where(sql`status <> 'done'`),
  ],
);
export type OutboxRow = typeof outbox.$inferSelect;

/** Fixed-window counters for the PostgreSQL rate limiter (used when no Redis is configured). */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
});

import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { merchants } from './accounts';

export const paymentChannels = pgTable(
  'payment_channels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    /** The channel's credentials, AES-256-GCM sealed JSON; never returned in full. */
    config: text('config').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    priority: integer('priority').notNull().default(0),
    minAmount: bigint('min_amount', { mode: 'number' }),
    maxAmount: bigint('max_amount', { mode: 'number' }),
    /** Fee in basis points of the amount (for reports). */
    feeBps: integer('fee_bps').notNull().default(0),
    /** The share of buyers (by their e-mail) this channel takes, 0–100; the others go to its method's other channels. */
    rolloutPercent: integer('rollout_percent').notNull().default(100),
    /** New for each rollout, so successive rollouts do not pick the same buyers. */
    rolloutSalt: text('rollout_salt')
      .notNull()
      .default(sql`md5(random()::text)`),
    rolloutStartedAt: timestamp('rollout_started_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('payment_channels_merchant_idx').on(t.merchantId, t.priority)],
);
export type PaymentChannelRow = typeof paymentChannels.$inferSelect;

/** One row per provider notification that moved money; the unique key makes replays no-ops. */
export const payments = pgTable(
  'payments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    merchantId: uuid('merchant_id').notNull(),
    orderId: uuid('order_id').notNull(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => paymentChannels.id),
    tradeNo: text('trade_no').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    /** A second payment for an order that was already paid: money to refund by hand. */
    duplicate: boolean('duplicate').notNull().default(false),
    raw: jsonb('raw').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('payments_channel_trade_key').on(t.channelId, t.tradeNo), index('payments_order_idx').on(t.orderId)],
);
export type Payment = typeof payments.$inferSelect;

/**
 * One try at taking an order's money through a provider that must be called to start a
 * payment (Alipay, WeChat Pay, epusdt, Stripe). Created once, outside any transaction, and
 * stored: the pay page shows `action` however often it is loaded. `outTradeNo` is what the
 * provider knows the payment by (the order number for the first try, `-2`, `-3`… after).
 * Channels whose action is computed locally (epay, demo) have none.
 */
export const paymentAttempts = pgTable(
  'payment_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    merchantId: uuid('merchant_id').notNull(),
    orderId: uuid('order_id').notNull(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => paymentChannels.id),
    seq: integer('seq').notNull(),
    outTradeNo: text('out_trade_no').notNull(),
    /** creating (a request holds the lease and calls the provider), open, failed, paid. */
    status: text('status').$type<'creating' | 'open' | 'failed' | 'paid'>().notNull().default('creating'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    /** What the pay page shows (PaymentAction). */
    action: jsonb('action').$type<Record<string, unknown>>(),
    /** The provider's own id for the payment where it has one (epusdt trade_id, Stripe session). */
    providerRef: text('provider_ref'),
    /** The provider's transaction number once paid. */
    tradeNo: text('trade_no'),
    /** Why creating failed: a code and the provider's own words, never a credential. */
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    /** When reconciliation confirmed a paid attempt with its provider (once, after the payment). */
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('payment_attempts_out_trade_no_key').on(t.outTradeNo), uniqueIndex('payment_attempts_order_seq_key').on(t.orderId, t.seq)],
);
export type PaymentAttempt = typeof paymentAttempts.$inferSelect;

/**
 * A channel's circuit breaker, shared by every app instance (nothing in process memory):
 * closed (calls go through), open (skipped until `openedAt + cooldownS`), half_open (one
 * request at a time holds the probe lease; 3 successes close it, a failure reopens it with
 * the cooldown doubled up to 10 minutes). Times come from the database's clock.
 */
export const channelHealth = pgTable('channel_health', {
  channelId: uuid('channel_id')
    .primaryKey()
    .references(() => paymentChannels.id),
  state: text('state').$type<'closed' | 'open' | 'half_open'>().notNull().default('closed'),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  openedAt: timestamp('opened_at', { withTimezone: true }),
  cooldownS: integer('cooldown_s').notNull().default(60),
  probeLeaseUntil: timestamp('probe_lease_until', { withTimezone: true }),
  probeSuccesses: integer('probe_successes').notNull().default(0),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
});
export type ChannelHealth = typeof channelHealth.$inferSelect;

/** Calls to a provider per channel and minute: what the failure rate and the console's success rate are counted from. */
export const channelStats = pgTable(
  'channel_stats',
  {
    channelId: uuid('channel_id')
      .notNull()
      .references(() => paymentChannels.id),
    minute: timestamp('minute', { withTimezone: true }).notNull(),
    ok: integer('ok').notNull().default(0),
    fail: integer('fail').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.minute] })],
);

/**
 * What reconciliation found different between a provider and the shop, one row per
 * (channel, out_trade_no, kind): paid there but not here (recovered and delivered), paid with
 * another amount (held, not delivered, the merchant alerted), or paid here but unknown there
 * (the merchant alerted). `resolution` says what was done.
 */
export const paymentMismatches = pgTable(
  'payment_mismatches',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    merchantId: uuid('merchant_id').notNull(),
    orderId: uuid('order_id').notNull(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => paymentChannels.id),
    outTradeNo: text('out_trade_no').notNull(),
    kind: text('kind').$type<'paid_not_recorded' | 'amount_different' | 'unknown_there'>().notNull(),
    resolution: text('resolution').$type<'recovered' | 'held' | 'alerted'>().notNull(),
    expectedAmount: bigint('expected_amount', { mode: 'number' }).notNull(),
    providerAmount: bigint('provider_amount', { mode: 'number' }),
    currency: text('currency').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('payment_mismatches_key').on(t.channelId, t.outTradeNo, t.kind), index('payment_mismatches_merchant_idx').on(t.merchantId, t.createdAt)],
);

import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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

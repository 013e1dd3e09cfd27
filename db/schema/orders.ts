import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { merchants } from './accounts';
import { products } from './catalog';
import { agents } from './agents';
import { paymentChannels } from './payments';

export const orderStatus = pgEnum('order_status', ['pending', 'paid', 'delivered', 'expired', 'awaiting_fulfillment', 'refunded']);
export type OrderStatus = (typeof orderStatus.enumValues)[number];

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderNo: text('order_no').notNull().unique(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => paymentChannels.id),
    status: orderStatus('status').notNull().default('pending'),
    quantity: integer('quantity').notNull(),
    unitPrice: bigint('unit_price', { mode: 'number' }).notNull(),
    discount: bigint('discount', { mode: 'number' }).notNull().default(0),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    email: text('email').notNull(),
    locale: text('locale').notNull().default('zh-CN'),
    buyerIp: text('buyer_ip'),
    /** The address the risk caps count by (IPv4 as is, IPv6 by its /64: lib/risk addressKey). */
    buyerKey: text('buyer_key'),
    /** The e-mail as the caps count it (lib/risk normaliseEmail). */
    emailNorm: text('email_norm'),
    queryPasswordHash: text('query_password_hash'),
    /** SHA-256 of the buyer's access token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    agentId: uuid('agent_id').references(() => agents.id),
    couponId: uuid('coupon_id'),
    /** Text delivered by the merchant for manual orders (encrypted like keys). */
    manualDelivery: text('manual_delivery'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** When the buyer left the order with the merchant because no channel of its method could take the payment. */
    manualQueueAt: timestamp('manual_queue_at', { withTimezone: true }),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    refundedAt: timestamp('refunded_at', { withTimezone: true }),
    /** Sum of the order's refunds (order_refunds); the order is `refunded` once it equals `amount`. */
    refundedAmount: bigint('refunded_amount', { mode: 'number' }).notNull().default(0),
    /**
     * The risk control's hold (lib/risk, a rule with action `review`): `pending` lets the buyer
     * pay but delivery waits for the merchant, who approves (delivered) or rejects (refunded);
     * null when the order was never held.
     */
    review: text('review'),
    /** Last time reconciliation asked the provider about this unpaid order. */
    checkedAt: timestamp('checked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('orders_merchant_created_idx').on(t.merchantId, t.createdAt, t.id),
    index('orders_merchant_status_created_idx').on(t.merchantId, t.status, t.createdAt, t.id),
    // The console's filters, each a keyset walk on (created_at, id) within the merchant.
    index('orders_merchant_product_created_idx').on(t.merchantId, t.productId, t.createdAt, t.id),
    index('orders_merchant_channel_created_idx').on(t.merchantId, t.channelId, t.createdAt, t.id),
    // Reports over paid orders (revenue, series, heat map) read only this index: the
    // migration adds INCLUDE (status, amount, currency, delivered_at), which drizzle's
    // index builder cannot express, so the reports are index-only scans.
    index('orders_merchant_paid_idx')
      .on(t.merchantId, t.paidAt)
      .where(sql`paid_at IS NOT NULL`),
    // An agent's own orders, newest first.
    index('orders_agent_created_idx')
      .on(t.agentId, t.createdAt, t.id)
      .where(sql`agent_id IS NOT NULL`),
    index('orders_pending_expiry_idx')
      .on(t.expiresAt)
      .where(sql`status = 'pending'`),
    index('orders_email_created_idx').on(sql`lower(${t.email})`, t.createdAt),
    // The risk caps count a buyer's unpaid orders inside the order transaction (lib/orders/caps.ts).
    index('orders_pending_buyer_idx')
      .on(t.merchantId, t.buyerKey)
      .where(sql`status = 'pending'`),
    index('orders_pending_email_norm_idx')
      .on(t.merchantId, t.emailNorm)
      .where(sql`status = 'pending'`),
    // The console's review queue.
    index('orders_review_queue_idx')
      .on(t.merchantId, t.createdAt)
      .where(sql`review = 'pending'`),
    check('orders_review_check', sql`${t.review} IN ('pending', 'approved', 'rejected')`),
  ],
);
export type Order = typeof orders.$inferSelect;

export const orderEvents = pgTable(
  'order_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    merchantId: uuid('merchant_id').notNull(),
    type: text('type').notNull(),
    fromStatus: orderStatus('from_status'),
    toStatus: orderStatus('to_status'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('order_events_order_idx').on(t.orderId, t.id)],
);
export type OrderEvent = typeof orderEvents.$inferSelect;

/** Idempotency-Key ledger for order creation: a retried request returns the first result. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    merchantId: uuid('merchant_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    orderId: uuid('order_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('idempotency_keys_pkey').on(t.merchantId, t.key)],
);

import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { merchants } from './accounts';
import { orders } from './orders';

export const couponType = pgEnum('coupon_type', ['fixed', 'percent']);
export type CouponType = (typeof couponType.enumValues)[number];
export const couponScope = pgEnum('coupon_scope', ['all', 'products', 'categories']);
export type CouponScope = (typeof couponScope.enumValues)[number];
export const redemptionStatus = pgEnum('coupon_redemption_status', ['reserved', 'committed', 'released']);
export type RedemptionStatus = (typeof redemptionStatus.enumValues)[number];

/** Codes generated together share their terms; the batch is the unit of the promotion report. */
export const couponBatches = pgTable(
  'coupon_batches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    name: text('name').notNull(),
    prefix: text('prefix').notNull().default(''),
    count: integer('count').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('coupon_batches_merchant_created_idx').on(t.merchantId, t.createdAt)],
);
export type CouponBatch = typeof couponBatches.$inferSelect;

export const coupons = pgTable(
  'coupons',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    batchId: uuid('batch_id').references(() => couponBatches.id),
    /** As shown to the merchant; buyers' input is matched on `codeNorm` (upper case, no spaces). */
    code: text('code').notNull(),
    codeNorm: text('code_norm').notNull(),
    type: couponType('type').notNull(),
    /** Minor units for `fixed`, a whole percent (1–100) for `percent`. */
    value: bigint('value', { mode: 'number' }).notNull(),
    /** `fixed` coupons discount in this currency and apply only to products priced in it. */
    currency: text('currency').notNull().default('CNY'),
    maxDiscount: bigint('max_discount', { mode: 'number' }),
    /** The order's subtotal (after wholesale/level price, before the discount) must reach this. */
    minAmount: bigint('min_amount', { mode: 'number' }).notNull().default(0),
    scope: couponScope('scope').notNull().default('all'),
    productIds: uuid('product_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    categoryIds: uuid('category_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    /** Valid in agents' shops too (off by default: the merchant's promotion is for its own shop). */
    agentShops: boolean('agent_shops').notNull().default(false),
    /** Applies on top of a wholesale tier; when false, a quantity that reaches a tier cannot use it. */
    stackWholesale: boolean('stack_wholesale').notNull().default(true),
    /** May take an order to zero (a giveaway), which is then delivered without payment. */
    allowFree: boolean('allow_free').notNull().default(false),
    startsAt: timestamp('starts_at', { withTimezone: true }),
    /** Exclusive: a window "until 31 December" ends at 1 January 00:00 in the business time zone. */
    endsAt: timestamp('ends_at', { withTimezone: true }),
    totalLimit: integer('total_limit'),
    perEmailLimit: integer('per_email_limit'),
    usedCount: integer('used_count').notNull().default(0),
    reservedCount: integer('reserved_count').notNull().default(0),
    /** Payments that arrived after their reservation was released and the code had no use left: honoured, counted apart. */
    overLimitCount: integer('over_limit_count').notNull().default(0),
    enabled: boolean('enabled').notNull().default(true),
    note: text('note').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('coupons_merchant_code_key').on(t.merchantId, t.codeNorm),
    index('coupons_merchant_created_idx').on(t.merchantId, t.createdAt, t.id),
    index('coupons_batch_idx')
      .on(t.batchId, t.id)
      .where(sql`batch_id IS NOT NULL`),
    // The last line of defence behind the guarded reservation (SPEC invariant 9).
    check('coupons_counts_check', sql`${t.usedCount} >= 0 AND ${t.reservedCount} >= 0 AND ${t.overLimitCount} >= 0`),
    check('coupons_limit_check', sql`${t.totalLimit} IS NULL OR ${t.usedCount} + ${t.reservedCount} <= ${t.totalLimit}`),
  ],
);
export type Coupon = typeof coupons.$inferSelect;

/** One use of a code by one order: reserved at creation, committed at payment or released at expiry, once. */
export const couponRedemptions = pgTable(
  'coupon_redemptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    couponId: uuid('coupon_id')
      .notNull()
      .references(() => coupons.id),
    merchantId: uuid('merchant_id').notNull(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    /** Normalised (lib/risk normaliseEmail) so `a+x@gmail.com` and `a.@gmail.com` count as one buyer. */
    emailNorm: text('email_norm').notNull(),
    status: redemptionStatus('status').notNull().default('reserved'),
    /** Committed by a payment that arrived after the release, with no use left on the code. */
    overLimit: boolean('over_limit').notNull().default(false),
    discount: bigint('discount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    reservedAt: timestamp('reserved_at', { withTimezone: true }).notNull().defaultNow(),
    committedAt: timestamp('committed_at', { withTimezone: true }),
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('coupon_redemptions_order_key').on(t.orderId),
    index('coupon_redemptions_coupon_email_idx').on(t.couponId, t.emailNorm),
    index('coupon_redemptions_coupon_reserved_idx').on(t.couponId, t.reservedAt, t.id),
  ],
);
export type CouponRedemption = typeof couponRedemptions.$inferSelect;

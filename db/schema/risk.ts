import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { merchants } from './accounts';

/** A merchant's risk settings (lib/risk policy.ts); no row means the defaults, which are on for every merchant. */
export const riskPolicies = pgTable('risk_policies', {
  merchantId: uuid('merchant_id')
    .primaryKey()
    .references(() => merchants.id),
  policy: jsonb('policy').$type<Record<string, unknown>>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type RiskReason = { code: string; detail?: Record<string, unknown> };

/** Every decision that stopped or held a buyer, with its reasons: the merchant's risk log. */
export const riskEvents = pgTable(
  'risk_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    /** Where it was decided: `order_create`, … */
    stage: text('stage').notNull(),
    /** `block` (the request was refused) … */
    action: text('action').notNull(),
    /** The client address as the caps count it (IPv4, or the IPv6 /64). */
    address: text('address'),
    emailNorm: text('email_norm'),
    productId: uuid('product_id'),
    orderNo: text('order_no'),
    reasons: jsonb('reasons').$type<RiskReason[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('risk_events_merchant_created_idx').on(t.merchantId, t.createdAt, t.id)],
);
export type RiskEvent = typeof riskEvents.$inferSelect;

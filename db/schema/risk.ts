import { sql } from 'drizzle-orm';
import { bigint, cidr, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { merchants } from './accounts';

/** A merchant's risk settings (lib/risk policy.ts); no row means the defaults, which are on for every merchant. */
export const riskPolicies = pgTable('risk_policies', {
  merchantId: uuid('merchant_id')
    .primaryKey()
    .references(() => merchants.id),
  policy: jsonb('policy').$type<Record<string, unknown>>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Why a decision was taken: a code the console explains, the score it added (if any) and its particulars. */
export type RiskReason = { code: string; weight?: number; detail?: Record<string, unknown> };

/** Every decision that stopped, challenged or held a buyer (and a sample of passes), with its reasons: the merchant's risk log. */
export const riskEvents = pgTable(
  'risk_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    /** Where it was decided: `order_create`, `order_lookup`, `coupon_check`. */
    stage: text('stage').notNull(),
    /** `pass`, `challenge` (a proof of work was asked for), `review` (the order was placed; delivery waits for the merchant) or `block` (refused). */
    action: text('action').notNull(),
    /** The sum of the reasons' weights (lib/risk decide.ts). */
    score: integer('score').notNull().default(0),
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

export const riskRuleKind = pgEnum('risk_rule_kind', ['email', 'email_domain', 'ip', 'cidr', 'email_regex']);
export type RiskRuleKind = (typeof riskRuleKind.enumValues)[number];

/** A merchant's rules, and the platform's (no merchant): who may not order, or must be challenged or reviewed (lib/risk rules.ts). */
export const riskRules = pgTable(
  'risk_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Null for a platform rule (the platform admin's), which applies in every shop. */
    merchantId: uuid('merchant_id').references(() => merchants.id),
    kind: riskRuleKind('kind').notNull(),
    /** As matched: a normalised e-mail, a lower-case domain, an address or range in canonical form, or a pattern. */
    pattern: text('pattern').notNull(),
    /** Addresses and ranges (kinds `ip` and `cidr`), matched with `>>=` through a GiST index; IPv4 and IPv6 alike. */
    net: cidr('net'),
    /** What a match does: `block` refuses the order (`403 risk_blocked`), `challenge` asks for a proof of work first, `review` holds delivery for the merchant. */
    action: text('action').notNull().default('block'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    note: text('note').notNull().default(''),
    /** Who made it: `merchant` (the console or the API), `velocity` (an address blocked for ordering too fast) or `platform` (the platform admin). */
    source: text('source').notNull().default('merchant'),
    hitCount: integer('hit_count').notNull().default(0),
    lastHitAt: timestamp('last_hit_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('risk_rules_merchant_kind_pattern_idx').on(t.merchantId, t.kind, t.pattern),
    index('risk_rules_net_idx')
      .using('gist', t.net.op('inet_ops'))
      .where(sql`net IS NOT NULL`),
  ],
);
export type RiskRule = typeof riskRules.$inferSelect;

/** Solved challenges (lib/risk challenge.ts), each accepted once: a replay finds its signature here. Purged after expiry. */
export const riskChallengeUses = pgTable('risk_challenge_uses', {
  signature: text('signature').primaryKey(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

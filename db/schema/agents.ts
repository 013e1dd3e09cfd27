import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { merchants, users } from './accounts';
import { products } from './catalog';

export const agentStatus = pgEnum('agent_status', ['active', 'suspended', 'pending', 'rejected']);
export type AgentStatus = (typeof agentStatus.enumValues)[number];
export const parentShareMode = pgEnum('agent_parent_share', ['price_diff', 'percent', 'none']);
export type ParentShareMode = (typeof parentShareMode.enumValues)[number];

/**
 * A merchant's agent levels (rank 1–7, higher ranks see more and pay less): the default
 * discount off retail that makes an agent's cost (products.agent_prices overrides it per
 * product), the markup bounds of its shop, how long commission is held before it can be
 * withdrawn, the withdrawal minimum and fee, and what a parent agent earns.
 */
export const agentLevels = pgTable(
  'agent_levels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    rank: smallint('rank').notNull(),
    name: text('name').notNull(),
    /** Basis points off retail: the agent's cost where the product sets none for this rank. */
    discountBp: integer('discount_bp').notNull().default(0),
    minMarkupBp: integer('min_markup_bp').notNull().default(0),
    maxMarkupBp: integer('max_markup_bp').notNull().default(10000),
    allowBelowRetail: boolean('allow_below_retail').notNull().default(false),
    holdHours: integer('hold_hours').notNull().default(72),
    /** Minor units. */
    withdrawMin: bigint('withdraw_min', { mode: 'number' }).notNull().default(1000),
    withdrawFeeBp: integer('withdraw_fee_bp').notNull().default(0),
    parentShare: parentShareMode('parent_share').notNull().default('price_diff'),
    parentShareBp: integer('parent_share_bp').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('agent_levels_merchant_rank_key').on(t.merchantId, t.rank),
    check('agent_levels_rank_check', sql`${t.rank} BETWEEN 1 AND 7`),
    check('agent_levels_discount_check', sql`${t.discountBp} BETWEEN 0 AND 9500`),
    check('agent_levels_markup_check', sql`${t.minMarkupBp} >= 0 AND ${t.maxMarkupBp} >= ${t.minMarkupBp} AND ${t.maxMarkupBp} <= 100000`),
    check('agent_levels_hold_check', sql`${t.holdHours} BETWEEN 0 AND 720`),
    check('agent_levels_withdraw_check', sql`${t.withdrawMin} >= 0 AND ${t.withdrawFeeBp} BETWEEN 0 AND 5000`),
    check('agent_levels_parent_share_check', sql`${t.parentShareBp} BETWEEN 0 AND 10000`),
  ],
);
export type AgentLevel = typeof agentLevels.$inferSelect;

/**
 * Resellers (代理). An agent has a level (its rank) and a shop at `/a/{slug}` that sells the
 * products its level may see, at its own markup; `pending` and `rejected` are applications.
 * One parent at most, of the same merchant (composite key), at or above the agent's rank.
 */
export const agents = pgTable(
  'agents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    userId: uuid('user_id').references(() => users.id),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    /** The rank of the agent's level (agent_levels of the same merchant). */
    level: smallint('level').notNull().default(1),
    parentId: uuid('parent_id'),
    status: agentStatus('status').notNull().default('active'),
    notice: text('notice').notNull().default(''),
    contact: text('contact').notNull().default(''),
    logoUrl: text('logo_url'),
    inviteId: uuid('invite_id'),
    /** What the applicant wrote; the merchant's reason when it rejected the application. */
    applicationNote: text('application_note'),
    reviewReason: text('review_reason'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('agents_merchant_slug_key').on(t.merchantId, t.slug),
    index('agents_merchant_idx').on(t.merchantId),
    unique('agents_merchant_id_key').on(t.merchantId, t.id),
    uniqueIndex('agents_user_key').on(t.userId),
    index('agents_parent_idx').on(t.parentId),
    foreignKey({ name: 'agents_level_fk', columns: [t.merchantId, t.level], foreignColumns: [agentLevels.merchantId, agentLevels.rank] }).onUpdate('cascade'),
    foreignKey({ name: 'agents_parent_fk', columns: [t.merchantId, t.parentId], foreignColumns: [t.merchantId, t.id] }),
    check('agents_parent_not_self', sql`${t.parentId} IS DISTINCT FROM ${t.id}`),
  ],
);
export type Agent = typeof agents.$inferSelect;

/** What an agent lists in its shop and at what markup on its cost (basis points); no row: listed, at retail. */
export const agentProducts = pgTable(
  'agent_products',
  {
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    listed: boolean('listed').notNull().default(true),
    /** null: sell at retail (the level's floor markup when that is higher). */
    markupBp: integer('markup_bp'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.productId] }), check('agent_products_markup_check', sql`${t.markupBp} IS NULL OR ${t.markupBp} >= 0`)],
);
export type AgentProduct = typeof agentProducts.$inferSelect;

/**
 * An invite link to join as an agent of a level: by the merchant, or by an agent for its
 * own sub-agents (at or below its rank). Only the token's hash is kept.
 */
export const agentInvites = pgTable(
  'agent_invites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    issuerAgentId: uuid('issuer_agent_id').references(() => agents.id),
    rank: smallint('rank').notNull(),
    tokenHash: text('token_hash').notNull(),
    maxUses: integer('max_uses'),
    usedCount: integer('used_count').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    autoApprove: boolean('auto_approve').notNull().default(false),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('agent_invites_token_key').on(t.tokenHash),
    index('agent_invites_merchant_idx').on(t.merchantId, t.createdAt),
    foreignKey({ name: 'agent_invites_level_fk', columns: [t.merchantId, t.rank], foreignColumns: [agentLevels.merchantId, agentLevels.rank] }).onUpdate(
      'cascade',
    ),
    check('agent_invites_uses_check', sql`${t.maxUses} IS NULL OR (${t.maxUses} > 0 AND ${t.usedCount} <= ${t.maxUses})`),
  ],
);
export type AgentInvite = typeof agentInvites.$inferSelect;

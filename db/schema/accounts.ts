import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const merchantStatus = pgEnum('merchant_status', ['active', 'suspended']);
export const userRole = pgEnum('user_role', ['admin', 'merchant', 'agent']);

export type MerchantSettings = {
  notice?: string;
  contactEmail?: string;
  contact?: string;
  logoUrl?: string;
  orderExpiryMinutes?: number;
  /** How long an order left for manual payment keeps its reserved keys (hours). */
  manualQueueHours?: number;
  /** Minor units; a coupon never takes an order below it (default 1, lib/accounts minChargeOf). */
  minCharge?: number;
  mailFromName?: string;
  /** How agents may be paid out (lib/agents WITHDRAWAL_METHODS); unset: all of them. */
  agentWithdrawMethods?: string[];
};

export const merchants = pgTable('merchants', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  status: merchantStatus('status').notNull().default('active'),
  settings: jsonb('settings').$type<MerchantSettings>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
export type Merchant = typeof merchants.$inferSelect;

/** Platform-wide settings; `default_merchant_id` names the shop served at `/`. */
export const platformSettings = pgTable('platform_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: userRole('role').notNull(),
    merchantId: uuid('merchant_id').references(() => merchants.id),
    name: text('name'),
    /** Wrong passwords since `failedSince`; the window is LOCKOUT_MINUTES (lib/accounts/login.ts). */
    failedLogins: integer('failed_logins').notNull().default(0),
    failedSince: timestamp('failed_since', { withTimezone: true }),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    /** Bumped on password change or sign-out everywhere: older sessions stop being accepted. */
    sessionVersion: integer('session_version').notNull().default(0),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);
export type User = typeof users.$inferSelect;

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    name: text('name').notNull(),
    /** The public part shown in lists, e.g. `ofk_3f9a1c2b`. */
    prefix: text('prefix').notNull().unique(),
    /** SHA-256 of the whole key; the key itself is shown once and never stored. */
    hash: text('hash').notNull(),
    scopes: text('scopes').array().notNull(),
    /** An agent's own key (scope `agent`): it acts as that agent, never as the merchant (FK in migration 0019). */
    agentId: uuid('agent_id'),
    createdBy: uuid('created_by').references(() => users.id),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('api_keys_merchant_idx').on(t.merchantId)],
);
export type ApiKey = typeof apiKeys.$inferSelect;

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    merchantId: uuid('merchant_id').references(() => merchants.id),
    actorType: text('actor_type').notNull(), // user | api_key | system
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    ip: text('ip'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    success: boolean('success').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_merchant_created_idx').on(t.merchantId, t.createdAt),
    index('audit_log_merchant_action_created_idx').on(t.merchantId, t.action, t.createdAt),
  ],
);

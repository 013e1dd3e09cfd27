import { index, pgEnum, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { merchants, users } from './accounts';

export const agentStatus = pgEnum('agent_status', ['active', 'suspended']);

/**
 * Resellers (代理). An agent has a level (1–7) and a shop at `/a/{slug}` that sells the
 * merchant's products at the prices of that level (products.agent_prices).
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
    level: smallint('level').notNull().default(1),
    status: agentStatus('status').notNull().default('active'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('agents_merchant_slug_key').on(t.merchantId, t.slug), index('agents_merchant_idx').on(t.merchantId)],
);
export type Agent = typeof agents.$inferSelect;

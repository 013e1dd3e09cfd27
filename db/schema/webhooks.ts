import { sql } from 'drizzle-orm';
import { boolean, index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { merchants } from './accounts';

export const endpointKind = pgEnum('endpoint_kind', ['http', 'telegram', 'bark']);
export type EndpointKind = (typeof endpointKind.enumValues)[number];

/**
 * Where a merchant is told about events: a signed HTTP webhook, a Telegram chat or a Bark
 * device. Credentials (signing secret, bot token, device key) are sealed like card keys.
 * Each event reaches each endpoint through its own outbox row, so one failing endpoint
 * never holds back another.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    kind: endpointKind('kind').notNull().default('http'),
    name: text('name').notNull(),
    /** http: the endpoint; bark: the server (https://api.day.app or self-hosted); telegram: unused. */
    url: text('url'),
    /** AES-256-GCM sealed JSON: { secret } | { botToken, chatId } | { deviceKey }. */
    credentials: text('credentials').notNull(),
    /** Topics sent to this endpoint; empty means all. */
    events: text('events')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('webhook_endpoints_merchant_idx').on(t.merchantId)],
);
export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;

import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { merchants } from './accounts';

export const deliveryType = pgEnum('delivery_type', ['auto', 'manual', 'generated', 'webhook']);
export type DeliveryType = (typeof deliveryType.enumValues)[number];

export type WholesaleTier = { minQty: number; unitPrice: number };
export type GeneratorRule = { prefix: string; length: number; charset: string; groups: number; separator: string };

export const categories = pgTable(
  'categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    sort: integer('sort').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('categories_merchant_slug_key').on(t.merchantId, t.slug)],
);
export type Category = typeof categories.$inferSelect;

export const products = pgTable(
  'products',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    categoryId: uuid('category_id').references(() => categories.id),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    /** Usage instructions shown to the buyer with the keys. */
    instructions: text('instructions').notNull().default(''),
    price: bigint('price', { mode: 'number' }).notNull(),
    currency: text('currency').notNull().default('CNY'),
    deliveryType: deliveryType('delivery_type').notNull().default('auto'),
    active: boolean('active').notNull().default(true),
    sort: integer('sort').notNull().default(0),
    stockAlert: integer('stock_alert').notNull().default(0),
    minQty: integer('min_qty').notNull().default(1),
    maxQty: integer('max_qty').notNull().default(10),
    maxPerEmailDay: integer('max_per_email_day'),
    wholesaleTiers: jsonb('wholesale_tiers').$type<WholesaleTier[]>().notNull().default([]),
    /** An agent's cost per level rank ("1".."7"), minor units; a rank without one pays the level's discount off `price`. */
    agentPrices: jsonb('agent_prices').$type<Record<string, number>>().notNull().default({}),
    /** Sold only in agent shops of this rank or higher (not on the merchant's own storefront); null: everyone. */
    agentMinRank: smallint('agent_min_rank'),
    /** Per level rank, shown (true) or hidden (false) in that level's shops whatever `agentMinRank` says. */
    agentVisible: jsonb('agent_visible').$type<Record<string, boolean>>().notNull().default({}),
    generatorRule: jsonb('generator_rule').$type<GeneratorRule | null>(),
    /** Delivery type `webhook`: the merchant's URL called at payment for the keys. */
    deliveryUrl: text('delivery_url'),
    /** Its HMAC signing secret, sealed (lib/crypto sealToText). */
    deliverySecret: text('delivery_secret'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('products_merchant_slug_key').on(t.merchantId, t.slug), index('products_merchant_sort_idx').on(t.merchantId, t.sort)],
);
export type Product = typeof products.$inferSelect;

import { sql } from 'drizzle-orm';
import { bigint, customType, index, pgEnum, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { merchants } from './accounts';
import { products } from './catalog';

export const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** Available keys are spread over this many lanes; see reserveKeys in lib/inventory. */
export const KEY_LANES = 256;

export const cardKeyStatus = pgEnum('card_key_status', ['available', 'reserved', 'sold', 'void']);
export type CardKeyStatus = (typeof cardKeyStatus.enumValues)[number];

export const cardKeys = pgTable(
  'card_keys',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    status: cardKeyStatus('status').notNull().default('available'),
    /** AES-256-GCM: iv (12) | tag (16) | ciphertext. */
    secret: bytea('secret').notNull(),
    /** Which KEY_ENCRYPTION_KEY sealed it (for rotation). */
    keyId: text('key_id').notNull(),
    /** HMAC-SHA256 of the normalised key: duplicate detection without decrypting. */
    fingerprint: bytea('fingerprint').notNull(),
    /** Random lane in [0, KEY_LANES): concurrent buyers start their search in different places. */
    lane: smallint('lane')
      .notNull()
      .default(sql`floor(random() * 256)`),
    orderId: uuid('order_id'),
    reservedAt: timestamp('reserved_at', { withTimezone: true }),
    soldAt: timestamp('sold_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('card_keys_product_fingerprint_key').on(t.productId, t.fingerprint),
    // Allocation reads only this partial index: sold keys leave it, so its size is the
    // stock on hand, not the sales history (SPEC invariant 8).
    index('card_keys_available_idx')
      .on(t.productId, t.id)
      .where(sql`status = 'available'`),
    index('card_keys_available_lane_idx')
      .on(t.productId, t.lane, t.id)
      .where(sql`status = 'available'`),
    index('card_keys_order_idx')
      .on(t.orderId)
      .where(sql`order_id IS NOT NULL`),
    // Stock counts by status, and the console's newest-first pages of one status.
    index('card_keys_product_status_id_idx').on(t.productId, t.status, t.id),
  ],
);
export type CardKey = typeof cardKeys.$inferSelect;

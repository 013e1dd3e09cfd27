import 'server-only';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '@/db/client';
import { orderEvents, orders, products, type Order, type OrderStatus } from '@/db/schema';
import { orderAccessToken, safeEqual, sha256Hex, verifyQueryPassword } from '@/lib/crypto';
import { decodeCursor, keysetPage, pageSize } from '@/lib/cursor';
import { AppError } from '@/lib/errors';
import { deliveredItems } from './delivered';
import { expireOrders } from './expire';

export type BuyerOrderView = {
  orderNo: string;
  status: OrderStatus;
  amount: number;
  /** What a coupon took off (only when one did): the buyer paid `amount`, the goods were `amount + discount`. */
  discount?: number;
  currency: string;
  quantity: number;
  createdAt: string;
  expiresAt: string;
  paidAt?: string;
  deliveredAt?: string;
  productTitle: string;
  instructions?: string;
  keys?: string[];
  /** Once paid: `pending`, delivery waits for the shop's review; `rejected`, the shop refused it (it is refunded). */
  review?: 'pending' | 'rejected';
};

const NOT_FOUND = () => new AppError('not_found', 'No such order.');

async function findByOrderNo(db: DbOrTx, orderNo: string): Promise<Order | null> {
  if (!/^\d{16,32}$/.test(orderNo)) return null;
  const [order] = await db.select().from(orders).where(eq(orders.orderNo, orderNo));
  return order ?? null;
}

/** Expiry is also checked when an order is read, so a late sweeper never shows a stale "pending". */
async function freshOrder(db: Db, order: Order): Promise<Order> {
  if (order.status === 'pending' && order.expiresAt.getTime() <= Date.now()) {
    await expireOrders(db, { orderId: order.id });
    return (await findByOrderNo(db, order.orderNo)) ?? order;
  }
  return order;
}

async function buyerView(db: Db, order: Order, withKeys: boolean): Promise<BuyerOrderView> {
  const [product] = await db.select({ title: products.title, instructions: products.instructions }).from(products).where(eq(products.id, order.productId));
  const view: BuyerOrderView = {
    orderNo: order.orderNo,
    status: order.status,
    amount: order.amount,
    currency: order.currency,
    quantity: order.quantity,
    createdAt: order.createdAt.toISOString(),
    expiresAt: order.expiresAt.toISOString(),
    productTitle: product?.title ?? '',
  };
  if (order.discount > 0) view.discount = order.discount;
  // Only once paid: an unpaid order never tells its buyer it was flagged (a bot would learn what to change).
  if ((order.review === 'pending' || order.review === 'rejected') && order.paidAt) view.review = order.review;
  if (order.paidAt) view.paidAt = order.paidAt.toISOString();
  if (order.deliveredAt) view.deliveredAt = order.deliveredAt.toISOString();
  if (withKeys && order.status === 'delivered') {
    view.keys = await deliveredItems(db, order);
    if (product?.instructions) view.instructions = product.instructions;
  }
  return view;
}

/** The order for the holder of its access token; a wrong token is indistinguishable from no order. */
export async function getOrderForBuyer(db: Db, orderNo: string, token: string | null | undefined): Promise<BuyerOrderView> {
  const order = await findByOrderNo(db, orderNo);
  if (!order || !token || !safeEqual(order.tokenHash, sha256Hex(token))) throw NOT_FOUND();
  return buyerView(db, await freshOrder(db, order), true);
}

/** Whether a token opens an order (checked before an order link's token is kept in a cookie). */
export async function orderTokenOpens(db: Db, orderNo: string, token: string): Promise<boolean> {
  const order = await findByOrderNo(db, orderNo);
  return !!order && safeEqual(order.tokenHash, sha256Hex(token));
}

/** Public status of an order, without keys or e-mail: what the pay page shows. */
export async function getOrderStatus(db: Db, orderNo: string): Promise<{ order: Order; view: BuyerOrderView }> {
  const order = await findByOrderNo(db, orderNo);
  if (!order) throw NOT_FOUND();
  const fresh = await freshOrder(db, order);
  return { order: fresh, view: await buyerView(db, fresh, false) };
}

export const lookupSchema = z.union([
  z.object({ orderNo: z.string().trim().min(1).max(40), email: z.string().trim().toLowerCase().email() }),
  z.object({ orderNo: z.string().trim().min(1).max(40), queryPassword: z.string().min(1).max(64) }),
]);

/** The order a lookup proves, or `not_found` (for a wrong e-mail or password too). */
async function provenOrder(db: Db, raw: unknown): Promise<Order> {
  const parsed = lookupSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('validation_failed', 'Give the order number with the e-mail or the order password.', {
      fields: { orderNo: 'required', email: 'required' },
    });
  }
  const input = parsed.data;
  const order = await findByOrderNo(db, input.orderNo);
  if (!order) throw NOT_FOUND();
  const ok =
    'email' in input
      ? safeEqual(order.email.toLowerCase(), input.email)
      : order.queryPasswordHash != null && (await verifyQueryPassword(input.queryPassword, order.queryPasswordHash));
  if (!ok) throw NOT_FOUND();
  return order;
}

/** Order number + e-mail, or order number + query password. */
export async function lookupOrder(db: Db, raw: unknown): Promise<BuyerOrderView> {
  const order = await provenOrder(db, raw);
  return buyerView(db, await freshOrder(db, order), true);
}

/** The same proof, answered with the order's access token (the storefront keeps it in a cookie). */
export async function lookupOrderAccess(db: Db, raw: unknown): Promise<{ orderNo: string; token: string }> {
  const order = await provenOrder(db, raw);
  return { orderNo: order.orderNo, token: orderAccessToken(order.id) };
}

export type MerchantOrderRow = {
  orderNo: string;
  status: OrderStatus;
  productId: string;
  quantity: number;
  amount: number;
  currency: string;
  email: string;
  channelId: string;
  createdAt: string;
  paidAt: string | null;
  deliveredAt: string | null;
  refundedAt: string | null;
};

const cursorSchema = z.object({ id: z.guid() });

/**
 * The console's filters. Each is served by an index that starts (merchant_id, <filter>) and
 * continues (created_at, id), so a page is a short keyset walk at any depth; e-mail uses
 * lower(email), and the order number its unique index.
 */
export type MerchantOrderFilters = {
  status?: string;
  productId?: string;
  channelId?: string;
  /** created_at >= createdFrom */
  createdFrom?: Date;
  /** created_at < createdBefore */
  createdBefore?: Date;
  /** Exact, case-insensitive. */
  email?: string;
  /** Exact. */
  orderNo?: string;
  /** Oldest first (the same index, walked forwards); newest first by default. */
  oldestFirst?: boolean;
};

// Any PostgreSQL uuid (z.uuid() would refuse ids that are not RFC 4122 variants).
const uuidSchema = z.guid();

export async function listMerchantOrders(
  db: DbOrTx,
  merchantId: string,
  params: MerchantOrderFilters & { limit?: number; cursor?: string },
): Promise<{ orders: MerchantOrderRow[]; nextCursor: string | null }> {
  const limit = pageSize(params.limit);
  const cursor = decodeCursor(params.cursor, cursorSchema);
  const conditions = [eq(orders.merchantId, merchantId)];
  if (params.status) {
    const statuses = ['pending', 'paid', 'delivered', 'expired', 'awaiting_fulfillment', 'refunded'];
    if (!statuses.includes(params.status)) throw new AppError('validation_failed', 'Unknown status.', { fields: { status: 'invalid_choice' } });
    conditions.push(eq(orders.status, params.status as OrderStatus));
  }
  for (const name of ['productId', 'channelId'] as const) {
    const value = params[name];
    if (value === undefined) continue;
    if (!uuidSchema.safeParse(value).success) throw new AppError('validation_failed', `Invalid ${name}.`, { fields: { [name]: 'invalid' } });
    conditions.push(eq(name === 'productId' ? orders.productId : orders.channelId, value));
  }
  if (params.createdFrom) conditions.push(sql`${orders.createdAt} >= ${params.createdFrom.toISOString()}::timestamptz`);
  if (params.createdBefore) conditions.push(sql`${orders.createdAt} < ${params.createdBefore.toISOString()}::timestamptz`);
  if (params.email) conditions.push(sql`lower(${orders.email}) = ${params.email.trim().toLowerCase()}`);
  if (params.orderNo !== undefined) conditions.push(eq(orders.orderNo, params.orderNo.trim()));
  if (cursor) {
    // Compared with the cursor row itself: timestamps keep their microseconds, which a
    // JavaScript Date would lose (and so skip orders created in the same millisecond).
    const after = params.oldestFirst ? sql`>` : sql`<`;
    conditions.push(
      sql`(${orders.createdAt}, ${orders.id}) ${after} (SELECT c.created_at, c.id FROM orders c WHERE c.id = ${cursor.id} AND c.merchant_id = ${merchantId})`,
    );
  }
  const rows = await db
    .select()
    .from(orders)
    .where(and(...conditions))
    .orderBy(...(params.oldestFirst ? [asc(orders.createdAt), asc(orders.id)] : [desc(orders.createdAt), desc(orders.id)]))
    .limit(limit + 1);
  const { page, nextCursor } = keysetPage(rows, limit, (last) => ({ id: last.id }));
  return {
    orders: page.map((o) => ({
      orderNo: o.orderNo,
      status: o.status,
      productId: o.productId,
      quantity: o.quantity,
      amount: o.amount,
      currency: o.currency,
      email: o.email,
      channelId: o.channelId,
      createdAt: o.createdAt.toISOString(),
      paidAt: o.paidAt?.toISOString() ?? null,
      deliveredAt: o.deliveredAt?.toISOString() ?? null,
      refundedAt: o.refundedAt?.toISOString() ?? null,
    })),
    nextCursor,
  };
}

export async function orderEventsOf(db: DbOrTx, orderId: string) {
  return db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(orderEvents.id);
}

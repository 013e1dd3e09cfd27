import 'server-only';
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { compiled } from '@/db/compiled';
import { orderEvents, orders, products, type Order, type OrderStatus, type Product } from '@/db/schema';
import { generateKeysForOrder, reserveKeys, sellReservedKeys, storeSoldKeys } from '@/lib/inventory';
import { accrueCommission } from '@/lib/agents';
import { commitCouponUse } from '@/lib/coupons';
import { enqueue } from '@/lib/outbox';
import { AppError, errorSummary } from '@/lib/errors';
import { log } from '@/lib/log';

// The statements of payment → delivery, built once (db/compiled.ts).
const ph = sql.placeholder;
const insertEvent = compiled<{
  orderId: string;
  merchantId: string;
  type: string;
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus | null;
  detail: Record<string, unknown>;
}>()((db) =>
  db.insert(orderEvents).values({
    orderId: ph('orderId'),
    merchantId: ph('merchantId'),
    type: ph('type'),
    fromStatus: ph('fromStatus'),
    toStatus: ph('toStatus'),
    detail: ph('detail'),
  }),
);
type Stamp = 'paidAt' | 'deliveredAt';
const statusSetter = (stamp: Stamp | null) =>
  compiled<{ id: string; status: OrderStatus }>()((db) =>
    db
      .update(orders)
      .set({ status: ph('status') as unknown as OrderStatus, updatedAt: sql`now()`, ...(stamp ? { [stamp]: sql`now()` } : {}) })
      .where(eq(orders.id, ph('id'))),
  );
const setStatusBy = { none: statusSetter(null), paidAt: statusSetter('paidAt'), deliveredAt: statusSetter('deliveredAt') };
const productById = compiled<{ id: string }>()((db) =>
  db
    .select()
    .from(products)
    .where(eq(products.id, ph('id'))),
);

export async function recordEvent(
  tx: Tx,
  order: Pick<Order, 'id' | 'merchantId'>,
  type: string,
  from: OrderStatus | null,
  to: OrderStatus | null,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await insertEvent(tx, { orderId: order.id, merchantId: order.merchantId, type, fromStatus: from, toStatus: to, detail });
}

/** The order's new status; `stamp`: the time column set to now() with it. */
async function setStatus(tx: Tx, order: Order, to: OrderStatus, stamp: Stamp | null = null) {
  await setStatusBy[stamp ?? 'none'](tx, { id: order.id, status: to });
}

/**
 * A payment was accepted for a `pending` or `expired` order, which the caller holds locked:
 * mark it paid and deliver in the same transaction. Stock that an expired order released
 * is taken again if there is any; otherwise (or for manual products) the order waits for
 * the merchant, with an alert (SPEC invariant 5).
 */
export async function markPaidAndDeliver(tx: Tx, order: Order, payment: { tradeNo: string; channelId: string }): Promise<OrderStatus> {
  // Sent together (one wait for the database): the product, the status and its event.
  const [[product]] = await Promise.all([
    productById(tx, { id: order.productId }),
    setStatus(tx, order, 'paid', 'paidAt'),
    recordEvent(tx, order, 'paid', order.status, 'paid', { tradeNo: payment.tradeNo, late: order.status === 'expired' }),
  ]);
  if (!product) throw new AppError('internal', 'order without product');
  if (order.couponId) {
    // The coupon use becomes used; a payment after the use was released is honoured at the
    // price the buyer saw, and the order says so when the code had no use left.
    const coupon = await commitCouponUse(tx, order.id);
    if (coupon === 'over_limit') await recordEvent(tx, order, 'coupon_over_limit', null, null, {});
  }

  // An order the risk control held (or the merchant rejected before it was paid) is paid but
  // not delivered: its reserved keys stay with it, and the merchant decides (lib/orders/review.ts).
  if (order.review === 'pending' || order.review === 'rejected') {
    await recordEvent(tx, order, 'review_waiting', null, null, { rejected: order.review === 'rejected' });
    await enqueue(tx, {
      merchantId: order.merchantId,
      topic: 'order.review_required',
      eventKey: order.id,
      payload: { orderId: order.id, orderNo: order.orderNo, amount: order.amount, currency: order.currency, rejected: order.review === 'rejected' },
    });
    return 'paid';
  }
  return deliverPaid(tx, order, product, { reserved: order.status === 'pending' });
}

/**
 * Delivers a paid order the caller holds locked (its status is `paid` in the database):
 * from the keys it reserved, by generation, by the merchant's URL (after commit), or it waits
 * for the merchant. `reserved`: the order may hold reserved keys (it was unpaid a moment ago,
 * or was held for review since).
 */
export async function deliverPaid(tx: Tx, order: Order, product: Product, opts: { reserved: boolean }): Promise<OrderStatus> {
  const delivered = await deliverStock(tx, order, product, opts.reserved);
  if (!delivered.ok && delivered.reason === 'dynamic') {
    // Dynamic delivery calls the merchant's URL, which must not happen inside this
    // transaction: the order stays `paid` and the outbox drives the call after commit
    // (lib/dynamic-delivery), retrying until the merchant answers or the order waits for it by hand.
    await enqueue(tx, {
      merchantId: order.merchantId,
      topic: 'delivery.requested',
      eventKey: order.id,
      payload: { orderId: order.id, orderNo: order.orderNo },
    });
    return 'paid';
  }
  if (delivered.ok) {
    await Promise.all([
      setStatus(tx, order, 'delivered', 'deliveredAt'),
      recordEvent(tx, order, 'delivered', 'paid', 'delivered', { keys: order.quantity, via: delivered.via }),
      enqueue(tx, { merchantId: order.merchantId, topic: 'order.delivered', eventKey: order.id, payload: { orderId: order.id, orderNo: order.orderNo } }),
    ]);
    // An agent's commission is accrued with the delivery, never apart from it (SPEC §10).
    await accrueCommission(tx, order);
    await alertLowStock(tx, product);
    return 'delivered';
  }
  await setStatus(tx, order, 'awaiting_fulfillment');
  await recordEvent(tx, order, 'awaiting_fulfillment', 'paid', 'awaiting_fulfillment', { reason: delivered.reason });
  await enqueue(tx, {
    merchantId: order.merchantId,
    topic: 'order.awaiting_fulfillment',
    eventKey: order.id,
    payload: { orderId: order.id, orderNo: order.orderNo, reason: delivered.reason },
  });
  return 'awaiting_fulfillment';
}

type StockOutcome = { ok: true; via: string } | { ok: false; reason: 'manual' | 'dynamic' | 'no_stock' | 'delivery_error' };

async function deliverStock(tx: Tx, order: Order, product: Product, reserved: boolean): Promise<StockOutcome> {
  // Keys the order reserved at checkout are its keys, whatever the product's delivery type
  // is now (the merchant may have changed it since): sell them, never strand them reserved.
  if (reserved) {
    const sold = await sellReservedKeys(tx, order.id);
    if (sold === order.quantity) return { ok: true, via: 'reserved' };
    // Cannot happen while reservations and expiry hold the order lock; if it ever does, the
    // keys found stay with the order and the merchant completes it by hand.
    if (sold !== 0) {
      log('error', 'order had part of its keys reserved', { orderNo: order.orderNo, sold, quantity: order.quantity });
      return { ok: false, reason: 'delivery_error' };
    }
  }
  switch (product.deliveryType) {
    case 'manual':
      return { ok: false, reason: 'manual' };
    case 'webhook':
      return { ok: false, reason: 'dynamic' };
    case 'generated':
      // In a savepoint: a rule that cannot produce keys must not undo the payment with it.
      // The order then waits for the merchant, visibly, like any other it cannot fill.
      try {
        await tx.transaction((sp) =>
          generateKeysForOrder(sp, {
            merchantId: order.merchantId,
            productId: product.id,
            orderId: order.id,
            quantity: order.quantity,
            rule: product.generatorRule,
          }),
        );
        return { ok: true, via: 'generated' };
      } catch (err) {
        log('error', 'key generation failed; the order waits for the merchant', { orderNo: order.orderNo, error: errorSummary(err) });
        return { ok: false, reason: 'delivery_error' };
      }
    case 'auto': {
      // No reservation (late payment: released at expiry). Take stock again if any is left.
      try {
        await reserveKeys(tx, { productId: product.id, orderId: order.id, quantity: order.quantity, status: 'sold', retries: 2 });
        return { ok: true, via: 'late_reservation' };
      } catch (err) {
        if (err instanceof AppError && err.code === 'out_of_stock') return { ok: false, reason: 'no_stock' };
        throw err;
      }
    }
  }
}

async function alertLowStock(tx: Tx, product: Product): Promise<void> {
  if (product.deliveryType !== 'auto' || product.stockAlert <= 0) return;
  const [row] = await tx.execute<{ n: string }>(sql`
    SELECT count(*) AS n FROM (SELECT 1 FROM card_keys WHERE product_id = ${product.id} AND status = 'available' LIMIT ${product.stockAlert + 1}) s`);
  const available = Number(row?.n ?? 0);
  if (available > product.stockAlert) return;
  // One alert per product per hour at most.
  const hour = new Date().toISOString().slice(0, 13);
  await enqueue(tx, {
    merchantId: product.merchantId,
    topic: 'stock.low',
    eventKey: `${product.id}:${hour}`,
    payload: { productId: product.id, title: product.title, available },
  });
}

/**
 * Dynamic delivery's last step: the merchant's URL answered with keys for a `paid` order,
 * which the caller holds locked. Stores them sold to the order and delivers. Returns false
 * (and changes nothing) when the order is no longer `paid` (delivered by a concurrent
 * attempt, refunded, or fulfilled by hand meanwhile).
 */
export async function completeDynamicDelivery(tx: Tx, order: Order, keys: string[]): Promise<boolean> {
  if (order.status !== 'paid') return false;
  await storeSoldKeys(tx, { merchantId: order.merchantId, productId: order.productId, orderId: order.id, keys });
  await setStatus(tx, order, 'delivered', 'deliveredAt');
  await recordEvent(tx, order, 'delivered', 'paid', 'delivered', { keys: keys.length, via: 'webhook' });
  await accrueCommission(tx, order);
  await enqueue(tx, { merchantId: order.merchantId, topic: 'order.delivered', eventKey: order.id, payload: { orderId: order.id, orderNo: order.orderNo } });
  return true;
}

/** Dynamic delivery gave up: the paid order waits for the merchant, visibly, with an alert (SPEC invariant 5). */
export async function escalateToMerchant(tx: Tx, order: Order, reason: string): Promise<boolean> {
  if (order.status !== 'paid') return false;
  await setStatus(tx, order, 'awaiting_fulfillment');
  await recordEvent(tx, order, 'awaiting_fulfillment', 'paid', 'awaiting_fulfillment', { reason });
  await enqueue(tx, {
    merchantId: order.merchantId,
    topic: 'order.awaiting_fulfillment',
    eventKey: order.id,
    payload: { orderId: order.id, orderNo: order.orderNo, reason },
  });
  return true;
}

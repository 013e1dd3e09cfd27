// The review queue (SPEC §8): an order a review rule held can be paid, but its delivery waits
// for the merchant. Approve delivers it at once (from the keys it reserved); reject refunds it
// (the keys and its coupon use go back, the money goes back through the provider by the
// merchant: no channel here can refund by API yet). An unpaid held order can be decided
// too: approved, it is delivered as soon as it is paid; rejected, it lapses now (a payment
// that still arrives is held again, for a refund, never delivered).
import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx, Tx } from '@/db/client';
import { orders, products, type Order, type OrderStatus } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { releaseCouponUses, returnCouponUse } from '@/lib/coupons';
import { releaseKeys } from '@/lib/inventory';
import { AppError, parseInput } from '@/lib/errors';
import { deliverPaid, recordEvent } from './fulfil';
import { lockMerchantOrder } from './manage';
import { refundLocked } from './refund';

export const reviewDecisionSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  /** Why (kept in the order's history and the audit log; never shown to the buyer). */
  reason: z.string().trim().max(200).default(''),
});
export type ReviewDecision = z.input<typeof reviewDecisionSchema>;

export type ReviewOutcome = { orderNo: string; review: 'approved' | 'rejected'; status: OrderStatus };

/** Decides a held order of the merchant's. Audited as `order.review_approve` / `order.review_reject`. */
export async function reviewOrder(db: Db, actor: Actor, orderNo: string, input: unknown): Promise<ReviewOutcome> {
  const merchantId = merchantOf(actor);
  const { decision, reason } = parseInput(reviewDecisionSchema, input);
  return db.transaction(async (tx) => {
    const order = await lockMerchantOrder(tx, merchantId, orderNo);
    if (order.review !== 'pending') throw new AppError('conflict', 'This order is not waiting for a review.');
    const review = decision === 'approve' ? 'approved' : 'rejected';
    await tx
      .update(orders)
      .set({ review, updatedAt: sql`now()` })
      .where(eq(orders.id, order.id));
    await recordEvent(tx, order, `review_${review}`, null, null, reason ? { reason } : {});
    const status = await settle(tx, { ...order, review }, review);
    await recordAudit(tx, actor, {
      action: decision === 'approve' ? 'order.review_approve' : 'order.review_reject',
      targetType: 'order',
      targetId: order.orderNo,
      detail: { from: order.status, to: status, ...(reason ? { reason } : {}) },
    });
    return { orderNo: order.orderNo, review, status } as ReviewOutcome;
  });
}

/**
 * A paid held order is delivered (approved) or refunded (rejected); an unpaid one waits for
 * its payment (approved) or lapses now, under the same lock (rejected): its keys and coupon
 * use go back in this transaction, so a payment racing the decision finds it expired.
 */
async function settle(tx: Tx, order: Order, review: 'approved' | 'rejected'): Promise<OrderStatus> {
  if (order.status === 'pending' && review === 'rejected') {
    await tx
      .update(orders)
      .set({ status: 'expired', expiresAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(orders.id, order.id));
    await releaseKeys(tx, [order.id]);
    await releaseCouponUses(tx, [order.id]);
    await recordEvent(tx, order, 'expired', 'pending', 'expired', { reason: 'review_rejected' });
    return 'expired';
  }
  if (order.status !== 'paid') return order.status;
  if (review === 'rejected') {
    // Nothing was delivered: the coupon use it took goes back to the code.
    const couponReturned = order.couponId ? await returnCouponUse(tx, order.id) : false;
    await refundLocked(tx, order, 'void', { reason: 'review_rejected', ...(couponReturned ? { couponReturned } : {}) });
    return 'refunded';
  }
  const [product] = await tx.select().from(products).where(eq(products.id, order.productId));
  if (!product) throw new AppError('internal', 'order without product');
  return deliverPaid(tx, order, product, { reserved: true });
}

export type ReviewQueueRow = Pick<Order, 'orderNo' | 'status' | 'amount' | 'currency' | 'email' | 'quantity' | 'createdAt' | 'paidAt' | 'productId'>;

/** The merchant's orders waiting for a review, oldest first (paid ones before unpaid). */
export async function listReviewQueue(db: DbOrTx, merchantId: string, limit = 100): Promise<ReviewQueueRow[]> {
  return db
    .select({
      orderNo: orders.orderNo,
      status: orders.status,
      amount: orders.amount,
      currency: orders.currency,
      email: orders.email,
      quantity: orders.quantity,
      createdAt: orders.createdAt,
      paidAt: orders.paidAt,
      productId: orders.productId,
    })
    .from(orders)
    .where(and(eq(orders.merchantId, merchantId), eq(orders.review, 'pending'), sql`${orders.status} IN ('pending', 'paid')`))
    .orderBy(desc(sql`${orders.status} = 'paid'`), orders.createdAt)
    .limit(limit);
}

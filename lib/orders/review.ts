// The review queue (SPEC §8): an order a review rule held can be paid, but its delivery waits
// for the merchant. Approve delivers it at once (from the keys it reserved); reject refunds it
// (the keys and its coupon use go back, the money goes back through the provider by the
// merchant: no channel here can refund by API yet). An unpaid held order can be decided
// too: approved, it is delivered as soon as it is paid; rejected, it lapses now (a payment
// that still arrives is held again, for a refund, never delivered).
import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '@/db/client';
import { orders, products, type Order, type OrderStatus } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { returnCouponUse } from '@/lib/coupons';
import { AppError, parseInput } from '@/lib/errors';
import { expireOrders } from './expire';
import { deliverPaid, recordEvent } from './fulfil';
import { lockMerchantOrder, refundLocked } from './manage';

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
  let lapse: string | null = null;
  const outcome = await db.transaction(async (tx) => {
    const order = await lockMerchantOrder(tx, merchantId, orderNo);
    if (order.review !== 'pending') throw new AppError('conflict', 'This order is not waiting for a review.');
    const review = decision === 'approve' ? 'approved' : 'rejected';
    await tx
      .update(orders)
      .set({ review, updatedAt: sql`now()`, ...(review === 'rejected' && order.status === 'pending' ? { expiresAt: sql`now()` as unknown as Date } : {}) })
      .where(eq(orders.id, order.id));
    await recordEvent(tx, order, `review_${review}`, null, null, reason ? { reason } : {});
    const status = await settle(tx, { ...order, review }, review);
    if (review === 'rejected' && order.status === 'pending') lapse = order.id;
    await recordAudit(tx, actor, {
      action: decision === 'approve' ? 'order.review_approve' : 'order.review_reject',
      targetType: 'order',
      targetId: order.orderNo,
      detail: { from: order.status, to: status, ...(reason ? { reason } : {}) },
    });
    return { orderNo: order.orderNo, review, status } as ReviewOutcome;
  });
  // A rejected unpaid order lapses now: its keys and coupon use go back (after the decision commits).
  if (lapse) {
    await expireOrders(db, { orderId: lapse });
    return { ...outcome, status: 'expired' };
  }
  return outcome;
}

/** A paid held order is delivered (approved) or refunded (rejected); an unpaid one waits for its payment or its lapse. */
async function settle(tx: Parameters<Parameters<Db['transaction']>[0]>[0], order: Order, review: 'approved' | 'rejected'): Promise<OrderStatus> {
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

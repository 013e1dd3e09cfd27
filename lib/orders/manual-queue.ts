// The last level of payment routing (SPEC §5, issue "failover"): when no channel of the
// order's method can take the payment, the buyer may leave the order with the merchant. Its
// keys stay reserved for the merchant's hold time; the merchant is alerted, sees the queue,
// and either sends the buyer a fresh payment link once a channel is back, or records an
// offline payment by hand (audited). The order lock makes every path pay it at most once:
// a provider's payment arriving after an offline one is a recorded duplicate, as always.
import 'server-only';
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/db/client';
import { merchants, orders, paymentAttempts, paymentChannels, payments, type Order } from '@/db/schema';
import { manualQueueHours } from '@/lib/accounts';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { enqueue } from '@/lib/outbox';
import { channelForOrder, loadChannel } from '@/lib/payments';
import { markPaidAndDeliver, recordEvent } from './fulfil';
import { lockMerchantOrder } from './manage';
import { paymentForOrder, type OrderPayment } from './payment-attempt';

/**
 * Whether an order has a payment the buyer may be paying right now (shown, being created, or
 * paid). A channel whose action is computed locally (epay's signed redirect, the demo button)
 * shows its payment without storing an attempt: such an order always counts as shown.
 */
async function paymentShown(tx: DbOrTx, order: Pick<Order, 'id' | 'channelId'>): Promise<boolean> {
  const own = await loadChannel(tx, order.channelId, { fresh: true });
  if (!own || own.driver.creates === 'local') return true;
  const [open] = await tx
    .select({ id: paymentAttempts.id })
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.orderId, order.id), sql`${paymentAttempts.status} IN ('open', 'creating', 'paid')`))
    .limit(1);
  return !!open;
}

/**
 * The buyer leaves a pending order whose payment no channel could create. Allowed only
 * while nothing payable was shown (no open attempt); a second request changes nothing.
 */
export async function leaveForManualPayment(db: Db, orderNo: string): Promise<{ until: Date }> {
  return db.transaction(async (tx) => {
    const [order] = (await tx.select().from(orders).where(eq(orders.orderNo, orderNo)).for('update')) as Order[];
    if (!order) throw new AppError('not_found', 'No such order.');
    if (order.manualQueueAt) return { until: order.expiresAt };
    if (order.status !== 'pending' || order.expiresAt.getTime() <= Date.now()) throw new AppError('conflict', 'This order is not waiting for payment.');
    if (await paymentShown(tx, order)) throw new AppError('conflict', 'This order can be paid with the payment shown.');
    const [merchant] = await tx.select().from(merchants).where(eq(merchants.id, order.merchantId));
    const [updated] = await tx
      .update(orders)
      .set({
        manualQueueAt: sql`now()`,
        // The reserved keys stay for the merchant's hold time (never shortened).
        expiresAt: sql`greatest(${orders.expiresAt}, now() + make_interval(hours => ${manualQueueHours(merchant!)}))`,
        updatedAt: sql`now()`,
      })
      .where(eq(orders.id, order.id))
      .returning({ expiresAt: orders.expiresAt });
    await recordEvent(tx, order, 'manual_queue', 'pending', 'pending', {});
    await enqueue(tx, {
      merchantId: order.merchantId,
      topic: 'order.manual_payment',
      eventKey: `manual:${order.id}`,
      payload: { orderId: order.id, orderNo: order.orderNo, amount: order.amount, currency: order.currency },
    });
    return { until: updated!.expiresAt };
  });
}

export type ManualQueueRow = { orderNo: string; amount: number; currency: string; email: string; queuedAt: Date; expiresAt: Date };

/** The merchant's orders waiting for a manual payment, oldest first. */
export async function listManualQueue(db: DbOrTx, merchantId: string): Promise<ManualQueueRow[]> {
  const rows = await db
    .select({
      orderNo: orders.orderNo,
      amount: orders.amount,
      currency: orders.currency,
      email: orders.email,
      queuedAt: orders.manualQueueAt,
      expiresAt: orders.expiresAt,
    })
    .from(orders)
    .where(and(eq(orders.merchantId, merchantId), eq(orders.status, 'pending'), isNotNull(orders.manualQueueAt)))
    .orderBy(asc(orders.manualQueueAt))
    .limit(200);
  return rows.map((r) => ({ ...r, queuedAt: r.queuedAt! }));
}

/**
 * A channel is back: the merchant has a fresh payment created now (a new attempt, failover
 * included) and the buyer is e-mailed the link to the pay page. `provider_unavailable` when
 * no channel can take it yet (nothing is sent).
 */
export async function sendPaymentLink(db: Db, actor: Actor, input: { orderNo: string }): Promise<OrderPayment> {
  const merchantId = merchantOf(actor);
  const [order] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.orderNo, input.orderNo), eq(orders.merchantId, merchantId)));
  if (!order) throw new AppError('not_found', 'No such order.');
  if (order.status !== 'pending' || !order.manualQueueAt) throw new AppError('conflict', 'This order is not waiting for a manual payment.');
  const payment = await paymentForOrder(db, order.orderNo, { retryFailed: 'now' });
  if (payment.state !== 'ready') throw new AppError('provider_unavailable', payment.error ?? 'No channel can take the payment yet.');
  await db.transaction(async (tx) => {
    await enqueue(tx, {
      merchantId,
      topic: 'order.payment_link',
      eventKey: `link:${order.id}:${payment.outTradeNo}`,
      payload: { orderId: order.id, orderNo: order.orderNo },
    });
    await recordAudit(tx, actor, {
      action: 'order.payment_link',
      targetType: 'order',
      targetId: order.orderNo,
      detail: { channel: payment.channel.kind, outTradeNo: payment.outTradeNo },
    });
  });
  return payment;
}

/**
 * The merchant took the money outside the shop (a transfer, cash): the order is paid and
 * delivered as if a provider had said so, under the order lock, with the merchant's
 * reference. Audited. Once: a paid order is not pending any more.
 */
export async function recordOfflinePayment(db: Db, actor: Actor, input: { orderNo: string; reference: string }): Promise<{ status: string }> {
  const merchantId = merchantOf(actor);
  const reference = input.reference.trim();
  if (reference.length < 1 || reference.length > 100)
    throw new AppError('validation_failed', 'Give the payment a reference.', { fields: { reference: 'required' } });
  return db.transaction(async (tx) => {
    const order = await lockMerchantOrder(tx, merchantId, input.orderNo);
    if (order.status !== 'pending' && order.status !== 'expired')
      throw new AppError('conflict', `Only an unpaid order can be paid by hand; this one is ${order.status}.`);
    const tradeNo = `OFFLINE-${order.orderNo}`;
    const [inserted] = await tx
      .insert(payments)
      .values({
        merchantId,
        orderId: order.id,
        channelId: order.channelId,
        tradeNo,
        amount: order.amount,
        currency: order.currency,
        raw: { source: 'offline', reference },
      })
      .onConflictDoNothing({ target: [payments.channelId, payments.tradeNo] })
      .returning({ id: payments.id });
    if (!inserted) throw new AppError('conflict', 'This order was already paid by hand.');
    const status = await markPaidAndDeliver(tx, order, { tradeNo, channelId: order.channelId });
    await recordAudit(tx, actor, {
      action: 'order.offline_payment',
      targetType: 'order',
      targetId: order.orderNo,
      detail: { amount: order.amount, currency: order.currency, reference },
    });
    return { status };
  });
}

/**
 * The buyer switches a pending order to another of the shop's channels (another way of
 * paying) when its own method could not take the payment. Allowed only while nothing payable
 * was shown; the channel must be usable, of this merchant, and take the order's currency and
 * amount. The pay page then creates the payment on it.
 */
export async function switchPaymentChannel(db: Db, orderNo: string, channelId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [order] = (await tx.select().from(orders).where(eq(orders.orderNo, orderNo)).for('update')) as Order[];
    if (!order) throw new AppError('not_found', 'No such order.');
    if (order.status !== 'pending' || order.expiresAt.getTime() <= Date.now()) throw new AppError('conflict', 'This order is not waiting for payment.');
    if (await paymentShown(tx, order)) throw new AppError('conflict', 'This order can be paid with the payment shown.');
    const [row] = await tx.select().from(paymentChannels).where(eq(paymentChannels.id, channelId));
    // The same checks as at checkout: this merchant's, usable, its currency and limits.
    channelForOrder(row ?? null, { merchantId: order.merchantId, amount: order.amount, currency: order.currency });
    if (row!.id === order.channelId) return;
    await tx
      .update(orders)
      .set({ channelId: row!.id, updatedAt: sql`now()` })
      .where(eq(orders.id, order.id));
    await recordEvent(tx, order, 'channel_switched', 'pending', 'pending', { from: order.channelId, to: row!.id });
  });
}

// Incoming payment notifications: a provider tells us money arrived for an order. Not to be
// confused with what we tell merchants (lib/webhooks) or buyers (lib/mail).
import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { pipelinedTransaction, type Db } from '@/db/client';
import { compiled, placeholdersFor } from '@/db/compiled';
import { orders, paymentAttempts, payments, type Order, type PaymentAttempt } from '@/db/schema';
import { getConfig } from '@/lib/config';
import { log } from '@/lib/log';
import { enqueue } from '@/lib/outbox';
import { loadChannel, type NotificationInput, type VerifiedNotification } from '@/lib/payments';
import { markPaidAndDeliver, recordEvent } from './fulfil';
import { recordMismatch, type Mismatch } from './mismatches';

export type PaymentOutcome =
  | 'delivered'
  | 'paid' // dynamic delivery: the merchant's URL is called after commit (lib/dynamic-delivery)
  | 'awaiting_fulfillment'
  | 'duplicate' // this (channel, trade no) was handled before: same answer, nothing changes
  | 'duplicate_payment' // a second, different payment for a paid order: recorded, merchant alerted
  | 'ignored' // verified, but not about a payment (an event type we do not act on): acknowledged
  | 'rejected';

export type PaymentNotificationReply = {
  status: number;
  body: string;
  contentType: string;
  outcome: PaymentOutcome;
  reason?: string;
  /**
   * The notification did not prove it came from the provider (unknown channel, bad
   * signature): anyone can send those, so the caller throttles and logs them per address
   * in aggregate (app/api/pay/[channelId]/notify) rather than here, one line each.
   */
  unverified?: true;
};

const UNKNOWN_CHANNEL: PaymentNotificationReply = {
  status: 404,
  body: 'fail',
  contentType: 'text/plain; charset=utf-8',
  outcome: 'rejected',
  reason: 'unknown_channel',
  unverified: true,
};

const channelIdSchema = z.string().uuid();

/**
 * An incoming payment notification (a provider telling us money arrived), end to end: verify through the channel, then in one
 * transaction lock the order, check channel, amount and currency, record the payment
 * (unique on channel + trade no, so replays change nothing), mark paid and deliver
 * (SPEC invariants 3 and 4). Every copy of an accepted notification gets the provider's
 * success reply.
 */
export async function handlePaymentNotification(db: Db, channelId: string, input: NotificationInput): Promise<PaymentNotificationReply> {
  if (!channelIdSchema.safeParse(channelId).success) return UNKNOWN_CHANNEL;
  // Never from the process cache: the credentials and the on/off switch of this moment.
  const channel = await loadChannel(db, channelId, { fresh: true });
  if (!channel) return UNKNOWN_CHANNEL;
  const reply = (accepted: boolean, outcome: PaymentOutcome, reason?: string): PaymentNotificationReply => ({
    ...channel.driver.reply(accepted),
    outcome,
    reason,
  });

  // A demo channel pays nothing: once demo payments are off, its notifications are refused too.
  if (channel.row.kind === 'demo' && !getConfig().demoChannelEnabled) return reply(false, 'rejected', 'channel_disabled');
  const verified = await channel.driver.verifyNotification(channel.config, input);
  if (verified.ok === 'ignored') return reply(true, 'ignored', verified.what);
  if (!verified.ok) return { ...reply(false, 'rejected', verified.reason), unverified: true };
  if (!verified.paid) {
    // A later state of a payment already recorded (Alipay's TRADE_CLOSED after a refund, a
    // status arriving out of order): acknowledged, or the provider repeats it for a day.
    if (await paymentRecorded(db, channelId, verified.tradeNo)) return reply(true, 'duplicate', 'not_paid_after_paid');
    log('warn', 'payment notification rejected', { channelId, orderNo: verified.outTradeNo, reason: 'not_paid' });
    return reply(false, 'rejected', 'not_paid');
  }
  const result = await applyPayment(db, channelId, verified, channel.driver.creates);
  // A signed notification of another amount: held (nothing delivered) and listed for the merchant.
  if (result.mismatch) await recordMismatch(db, { ...result.mismatch, kind: 'amount_different', resolution: 'held', providerAmount: verified.amount });
  if (result.outcome === 'rejected') {
    log('warn', 'payment notification rejected', { channelId, orderNo: verified.outTradeNo, reason: result.reason });
    return reply(false, 'rejected', result.reason);
  }
  log('info', 'payment notification accepted', { channelId, orderNo: verified.outTradeNo, outcome: result.outcome });
  return reply(true, result.outcome);
}

/** A verified payment of another amount than the order's: refused, and kept as a mismatch by the caller. */
function amountMismatch(order: Order, outTradeNo: string, channelId: string) {
  return {
    outcome: 'rejected' as const,
    reason: 'amount_mismatch',
    mismatch: {
      merchantId: order.merchantId,
      orderId: order.id,
      orderNo: order.orderNo,
      channelId,
      outTradeNo,
      expectedAmount: order.amount,
      currency: order.currency,
    },
  };
}

async function paymentRecorded(db: Db, channelId: string, tradeNo: string): Promise<boolean> {
  const [row] = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.channelId, channelId), eq(payments.tradeNo, tradeNo)))
    .limit(1);
  return !!row;
}

// The notification's first statements, built once (db/compiled.ts).
const lockOrderByNo = compiled<{ orderNo: string }>()((db) =>
  db
    .select()
    .from(orders)
    .where(eq(orders.orderNo, sql.placeholder('orderNo')))
    .for('update'),
);
const PAYMENT_COLUMNS = ['merchantId', 'orderId', 'channelId', 'tradeNo', 'amount', 'currency', 'duplicate', 'raw'] as const;
type NewPayment = { [K in (typeof PAYMENT_COLUMNS)[number]]: (typeof payments.$inferInsert)[K] };
const insertPayment = compiled<NewPayment>()((db) =>
  db
    .insert(payments)
    .values(placeholdersFor<typeof payments.$inferInsert>(PAYMENT_COLUMNS))
    .onConflictDoNothing({ target: [payments.channelId, payments.tradeNo] })
    .returning({ id: payments.id, duplicate: payments.duplicate }),
);

/**
 * Applies a verified, successful payment (from a notification or a query). A channel that
 * creates its payments at the provider (`remote`) pays the order of the stored attempt the
 * provider names, and only an attempt of this channel; a `local` one (epay, demo) names the
 * order itself, which must have been created on this channel.
 */
export async function applyPayment(
  db: Db,
  channelId: string,
  p: Pick<VerifiedNotification, 'outTradeNo' | 'tradeNo' | 'amount' | 'currency' | 'raw' | 'providerRef'>,
  creates: 'remote' | 'local' = 'local',
): Promise<{ outcome: PaymentOutcome; reason?: string; mismatch?: Omit<Mismatch, 'kind' | 'resolution' | 'providerAmount'> }> {
  // BEGIN goes out with the order's row lock (one wait for the database, not two).
  return pipelinedTransaction(db, async (tx) => {
    let order: Order | undefined;
    let attempt: PaymentAttempt | undefined;
    if (creates === 'local') {
      [order] = await lockOrderByNo(tx, { orderNo: p.outTradeNo });
      // An order of another channel (and so possibly another merchant) is not ours to pay.
      if (order && order.channelId !== channelId) return { outcome: 'rejected' as const, reason: 'unknown_order' };
    }
    // A called provider's payment, or a local channel's payment taken over from another
    // channel (failover: `{orderNo}-2`…), names a stored attempt of this channel.
    if (!order) {
      [attempt] = await tx.select().from(paymentAttempts).where(eq(paymentAttempts.outTradeNo, p.outTradeNo)).limit(1);
      if (!attempt || attempt.channelId !== channelId) return { outcome: 'rejected' as const, reason: 'unknown_order' };
      // The order row lock serialises every copy of a notification, expiry and delivery.
      [order] = (await tx.select().from(orders).where(eq(orders.id, attempt.orderId)).for('update')) as Order[];
      if (!order) return { outcome: 'rejected' as const, reason: 'unknown_order' };
      // epusdt's trade_id is bound to the attempt when it is created: another one is not this payment.
      if (p.providerRef !== undefined && attempt.providerRef && p.providerRef !== attempt.providerRef)
        return { outcome: 'rejected' as const, reason: 'wrong_reference' };
      if (p.amount !== attempt.amount || p.currency !== attempt.currency) return amountMismatch(order, attempt.outTradeNo, channelId);
    }
    if (p.amount !== order.amount || p.currency !== order.currency) return amountMismatch(order, p.outTradeNo, channelId);

    const inserted = await insertPayment(tx, {
      merchantId: order.merchantId,
      orderId: order.id,
      channelId,
      tradeNo: p.tradeNo,
      amount: p.amount,
      currency: p.currency,
      duplicate: order.status !== 'pending' && order.status !== 'expired',
      raw: p.raw,
    });
    if (inserted.length === 0) return { outcome: 'duplicate' as const };
    if (attempt) {
      await tx
        .update(paymentAttempts)
        .set({ status: 'paid', tradeNo: p.tradeNo, paidAt: new Date(), updatedAt: new Date() })
        .where(eq(paymentAttempts.id, attempt.id));
      // Paid through a backup channel: the order (its reports, its refund) belongs to the channel that took the money.
      if (attempt.channelId !== order.channelId && order.status !== 'paid' && order.status !== 'delivered') {
        await tx.update(orders).set({ channelId: attempt.channelId }).where(eq(orders.id, order.id));
        order = { ...order, channelId: attempt.channelId };
      }
    }

    if (inserted[0]!.duplicate) {
      await recordEvent(tx, order, 'duplicate_payment', order.status, order.status, { tradeNo: p.tradeNo, amount: p.amount });
      await enqueue(tx, {
        merchantId: order.merchantId,
        topic: 'payment.duplicate',
        eventKey: `${channelId}:${p.tradeNo}`,
        payload: { orderId: order.id, orderNo: order.orderNo, tradeNo: p.tradeNo, amount: p.amount, currency: p.currency },
      });
      return { outcome: 'duplicate_payment' as const };
    }
    const status = await markPaidAndDeliver(tx, order, { tradeNo: p.tradeNo, channelId });
    return { outcome: status === 'delivered' || status === 'paid' ? status : ('awaiting_fulfillment' as const) };
  });
}

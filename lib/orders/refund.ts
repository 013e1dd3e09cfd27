// Refunds, whole or in part. The money goes back outside the shop (through the provider that
// took it when the merchant asks, before anything is recorded); each refund is a row of
// order_refunds under the order lock, their sum never above the amount paid. An agent's
// commission is reversed in proportion to each refund, in the same transaction (lib/agents).
// The last refund, the one that reaches the amount, marks the order refunded and settles its keys.
import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { cardKeys, orderRefunds, orders, type Order } from '@/db/schema';
import { reverseCommission } from '@/lib/agents';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { AppError, pgError, validationError } from '@/lib/errors';
import { enqueue } from '@/lib/outbox';
import { recordEvent } from './fulfil';
import { lockMerchantOrder, merchantOrder, REFUNDABLE } from './manage';
import { refundThroughProvider } from './payment-attempt';

/** What becomes of a refunded order's delivered keys: they stay sold, or are voided. Never back on sale. */
export type RefundKeys = 'keep' | 'void';
export type RefundResult = { keys: number; keysTo: 'sold' | 'void' };

const refundSchema = z.object({
  orderNo: z.string().trim().min(1).max(40),
  /** Minor units; omitted: everything not yet refunded. */
  amount: z.number().int().min(1).max(10_000_000_000).optional(),
  reason: z.string().trim().max(500).optional().default(''),
  keys: z.enum(['keep', 'void']),
  viaProvider: z.boolean().optional(),
});
export type RefundInput = z.input<typeof refundSchema>;

export type RefundOutcome = RefundResult & {
  refundId: string;
  /** Refunded so far, this refund included. */
  refunded: number;
  remaining: number;
  provider?: { status: 'succeeded' | 'pending'; providerMessage?: string };
};

/** The provider's number of an order's n-th refund: `RF{orderNo}`, then `RF{orderNo}-2`… */
export const refundNumber = (orderNo: string, seq: number) => (seq === 1 ? `RF${orderNo}` : `RF${orderNo}-${seq}`);

function checkAmount(order: Order, amount: number | undefined): { amount: number; whole: boolean } {
  if (!REFUNDABLE.includes(order.status)) throw new AppError('conflict', `Only a paid order can be refunded; this one is ${order.status}.`);
  const remaining = order.amount - order.refundedAmount;
  const value = amount ?? remaining;
  if (value > remaining || value <= 0) {
    throw new AppError('validation_failed', 'More than is left to refund.', {
      fields: { amount: { code: 'too_large', max: remaining, currency: order.currency } },
    });
  }
  // A part of an order not yet delivered would leave a paid order half-refunded waiting for
  // its keys: such an order is refunded whole or not at all.
  if (value < remaining && order.status !== 'delivered') {
    throw new AppError('validation_failed', 'An order not delivered yet is refunded in full.', { fields: { amount: 'not_available' } });
  }
  return { amount: value, whole: value === remaining };
}

async function nextSeq(db: Db | Tx, orderId: string): Promise<number> {
  const [row] = await db.execute<{ n: string }>(sql`SELECT coalesce(max(seq), 0) + 1 AS n FROM order_refunds WHERE order_id = ${orderId}`);
  return Number(row!.n);
}

/**
 * Refunds an order of the actor's merchant, whole or in part (POST /api/v1/orders/{no}/refunds,
 * the console's refund form). With `viaProvider` the provider refunds first, under a number
 * derived from the refund's place, so two identical requests are one refund there and the
 * second is refused here (`conflict`). Partial refunds are for delivered orders.
 */
export async function refundOrder(db: Db, actor: Actor, input: RefundInput, fetchImpl?: typeof fetch): Promise<RefundOutcome> {
  const merchantId = merchantOf(actor);
  const parsed = refundSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const v = parsed.data;
  let provider: { status: 'succeeded' | 'pending'; channelKind: string; providerMessage?: string; seq: number } | undefined;
  if (v.viaProvider) {
    const order = await merchantOrder(db, merchantId, v.orderNo);
    const { amount } = checkAmount(order, v.amount);
    const seq = await nextSeq(db, order.id);
    const r = await refundThroughProvider(db, order, { refundNo: refundNumber(order.orderNo, seq), amount }, v.reason || 'refund', fetchImpl);
    provider = { ...r, seq };
  }
  try {
    return await db.transaction(async (tx) => {
      const order = await lockMerchantOrder(tx, merchantId, v.orderNo);
      const { amount, whole } = checkAmount(order, v.amount);
      const seq = provider?.seq ?? (await nextSeq(tx, order.id));
      const providerDetail = provider ? { viaProvider: provider.channelKind, providerStatus: provider.status } : {};
      const result = await recordRefund(tx, order, {
        seq,
        amount,
        whole,
        reason: v.reason,
        keys: v.keys,
        viaProvider: provider?.channelKind ?? null,
        detail: providerDetail,
      });
      await recordAudit(tx, actor, {
        action: 'order.refund',
        targetType: 'order',
        targetId: order.orderNo,
        detail: {
          from: order.status,
          amount,
          whole,
          refunded: result.refunded,
          currency: order.currency,
          keys: result.keys,
          keysTo: result.keysTo,
          ...providerDetail,
        },
      });
      return provider ? { ...result, provider: { status: provider.status, providerMessage: provider.providerMessage } } : result;
    });
  } catch (err) {
    // The provider refunded this refund number once; a second request for it records nothing more.
    if (pgError(err).constraint === 'order_refunds_order_seq_key') throw new AppError('conflict', 'This refund was recorded already.');
    throw err;
  }
}

/**
 * Records a refund of an order the caller holds locked: the row, the order's refunded total,
 * the commission reversal; the whole (last) one marks the order refunded and settles its keys.
 */
async function recordRefund(
  tx: Tx,
  order: Order,
  r: { seq: number; amount: number; whole: boolean; reason: string; keys: RefundKeys; viaProvider: string | null; detail: Record<string, unknown> },
): Promise<Omit<RefundOutcome, 'provider'>> {
  const refunded = order.refundedAmount + r.amount;
  const [row] = await tx
    .insert(orderRefunds)
    .values({ merchantId: order.merchantId, orderId: order.id, seq: r.seq, amount: r.amount, reason: r.reason, viaProvider: r.viaProvider })
    .returning({ id: orderRefunds.id });
  await tx
    .update(orders)
    .set({ refundedAmount: refunded, updatedAt: sql`now()` })
    .where(eq(orders.id, order.id));
  await reverseCommission(tx, order, { id: row!.id, refundedSoFar: refunded });
  let keys: RefundResult = { keys: 0, keysTo: 'sold' };
  if (r.whole) {
    keys = await settleRefunded(tx, order, r.keys, { ...r.detail, amount: r.amount, ...(r.reason ? { reason: r.reason } : {}) });
  } else {
    await recordEvent(tx, order, 'refund_partial', null, null, { amount: r.amount, refunded, ...r.detail });
    await enqueue(tx, {
      merchantId: order.merchantId,
      topic: 'order.refunded',
      eventKey: `refund:${order.id}:${r.seq}`,
      payload: { orderId: order.id, orderNo: order.orderNo, amount: r.amount, refunded, currency: order.currency, partial: true },
    });
  }
  return { refundId: row!.id, refunded, remaining: order.amount - refunded, ...keys };
}

/**
 * Refunds what is left of a paid order the caller holds locked (a held order the merchant
 * rejected): one refund row for the rest, the commission reversal, the order refunded.
 */
export async function refundLocked(tx: Tx, order: Order, keysChoice: RefundKeys, detail: Record<string, unknown> = {}): Promise<RefundResult> {
  const remaining = order.amount - order.refundedAmount;
  if (remaining <= 0) return settleRefunded(tx, order, keysChoice, detail);
  const result = await recordRefund(tx, order, {
    seq: await nextSeq(tx, order.id),
    amount: remaining,
    whole: true,
    reason: String(detail.reason ?? ''),
    keys: keysChoice,
    viaProvider: null,
    detail,
  });
  return { keys: result.keys, keysTo: result.keysTo };
}

/**
 * Marks a paid order, which the caller holds locked, refunded: keys it still holds reserved
 * go back to stock; its sold keys are kept (the buyer has them) or voided. They never go back
 * on sale: the buyer has seen them, and a key belongs to one order, ever (SPEC invariant 2).
 * The merchant's webhooks hear of it after commit.
 */
async function settleRefunded(tx: Tx, order: Order, keysChoice: RefundKeys, detail: Record<string, unknown>): Promise<RefundResult> {
  // Reserved keys were never delivered: back to stock either way.
  await tx
    .update(cardKeys)
    .set({ status: 'available', orderId: null, reservedAt: null })
    .where(and(eq(cardKeys.orderId, order.id), eq(cardKeys.status, 'reserved')));
  let keys = 0;
  let keysTo: RefundResult['keysTo'] = 'sold';
  if (keysChoice === 'void') {
    keysTo = 'void';
    const voided = await tx
      .update(cardKeys)
      .set({ status: 'void' })
      .where(and(eq(cardKeys.orderId, order.id), eq(cardKeys.status, 'sold')))
      .returning({ id: cardKeys.id });
    keys = voided.length;
  } else {
    const [row] = await tx.execute<{ n: string }>(sql`SELECT count(*) AS n FROM card_keys WHERE order_id = ${order.id} AND status = 'sold'`);
    keys = Number(row?.n ?? 0);
  }
  await tx
    .update(orders)
    .set({ status: 'refunded', refundedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(orders.id, order.id));
  await recordEvent(tx, order, 'refunded', order.status, 'refunded', { keys, keysTo, ...detail });
  // Merchant webhooks subscribed to refunds hear of it after commit; one refund per order.
  await enqueue(tx, {
    merchantId: order.merchantId,
    topic: 'order.refunded',
    // Not the bare order id: the fan-out consumer's dedupe key is consumer:eventKey, and the
    // order's delivery event already holds `webhook.fanout:<order id>`.
    eventKey: `refund:${order.id}`,
    payload: { orderId: order.id, orderNo: order.orderNo, amount: order.amount, currency: order.currency, keys, keysTo },
  });
  return { keys, keysTo };
}

// Refunds, whole or in part. Each refund is a row of order_refunds taken under the order lock
// (its place `seq` decides the provider's refund number), their sum never above the amount
// paid. Without the provider it is recorded in one transaction. Through the provider it is
// `requested` first and committed, then the provider is called (outside any transaction),
// then it is completed (or marked failed) under the order lock again; a crash in between
// leaves a `requested` row that `resumeRefunds` (the reconcile job) drives to its end with the
// same refund number, which the provider treats as the same refund. Completing a refund
// reverses the agent's commission in proportion (lib/agents); the refund that reaches the
// amount marks the order refunded and settles its keys. An Idempotency-Key makes a repeated
// request return the first refund.
import 'server-only';
import { and, eq, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { cardKeys, orderRefunds, orders, type Order, type OrderRefund } from '@/db/schema';
import { reverseCommission } from '@/lib/agents';
import { merchantOf, recordAudit, systemActor, type Actor } from '@/lib/audit';
import { AppError, errorSummary, validationError } from '@/lib/errors';
import { log } from '@/lib/log';
import { enqueue } from '@/lib/outbox';
import { recordEvent } from './fulfil';
import { lockMerchantOrder, REFUNDABLE } from './manage';
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
  idempotencyKey: z.string().trim().min(8).max(100).optional(),
});
export type RefundInput = z.input<typeof refundSchema>;

export type RefundOutcome = RefundResult & {
  refundId: string;
  /** Refunded so far, this refund included. */
  refunded: number;
  remaining: number;
  /** A repeat of an earlier request (same Idempotency-Key): nothing new was done. */
  replayed?: boolean;
  provider?: { status: 'succeeded' | 'pending'; providerMessage?: string };
};

/** The provider's number of an order's n-th refund: `RF{orderNo}`, then `RF{orderNo}-2`… */
export const refundNumber = (orderNo: string, seq: number) => (seq === 1 ? `RF${orderNo}` : `RF${orderNo}-${seq}`);

/** The amount this refund takes (all that is left when none is given), checked against what is left and not already on its way. */
async function checkAmount(tx: Tx, order: Order, amount: number | undefined): Promise<number> {
  if (!REFUNDABLE.includes(order.status)) throw new AppError('conflict', `Only a paid order can be refunded; this one is ${order.status}.`);
  const [inFlight] = await tx.execute<{ n: string }>(
    sql`SELECT coalesce(sum(amount), 0) AS n FROM order_refunds WHERE order_id = ${order.id} AND status = 'requested'`,
  );
  const remaining = order.amount - order.refundedAmount - Number(inFlight!.n);
  if (remaining <= 0) throw new AppError('conflict', 'A refund of what is left is on its way already.');
  const value = amount ?? remaining;
  if (value > remaining) {
    throw new AppError('validation_failed', 'More than is left to refund.', {
      fields: { amount: { code: 'too_large', max: remaining, currency: order.currency } },
    });
  }
  // A part of an order not delivered yet would leave a paid order half-refunded waiting for
  // its keys: such an order is refunded whole or not at all.
  if (value < order.amount - order.refundedAmount && order.status !== 'delivered') {
    throw new AppError('validation_failed', 'An order not delivered yet is refunded in full.', { fields: { amount: 'not_available' } });
  }
  return value;
}

async function nextSeq(tx: Tx, orderId: string): Promise<number> {
  const [row] = await tx.execute<{ n: string }>(sql`SELECT coalesce(max(seq), 0) + 1 AS n FROM order_refunds WHERE order_id = ${orderId}`);
  return Number(row!.n);
}

/** The first refund made with this key (not a failed one), if any. */
async function refundByKey(tx: Tx, orderId: string, key: string | undefined): Promise<OrderRefund | null> {
  if (!key) return null;
  const [row] = await tx
    .select()
    .from(orderRefunds)
    .where(and(eq(orderRefunds.orderId, orderId), eq(orderRefunds.idempotencyKey, key), sql`${orderRefunds.status} <> 'failed'`));
  return row ?? null;
}

function replayOf(order: Order, row: OrderRefund): RefundOutcome {
  return {
    refundId: row.id,
    refunded: order.refundedAmount,
    remaining: order.amount - order.refundedAmount,
    keys: 0,
    keysTo: row.keys === 'void' ? 'void' : 'sold',
    replayed: true,
  };
}

/** A refund of the locked order, recorded `requested` under the order's next number. */
async function insertRefund(
  tx: Tx,
  order: Order,
  fields: Pick<OrderRefund, 'amount' | 'reason' | 'keys'> & { idempotencyKey?: string | null },
): Promise<OrderRefund> {
  const [row] = await tx
    .insert(orderRefunds)
    .values({ merchantId: order.merchantId, orderId: order.id, seq: await nextSeq(tx, order.id), status: 'requested', ...fields })
    .returning();
  return row!;
}

/** Records the refund a merchant asked for, its amount checked against what is left to refund. */
async function takeRefund(tx: Tx, order: Order, v: z.output<typeof refundSchema>): Promise<OrderRefund> {
  return insertRefund(tx, order, { amount: await checkAmount(tx, order, v.amount), reason: v.reason, keys: v.keys, idempotencyKey: v.idempotencyKey ?? null });
}

/**
 * Refunds an order of the actor's merchant, whole or in part (POST /api/v1/orders/{no}/refunds,
 * the console's refund form). With `viaProvider` the money goes back through the channel that
 * took it first (see the file's head). Partial refunds are for delivered orders.
 */
export async function refundOrder(db: Db, actor: Actor, input: RefundInput, fetchImpl?: typeof fetch): Promise<RefundOutcome> {
  const merchantId = merchantOf(actor);
  const parsed = refundSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const v = parsed.data;
  if (!v.viaProvider) {
    return db.transaction(async (tx) => {
      const order = await lockMerchantOrder(tx, merchantId, v.orderNo);
      const earlier = await refundByKey(tx, order.id, v.idempotencyKey);
      if (earlier) return replayOf(order, earlier);
      const row = await takeRefund(tx, order, v);
      const result = await completeRefund(tx, order, row, {});
      await auditRefund(tx, actor, order, row, result, {});
      return result;
    });
  }
  // 1. The refund is taken (its number, its amount) and committed before the provider is asked.
  const taken = await db.transaction(async (tx) => {
    const order = await lockMerchantOrder(tx, merchantId, v.orderNo);
    const earlier = await refundByKey(tx, order.id, v.idempotencyKey);
    if (earlier && earlier.status === 'done') return { replay: replayOf(order, earlier) };
    if (earlier) return { order, row: earlier }; // requested: drive the same refund again
    return { order, row: await takeRefund(tx, order, v) };
  });
  if ('replay' in taken) return taken.replay!;
  return driveProviderRefund(db, actor, taken.order, taken.row, fetchImpl);
}

/** 2–3. Asks the provider for a taken refund (same number every time), then completes it or marks it failed. */
async function driveProviderRefund(db: Db, actor: Actor, order: Order, row: OrderRefund, fetchImpl?: typeof fetch): Promise<RefundOutcome> {
  let provider: Awaited<ReturnType<typeof refundThroughProvider>>;
  try {
    provider = await refundThroughProvider(
      db,
      order,
      { refundNo: refundNumber(order.orderNo, row.seq), amount: row.amount },
      row.reason || 'refund',
      fetchImpl,
    );
  } catch (err) {
    const refused = err instanceof AppError && (err.code === 'conflict' || err.body?.provider === 'refused');
    if (!refused) {
      // No answer we can trust: the provider may have refunded. The refund stays `requested`
      // (what is left to refund stays reserved for it) and the reconcile job asks again under
      // the same number (resumeRefunds), which the provider treats as this refund.
      log('warn', 'refund left open: the provider gave no answer', { orderNo: order.orderNo, seq: row.seq, error: errorSummary(err) });
      throw new AppError('provider_unavailable', 'The provider did not answer; the refund is kept open and will be asked again under the same number.', {
        body: { provider: 'unavailable', refundId: row.id },
      });
    }
    // The provider said no (or cannot refund this order): the refund did not happen.
    await db
      .update(orderRefunds)
      .set({ status: 'failed', providerMessage: err.message.slice(0, 500), completedAt: sql`now()` })
      .where(and(eq(orderRefunds.id, row.id), eq(orderRefunds.status, 'requested')));
    throw err;
  }
  return db.transaction(async (tx) => {
    const locked = await lockMerchantOrder(tx, order.merchantId, order.orderNo);
    const [current] = await tx.select().from(orderRefunds).where(eq(orderRefunds.id, row.id)).for('update');
    if (!current || current.status !== 'requested') return replayOf(locked, current ?? row); // completed meanwhile (a retry, the job)
    const detail = { viaProvider: provider.channelKind, providerStatus: provider.status };
    await tx
      .update(orderRefunds)
      .set({ viaProvider: provider.channelKind, providerMessage: provider.providerMessage ?? null })
      .where(eq(orderRefunds.id, row.id));
    const result = await completeRefund(tx, locked, current, detail);
    await auditRefund(tx, actor, locked, current, result, detail);
    return { ...result, provider: { status: provider.status, providerMessage: provider.providerMessage } };
  });
}

async function auditRefund(tx: Tx, actor: Actor, order: Order, row: OrderRefund, result: RefundOutcome, detail: Record<string, unknown>): Promise<void> {
  await recordAudit(tx, actor, {
    action: 'order.refund',
    targetType: 'order',
    targetId: order.orderNo,
    detail: {
      from: order.status,
      amount: row.amount,
      whole: result.remaining === 0,
      refunded: result.refunded,
      currency: order.currency,
      keys: result.keys,
      keysTo: result.keysTo,
      ...detail,
    },
  });
}

/**
 * Completes a `requested` refund of an order the caller holds locked: the row done, the
 * order's refunded total, the commission reversal; the refund that reaches the amount marks
 * the order refunded and settles its keys.
 */
async function completeRefund(tx: Tx, order: Order, row: OrderRefund, detail: Record<string, unknown>): Promise<RefundOutcome> {
  const refunded = order.refundedAmount + row.amount;
  if (refunded > order.amount) throw new AppError('conflict', 'More than the order’s amount would be refunded.');
  await tx
    .update(orderRefunds)
    .set({ status: 'done', completedAt: sql`now()` })
    .where(eq(orderRefunds.id, row.id));
  await tx
    .update(orders)
    .set({ refundedAmount: refunded, updatedAt: sql`now()` })
    .where(eq(orders.id, order.id));
  await reverseCommission(tx, order, { id: row.id, refundedSoFar: refunded });
  let keys: RefundResult = { keys: 0, keysTo: 'sold' };
  if (refunded === order.amount) {
    keys = await settleRefunded(tx, order, row.keys === 'void' ? 'void' : 'keep', {
      ...detail,
      amount: row.amount,
      ...(row.reason ? { reason: row.reason } : {}),
    });
  } else {
    await recordEvent(tx, order, 'refund_partial', null, null, { amount: row.amount, refunded, ...detail });
    await enqueue(tx, {
      merchantId: order.merchantId,
      topic: 'order.refunded',
      eventKey: `refund:${order.id}:${row.seq}`,
      payload: { orderId: order.id, orderNo: order.orderNo, amount: row.amount, refunded, currency: order.currency, partial: true },
    });
  }
  return { refundId: row.id, refunded, remaining: order.amount - refunded, ...keys };
}

/**
 * Refunds what is left of a paid order the caller holds locked (a held order the merchant
 * rejected): one refund row for the rest, the commission reversal, the order refunded.
 */
export async function refundLocked(tx: Tx, order: Order, keysChoice: RefundKeys, detail: Record<string, unknown> = {}): Promise<RefundResult> {
  const remaining = order.amount - order.refundedAmount;
  if (remaining <= 0) return settleRefunded(tx, order, keysChoice, detail);
  const row = await insertRefund(tx, order, { amount: remaining, reason: String(detail.reason ?? ''), keys: keysChoice });
  const result = await completeRefund(tx, order, row, detail);
  return { keys: result.keys, keysTo: result.keysTo };
}

/**
 * The reconcile job's part: refunds through the provider left `requested` for more than two
 * minutes (the process died between asking the provider and recording its answer) are asked
 * again under the same number, then completed or marked failed. Returns how many were finished.
 */
export async function resumeRefunds(db: Db, fetchImpl?: typeof fetch): Promise<number> {
  const stale = await db
    .select({ refund: orderRefunds, order: orders })
    .from(orderRefunds)
    .innerJoin(orders, eq(orders.id, orderRefunds.orderId))
    .where(and(eq(orderRefunds.status, 'requested'), lt(orderRefunds.createdAt, sql`now() - interval '2 minutes'`)))
    .limit(20);
  let finished = 0;
  for (const { refund, order } of stale) {
    try {
      await driveProviderRefund(db, systemActor(order.merchantId), order, refund, fetchImpl);
      finished++;
    } catch (err) {
      log('warn', 'an interrupted refund could not be finished', { orderNo: order.orderNo, seq: refund.seq, error: errorSummary(err) });
    }
  }
  return finished;
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

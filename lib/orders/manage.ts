import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx, Tx } from '@/db/client';
import { agents, orderEvents, orders, paymentChannels, payments, products, type Order, type OrderStatus } from '@/db/schema';
import { riskEventsOfOrder, type RiskReason } from '@/lib/risk';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { sealedIn, sealToText } from '@/lib/crypto';
import { accrueCommission } from '@/lib/agents';
import { couponOfOrder } from '@/lib/coupons';
import { AppError, fieldFromZod } from '@/lib/errors';
import { enqueue, enqueueFor } from '@/lib/outbox';
import { deliveredItems } from './delivered';
import { recordEvent } from './fulfil';
import { canRefundThroughProvider } from './payment-attempt';
import type { MerchantOrderFilters } from './read';

// The merchant's side of an order after it was placed: the console's filters, the detail
// view, and what a merchant does by hand (reveal, deliver, resend the e-mail, refund,
// export), each a use case (db, actor, input) scoped by the actor's merchant, never by the
// form: another merchant's order number is `not_found`, exactly like an unknown one.

export const ORDER_STATUSES = ['pending', 'paid', 'delivered', 'expired', 'awaiting_fulfillment', 'refunded'] as const satisfies readonly OrderStatus[];

/** The shop's calendar: date filters mean whole days in this zone (UTC+8, no daylight saving). */
const SHOP_UTC_OFFSET = '+08:00';

// Years PostgreSQL and Date agree on (year 0000 parses in JavaScript, not in PostgreSQL).
const day = z
  .string()
  .regex(/^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}$/, 'invalid_date')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00${SHOP_UTC_OFFSET}`)), 'invalid_date');
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);

const filterSchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum(ORDER_STATUSES).optional()),
  product: z.preprocess(blankToUndefined, z.guid().optional()),
  channel: z.preprocess(blankToUndefined, z.guid().optional()),
  from: z.preprocess(blankToUndefined, day.optional()),
  to: z.preprocess(blankToUndefined, day.optional()),
  email: z.preprocess(blankToUndefined, z.string().max(254).optional()),
  orderNo: z.preprocess(blankToUndefined, z.string().max(40).optional()),
  sort: z.preprocess(blankToUndefined, z.enum(['newest', 'oldest']).optional()),
});

/** The filters as they appear in the URL (`?status=&product=&channel=&from=&to=&email=&orderNo=&sort=`). */
export type OrderFilterValues = z.infer<typeof filterSchema>;

/** URL search params → validated filter values and the query filters they mean. */
export function parseOrderFilters(raw: Record<string, string | string[] | undefined>): { values: OrderFilterValues; filters: MerchantOrderFilters } {
  const flat = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = filterSchema.safeParse(flat);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? '_')] ??= 'invalid';
    throw new AppError('validation_failed', 'Invalid filter.', { fields: fields as Record<string, 'invalid'> });
  }
  const v = parsed.data;
  const filters: MerchantOrderFilters = {};
  if (v.status) filters.status = v.status;
  if (v.product) filters.productId = v.product;
  if (v.channel) filters.channelId = v.channel;
  if (v.from) filters.createdFrom = new Date(`${v.from}T00:00:00${SHOP_UTC_OFFSET}`);
  // `to` is inclusive: the whole day.
  if (v.to) filters.createdBefore = new Date(Date.parse(`${v.to}T00:00:00${SHOP_UTC_OFFSET}`) + 86_400_000);
  if (v.email) filters.email = v.email.toLowerCase();
  if (v.sort === 'oldest') filters.oldestFirst = true;
  if (v.orderNo) filters.orderNo = v.orderNo;
  return { values: v, filters };
}

/** Names for the merchant's products and channels: filter choices and table labels. */
export async function orderLabels(db: DbOrTx, merchantId: string) {
  const [productRows, channelRows] = await Promise.all([
    db.select({ id: products.id, title: products.title }).from(products).where(eq(products.merchantId, merchantId)).orderBy(asc(products.title)),
    db
      .select({ id: paymentChannels.id, name: paymentChannels.name, kind: paymentChannels.kind })
      .from(paymentChannels)
      .where(eq(paymentChannels.merchantId, merchantId))
      .orderBy(asc(paymentChannels.priority), asc(paymentChannels.name)),
  ]);
  return {
    products: productRows,
    channels: channelRows,
    productTitle: new Map(productRows.map((p) => [p.id, p.title])),
    channelName: new Map(channelRows.map((c) => [c.id, c.name])),
  };
}

const NOT_FOUND = () => new AppError('not_found', 'No such order.');

function validOrderNo(orderNo: string): boolean {
  return /^\d{16,32}$/.test(orderNo);
}

export async function merchantOrder(db: DbOrTx, merchantId: string, orderNo: string): Promise<Order> {
  if (!validOrderNo(orderNo)) throw NOT_FOUND();
  const [order] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.orderNo, orderNo), eq(orders.merchantId, merchantId)));
  if (!order) throw NOT_FOUND();
  return order;
}

/** The order, locked until the transaction ends: each hand-made change starts here. */
export async function lockMerchantOrder(tx: Tx, merchantId: string, orderNo: string): Promise<Order> {
  if (!validOrderNo(orderNo)) throw NOT_FOUND();
  const [order] = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.orderNo, orderNo), eq(orders.merchantId, merchantId)))
    .for('update');
  if (!order) throw NOT_FOUND();
  return order;
}

export type MerchantOrderDetail = {
  order: {
    orderNo: string;
    status: OrderStatus;
    quantity: number;
    unitPrice: number;
    discount: number;
    amount: number;
    currency: string;
    email: string;
    locale: string;
    buyerIp: string | null;
    createdAt: string;
    expiresAt: string;
    paidAt: string | null;
    deliveredAt: string | null;
    refundedAt: string | null;
    /** Refunded so far (partial refunds of a delivered order), minor units. */
    refundedAmount: number;
    hasManualDelivery: boolean;
    /** When the buyer left it for a manual payment (no channel could take it), or null. */
    manualQueueAt: string | null;
    /** The risk control's hold: `pending` (waiting for the merchant), `approved`, `rejected`, or null. */
    review: string | null;
  };
  /** Why the risk control held or challenged the order (newest first). */
  risk: { action: string; score: number; reasons: RiskReason[]; createdAt: string }[];
  product: { id: string; title: string; deliveryType: string } | null;
  channel: { id: string; name: string; kind: string } | null;
  agent: { name: string; slug: string } | null;
  /** The coupon the order used, with its redemption's state (`overLimit`: paid after its use was released, with none left). */
  coupon: { id: string; code: string; status: 'reserved' | 'committed' | 'released'; overLimit: boolean } | null;
  events: { id: number; type: string; fromStatus: OrderStatus | null; toStatus: OrderStatus | null; detail: Record<string, unknown>; createdAt: string }[];
  payments: { id: number; tradeNo: string; amount: number; currency: string; duplicate: boolean; createdAt: string }[];
  /** Keys bound to the order, by status; their text only through `revealOrderItems`. */
  keys: { sold: number; reserved: number };
  /** The payment can be sent back through the provider that took it (the refund form offers it). */
  refundViaProvider: boolean;
};

/** Everything the console shows about one order, without any key or delivered text. */
export async function getMerchantOrder(db: DbOrTx, merchantId: string, orderNo: string): Promise<MerchantOrderDetail> {
  const order = await merchantOrder(db, merchantId, orderNo);
  const [[product], [channel], agentRows, events, paymentRows, keyRows, [coupon], risk] = await Promise.all([
    db.select({ id: products.id, title: products.title, deliveryType: products.deliveryType }).from(products).where(eq(products.id, order.productId)),
    db
      .select({ id: paymentChannels.id, name: paymentChannels.name, kind: paymentChannels.kind })
      .from(paymentChannels)
      .where(eq(paymentChannels.id, order.channelId)),
    order.agentId ? db.select({ name: agents.name, slug: agents.slug }).from(agents).where(eq(agents.id, order.agentId)) : Promise.resolve([]),
    db.select().from(orderEvents).where(eq(orderEvents.orderId, order.id)).orderBy(asc(orderEvents.id)),
    db.select().from(payments).where(eq(payments.orderId, order.id)).orderBy(asc(payments.id)),
    db.execute<{ status: string; n: string }>(sql`SELECT status, count(*) AS n FROM card_keys WHERE order_id = ${order.id} GROUP BY status`),
    order.couponId ? couponOfOrder(db, order.id) : Promise.resolve([]),
    riskEventsOfOrder(db, merchantId, order.orderNo),
  ]);
  const keyCount = (s: string) => Number(keyRows.find((r) => r.status === s)?.n ?? 0);
  return {
    order: {
      orderNo: order.orderNo,
      status: order.status,
      quantity: order.quantity,
      unitPrice: order.unitPrice,
      discount: order.discount,
      amount: order.amount,
      currency: order.currency,
      email: order.email,
      locale: order.locale,
      buyerIp: order.buyerIp,
      createdAt: order.createdAt.toISOString(),
      expiresAt: order.expiresAt.toISOString(),
      paidAt: order.paidAt?.toISOString() ?? null,
      deliveredAt: order.deliveredAt?.toISOString() ?? null,
      refundedAt: order.refundedAt?.toISOString() ?? null,
      refundedAmount: order.refundedAmount,
      hasManualDelivery: order.manualDelivery != null,
      review: order.review,
      manualQueueAt: order.manualQueueAt?.toISOString() ?? null,
    },
    risk: risk.map((e) => ({ action: e.action, score: e.score, reasons: e.reasons, createdAt: e.createdAt.toISOString() })),
    product: product ?? null,
    channel: channel ?? null,
    agent: agentRows[0] ?? null,
    coupon: coupon ?? null,
    events: events.map((e) => ({
      id: e.id,
      type: e.type,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      detail: e.detail,
      createdAt: e.createdAt.toISOString(),
    })),
    payments: paymentRows.map((p) => ({
      id: p.id,
      tradeNo: p.tradeNo,
      amount: p.amount,
      currency: p.currency,
      duplicate: p.duplicate,
      createdAt: p.createdAt.toISOString(),
    })),
    keys: { sold: keyCount('sold'), reserved: keyCount('reserved') },
    refundViaProvider: REFUNDABLE.includes(order.status) && (await canRefundThroughProvider(db, order.id)),
  };
}

/** The delivered keys and text of an order, for the merchant; every reveal is audited before it is returned. */
export async function revealOrderItems(db: Db, actor: Actor, input: { orderNo: string }): Promise<string[]> {
  const order = await merchantOrder(db, merchantOf(actor), input.orderNo);
  const items = await deliveredItems(db, order);
  await recordAudit(db, actor, { action: 'order.keys_reveal', targetType: 'order', targetId: order.orderNo, detail: { items: items.length } });
  return items;
}

export const MAX_MANUAL_DELIVERY_CHARS = 20_000;

const manualTextSchema = z
  .string()
  .transform((s) => s.replace(/\r\n/g, '\n').trim())
  .pipe(z.string().min(1).max(MAX_MANUAL_DELIVERY_CHARS));

/**
 * Delivers an `awaiting_fulfillment` order by hand: the text (keys, an account, a link) is
 * stored sealed on the order, the buyer is e-mailed. The order lock makes a second,
 * concurrent delivery wait and then find the order delivered (`conflict`, nothing changed).
 */
export async function deliverManually(db: Db, actor: Actor, input: { orderNo: string; text: string }): Promise<void> {
  const merchantId = merchantOf(actor);
  const parsed = manualTextSchema.safeParse(input.text);
  if (!parsed.success) throw new AppError('validation_failed', 'Enter what to deliver.', { fields: { text: fieldFromZod(parsed.error.issues[0]!) } });
  const text = parsed.data;
  await db.transaction(async (tx) => {
    const order = await lockMerchantOrder(tx, merchantId, input.orderNo);
    if (order.status !== 'awaiting_fulfillment')
      throw new AppError('conflict', `Only an order waiting for fulfilment can be delivered by hand; this one is ${order.status}.`);
    await tx
      .update(orders)
      .set({ status: 'delivered', manualDelivery: sealToText(text, sealedIn.manualDelivery(order)), deliveredAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(orders.id, order.id));
    await recordEvent(tx, order, 'delivered', order.status, 'delivered', { via: 'manual', lines: text.split('\n').filter((l) => l.trim()).length });
    await accrueCommission(tx, order);
    // `delivered:` keeps the webhook fan-out apart from the awaiting_fulfillment event, which
    // used the bare order id; the status guard above already makes this happen once.
    await enqueue(tx, {
      merchantId: order.merchantId,
      topic: 'order.delivered',
      eventKey: `delivered:${order.id}`,
      payload: { orderId: order.id, orderNo: order.orderNo },
    });
    await recordAudit(tx, actor, { action: 'order.manual_delivery', targetType: 'order', targetId: order.orderNo, detail: { chars: text.length } });
  });
}

/** A buyer asking again is common; a double click or a script resending in a loop is not. */
export const RESEND_INTERVAL_SECONDS = 60;

/**
 * Queues the delivery e-mail once more, as a new outbox row (its own dedupe key). At most one
 * resend per order a minute: the check and the queueing run under the order's lock, so two
 * clicks at once queue one e-mail.
 */
export async function resendDeliveryMail(db: Db, actor: Actor, input: { orderNo: string }): Promise<void> {
  const merchantId = merchantOf(actor);
  await db.transaction(async (tx) => {
    const order = await lockMerchantOrder(tx, merchantId, input.orderNo);
    if (order.status !== 'delivered') throw new AppError('conflict', `Only a delivered order's e-mail can be resent; this one is ${order.status}.`);
    const [recent] = await tx.execute<{ wait: number }>(sql`
      SELECT ceil(${RESEND_INTERVAL_SECONDS} - EXTRACT(EPOCH FROM now() - max(created_at)))::int AS wait
        FROM order_events
       WHERE order_id = ${order.id} AND type = 'mail_resent' AND created_at > now() - make_interval(secs => ${RESEND_INTERVAL_SECONDS})`);
    const wait = recent?.wait;
    if (wait != null) throw new AppError('rate_limited', 'The e-mail was resent a moment ago.', { retryAfter: Math.max(1, Number(wait)) });
    const resendId = randomUUID();
    // Only the buyer's e-mail consumer: webhooks and other consumers of the delivery are not told again.
    await enqueueFor(tx, {
      merchantId: order.merchantId,
      topic: 'order.delivered',
      consumer: 'mail.delivery',
      dedupeKey: `mail.delivery:resend:${resendId}`,
      payload: { orderId: order.id, orderNo: order.orderNo, resend: true },
    });
    await recordEvent(tx, order, 'mail_resent', null, null, { resendId });
    await recordAudit(tx, actor, { action: 'order.resend_mail', targetType: 'order', targetId: order.orderNo });
  });
}

/** The statuses of an order that has been paid and not (wholly) refunded. */
export const REFUNDABLE: readonly OrderStatus[] = ['paid', 'delivered', 'awaiting_fulfillment'];

/** Audits an export of the order list (it carries buyers' e-mails), before the first row leaves. */
export async function recordOrderExport(db: DbOrTx, actor: Actor, input: { filters: OrderFilterValues }): Promise<void> {
  merchantOf(actor);
  await recordAudit(db, actor, { action: 'order.export', targetType: 'order', detail: { filters: input.filters } });
}

// Dynamic delivery (product delivery type `webhook`): after a payment commits, the outbox
// runs `delivery.dynamic`, which asks the merchant's URL for the order's keys — signed,
// with a timeout, outside any transaction — then stores them and delivers in one short
// transaction under the order's row lock. A failure leaves the order paid and the row is
// retried with backoff; after DELIVERY_ATTEMPTS the order waits for the merchant in
// `awaiting_fulfillment` with an alert. Never lost, never delivered twice.
import 'server-only';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { orders, products } from '@/db/schema';
import { openFromText, sealedIn, signRequestBody, SIGNATURE_HEADER } from '@/lib/crypto';
import { MAX_KEY_LENGTH } from '@/lib/inventory';
import { log } from '@/lib/log';
import { completeDynamicDelivery, escalateToMerchant } from '@/lib/orders';
import { postOutbound } from '@/lib/outbound';
import type { ClaimedRow, Consumer } from '@/lib/outbox';

/** Tries before the order is handed to the merchant (the outbox's own limit is higher). */
export const DELIVERY_ATTEMPTS = 6;
export const DELIVERY_TIMEOUT_MS = 10_000;

const answerSchema = z.object({ keys: z.array(z.string().trim().min(1).max(MAX_KEY_LENGTH)).min(1).max(1000) });

/** What the merchant's URL receives (documented in docs/api.md). */
export type DeliveryRequest = {
  orderNo: string;
  productId: string;
  productSlug: string;
  quantity: number;
  amount: number;
  currency: string;
  email: string;
  paidAt: string | null;
};

async function deliverDynamically(db: Db, row: ClaimedRow, timeoutMs: number): Promise<void> {
  const orderId = String(row.payload.orderId);
  const [found] = await db
    .select({ order: orders, product: products })
    .from(orders)
    .innerJoin(products, eq(products.id, orders.productId))
    .where(eq(orders.id, orderId));
  if (!found || found.order.status !== 'paid') return; // delivered, refunded or handled by hand meanwhile
  const { order, product } = found;

  if (row.attempts > DELIVERY_ATTEMPTS || !product.deliveryUrl || !product.deliverySecret) {
    const reason = product.deliveryUrl ? 'delivery_error' : 'no_delivery_url';
    await db.transaction(async (tx) => {
      const [locked] = await tx.select().from(orders).where(eq(orders.id, order.id)).for('update');
      if (locked && (await escalateToMerchant(tx, locked, reason)))
        log('warn', 'dynamic delivery gave up; the order waits for the merchant', { orderNo: order.orderNo, attempts: row.attempts });
    });
    return;
  }

  const request: DeliveryRequest = {
    orderNo: order.orderNo,
    productId: product.id,
    productSlug: product.slug,
    quantity: order.quantity,
    amount: order.amount,
    currency: order.currency,
    email: order.email,
    paidAt: order.paidAt?.toISOString() ?? null,
  };
  const body = JSON.stringify(request);
  // The order number is the idempotency key: a retry after a lost answer asks again for the
  // same order, and the merchant should return the same keys.
  const res = await postOutbound(
    product.deliveryUrl,
    body,
    {
      'Content-Type': 'application/json',
      [SIGNATURE_HEADER]: signRequestBody(openFromText(product.deliverySecret, sealedIn.deliverySecret(product)), body),
      'X-OpenFaka-Delivery': order.orderNo,
      'X-OpenFaka-Event': 'delivery.requested',
    },
    { timeoutMs },
  );
  let keys: string[];
  try {
    const parsed = answerSchema.safeParse(JSON.parse(res.body));
    if (!parsed.success) throw new Error('shape');
    keys = parsed.data.keys;
  } catch {
    throw new Error('the delivery URL did not answer {"keys": [...]}');
  }
  if (keys.length !== order.quantity) throw new Error(`the delivery URL returned ${keys.length} keys for ${order.quantity}`);

  const delivered = await db.transaction(async (tx) => {
    const [locked] = await tx.select().from(orders).where(eq(orders.id, order.id)).for('update');
    return locked ? completeDynamicDelivery(tx, locked, keys) : false;
  });
  if (delivered) log('info', 'dynamic delivery done', { orderNo: order.orderNo, keys: keys.length });
}

export function deliveryConsumers(db: Db, options: { timeoutMs?: number } = {}): Record<string, Consumer> {
  return { 'delivery.dynamic': (row) => deliverDynamically(db, row, options.timeoutMs ?? DELIVERY_TIMEOUT_MS) };
}

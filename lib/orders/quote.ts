// The storefront's "apply" button: what an order would cost with a coupon code, or why the
// code does not apply — judged exactly as order creation judges it (lib/orders/create.ts
// priceOf, lib/coupons applyCoupon), without reserving anything.
import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { merchants, products } from '@/db/schema';
import { minChargeOf } from '@/lib/accounts';
import { applyCoupon, couponError, usesByEmail } from '@/lib/coupons';
import { validationError } from '@/lib/errors';
import { createOrderSchema, priceOf, sellable, shopSale } from './create';

export const quoteSchema = createOrderSchema.pick({ productId: true, quantity: true, agent: true }).extend({
  couponCode: z.string().trim().min(1).max(64),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .email()
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

export type OrderQuote = { subtotal: number; discount: number; amount: number; currency: string; code: string };

export async function quoteOrder(db: DbOrTx, rawInput: unknown, ctx: { merchantId: string }): Promise<OrderQuote> {
  const parsed = quoteSchema.safeParse(rawInput);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const input = parsed.data;
  const [row] = await db
    .select({ product: products, merchant: merchants })
    .from(products)
    .innerJoin(merchants, eq(merchants.id, products.merchantId))
    .where(and(eq(products.id, input.productId), eq(products.merchantId, ctx.merchantId)));
  const { product, merchant } = sellable(row, input.quantity);
  const sale = await shopSale(db, ctx.merchantId, input.agent, product);
  const { check } = priceOf(product, input.quantity, sale, minChargeOf(merchant));
  const applied = await applyCoupon(db, ctx.merchantId, input.couponCode, check);
  if (input.email && applied.coupon.perEmailLimit !== null && (await usesByEmail(db, applied.coupon.id, input.email)) >= applied.coupon.perEmailLimit) {
    throw couponError({ code: 'used_by_email' });
  }
  return { subtotal: applied.subtotal, discount: applied.discount, amount: applied.amount, currency: product.currency, code: applied.coupon.code };
}

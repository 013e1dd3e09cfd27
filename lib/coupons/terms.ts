// A coupon's terms, and the one function that decides whether it applies to an order and
// what it takes off. Pure: the reservation (redeem.ts) re-checks what can change under it
// (enabled, window, uses left) in its guarded UPDATE.
import { z } from 'zod';
import type { Coupon } from '@/db/schema';
import type { FieldError } from '@/lib/errors';

const CURRENCY = /^[A-Z]{3,5}$/;
/** `YYYY-MM-DD` (a whole day in the business time zone), `YYYY-MM-DDTHH:mm[:ss]` (local time there), or an instant with its offset. */
const WHEN = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;
const when = z
  .string()
  .trim()
  .regex(WHEN, 'invalid_date')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'invalid_date');
const optionalWhen = when.nullable().optional();
const optionalCount = (max: number) => z.number().int().min(1).max(max).nullable().optional();

export const couponTermsObject = z.object({
  type: z.enum(['fixed', 'percent']),
  /** Minor units for `fixed`, a whole percent 1–100 for `percent`. */
  value: z.number().int().min(1).max(1e12),
  currency: z.string().trim().toUpperCase().regex(CURRENCY, 'invalid_format').default('CNY'),
  maxDiscount: z.number().int().min(1).max(1e12).nullable().optional(),
  minAmount: z.number().int().min(0).max(1e12).default(0),
  productIds: z.array(z.guid()).max(500).default([]),
  categoryIds: z.array(z.guid()).max(500).default([]),
  startsAt: optionalWhen,
  endsAt: optionalWhen,
  totalLimit: optionalCount(1_000_000_000),
  perEmailLimit: optionalCount(1_000_000),
  agentShops: z.boolean().default(false),
  stackWholesale: z.boolean().default(true),
  allowFree: z.boolean().default(false),
  enabled: z.boolean().default(true),
  note: z.string().trim().max(200).default(''),
});

/** Checks across fields, shared by every schema built on the terms. */
export function refineTerms(v: z.output<typeof couponTermsObject>, ctx: z.RefinementCtx): void {
  if (v.type === 'percent' && v.value > 100) ctx.addIssue({ code: 'too_big', maximum: 100, origin: 'number', path: ['value'], inclusive: true });
  if (v.productIds.length > 0 && v.categoryIds.length > 0) ctx.addIssue({ code: 'custom', path: ['categoryIds'], message: 'invalid_choice' });
}

export const couponTermsSchema = couponTermsObject.superRefine(refineTerms);
export type CouponTerms = z.output<typeof couponTermsObject>;

/** Codes are matched without regard to case or spaces: what a buyer types is normalised the same way. */
export function normaliseCode(code: string): string {
  return code.replace(/\s+/g, '').toUpperCase();
}

/** What the coupon is checked against: the order as priced before the discount. */
export type CouponCheck = {
  productId: string;
  categoryId: string | null;
  currency: string;
  quantity: number;
  /** The unit price charged (after the level price and any wholesale tier). */
  unitPrice: number;
  /** The unit price without a wholesale tier (the list or level price). */
  listUnitPrice: number;
  inAgentShop: boolean;
  /** The merchant's minimum charge: no coupon takes an order below it, unless the coupon allows free orders. */
  minCharge: number;
  now: Date;
};

export type CouponVerdict = { ok: true; discount: number; subtotal: number; amount: number } | { ok: false; error: FieldError };

type Terms = Pick<
  Coupon,
  | 'type'
  | 'value'
  | 'currency'
  | 'maxDiscount'
  | 'minAmount'
  | 'scope'
  | 'productIds'
  | 'categoryIds'
  | 'agentShops'
  | 'stackWholesale'
  | 'allowFree'
  | 'startsAt'
  | 'endsAt'
  | 'totalLimit'
  | 'usedCount'
  | 'reservedCount'
  | 'enabled'
>;

/**
 * Whether the coupon applies and its discount: on the subtotal after level and wholesale
 * price; a percentage rounded half up to the minor unit; capped by `maxDiscount`; never
 * taking the amount below the merchant's minimum charge (nor below zero with `allowFree`).
 * The refusals are ordered from what the buyer cannot change to what they can.
 */
export function judgeCoupon(c: Terms, x: CouponCheck): CouponVerdict {
  const refuse = (error: FieldError): CouponVerdict => ({ ok: false, error });
  if (!c.enabled) return refuse({ code: 'disabled' });
  if (c.startsAt && x.now < c.startsAt) return refuse({ code: 'not_started' });
  if (c.endsAt && x.now >= c.endsAt) return refuse({ code: 'expired' });
  if (x.inAgentShop && !c.agentShops) return refuse({ code: 'agent_shop' });
  if (c.scope === 'products' && !c.productIds.includes(x.productId)) return refuse({ code: 'not_applicable' });
  if (c.scope === 'categories' && (x.categoryId === null || !c.categoryIds.includes(x.categoryId))) return refuse({ code: 'not_applicable' });
  if (c.currency !== x.currency) return refuse({ code: 'not_applicable' });
  if (!c.stackWholesale && x.unitPrice < x.listUnitPrice) return refuse({ code: 'wholesale' });
  const subtotal = x.unitPrice * x.quantity;
  if (subtotal < c.minAmount) return refuse({ code: 'min_amount', min: c.minAmount, currency: c.currency });
  if (c.totalLimit !== null && c.usedCount + c.reservedCount >= c.totalLimit) return refuse({ code: 'exhausted' });
  let discount = c.type === 'fixed' ? c.value : Math.floor((subtotal * c.value + 50) / 100);
  if (c.maxDiscount !== null) discount = Math.min(discount, c.maxDiscount);
  const floor = c.allowFree ? 0 : Math.max(0, x.minCharge);
  discount = Math.max(0, Math.min(discount, subtotal - floor));
  if (discount === 0) return refuse({ code: 'not_applicable' });
  return { ok: true, discount, subtotal, amount: subtotal - discount };
}

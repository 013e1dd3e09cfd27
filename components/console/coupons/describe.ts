// How a coupon's terms read in the console's tables and headers, from its catalogue
// (`console.coupons.describe`). Server and client alike: no data access.
import type { CouponListRow } from '@/lib/coupons';
import { formatAmount } from '@/lib/money';

type T = (key: string, vars?: Record<string, string | number>) => string;

/** "¥5.00 off" / "10% off, at most ¥20.00". */
export function discountText(c: Pick<CouponListRow, 'type' | 'value' | 'currency' | 'maxDiscount'>, locale: string, t: T): string {
  if (c.type === 'fixed') return t('describe.fixed', { amount: formatAmount(c.value, c.currency, locale) });
  const base = t('describe.percent', { percent: c.value });
  return c.maxDiscount === null ? base : `${base}${t('describe.cap', { amount: formatAmount(c.maxDiscount, c.currency, locale) })}`;
}

/** "orders from ¥50.00 · selected products" or "any order". */
export function conditionText(c: Pick<CouponListRow, 'minAmount' | 'currency' | 'scope'>, locale: string, t: T): string {
  const parts = [];
  if (c.minAmount > 0) parts.push(t('describe.min', { amount: formatAmount(c.minAmount, c.currency, locale) }));
  if (c.scope !== 'all') parts.push(t(`describe.scope_${c.scope}`));
  return parts.length ? parts.join(' · ') : t('describe.anyOrder');
}

/** "3 / 10" uses, or "3 / ∞". */
export function usesText(c: Pick<CouponListRow, 'usedCount' | 'overLimitCount' | 'totalLimit'>): string {
  return `${c.usedCount + c.overLimitCount} / ${c.totalLimit ?? '∞'}`;
}

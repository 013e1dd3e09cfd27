import { formatAmount } from '@/lib/money';

/** Minor units → the yuan string a form field shows ("12.50"), empty for none. */
export function yuanInput(amount: number | null): string {
  if (amount == null) return '';
  return `${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')}`;
}

/** Basis points → the percent string a form field shows (60 → "0.6"). */
export function percentInput(bps: number): string {
  if (bps === 0) return '';
  const whole = Math.floor(bps / 100);
  const frac = String(bps % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

export function limitsLabel(
  min: number | null,
  max: number | null,
  locale: string,
  t: (key: 'limits.none' | 'limits.from' | 'limits.upTo' | 'limits.range', values?: Record<string, string>) => string,
): string {
  // Channel limits are in the currency of the order; every channel we ship takes CNY.
  const f = (v: number) => formatAmount(v, 'CNY', locale);
  if (min == null && max == null) return t('limits.none');
  if (max == null) return t('limits.from', { min: f(min!) });
  if (min == null) return t('limits.upTo', { max: f(max) });
  return t('limits.range', { min: f(min), max: f(max) });
}

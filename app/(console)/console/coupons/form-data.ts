// The coupon form's FormData → the plain input lib/coupons validates, and a coupon's terms
// → the strings the form shows. Amounts are typed in major units ("50.00") and parsed as text;
// dates are whole days in the business time zone (an end date includes its day).
import type { Coupon } from '@/lib/coupons';
import type { FieldErrors } from '@/lib/errors';
import { BUSINESS_TIME_ZONE } from '@/lib/i18n';
import { amountToInput, parseAmount } from '@/lib/money';

export type CouponFormValues = {
  mode: 'single' | 'batch';
  code: string;
  count: string;
  prefix: string;
  name: string;
  type: 'fixed' | 'percent';
  value: string;
  currency: string;
  maxDiscount: string;
  minAmount: string;
  scope: 'all' | 'products' | 'categories';
  productIds: string[];
  categoryIds: string[];
  startsAt: string;
  endsAt: string;
  /** The stored bounds as instants, and the days the form showed for them: a bound whose day is left as shown is saved as it was (to the second), not moved to a whole day. */
  window: { startsAt: string; endsAt: string; startsAtDay: string; endsAtDay: string } | null;
  totalLimit: string;
  perEmailLimit: string;
  agentShops: boolean;
  stackWholesale: boolean;
  allowFree: boolean;
  enabled: boolean;
  note: string;
};

export const NEW_COUPON: CouponFormValues = {
  mode: 'single',
  code: '',
  count: '100',
  prefix: '',
  name: '',
  type: 'fixed',
  value: '',
  currency: 'CNY',
  maxDiscount: '',
  minAmount: '',
  scope: 'all',
  productIds: [],
  categoryIds: [],
  startsAt: '',
  endsAt: '',
  window: null,
  totalLimit: '1',
  perEmailLimit: '',
  agentShops: false,
  stackWholesale: true,
  allowFree: false,
  enabled: true,
  note: '',
};

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/** A window bound: the stored instant when the day is the one the form showed for it, else the day typed. */
function keptOrTyped(form: FormData, name: 'startsAt' | 'endsAt'): string | null {
  const typed = text(form, name);
  const exact = text(form, `${name}Exact`);
  return exact && typed === text(form, `${name}Day`) ? exact : typed || null;
}

export function readCouponForm(form: FormData, creating: boolean): { input: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const currency = text(form, 'currency').toUpperCase() || 'CNY';
  const amount = (name: string, blank: 'null' | 'zero' | 'required') => {
    const raw = text(form, name);
    if (raw === '') {
      if (blank === 'required') errors[name] = { code: 'required' };
      return blank === 'zero' ? 0 : null;
    }
    const v = parseAmount(raw, currency);
    if (v === null) errors[name] = { code: 'invalid_amount' };
    return v;
  };
  const whole = (name: string): number | null => {
    const raw = text(form, name);
    if (raw === '') return null;
    if (!/^\d{1,10}$/.test(raw)) {
      errors[name] = { code: 'not_integer' };
      return null;
    }
    return Number(raw);
  };
  const type = text(form, 'type') === 'percent' ? 'percent' : 'fixed';
  const value = type === 'fixed' ? amount('value', 'required') : whole('value');
  if (type === 'percent' && value === null && !errors.value) errors.value = { code: 'required' };
  const scope = text(form, 'scope');
  const input: Record<string, unknown> = {
    type,
    value: value ?? undefined,
    currency,
    maxDiscount: amount('maxDiscount', 'null'),
    minAmount: amount('minAmount', 'zero') ?? 0,
    productIds: scope === 'products' ? form.getAll('productIds').map(String) : [],
    categoryIds: scope === 'categories' ? form.getAll('categoryIds').map(String) : [],
    startsAt: keptOrTyped(form, 'startsAt'),
    endsAt: keptOrTyped(form, 'endsAt'),
    totalLimit: whole('totalLimit'),
    perEmailLimit: whole('perEmailLimit'),
    agentShops: form.get('agentShops') === 'on',
    stackWholesale: form.get('stackWholesale') === 'on',
    allowFree: form.get('allowFree') === 'on',
    enabled: form.get('enabled') === 'on',
    note: text(form, 'note'),
  };
  if (scope === 'products' && (input.productIds as string[]).length === 0) errors.productIds = { code: 'required' };
  if (scope === 'categories' && (input.categoryIds as string[]).length === 0) errors.categoryIds = { code: 'required' };
  if (creating) {
    if (text(form, 'mode') === 'batch') {
      const count = whole('count');
      if (count === null && !errors.count) errors.count = { code: 'required' };
      input.count = count ?? undefined;
      input.prefix = text(form, 'prefix');
      input.name = text(form, 'name') || undefined;
    } else if (text(form, 'code')) input.code = text(form, 'code');
  }
  return { input, errors };
}

/** `YYYY-MM-DD` of an instant in the business time zone. */
function localDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: BUSINESS_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export function couponFormValues(c: Coupon): CouponFormValues {
  return {
    ...NEW_COUPON,
    type: c.type,
    value: c.type === 'fixed' ? amountToInput(c.value, c.currency) : String(c.value),
    currency: c.currency,
    maxDiscount: c.maxDiscount === null ? '' : amountToInput(c.maxDiscount, c.currency),
    minAmount: c.minAmount === 0 ? '' : amountToInput(c.minAmount, c.currency),
    scope: c.scope,
    productIds: c.productIds,
    categoryIds: c.categoryIds,
    ...((): Pick<CouponFormValues, 'startsAt' | 'endsAt' | 'window'> => {
      const startsAt = c.startsAt ? localDate(c.startsAt) : '';
      // The stored end is exclusive (the next day's midnight for a whole day): the form shows the last day.
      const endsAt = c.endsAt ? localDate(new Date(c.endsAt.getTime() - 1)) : '';
      return {
        startsAt,
        endsAt,
        window: { startsAt: c.startsAt?.toISOString() ?? '', endsAt: c.endsAt?.toISOString() ?? '', startsAtDay: startsAt, endsAtDay: endsAt },
      };
    })(),
    totalLimit: c.totalLimit === null ? '' : String(c.totalLimit),
    perEmailLimit: c.perEmailLimit === null ? '' : String(c.perEmailLimit),
    agentShops: c.agentShops,
    stackWholesale: c.stackWholesale,
    allowFree: c.allowFree,
    enabled: c.enabled,
    note: c.note,
  };
}

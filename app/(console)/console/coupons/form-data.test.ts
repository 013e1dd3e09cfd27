import { describe, expect, it } from 'vitest';
import type { Coupon } from '@/lib/coupons';
import { couponFormValues, readCouponForm } from './form-data';

const form = (fields: Record<string, string | string[]>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
  return f;
};

describe('the coupon form', () => {
  it('reads amounts in yuan as minor units and says which field it could not read', () => {
    const { input, errors } = readCouponForm(
      form({ type: 'fixed', value: '5.50', minAmount: '50', maxDiscount: '', scope: 'products', productIds: ['p1'], totalLimit: '1', enabled: 'on' }),
      false,
    );
    expect(input).toMatchObject({
      type: 'fixed',
      value: 550,
      minAmount: 5000,
      maxDiscount: null,
      productIds: ['p1'],
      totalLimit: 1,
      enabled: true,
      stackWholesale: false,
    });
    expect(errors).toEqual({});
    expect(readCouponForm(form({ type: 'fixed', value: '5.555', totalLimit: 'x', scope: 'categories' }), false).errors).toEqual({
      value: { code: 'invalid_amount' },
      totalLimit: { code: 'not_integer' },
      categoryIds: { code: 'required' },
    });
  });

  it('keeps a stored window to the second when its days are left as shown, and takes a new day when one is typed', () => {
    // Created through the API: 1 December 09:30 to 31 December 18:30, Beijing time.
    const values = couponFormValues({
      type: 'fixed',
      value: 500,
      currency: 'CNY',
      maxDiscount: null,
      minAmount: 0,
      scope: 'all',
      productIds: [],
      categoryIds: [],
      startsAt: new Date('2026-12-01T01:30:00Z'),
      endsAt: new Date('2026-12-31T10:30:00Z'),
      totalLimit: null,
      perEmailLimit: null,
      agentShops: false,
      stackWholesale: true,
      allowFree: false,
      enabled: true,
      note: '',
    } as unknown as Coupon);
    expect({ startsAt: values.startsAt, endsAt: values.endsAt }).toEqual({ startsAt: '2026-12-01', endsAt: '2026-12-31' });
    const submitted = (changes: Record<string, string>) =>
      readCouponForm(
        form({
          type: 'fixed',
          value: '5.00',
          scope: 'all',
          startsAt: values.startsAt,
          endsAt: values.endsAt,
          startsAtExact: values.window!.startsAt,
          startsAtDay: values.window!.startsAtDay,
          endsAtExact: values.window!.endsAt,
          endsAtDay: values.window!.endsAtDay,
          ...changes,
        }),
        false,
      ).input;
    expect(submitted({})).toMatchObject({ startsAt: '2026-12-01T01:30:00.000Z', endsAt: '2026-12-31T10:30:00.000Z' });
    expect(submitted({ endsAt: '2027-01-15' })).toMatchObject({ startsAt: '2026-12-01T01:30:00.000Z', endsAt: '2027-01-15' });
    expect(submitted({ startsAt: '' })).toMatchObject({ startsAt: null });
  });
});

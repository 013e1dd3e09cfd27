import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateMerchantSettings } from '@/lib/accounts';
import { createCategory } from '@/lib/catalog';
import {
  CODE_ALPHABET,
  createCoupons,
  getBatch,
  getCoupon,
  judgeCoupon,
  listBatches,
  listCoupons,
  setCouponsEnabled,
  updateCouponTerms,
  type CouponCheck,
} from '@/lib/coupons';
import { AppError } from '@/lib/errors';
import { stockOf } from '@/lib/inventory';
import { applyPayment, createOrder, expireOrders, quoteOrder } from '@/lib/orders';
import { normaliseEmail } from '@/lib/risk';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { seedMerchant, seedProduct } from '@/test/fixtures';

let t: TestDb;
let m: Awaited<ReturnType<typeof seedMerchant>>;

beforeAll(async () => {
  t = await createTestDatabase({ max: 60 });
  m = await seedMerchant(t.db);
});
afterAll(async () => dropTestDatabase(t));

const failure = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    // A code that does not apply is a field error (its reason); every use taken is 409 coupon_unavailable.
    (e: unknown) => (e instanceof AppError ? (e.code === 'validation_failed' ? (e.fields?.couponCode?.code ?? e.code) : e.code) : `error: ${String(e)}`),
  );

const order = (productId: string, couponCode: string | undefined, email = 'buyer@example.test', quantity = 1, merchant = m) =>
  createOrder(
    t.db,
    { productId, quantity, email, channel: merchant.demoChannelId, ...(couponCode ? { couponCode } : {}) },
    { merchantId: merchant.merchantId },
  );

async function coupon(input: Record<string, unknown>, merchant = m) {
  const created = await createCoupons(t.db, merchant.actor, { type: 'fixed', value: 500, ...input });
  return created.coupons[0]!;
}

async function counts(id: string) {
  const [row] = await t.db.execute<{ used: number; reserved: number; over: number }>(
    sql`SELECT used_count AS used, reserved_count AS reserved, over_limit_count AS over FROM coupons WHERE id = ${id}`,
  );
  return row!;
}

const backdate = (orderNo: string) => t.db.execute(sql`UPDATE orders SET expires_at = now() - interval '1 second' WHERE order_no = ${orderNo}`);
const pay = (orderNo: string, amount: number, tradeNo = `T-${orderNo}`) =>
  applyPayment(t.db, m.demoChannelId, { outTradeNo: orderNo, tradeNo, amount, currency: 'CNY', raw: {} });

describe('reservation under concurrency', () => {
  it('50 concurrent orders on a 1-use code: exactly one reservation, the rest coupon_unavailable, and their keys stay in stock', async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 60, price: 2000 });
    const c = await coupon({ code: 'ONLYONE', totalLimit: 1 });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => failure(order(product.id, 'onlyone', `race${i}@example.test`))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r !== 'ok')).toEqual(Array(49).fill('coupon_unavailable'));
    expect(await counts(c.id)).toEqual({ used: 0, reserved: 1, over: 0 });
    const [r] = await t.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM coupon_redemptions WHERE coupon_id = ${c.id}`);
    expect(r!.n).toBe(1);
    // Refused orders rolled back whole: only the one order holds a key.
    expect(await stockOf(t.db, product.id)).toMatchObject({ available: 59, reserved: 1 });
  });

  it('a code with 5 uses under 40 concurrent orders: at most 5 reserved, and used + reserved never passes the limit', async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 50, price: 2000 });
    const c = await coupon({ code: 'FIVEUSES', totalLimit: 5 });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => failure(order(product.id, 'FIVEUSES', `five${i}@example.test`))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(5);
    expect(await counts(c.id)).toEqual({ used: 0, reserved: 5, over: 0 });
  });

  it('per-e-mail limit 1 holds for +tag and Gmail-dot variants, and for two parallel guest orders', async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 20, price: 2000 });
    const c = await coupon({ code: 'ONEPERBUYER', perEmailLimit: 1 });
    expect(normaliseEmail('A.B+promo@GoogleMail.com')).toBe('ab@gmail.com');
    expect(normaliseEmail('a+x@gmail.com')).toBe(normaliseEmail('a.@gmail.com'));
    const parallel = await Promise.all([
      failure(order(product.id, 'ONEPERBUYER', 'twin@example.test')),
      failure(order(product.id, 'ONEPERBUYER', 'twin@example.test')),
    ]);
    expect(parallel.sort()).toEqual(['ok', 'used_by_email']);
    await order(product.id, 'ONEPERBUYER', 'john.doe@gmail.com');
    expect(await failure(order(product.id, 'ONEPERBUYER', 'JohnDoe+second@googlemail.com'))).toBe('used_by_email');
    expect(await failure(order(product.id, 'ONEPERBUYER', 'j.o.h.n.d.o.e@gmail.com'))).toBe('used_by_email');
    // A different address is a different buyer.
    expect(await failure(order(product.id, 'ONEPERBUYER', 'jane@example.test'))).toBe('ok');
    expect(await counts(c.id)).toMatchObject({ reserved: 3 });
  });
});

describe('a use over the order’s life', () => {
  it('expiry releases the use exactly once (a second sweep is a no-op) and the code can be used again', async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 5, price: 2000 });
    const c = await coupon({ code: 'COMEBACK', totalLimit: 1 });
    const first = await order(product.id, 'COMEBACK', 'first@example.test');
    expect(await failure(order(product.id, 'COMEBACK', 'second@example.test'))).toBe('coupon_unavailable');
    await backdate(first.orderNo);
    expect(await expireOrders(t.db)).toBeGreaterThanOrEqual(1);
    expect(await counts(c.id)).toEqual({ used: 0, reserved: 0, over: 0 });
    expect(await expireOrders(t.db)).toBe(0);
    // Released directly a second time (as a replayed sweep would): nothing moves.
    const { releaseCouponUses } = await import('@/lib/coupons');
    const [{ id: orderId }] = (await t.db.execute<{ id: string }>(sql`SELECT id FROM orders WHERE order_no = ${first.orderNo}`)) as unknown as [{ id: string }];
    await t.db.transaction((tx) => releaseCouponUses(tx, [orderId]));
    expect(await counts(c.id)).toEqual({ used: 0, reserved: 0, over: 0 });
    const again = await order(product.id, 'COMEBACK', 'second@example.test');
    expect(again.discount).toBe(500);
    expect(await counts(c.id)).toEqual({ used: 0, reserved: 1, over: 0 });
  });

  it('payment commits the use once; a replayed notification moves nothing', async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 5, price: 2000 });
    const c = await coupon({ code: 'PAYONCE', totalLimit: 3 });
    const o = await order(product.id, 'PAYONCE');
    expect(o).toMatchObject({ amount: 1500, discount: 500 });
    await pay(o.orderNo, 1500);
    expect(await counts(c.id)).toEqual({ used: 1, reserved: 0, over: 0 });
    await pay(o.orderNo, 1500);
    expect(await counts(c.id)).toEqual({ used: 1, reserved: 0, over: 0 });
    const detail = await getCoupon(t.db, m.merchantId, c.id);
    expect(detail!.redemptions).toMatchObject([{ orderNo: o.orderNo, status: 'committed', discount: 500, amount: 1500, overLimit: false }]);
    expect(detail!.report).toMatchObject({ reservations: 1, paid: 1, pending: 0, discountGiven: 500, revenue: 1500, buyers: 1 });
  });

  it('a payment after the release is honoured at the price the buyer saw: it takes a use back if one is left, else is flagged over the limit', async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 5, price: 2000 });
    const c = await coupon({ code: 'LATEPAY', totalLimit: 1 });
    const late = await order(product.id, 'LATEPAY', 'late@example.test');
    await backdate(late.orderNo);
    await expireOrders(t.db);
    // The use went back and another buyer took it.
    const other = await order(product.id, 'LATEPAY', 'other@example.test');
    await pay(other.orderNo, 1500);
    // Now the first buyer's payment arrives, for the discounted amount.
    const outcome = await pay(late.orderNo, 1500);
    expect(outcome.outcome).toBe('delivered');
    expect(await counts(c.id)).toEqual({ used: 1, reserved: 0, over: 1 });
    const detail = await getCoupon(t.db, m.merchantId, c.id);
    expect(detail!.redemptions.find((r) => r.orderNo === late.orderNo)).toMatchObject({ status: 'committed', overLimit: true });
    const [ev] = await t.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.order_no = ${late.orderNo} AND e.type = 'coupon_over_limit'`,
    );
    expect(ev!.n).toBe(1);

    // With a use still free, a late payment simply takes it again.
    const roomy = await coupon({ code: 'LATEROOM', totalLimit: 2 });
    const o2 = await order(product.id, 'LATEROOM', 'late2@example.test');
    await backdate(o2.orderNo);
    await expireOrders(t.db);
    await pay(o2.orderNo, 1500);
    expect(await counts(roomy.id)).toEqual({ used: 1, reserved: 0, over: 0 });
  });

  it('a late payment over the buyer’s per-e-mail limit is honoured and flagged, not counted as a normal use', async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 5, price: 2000 });
    const c = await coupon({ code: 'ONCEEACH', perEmailLimit: 1 });
    const first = await order(product.id, 'ONCEEACH', 'twice@example.test');
    await backdate(first.orderNo);
    await expireOrders(t.db);
    // The use came back; the same buyer uses the code again and pays.
    const second = await order(product.id, 'ONCEEACH', 'twice@example.test');
    await pay(second.orderNo, 1500);
    // Then the first order's payment arrives.
    await pay(first.orderNo, 1500);
    expect(await counts(c.id)).toEqual({ used: 1, reserved: 0, over: 1 });
    const detail = await getCoupon(t.db, m.merchantId, c.id);
    expect(detail!.redemptions.find((r) => r.orderNo === first.orderNo)).toMatchObject({ status: 'committed', overLimit: true });
  });

  it('a free product without a coupon is not delivered for nothing: it waits for payment like any order', async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 2, price: 0 });
    expect(await order(product.id, undefined, 'gratis@example.test')).toMatchObject({ amount: 0, status: 'pending' });
  });

  it('a code that takes the order to zero, when it allows it, delivers at once; otherwise the minimum charge stays', async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 5, price: 800 });
    await coupon({ code: 'GIVEAWAY', type: 'percent', value: 100, allowFree: true });
    const free = await order(product.id, 'GIVEAWAY', 'lucky@example.test');
    expect(free).toMatchObject({ amount: 0, discount: 800, status: 'delivered' });
    await coupon({ code: 'ALMOSTFREE', type: 'percent', value: 100 });
    expect(await order(product.id, 'ALMOSTFREE')).toMatchObject({ amount: 1, discount: 799, status: 'pending' });
    // The merchant raises its minimum charge to ¥1.00: a fixed ¥10 code on ¥8 leaves ¥1.00.
    await updateMerchantSettings(t.db, m.actor, { name: 'Coupon shop', orderExpiryMinutes: 15, minCharge: '1.00' });
    await coupon({ code: 'TENOFF', value: 1000 });
    expect(await order(product.id, 'TENOFF')).toMatchObject({ amount: 100, discount: 700 });
    await updateMerchantSettings(t.db, m.actor, { name: 'Coupon shop', orderExpiryMinutes: 15, minCharge: '0.01' });
  });
});

describe('what a code applies to', () => {
  it('percentage rounds half up to the cent and respects its cap; the minimum amount is inclusive (49.99 fails, 50.00 passes)', async () => {
    const cheap = await seedProduct(t.db, m.merchantId, { keys: 5, price: 4999 });
    const exact = await seedProduct(t.db, m.merchantId, { keys: 5, price: 5000 });
    const odd = await seedProduct(t.db, m.merchantId, { keys: 5, price: 1005 });
    await coupon({ code: 'MIN50', type: 'percent', value: 15, minAmount: 5000, maxDiscount: 600 });
    expect(await failure(order(cheap.id, 'MIN50'))).toBe('min_amount');
    expect(await order(exact.id, 'MIN50')).toMatchObject({ discount: 600, amount: 4400 }); // 15% = 750, capped at 600
    await coupon({ code: 'PCT15', type: 'percent', value: 15 });
    // 15% of 10.05 = 1.5075 → 1.51; of 2 × 10.05 = 3.015 → 3.02 (half up).
    expect(await order(odd.id, 'PCT15')).toMatchObject({ discount: 151, amount: 854 });
    expect(await order(odd.id, 'PCT15', 'x@example.test', 2)).toMatchObject({ discount: 302, amount: 1708 });
    const err = await order(cheap.id, 'MIN50').catch((e: AppError) => e);
    expect(err).toMatchObject({ code: 'validation_failed', fields: { couponCode: { code: 'min_amount', min: 5000, currency: 'CNY' } } });
  });

  it('a product-scoped code does not discount another product; a category-scoped one follows the category', async () => {
    const cat = await createCategory(t.db, m.actor, { name: 'Games' });
    const inScope = await seedProduct(t.db, m.merchantId, { keys: 5, price: 2000 });
    const inCategory = await seedProduct(t.db, m.merchantId, { keys: 5, price: 2000, categoryId: cat.id });
    const other = await seedProduct(t.db, m.merchantId, { keys: 5, price: 2000 });
    await coupon({ code: 'ONLYTHIS', productIds: [inScope.id] });
    await coupon({ code: 'GAMESONLY', categoryIds: [cat.id] });
    expect(await order(inScope.id, 'ONLYTHIS')).toMatchObject({ discount: 500 });
    expect(await failure(order(other.id, 'ONLYTHIS'))).toBe('not_applicable');
    expect(await order(inCategory.id, 'GAMESONLY')).toMatchObject({ discount: 500 });
    expect(await failure(order(other.id, 'GAMESONLY'))).toBe('not_applicable');
  });

  it('a code that does not stack with wholesale prices is refused at a tier quantity, accepted below it', async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 20, price: 1000, wholesaleTiers: [{ minQty: 5, unitPrice: 900 }] });
    await coupon({ code: 'NOSTACK', stackWholesale: false });
    expect(await order(product.id, 'NOSTACK', 'w@example.test', 2)).toMatchObject({ discount: 500, amount: 1500 });
    expect(await failure(order(product.id, 'NOSTACK', 'w@example.test', 5))).toBe('wholesale');
  });

  it('disabled, not yet started and expired codes say so; unknown codes too; nothing is reserved', async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 5, price: 2000 });
    const off = await coupon({ code: 'SWITCHEDOFF' });
    await setCouponsEnabled(t.db, m.actor, { couponId: off.id }, false);
    await coupon({ code: 'LATER', startsAt: new Date(Date.now() + 86_400_000).toISOString() });
    await coupon({ code: 'BYGONE', endsAt: new Date(Date.now() - 1000).toISOString() });
    expect(await failure(order(product.id, 'SWITCHEDOFF'))).toBe('disabled');
    expect(await failure(order(product.id, 'LATER'))).toBe('not_started');
    expect(await failure(order(product.id, 'BYGONE'))).toBe('expired');
    expect(await failure(order(product.id, 'NOSUCHCODE'))).toBe('unknown');
    expect(await stockOf(t.db, product.id)).toMatchObject({ available: 5, reserved: 0 });
  });

  it('the window ends at 23:59:59 of its last day in Asia/Shanghai, not in UTC', async () => {
    const c = await coupon({ code: 'NEWYEAR', startsAt: '2026-12-01', endsAt: '2026-12-31' });
    const detail = await getCoupon(t.db, m.merchantId, c.id);
    expect(detail!.coupon.startsAt!.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(detail!.coupon.endsAt!.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    const at = (iso: string): CouponCheck => ({
      productId: 'p',
      categoryId: null,
      currency: 'CNY',
      quantity: 1,
      unitPrice: 2000,
      listUnitPrice: 2000,
      inAgentShop: false,
      minCharge: 1,
      now: new Date(iso),
    });
    expect(judgeCoupon(detail!.coupon, at('2026-12-31T23:59:59+08:00'))).toMatchObject({ ok: true, discount: 500 });
    expect(judgeCoupon(detail!.coupon, at('2027-01-01T00:00:00+08:00'))).toMatchObject({ ok: false, error: { code: 'expired' } });
    expect(judgeCoupon(detail!.coupon, at('2026-11-30T23:59:59+08:00'))).toMatchObject({ ok: false, error: { code: 'not_started' } });
    expect(judgeCoupon(detail!.coupon, at('2026-12-01T00:00:00+08:00'))).toMatchObject({ ok: true });
  });

  it('the quote says what the order would cost, or why the code does not apply, without reserving a use', async () => {
    const product = await seedProduct(t.db, m.merchantId, { keys: 5, price: 6000 });
    const c = await coupon({ code: 'QUOTEME', type: 'percent', value: 10, totalLimit: 1, perEmailLimit: 1 });
    const q = await quoteOrder(t.db, { productId: product.id, quantity: 1, couponCode: ' quoteme ' }, { merchantId: m.merchantId });
    expect(q).toEqual({ subtotal: 6000, discount: 600, amount: 5400, currency: 'CNY', code: 'QUOTEME' });
    expect(await counts(c.id)).toEqual({ used: 0, reserved: 0, over: 0 });
    await order(product.id, 'QUOTEME', 'once@example.test');
    await expect(
      quoteOrder(t.db, { productId: product.id, quantity: 1, couponCode: 'QUOTEME', email: 'once@example.test' }, { merchantId: m.merchantId }),
    ).rejects.toMatchObject({
      code: 'coupon_unavailable',
    });
  });
});

describe('merchants and codes', () => {
  it("merchant A cannot see, change or use merchant B's codes", async () => {
    const b = await seedMerchant(t.db);
    const bProduct = await seedProduct(t.db, b.merchantId, { keys: 3, price: 2000 });
    const aProduct = await seedProduct(t.db, m.merchantId, { keys: 3, price: 2000 });
    const bCode = await coupon({ code: 'BSECRET' }, b);
    expect(await failure(order(aProduct.id, 'BSECRET'))).toBe('unknown');
    expect(await order(bProduct.id, 'BSECRET', 'x@example.test', 1, b)).toMatchObject({ discount: 500 });
    expect(await getCoupon(t.db, m.merchantId, bCode.id)).toBeNull();
    await expect(setCouponsEnabled(t.db, m.actor, { couponId: bCode.id }, false)).rejects.toMatchObject({ code: 'not_found' });
    await expect(updateCouponTerms(t.db, m.actor, { couponId: bCode.id }, { type: 'fixed', value: 1 })).rejects.toMatchObject({ code: 'not_found' });
    // A's code scoped to B's product is refused at creation.
    await expect(coupon({ code: 'STEAL', productIds: [bProduct.id] })).rejects.toMatchObject({ fields: { productIds: { code: 'unknown' } } });
    // The same code text can exist at both merchants, each its own.
    await coupon({ code: 'BSECRET' });
    expect((await listCoupons(t.db, m.merchantId, { q: 'bsec' })).coupons.map((c) => c.code)).toEqual(['BSECRET']);
  });

  it('a batch of 1,000 codes: distinct, ≥ 10 characters after the prefix, only unambiguous characters, one report', async () => {
    const created = await createCoupons(t.db, m.actor, { type: 'fixed', value: 300, count: 1000, prefix: 'LAUNCH-', totalLimit: 1, name: 'Launch' });
    expect(created.coupons).toHaveLength(1000);
    expect(new Set(created.coupons.map((c) => c.code)).size).toBe(1000);
    for (const { code } of created.coupons) {
      expect(code.startsWith('LAUNCH-')).toBe(true);
      const body = code.slice('LAUNCH-'.length);
      expect(body.length).toBeGreaterThanOrEqual(10);
      expect([...body].every((ch) => CODE_ALPHABET.includes(ch))).toBe(true);
      expect(body).not.toMatch(/[0O1IL]/);
    }
    // Listed a page at a time, every code comes back once (they share one created_at).
    const listed: string[] = [];
    for (let cursor: string | null = null, pages = 0; pages === 0 || cursor; pages++) {
      const page: Awaited<ReturnType<typeof listCoupons>> = await listCoupons(t.db, m.merchantId, { batchId: created.batchId, cursor, limit: 200 });
      listed.push(...page.coupons.map((c) => c.code));
      cursor = page.nextCursor;
    }
    expect(listed).toHaveLength(1000);
    expect(new Set(listed)).toEqual(new Set(created.coupons.map((c) => c.code)));
    const product = await seedProduct(t.db, m.merchantId, { keys: 5, price: 2000 });
    const used = await order(product.id, created.coupons[0]!.code.toLowerCase(), 'promo1@example.test');
    await pay(used.orderNo, 1700);
    await order(product.id, created.coupons[1]!.code, 'promo2@example.test');
    const batch = await getBatch(t.db, m.merchantId, created.batchId!);
    expect(batch).toMatchObject({ codes: 1000, codesUsed: 1, report: { reservations: 2, paid: 1, pending: 1, discountGiven: 300, revenue: 1700, buyers: 1 } });
    // The list reads every batch in three queries; each batch keeps its own figures.
    const small = await createCoupons(t.db, m.actor, { type: 'percent', value: 5, count: 3, prefix: 'SMALL-' });
    const listed2 = await listBatches(t.db, m.merchantId);
    expect(listed2.find((b) => b.id === small.batchId)).toMatchObject({
      codes: 3,
      codesUsed: 0,
      template: { type: 'percent', value: 5 },
      report: { reservations: 0 },
    });
    expect(listed2.find((b) => b.id === created.batchId)).toEqual(batch);
    // Terms change for the whole batch; a limit below what is taken is refused with the number.
    await updateCouponTerms(t.db, m.actor, { batchId: created.batchId }, { type: 'fixed', value: 400, totalLimit: 1 });
    expect((await getCoupon(t.db, m.merchantId, created.coupons[5]!.id))!.coupon.value).toBe(400);
    await setCouponsEnabled(t.db, m.actor, { batchId: created.batchId }, false);
    expect((await getBatch(t.db, m.merchantId, created.batchId!))!.enabledCodes).toBe(0);
  });

  it('bad terms are refused field by field and create nothing', async () => {
    const before = await t.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM coupons WHERE merchant_id = ${m.merchantId}`);
    const refused = async (input: Record<string, unknown>) =>
      createCoupons(t.db, m.actor, { type: 'fixed', value: 100, ...input }).catch((e: AppError) => e.fields);
    expect(await refused({ type: 'percent', value: 101 })).toMatchObject({ value: { code: 'too_large', max: 100 } });
    expect(await refused({ value: 0 })).toMatchObject({ value: { code: 'too_small' } });
    expect(await refused({ count: 10_001 })).toMatchObject({ count: { code: 'too_large' } });
    expect(await refused({ code: 'has space' })).toMatchObject({ code: { code: 'invalid_format' } });
    expect(await refused({ code: 'DUPE', count: 2 })).toMatchObject({ code: { code: 'invalid' } });
    expect(await refused({ endsAt: '2026-02-30' })).toMatchObject({ endsAt: { code: 'invalid_date' } });
    expect(await refused({ startsAt: '2026-12-31', endsAt: '2026-12-01' })).toMatchObject({ endsAt: { code: 'invalid' } });
    await coupon({ code: 'TAKEN' });
    expect(await refused({ code: 'taken' })).toMatchObject({ code: { code: 'taken' } });
    const after = await t.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM coupons WHERE merchant_id = ${m.merchantId}`);
    expect(after[0]!.n).toBe(before[0]!.n + 1);
  });
});

'use server';

import { randomUUID } from 'node:crypto';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { formFieldMessages } from '@/app/_lib/form-errors';
import { orderCookieName, orderCookieOptions } from '@/app/_lib/order-cookie';
import { withinCouponTries, withinLookupLimits } from '@/app/_lib/store';
import { getDb } from '@/db/client';
import { getDefaultMerchant } from '@/lib/accounts';
import { AppError, errorSummary, isAppError } from '@/lib/errors';
import { isLocale, LOCALE_COOKIE } from '@/lib/i18n';
import { log } from '@/lib/log';
import { createOrder, lookupOrderAccess, quoteOrder } from '@/lib/orders';
import { RULES, type Challenge } from '@/lib/risk';
import { requestIp, requestLocale } from './request-context';

async function keepOrderToken(orderNo: string, token: string): Promise<void> {
  (await cookies()).set(orderCookieName(orderNo), token, orderCookieOptions(orderNo));
}

/**
 * `challenge`: the proof of work the risk control asks for (428 challenge_required); the form
 * solves it in the browser and sends the same order again with the solution as `challenge`.
 */
export type BuyState = { error?: string; fields?: Record<string, string>; values?: Record<string, string>; challenge?: Challenge };

const formFields = ['productId', 'quantity', 'email', 'channel', 'queryPassword', 'couponCode'] as const;

export async function createOrderAction(_prev: BuyState, form: FormData): Promise<BuyState> {
  const t = await getTranslations('errors');
  // Echo back what the buyer typed (never the password) so a failed submit keeps the form.
  const values = Object.fromEntries(formFields.filter((f) => f !== 'queryPassword').map((f) => [f, String(form.get(f) ?? '')]));
  let orderNo: string;
  try {
    const db = getDb();
    const ip = await requestIp();
    const challenge = String(form.get('challenge') ?? '') || null;
    const merchant = await getDefaultMerchant(db);
    if (!merchant) throw new AppError('not_found', 'no shop');
    const queryPassword = String(form.get('queryPassword') ?? '');
    const couponCode = String(form.get('couponCode') ?? '').trim();
    const agent = String(form.get('agent') ?? '').trim();
    const locale = await requestLocale();
    const order = await withinCouponTries(db, merchant.id, ip, () =>
      createOrder(
        db,
        {
          productId: String(form.get('productId') ?? ''),
          quantity: Number(form.get('quantity') ?? 1),
          email: String(form.get('email') ?? ''),
          channel: String(form.get('channel') ?? ''),
          ...(queryPassword ? { queryPassword } : {}),
          ...(couponCode ? { couponCode } : {}),
          ...(agent ? { agent } : {}),
        },
        // The form's hidden request id makes a double submit return the same order.
        {
          merchantId: merchant.id,
          buyerIp: ip,
          locale,
          idempotencyKey: String(form.get('requestId') ?? '') || randomUUID(),
          limit: RULES.createOrder,
          challenge,
        },
      ),
    );
    await keepOrderToken(order.orderNo, order.token);
    orderNo = order.orderNo;
  } catch (err) {
    if (!isAppError(err)) {
      log('error', 'create order failed', { error: errorSummary(err) });
      return { error: t('internal'), values };
    }
    if (err.code === 'challenge_required') return { challenge: err.body?.challenge as Challenge, values };
    const fields = await formFieldMessages(err.fields, 'home');
    const code =
      (
        [
          'validation_failed',
          'out_of_stock',
          'channel_unavailable',
          'coupon_unavailable',
          'too_many_pending',
          'risk_blocked',
          'limit_exceeded',
          'rate_limited',
          'not_found',
        ] as const
      ).find((c) => c === err.code) ?? 'internal';
    return { error: t(code), fields, values };
  }
  redirect(`/pay/${orderNo}`);
}

export type CouponQuoteState = { ok: true; code: string; subtotal: number; discount: number; amount: number } | { ok: false; error: string };

/**
 * The buy form's "apply" button: the total with the code, or why it does not apply, in the
 * buyer's language. Nothing is reserved; the order is judged again when it is placed.
 * Failed codes are limited per address (RULES.couponTry), so codes cannot be guessed.
 */
export async function quoteCouponAction(input: {
  productId: string;
  quantity: number;
  couponCode: string;
  email?: string;
  agent?: string;
}): Promise<CouponQuoteState> {
  const t = await getTranslations('errors');
  try {
    const db = getDb();
    const merchant = await getDefaultMerchant(db);
    if (!merchant) return { ok: false, error: t('not_found') };
    const q = await withinCouponTries(db, merchant.id, await requestIp(), () =>
      quoteOrder(
        db,
        {
          productId: String(input.productId ?? ''),
          quantity: Number(input.quantity),
          couponCode: String(input.couponCode ?? ''),
          ...(input.email ? { email: String(input.email) } : {}),
          ...(input.agent ? { agent: String(input.agent) } : {}),
        },
        { merchantId: merchant.id },
      ),
    );
    return { ok: true, code: q.code, subtotal: q.subtotal, discount: q.discount, amount: q.amount };
  } catch (err) {
    if (!isAppError(err)) {
      log('error', 'coupon quote failed', { error: errorSummary(err) });
      return { ok: false, error: t('internal') };
    }
    const fields = await formFieldMessages(err.fields, 'home');
    return { ok: false, error: fields.couponCode ?? fields.quantity ?? fields.email ?? t(err.code === 'rate_limited' ? 'rate_limited' : 'validation_failed') };
  }
}

export async function setLocaleAction(locale: string): Promise<void> {
  if (!isLocale(locale)) return;
  (await cookies()).set(LOCALE_COOKIE, locale, { path: '/', maxAge: 60 * 60 * 24 * 365, sameSite: 'lax' });
}

export type LookupState = { error?: string; mode?: 'email' | 'password'; values?: { orderNo: string; email: string } };

/** Find an order by number + e-mail or number + order password; on success, open it. */
export async function lookupAction(_prev: LookupState, form: FormData): Promise<LookupState> {
  const t = await getTranslations();
  const mode = form.get('mode') === 'password' ? 'password' : 'email';
  const orderNo = String(form.get('orderNo') ?? '').trim();
  const values = { orderNo, email: String(form.get('email') ?? '') };
  let found: { orderNo: string; token: string };
  try {
    const db = getDb();
    found = await withinLookupLimits(db, await requestIp(), orderNo, () =>
      lookupOrderAccess(db, mode === 'email' ? { orderNo, email: values.email } : { orderNo, queryPassword: String(form.get('queryPassword') ?? '') }),
    );
  } catch (err) {
    if (isAppError(err)) return { error: t(err.code === 'rate_limited' ? 'errors.rate_limited' : 'lookup.notFound'), mode, values };
    log('error', 'lookup failed', { error: errorSummary(err) });
    return { error: t('errors.internal'), mode, values };
  }
  await keepOrderToken(found.orderNo, found.token);
  redirect(`/order/${found.orderNo}`);
}

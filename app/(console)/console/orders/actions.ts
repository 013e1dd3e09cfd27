'use server';
// The order pages' server actions: thin adapters from the console to lib/orders. Each asks
// who is calling itself; the merchant comes from the session, the order number from the
// form is only looked up within that merchant's orders.
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import { invalidateCatalog } from '@/app/api/_lib/catalog-cache';
import { AppError } from '@/lib/errors';
import { deliverManually, refundOrder, resendDeliveryMail, revealOrderItems } from '@/lib/orders';

const orderNoOf = (form: FormData | string) => {
  const raw = typeof form === 'string' ? form : form.get('orderNo');
  // Anything that is not an order number cannot be one of the merchant's orders.
  if (typeof raw !== 'string' || !/^\d{16,32}$/.test(raw)) throw new AppError('not_found', 'No such order.');
  return raw;
};

const detailPath = (orderNo: string) => `/console/orders/${orderNo}`;

/** The delivered keys and text, in this response only (never logged); audited in lib. */
export async function revealOrderItemsAction(orderNo: string): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const items = await revealOrderItems(ctx.db, { merchantId: ctx.merchantId, orderNo: orderNoOf(orderNo), actorId: ctx.user.id, ip: ctx.ip });
    return { ok: true, data: { items } };
  });
}

export async function deliverManuallyAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const t = await getTranslations('console.orders');
    const orderNo = orderNoOf(form);
    const text = z.string().max(100_000).safeParse(form.get('text'));
    try {
      await deliverManually(ctx.db, { merchantId: ctx.merchantId, orderNo, text: text.success ? text.data : '', actorId: ctx.user.id, ip: ctx.ip });
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed' && err.fields?.text) {
        const tc = await getTranslations('console.common');
        return { error: tc('errors.validation_failed'), fields: { text: err.fields.text === 'required' ? tc('fields.required') : tc('fields.tooLong') } };
      }
      if (err instanceof AppError && err.code === 'conflict') return { error: t('manual.conflict') };
      throw err;
    }
    revalidatePath(detailPath(orderNo));
    return { ok: true, message: t('manual.done') };
  });
}

export async function resendMailAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const t = await getTranslations('console.orders');
    const orderNo = orderNoOf(form);
    try {
      await resendDeliveryMail(ctx.db, { merchantId: ctx.merchantId, orderNo, actorId: ctx.user.id, ip: ctx.ip });
    } catch (err) {
      if (err instanceof AppError && err.code === 'rate_limited') return { error: t('resend.tooSoon', { seconds: err.retryAfter ?? 60 }) };
      if (err instanceof AppError && err.code === 'conflict') return { error: t('resend.conflict') };
      throw err;
    }
    revalidatePath(detailPath(orderNo));
    return { ok: true, message: t('resend.done') };
  });
}

export async function refundAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const t = await getTranslations('console.orders');
    const orderNo = orderNoOf(form);
    const restock = form.get('keys') === 'restock';
    try {
      const result = await refundOrder(ctx.db, { merchantId: ctx.merchantId, orderNo, restock, actorId: ctx.user.id, ip: ctx.ip });
      // Keys back on sale change the storefront's stock numbers.
      if (result.keysTo === 'available' && result.keys > 0) invalidateCatalog(ctx.merchantId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') return { error: t('refund.conflict') };
      throw err;
    }
    revalidatePath(detailPath(orderNo));
    return { ok: true, message: t('refund.done') };
  });
}

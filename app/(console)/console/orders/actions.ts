'use server';
// The order pages' server actions: thin adapters from the console to lib/orders. Each asks
// who is calling itself and acts as the session's actor; the order number from the form is
// only looked up within that actor's merchant's orders.
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import { invalidateCatalog } from '@/app/_lib/catalog-cache';
import { formatAmount, parseAmount } from '@/lib/money';
import { AppError } from '@/lib/errors';
import { deliverManually, recordOfflinePayment, refundOrder, resendDeliveryMail, revealOrderItems, reviewOrder, sendPaymentLink } from '@/lib/orders';

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
    const items = await revealOrderItems(ctx.db, ctx.actor, { orderNo: orderNoOf(orderNo) });
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
      await deliverManually(ctx.db, ctx.actor, { orderNo, text: text.success ? text.data : '' });
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') return { error: t('manual.conflict') };
      throw err;
    }
    revalidatePath(detailPath(orderNo));
    return { ok: true, message: t('manual.done') };
  }, 'console.orders');
}

export async function resendMailAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const t = await getTranslations('console.orders');
    const orderNo = orderNoOf(form);
    try {
      await resendDeliveryMail(ctx.db, ctx.actor, { orderNo });
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
    try {
      // An amount typed in yuan; empty → everything not refunded yet.
      const typed = String(form.get('amount') ?? '').trim();
      const amount = typed ? parseAmount(typed, String(form.get('currency') ?? 'CNY')) : undefined;
      if (amount === null) return { error: t('refund.badAmount'), fields: { amount: t('refund.badAmount') } };
      const result = await refundOrder(ctx.db, ctx.actor, {
        orderNo,
        ...(amount !== undefined ? { amount } : {}),
        reason: String(form.get('reason') ?? ''),
        // The form's own key: a double submit is one refund.
        ...(String(form.get('idempotencyKey') ?? '').length >= 8 ? { idempotencyKey: String(form.get('idempotencyKey')) } : {}),
        keys: form.get('keys') === 'void' ? 'void' : 'keep',
        viaProvider: form.get('viaProvider') === '1',
      });
      // Keys an order held but never showed go back to stock: the shop's counts change.
      invalidateCatalog(ctx.merchantId);
      revalidatePath(detailPath(orderNo));
      if (result.remaining > 0)
        return {
          ok: true,
          message: t('refund.donePartial', {
            refunded: formatAmount(result.refunded, String(form.get('currency') ?? 'CNY')),
            remaining: formatAmount(result.remaining, String(form.get('currency') ?? 'CNY')),
          }),
        };
      if (result.provider) return { ok: true, message: result.provider.status === 'pending' ? t('refund.doneProviderPending') : t('refund.doneProvider') };
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') return { error: t('refund.conflict') };
      // The provider's own words (never a credential), for the merchant to act on.
      if (err instanceof AppError && err.code === 'provider_unavailable' && err.body?.provider === 'unavailable')
        return { error: t('refund.providerNoAnswer') };
      if (err instanceof AppError && err.code === 'provider_unavailable') return { error: t('refund.providerFailed', { message: err.message }) };
      throw err;
    }
    return { ok: true, message: t('refund.done') };
  });
}

/** A queued order's channel is back: a fresh payment is created and the buyer e-mailed its link. */
export async function sendPaymentLinkAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const t = await getTranslations('console.orders');
    const orderNo = orderNoOf(form);
    try {
      await sendPaymentLink(ctx.db, ctx.actor, { orderNo });
    } catch (err) {
      if (err instanceof AppError && err.code === 'provider_unavailable') return { error: t('manualQueue.stillDown') };
      if (err instanceof AppError && err.code === 'conflict') return { error: t('manualQueue.conflict') };
      throw err;
    }
    revalidatePath(detailPath(orderNo));
    return { ok: true, message: t('manualQueue.linkSent') };
  });
}

/** The merchant took a queued order's money outside the shop: it is paid and delivered, audited. */
export async function recordOfflinePaymentAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const t = await getTranslations('console.orders');
    const orderNo = orderNoOf(form);
    try {
      await recordOfflinePayment(ctx.db, ctx.actor, { orderNo, reference: String(form.get('reference') ?? '') });
      invalidateCatalog(ctx.merchantId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return { error: t('manualQueue.referenceRequired') };
      if (err instanceof AppError && err.code === 'conflict') return { error: t('manualQueue.conflict') };
      throw err;
    }
    revalidatePath(detailPath(orderNo));
    return { ok: true, message: t('manualQueue.recorded') };
  });
}

/** Approves (delivers) or rejects (refunds) an order held for review. */
export async function reviewOrderAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const t = await getTranslations('console.orders');
    const orderNo = orderNoOf(form);
    const decision = form.get('decision') === 'approve' ? 'approve' : 'reject';
    try {
      await reviewOrder(ctx.db, ctx.actor, orderNo, { decision, reason: String(form.get('reason') ?? '') });
      invalidateCatalog(ctx.merchantId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') return { error: t('review.conflict') };
      throw err;
    }
    revalidatePath(detailPath(orderNo));
    revalidatePath('/console/orders');
    return { ok: true, message: t(decision === 'approve' ? 'review.approved' : 'review.rejected') };
  }, 'console.orders');
}

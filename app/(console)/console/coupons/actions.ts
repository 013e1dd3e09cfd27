'use server';
// The coupon pages' server actions: thin adapters from forms to lib/coupons. Each asks who
// is calling itself and acts as the session's actor; the merchant is never taken from the form.
import { getTranslations } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import { createCoupons, createCouponsSchema, couponTermsSchema, setCouponsEnabled, updateCouponTerms } from '@/lib/coupons';
import { AppError, fieldsFromZod } from '@/lib/errors';
import { readCouponForm } from './form-data';

const SCOPE = 'console.coupons';

/** A coupon or a batch, as the hidden fields of a form name it. */
function targetOf(form: FormData) {
  const batchId = String(form.get('batchId') ?? '');
  return batchId ? { batchId } : { couponId: String(form.get('couponId') ?? '') };
}

/** Reports what the form could not read together with what the domain says about the rest. */
function refuseUnreadable(errors: ReturnType<typeof readCouponForm>['errors'], input: Record<string, unknown>, creating: boolean): void {
  if (Object.keys(errors).length === 0) return;
  const rest = (creating ? createCouponsSchema : couponTermsSchema).safeParse(
    Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null)),
  );
  const more = rest.success ? {} : fieldsFromZod(rest.error.issues);
  throw new AppError('validation_failed', 'Invalid form.', { fields: { ...more, ...errors } });
}

/** Creates one code or a batch; then opens it (a batch's page has the codes and the CSV). */
export async function createCouponsAction(_prev: FormState, form: FormData): Promise<FormState> {
  let goTo: string | null = null;
  const state = await attempt(async () => {
    const { db, actor } = await requireMerchant();
    const { input, errors } = readCouponForm(form, true);
    refuseUnreadable(errors, input, true);
    const created = await createCoupons(db, actor, input);
    revalidatePath('/console/coupons');
    goTo = created.batchId ? `/console/coupons/batches/${created.batchId}?created=1` : `/console/coupons/${created.coupons[0]!.id}?created=1`;
  }, SCOPE);
  if (goTo) redirect(goTo);
  return state;
}

/** New terms for one code or for every code of a batch. */
export async function updateCouponAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations(SCOPE);
    const { input, errors } = readCouponForm(form, false);
    refuseUnreadable(errors, input, false);
    const { updated } = await updateCouponTerms(db, actor, targetOf(form), input);
    revalidatePath('/console/coupons', 'layout');
    return { ok: true, message: t('saved', { n: updated }) };
  }, SCOPE);
}

/** Turns one code or a whole batch on or off. */
export async function setCouponEnabledAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    await setCouponsEnabled(db, actor, targetOf(form), form.get('enabled') === 'true');
    revalidatePath('/console/coupons', 'layout');
    return { ok: true };
  }, SCOPE);
}

'use server';

// Platform admin actions. Each one asks for the admin role itself (requireRole throws for a
// merchant, an agent or a signed-out caller); the proxy's cookie check is not trusted alone.
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireRole } from '@/app/(console)/guard';
import { chooseDefaultMerchant, createMerchant, setMerchantStatus } from '@/lib/accounts';
import { AppError } from '@/lib/errors';
import { createPlatformRiskRule, deletePlatformRiskRule } from '@/lib/risk';

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
};

const idSchema = z.string().uuid();
function merchantIdFrom(form: FormData): string {
  const id = text(form, 'merchantId');
  if (!idSchema.safeParse(id).success) throw new AppError('not_found', 'No such merchant.');
  return id;
}

export async function createMerchantAction(_prev: FormState, form: FormData): Promise<FormState> {
  const state = await attempt(async () => {
    const { db, actor } = await requireRole('admin');
    const t = await getTranslations('console.admin');
    const slug = text(form, 'slug').trim();
    const name = text(form, 'name').trim();
    const created = await createMerchant(db, actor, {
      email: text(form, 'email'),
      password: text(form, 'password'),
      slug: slug || undefined,
      name: name || undefined,
    });
    revalidatePath('/console/admin');
    // The key is returned to this one response only; it is not stored anywhere readable.
    return { ok: true, message: t('create.done'), data: { apiKey: created.apiKey } };
  }, 'console.admin');
  // A refused form keeps what was typed (React resets the fields after an action), never the password.
  return state.ok ? state : { ...state, data: { values: { email: text(form, 'email'), slug: text(form, 'slug'), name: text(form, 'name') } } };
}

export async function setMerchantStatusAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireRole('admin');
    const t = await getTranslations('console.admin');
    const status = text(form, 'status');
    if (status !== 'active' && status !== 'suspended') throw new AppError('validation_failed', 'Unknown status.', { fields: { status: 'invalid_choice' } });
    await setMerchantStatus(db, actor, { merchantId: merchantIdFrom(form), status });
    revalidatePath('/console/admin');
    return { ok: true, message: t(status === 'suspended' ? 'list.suspended' : 'list.reactivated') };
  });
}

export async function chooseDefaultMerchantAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireRole('admin');
    const t = await getTranslations('console.admin');
    await chooseDefaultMerchant(db, actor, { merchantId: merchantIdFrom(form) });
    revalidatePath('/console/admin');
    return { ok: true, message: t('list.defaultChosen') };
  });
}

/** Adds a platform risk rule: it applies in every merchant's shop (lib/risk decides and audits). */
export async function createPlatformRuleAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireRole('admin');
    const t = await getTranslations('console.risk');
    const duration = text(form, 'duration');
    await createPlatformRiskRule(db, actor, {
      kind: text(form, 'kind'),
      action: text(form, 'action') || 'block',
      pattern: text(form, 'pattern'),
      expiresIn: duration === '1h' || duration === '24h' || duration === '7d' ? duration : null,
      note: text(form, 'note'),
    });
    revalidatePath('/console/admin');
    return { ok: true, message: t('rules.added') };
  }, 'console.risk');
}

/** Removes a platform risk rule. */
export async function deletePlatformRuleAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireRole('admin');
    await deletePlatformRiskRule(db, actor, text(form, 'ruleId'));
    revalidatePath('/console/admin');
    return { ok: true };
  });
}

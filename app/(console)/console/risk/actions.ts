'use server';
// The risk page's actions: the merchant's caps on unpaid orders and its block list (lib/risk decides and audits).
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import { createRiskRule, deleteRiskRule, updateRiskPolicy } from '@/lib/risk';

const whole = (form: FormData, name: string) => {
  const raw = String(form.get(name) ?? '').trim();
  return /^\d{1,6}$/.test(raw) ? Number(raw) : raw;
};

export async function updateRiskPolicyAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations('console.risk');
    const { changed } = await updateRiskPolicy(db, actor, {
      pendingPerAddress: whole(form, 'pendingPerAddress'),
      pendingPerEmail: whole(form, 'pendingPerEmail'),
      stockSharePercent: whole(form, 'stockSharePercent'),
    });
    revalidatePath('/console/risk');
    return { ok: true, message: t(changed.length ? 'saved' : 'unchanged') };
  }, 'console.risk');
}

/** Adds a rule to the block list. */
export async function createRiskRuleAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    const t = await getTranslations('console.risk');
    const duration = String(form.get('duration') ?? '');
    await createRiskRule(db, actor, {
      kind: String(form.get('kind') ?? ''),
      pattern: String(form.get('pattern') ?? ''),
      expiresIn: duration === '1h' || duration === '24h' || duration === '7d' ? duration : null,
      note: String(form.get('note') ?? ''),
    });
    revalidatePath('/console/risk');
    return { ok: true, message: t('rules.added') };
  }, 'console.risk');
}

/** Removes a rule. */
export async function deleteRiskRuleAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const { db, actor } = await requireMerchant();
    await deleteRiskRule(db, actor, String(form.get('ruleId') ?? ''));
    revalidatePath('/console/risk');
    return { ok: true };
  });
}

'use server';
// The risk page's action: the merchant's caps on unpaid orders (lib/risk decides and audits).
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import { updateRiskPolicy } from '@/lib/risk';

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

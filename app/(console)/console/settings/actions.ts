'use server';
// Console actions for shop settings and the account's password. The rules live in
// lib/accounts; these check the session, pick the form's fields and act as its actor.
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { signOut } from '@/app/(auth)/auth';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant, requireRole } from '@/app/(console)/guard';
import { invalidateCatalog } from '@/app/_lib/catalog-cache';
import { changePassword, updateMerchantSettings } from '@/lib/accounts';

const settingFields = ['name', 'notice', 'logoUrl', 'contact', 'contactEmail', 'orderExpiryMinutes', 'manualQueueHours', 'minCharge', 'mailFromName'] as const;

export async function updateSettingsAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const t = await getTranslations('console.settings');
    const input = Object.fromEntries(settingFields.map((f) => [f, String(form.get(f) ?? '')]));
    const { changed } = await updateMerchantSettings(ctx.db, ctx.actor, input);
    if (changed.length === 0) return { ok: true, message: t('unchanged') };
    // The storefront shows the name and notice; its cached listing goes stale now.
    invalidateCatalog(ctx.merchantId);
    revalidatePath('/', 'layout');
    return { ok: true, message: t('saved') };
  }, 'console.settings');
}

/**
 * Changing the password bumps the account's session version, which ends every session —
 * this one too, since its token carries the old version. So on success the session is
 * signed out here and the browser sent to /login to sign in with the new password; on
 * failure nothing changed and the form says why.
 */
export async function changePasswordAction(_prev: FormState, form: FormData): Promise<FormState> {
  let changed = false;
  const state = await attempt(async () => {
    const ctx = await requireRole('merchant', 'agent', 'admin');
    await changePassword(ctx.db, ctx.actor, {
      current: String(form.get('current') ?? ''),
      next: String(form.get('next') ?? ''),
      confirm: String(form.get('confirm') ?? ''),
    });
    changed = true;
  }, 'console.settings.password');
  if (changed) await signOut({ redirectTo: '/login?signedOut=password' });
  return state;
}

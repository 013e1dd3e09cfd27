'use server';
// Console actions for shop settings and the account's password. The rules live in
// lib/accounts; these check the session, pick the form's fields and word the errors.
import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { signOut } from '@/app/(auth)/auth';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant, requireRole } from '@/app/(console)/guard';
import { invalidateCatalog } from '@/app/api/_lib/catalog-cache';
import { changePassword, updateMerchantSettings } from '@/lib/accounts';
import { isAppError } from '@/lib/errors';

const settingFields = ['name', 'notice', 'logoUrl', 'contact', 'contactEmail', 'orderExpiryMinutes', 'mailFromName'] as const;

/** Like `attempt`, with each invalid field explained by `explain(name)` rather than a generic "not valid". */
async function run(fn: () => Promise<FormState | void>, explain: (name: string, code: string) => string | undefined): Promise<FormState> {
  let raw: Record<string, string> | undefined;
  const state = await attempt(async () => {
    try {
      return await fn();
    } catch (err) {
      if (isAppError(err)) raw = err.fields;
      throw err;
    }
  });
  if (!raw || !state.fields) return state;
  const fields = { ...state.fields };
  for (const [name, code] of Object.entries(raw)) fields[name] = explain(name, code) ?? fields[name]!;
  return { ...state, fields };
}

export async function updateSettingsAction(_prev: FormState, form: FormData): Promise<FormState> {
  const t = await getTranslations('console.settings');
  return run(
    async () => {
      const ctx = await requireMerchant();
      const input = Object.fromEntries(settingFields.map((f) => [f, String(form.get(f) ?? '')]));
      const { changed } = await updateMerchantSettings(ctx.db, ctx.merchantId, input, { userId: ctx.user.id, ip: ctx.ip });
      if (changed.length === 0) return { ok: true, message: t('unchanged') };
      // The storefront shows the name and notice; its cached listing goes stale now.
      invalidateCatalog(ctx.merchantId);
      revalidatePath('/', 'layout');
      return { ok: true, message: t('saved') };
    },
    (name) => ((settingFields as readonly string[]).includes(name) ? t(`errors.${name}` as 'errors.name') : undefined),
  );
}

/**
 * Changing the password bumps the account's session version, which ends every session —
 * this one too, since its token carries the old version. So on success the session is
 * signed out here and the browser sent to /login to sign in with the new password; on
 * failure nothing changed and the form says why.
 */
export async function changePasswordAction(_prev: FormState, form: FormData): Promise<FormState> {
  const t = await getTranslations('console.settings.password.errors');
  let changed = false;
  const state = await run(
    async () => {
      const ctx = await requireRole('merchant', 'agent', 'admin');
      await changePassword(
        ctx.db,
        ctx.user.id,
        { current: String(form.get('current') ?? ''), next: String(form.get('next') ?? ''), confirm: String(form.get('confirm') ?? '') },
        ctx.ip,
      );
      changed = true;
    },
    (name) => (['current', 'next', 'confirm'].includes(name) ? t(name as 'current') : undefined),
  );
  if (changed) await signOut({ redirectTo: '/login?signedOut=password' });
  return state;
}

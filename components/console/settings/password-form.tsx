'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';

/** Current, new, confirm. Passwords are never sent back; a rejected form starts empty. */
export function PasswordForm({ action }: { action: (state: FormState, form: FormData) => Promise<FormState> }) {
  const t = useTranslations('console.settings.password');
  const [state, formAction] = useActionState(action, {});
  const fields = state.fields ?? {};
  const invalid = (name: string) => (fields[name] ? { 'aria-invalid': true as const, 'aria-describedby': `${name}-error` } : {});
  return (
    <form action={formAction} className="space-y-4">
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <div className="grid gap-5 sm:grid-cols-3">
        <Field label={t('current')} htmlFor="current" error={fields.current}>
          <Input id="current" name="current" type="password" autoComplete="current-password" required {...invalid('current')} />
        </Field>
        <Field label={t('next')} htmlFor="next" error={fields.next} hint={t('nextHint')}>
          <Input id="next" name="next" type="password" autoComplete="new-password" required minLength={10} maxLength={200} {...invalid('next')} />
        </Field>
        <Field label={t('confirm')} htmlFor="confirm" error={fields.confirm}>
          <Input id="confirm" name="confirm" type="password" autoComplete="new-password" required {...invalid('confirm')} />
        </Field>
      </div>
      <div className="flex justify-end">
        <SubmitButton variant="secondary" pendingLabel={t('submitting')}>
          {t('submit')}
        </SubmitButton>
      </div>
    </form>
  );
}

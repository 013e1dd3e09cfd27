'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/submit-button';

/** The "test connection" button and its answer in plain words. */
export function ChannelTest({ action }: { action: (state: FormState, form: FormData) => Promise<FormState> }) {
  const t = useTranslations('console.channels.test');
  const [state, formAction] = useActionState(action, {});
  const detail = typeof state.data?.detail === 'string' ? state.data.detail : null;
  return (
    <form action={formAction} className="space-y-3">
      <SubmitButton variant="secondary" pendingLabel={t('testing')}>
        {t('button')}
      </SubmitButton>
      {state.ok && state.message ? (
        <Alert tone="success">
          {state.message}
          {detail ? <span className="mt-1 block text-xs opacity-80">{detail}</span> : null}
        </Alert>
      ) : null}
      {state.error ? (
        <Alert tone="error">
          {state.error}
          {detail ? <span className="mt-1 block text-xs opacity-80">{detail}</span> : null}
        </Alert>
      ) : null}
    </form>
  );
}

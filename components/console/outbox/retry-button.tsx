'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { SubmitButton } from '@/components/ui/submit-button';

type Props = { id: number; action: (prev: FormState, form: FormData) => Promise<FormState> };

/** One row's "retry now"; the outcome (or the refusal) is shown beside the button. */
export function RetryButton({ id, action }: Props) {
  const t = useTranslations('console.outbox');
  const [state, formAction] = useActionState<FormState, FormData>(action, {});
  return (
    <form action={formAction} className="flex flex-col items-end gap-1">
      <input type="hidden" name="outboxId" value={id} />
      <SubmitButton variant="secondary" size="sm" pendingLabel={t('retrying')}>
        {t('retry')}
      </SubmitButton>
      {state.error ? (
        <p className="max-w-48 whitespace-normal text-right text-xs text-red-600" role="alert">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}

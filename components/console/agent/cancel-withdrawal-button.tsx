'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Button } from '@/components/ui/button';
import { ConfirmForm } from '../confirm-form';

/** Cancels the agent's own pending withdrawal, in two steps: the first click asks. */
export function CancelWithdrawalButton({
  id,
  amount,
  action,
}: {
  id: string;
  amount: string;
  action: (prev: FormState, form: FormData) => Promise<FormState>;
}) {
  const t = useTranslations('console.agent.money.withdrawals');
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, {});
  const [asking, setAsking] = useState(false);
  if (state.error) {
    return (
      <p className="max-w-56 whitespace-normal text-xs text-red-600" role="alert">
        {state.error}
      </p>
    );
  }
  if (!asking) {
    return (
      <Button type="button" variant="secondary" size="sm" onClick={() => setAsking(true)}>
        {t('cancel')}
      </Button>
    );
  }
  return (
    <ConfirmForm
      action={formAction}
      fields={{ id }}
      prompt={t('cancelConfirm', { amount })}
      confirmLabel={t('cancelYes')}
      pendingLabel={t('cancelling')}
      pending={pending}
      onCancel={() => setAsking(false)}
    />
  );
}

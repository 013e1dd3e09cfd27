'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Button } from '@/components/ui/button';
import { ConfirmForm } from '../confirm-form';

type Props = { id: string; prefix: string; action: (prev: FormState, form: FormData) => Promise<FormState> };

/** Revoke in two steps: the first click asks, the second revokes. */
export function RevokeKeyButton({ id, prefix, action }: Props) {
  const t = useTranslations('console.apiKeys');
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
        {t('revoke')}
      </Button>
    );
  }
  return (
    <ConfirmForm
      action={formAction}
      fields={{ apiKeyId: id }}
      prompt={t('revokeConfirm', { prefix })}
      confirmLabel={t('revokeYes')}
      pendingLabel={t('revoking')}
      pending={pending}
      onCancel={() => setAsking(false)}
    />
  );
}

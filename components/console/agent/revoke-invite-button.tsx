'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Button } from '@/components/ui/button';
import { ConfirmForm } from '../confirm-form';

/** Revokes one of the agent's invite links, in two steps: the first click asks. */
export function RevokeInviteButton({ id, action }: { id: string; action: (prev: FormState, form: FormData) => Promise<FormState> }) {
  const t = useTranslations('console.agent.team.invites');
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
      fields={{ id }}
      prompt={t('revokeConfirm')}
      confirmLabel={t('revokeYes')}
      pendingLabel={t('revoking')}
      pending={pending}
      onCancel={() => setAsking(false)}
    />
  );
}

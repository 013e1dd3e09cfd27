'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { revokeInviteAction } from '@/app/(console)/console/agents/actions';
import { Button } from '@/components/ui/button';
import { ConfirmForm } from '../confirm-form';

/** Revoke in two steps: the first click asks, the second revokes (agents who joined stay). */
export function RevokeInviteButton({ id }: { id: string }) {
  const t = useTranslations('console.agents.invites');
  const [state, action, pending] = useActionState<FormState, FormData>(revokeInviteAction, {});
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
      action={action}
      fields={{ inviteId: id }}
      prompt={t('revokeConfirm')}
      confirmLabel={t('revokeYes')}
      pendingLabel={t('revoking')}
      pending={pending}
      onCancel={() => setAsking(false)}
    />
  );
}

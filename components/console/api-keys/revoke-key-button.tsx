'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Button } from '@/components/ui/button';

type Props = { id: string; prefix: string; action: (prev: FormState, form: FormData) => Promise<FormState> };

/** Revoke in two steps: the first click asks, the second revokes. */
export function RevokeKeyButton({ id, prefix, action }: Props) {
  const t = useTranslations('console.apiKeys');
  const tc = useTranslations('console.common');
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
    <form action={formAction} className="flex max-w-72 flex-col items-end gap-2 whitespace-normal">
      <input type="hidden" name="apiKeyId" value={id} />
      <p className="text-right text-xs text-zinc-600">{t('revokeConfirm', { prefix })}</p>
      <div className="flex gap-2">
        <Button type="button" variant="ghost" size="sm" onClick={() => setAsking(false)} disabled={pending}>
          {tc('actions.cancel')}
        </Button>
        <Button type="submit" variant="danger" size="sm" disabled={pending} aria-busy={pending} autoFocus>
          {pending ? t('revoking') : t('revokeYes')}
        </Button>
      </div>
    </form>
  );
}

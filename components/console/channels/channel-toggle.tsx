'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { SubmitButton } from '@/components/ui/submit-button';

/** Enable / disable one channel; a refusal shows beside the button. */
export function ChannelToggle({ enabled, action }: { enabled: boolean; action: (state: FormState, form: FormData) => Promise<FormState> }) {
  const t = useTranslations('console.channels.actions');
  const [state, formAction] = useActionState(action, {});
  return (
    <form action={formAction} className="inline-flex items-center gap-2">
      <SubmitButton variant={enabled ? 'ghost' : 'secondary'} size="sm" pendingLabel={enabled ? t('disabling') : t('enabling')}>
        {enabled ? t('disable') : t('enable')}
      </SubmitButton>
      {state.error ? (
        <span role="alert" className="text-xs text-red-600">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}

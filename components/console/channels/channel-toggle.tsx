'use client';

import { useTranslations } from 'next-intl';
import type { FormState } from '@/app/(console)/action';
import { ActionButton } from '../action-button';

/** Enable / disable one channel; a refusal shows beside the button. */
export function ChannelToggle({ enabled, action }: { enabled: boolean; action: (state: FormState, form: FormData) => Promise<FormState> }) {
  const t = useTranslations('console.channels.actions');
  return (
    <ActionButton action={action} fields={{}} variant={enabled ? 'ghost' : 'secondary'} pendingLabel={enabled ? t('disabling') : t('enabling')}>
      {enabled ? t('disable') : t('enable')}
    </ActionButton>
  );
}

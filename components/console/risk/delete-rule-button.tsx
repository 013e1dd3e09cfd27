'use client';

import { useTranslations } from 'next-intl';
import type { FormState } from '@/app/(console)/action';
import { ActionButton } from '../action-button';

/** Removes one block rule. */
export function DeleteRuleButton({ ruleId, pattern, action }: { ruleId: string; pattern: string; action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const t = useTranslations('console.risk.rules');
  return (
    <ActionButton action={action} fields={{ ruleId }} variant="ghost" pendingLabel={t('removing')} label={t('removeLabel', { pattern })}>
      {t('remove')}
    </ActionButton>
  );
}

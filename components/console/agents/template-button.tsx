'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { applyLevelTemplateAction } from '@/app/(console)/console/agents/actions';
import { Alert } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/submit-button';

/** One click: the seven template levels for the ranks not set up yet (existing levels are kept). */
export function TemplateButton({ label, variant = 'primary' }: { label?: string; variant?: 'primary' | 'secondary' }) {
  const t = useTranslations('console.agents.levels');
  const [state, action] = useActionState<FormState, FormData>(applyLevelTemplateAction, {});
  return (
    <form action={action} className="space-y-3">
      <SubmitButton variant={variant} pendingLabel={t('applying')}>
        {label ?? t('applyTemplate')}
      </SubmitButton>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {state.ok && state.message ? <Alert tone="success">{state.message}</Alert> : null}
    </form>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { deliverManuallyAction } from '@/app/(console)/console/orders/actions';
import { Alert } from '@/components/ui/alert';
import { Field, Textarea } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';

export function ManualDeliveryForm({ orderNo, maxChars }: { orderNo: string; maxChars: number }) {
  const t = useTranslations('console.orders.manual');
  const [state, action] = useActionState<FormState, FormData>(deliverManuallyAction, {});
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="orderNo" value={orderNo} />
      <Field label={t('label')} htmlFor="manual-text" error={state.fields?.text} hint={t('hint', { max: maxChars.toLocaleString() })}>
        <Textarea
          id="manual-text"
          name="text"
          rows={5}
          required
          maxLength={maxChars}
          spellCheck={false}
          autoComplete="off"
          className="font-mono"
          aria-invalid={state.fields?.text ? true : undefined}
          aria-describedby={state.fields?.text ? 'manual-text-error' : undefined}
        />
      </Field>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {state.ok && state.message ? <Alert tone="success">{state.message}</Alert> : null}
      <SubmitButton pendingLabel={t('submitting')}>{t('submit')}</SubmitButton>
    </form>
  );
}

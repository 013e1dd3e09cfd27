'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { resendMailAction } from '@/app/(console)/console/orders/actions';
import { Alert } from '@/components/ui/alert';
import { SubmitButton } from '@/components/ui/submit-button';

export function ResendMailForm({ orderNo }: { orderNo: string }) {
  const t = useTranslations('console.orders.resend');
  const [state, action] = useActionState<FormState, FormData>(resendMailAction, {});
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="orderNo" value={orderNo} />
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {state.ok && state.message ? <Alert tone="success">{state.message}</Alert> : null}
      <SubmitButton variant="secondary" pendingLabel={t('submitting')}>
        {t('submit')}
      </SubmitButton>
    </form>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { reviewOrderAction } from '@/app/(console)/console/orders/actions';
import { Alert } from '@/components/ui/alert';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';

/** An order held for review: approve (delivered at once if paid) or reject (refunded if paid, released if not), with an optional reason. */
export function ReviewForm({ orderNo, paid }: { orderNo: string; paid: boolean }) {
  const t = useTranslations('console.orders.review');
  const [state, action] = useActionState<FormState, FormData>(reviewOrderAction, {});
  if (state.ok) return <Alert tone="success">{state.message}</Alert>;
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="orderNo" value={orderNo} />
      <p className="text-sm text-zinc-600">{paid ? t('paidHint') : t('unpaidHint')}</p>
      <Field label={t('reason')} htmlFor="review-reason" error={state.fields?.reason}>
        <Input id="review-reason" name="reason" maxLength={200} />
      </Field>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        {/* The button pressed is the decision: its name and value go with the form. */}
        <SubmitButton name="decision" value="approve" pendingLabel={t('working')}>
          {paid ? t('approveDeliver') : t('approve')}
        </SubmitButton>
        <SubmitButton name="decision" value="reject" variant="danger" pendingLabel={t('working')}>
          {paid ? t('rejectRefund') : t('reject')}
        </SubmitButton>
      </div>
    </form>
  );
}

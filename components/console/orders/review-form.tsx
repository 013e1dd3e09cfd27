'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { reviewOrderAction } from '@/app/(console)/console/orders/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';

/**
 * An order held for review: approve (delivered at once if paid) or reject (refunded if paid,
 * closed if not), with an optional reason. Rejecting asks once more, with what it does.
 */
export function ReviewForm({ orderNo, paid }: { orderNo: string; paid: boolean }) {
  const t = useTranslations('console.orders.review');
  const [state, action] = useActionState<FormState, FormData>(reviewOrderAction, {});
  const [confirmingReject, setConfirmingReject] = useState(false);
  if (state.ok) return <Alert tone="success">{state.message}</Alert>;
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="orderNo" value={orderNo} />
      <p className="text-sm text-zinc-600">{paid ? t('paidHint') : t('unpaidHint')}</p>
      <Field label={t('reason')} htmlFor="review-reason" error={state.fields?.reason}>
        <Input id="review-reason" name="reason" maxLength={200} />
      </Field>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {confirmingReject ? (
        <div role="alertdialog" aria-labelledby="reject-confirm" className="space-y-3 rounded-xl bg-red-50 p-4 ring-1 ring-red-200">
          <p id="reject-confirm" className="text-sm font-semibold text-red-800">
            {paid ? t('confirmRejectPaid') : t('confirmRejectUnpaid')}
          </p>
          <div className="flex flex-wrap gap-2">
            {/* The button pressed is the decision: its name and value go with the form. */}
            <SubmitButton name="decision" value="reject" variant="danger" pendingLabel={t('working')}>
              {paid ? t('rejectRefund') : t('reject')}
            </SubmitButton>
            <Button type="button" variant="ghost" onClick={() => setConfirmingReject(false)}>
              {t('cancel')}
            </Button>
          </div>
        </div>
      ) : (
        <div className="flex flex-wrap gap-2">
          <SubmitButton name="decision" value="approve" pendingLabel={t('working')}>
            {paid ? t('approveDeliver') : t('approve')}
          </SubmitButton>
          <Button type="button" variant="secondary" className="text-red-700" onClick={() => setConfirmingReject(true)}>
            {paid ? t('rejectRefund') : t('reject')}…
          </Button>
        </div>
      )}
    </form>
  );
}

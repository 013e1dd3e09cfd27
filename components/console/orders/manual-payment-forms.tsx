'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { recordOfflinePaymentAction, sendPaymentLinkAction } from '@/app/(console)/console/orders/actions';
import { Alert } from '@/components/ui/alert';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';

/** A queued order: send the buyer a fresh payment link, or record a payment taken offline. */
export function ManualPaymentForms({ orderNo }: { orderNo: string }) {
  const t = useTranslations('console.orders.manualQueue');
  const [link, linkAction] = useActionState<FormState, FormData>(sendPaymentLinkAction, {});
  const [offline, offlineAction] = useActionState<FormState, FormData>(recordOfflinePaymentAction, {});
  return (
    <div className="space-y-5">
      <form action={linkAction} className="space-y-3">
        <input type="hidden" name="orderNo" value={orderNo} />
        {link.error ? <Alert tone="error">{link.error}</Alert> : null}
        {link.ok && link.message ? <Alert tone="success">{link.message}</Alert> : null}
        <SubmitButton pendingLabel={t('sending')}>{t('sendLink')}</SubmitButton>
      </form>
      <form action={offlineAction} className="space-y-3 border-t border-zinc-100 pt-4">
        <input type="hidden" name="orderNo" value={orderNo} />
        {offline.error ? <Alert tone="error">{offline.error}</Alert> : null}
        {offline.ok && offline.message ? <Alert tone="success">{offline.message}</Alert> : null}
        <Field label={t('reference')} htmlFor="offline-reference">
          <Input id="offline-reference" name="reference" maxLength={100} autoComplete="off" />
        </Field>
        <SubmitButton variant="secondary" pendingLabel={t('recording')}>
          {t('record')}
        </SubmitButton>
      </form>
    </div>
  );
}

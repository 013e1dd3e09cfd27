'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { SubmitButton } from '@/components/ui/submit-button';

/** Turns one code or a whole batch on or off; a refusal shows beside the button. */
export function CouponToggle({
  target,
  enabled,
  action,
}: {
  target: { couponId: string } | { batchId: string };
  enabled: boolean;
  action: (state: FormState, form: FormData) => Promise<FormState>;
}) {
  const t = useTranslations('console.coupons');
  const [state, formAction] = useActionState(action, {});
  const batch = 'batchId' in target;
  return (
    <form action={formAction} className="inline-flex items-center gap-2">
      {'couponId' in target ? <input type="hidden" name="couponId" value={target.couponId} /> : <input type="hidden" name="batchId" value={target.batchId} />}
      <input type="hidden" name="enabled" value={enabled ? 'false' : 'true'} />
      <SubmitButton variant={enabled ? 'secondary' : 'primary'} size="sm" pendingLabel={t('working')}>
        {enabled ? t(batch ? 'disableBatch' : 'disable') : t(batch ? 'enableBatch' : 'enable')}
      </SubmitButton>
      {state.error ? (
        <span role="alert" className="text-xs text-red-600">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}

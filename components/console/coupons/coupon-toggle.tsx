'use client';

import { useTranslations } from 'next-intl';
import type { FormState } from '@/app/(console)/action';
import { ActionButton } from '../action-button';

/** Turns one code or a whole batch on or off. */
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
  const batch = 'batchId' in target;
  return (
    <ActionButton
      action={action}
      fields={{ ...target, enabled: enabled ? 'false' : 'true' }}
      variant={enabled ? 'secondary' : 'primary'}
      pendingLabel={t('working')}
    >
      {enabled ? t(batch ? 'disableBatch' : 'disable') : t(batch ? 'enableBatch' : 'enable')}
    </ActionButton>
  );
}

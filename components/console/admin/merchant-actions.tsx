'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import type { FormState } from '@/app/(console)/action';
import { chooseDefaultMerchantAction, setMerchantStatusAction } from '@/app/(console)/console/admin/actions';
import { SubmitButton } from '@/components/ui/submit-button';

/** Suspend / reactivate and "make home shop" for one merchant row; errors show under the buttons. */
export function MerchantActions({
  merchantId,
  name,
  status,
  isDefault,
}: {
  merchantId: string;
  name: string;
  status: 'active' | 'suspended';
  isDefault: boolean;
}) {
  const t = useTranslations('console.admin.list');
  const tc = useTranslations('console.common');
  const [statusState, statusAction] = useActionState<FormState, FormData>(setMerchantStatusAction, {});
  const [defaultState, defaultAction] = useActionState<FormState, FormData>(chooseDefaultMerchantAction, {});
  const error = statusState.error ?? defaultState.error;
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex flex-wrap justify-end gap-2">
        {status === 'active' && !isDefault ? (
          <form action={defaultAction}>
            <input type="hidden" name="merchantId" value={merchantId} />
            <SubmitButton variant="ghost" size="sm" pendingLabel={tc('actions.working')}>
              {t('makeDefault')}
            </SubmitButton>
          </form>
        ) : null}
        <form
          action={statusAction}
          onSubmit={(e) => {
            if (status === 'active' && !window.confirm(t('suspendConfirm', { name }))) e.preventDefault();
          }}
        >
          <input type="hidden" name="merchantId" value={merchantId} />
          <input type="hidden" name="status" value={status === 'active' ? 'suspended' : 'active'} />
          <SubmitButton variant={status === 'active' ? 'danger' : 'secondary'} size="sm" pendingLabel={tc('actions.working')}>
            {status === 'active' ? t('suspend') : t('reactivate')}
          </SubmitButton>
        </form>
      </div>
      {error ? (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

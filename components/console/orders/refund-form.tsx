'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useEffect, useRef, useState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { refundAction } from '@/app/(console)/console/orders/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { SubmitButton } from '@/components/ui/submit-button';

/**
 * Two steps: choose what happens to the keys, then confirm with the consequence spelled out.
 * Without JavaScript the first button still submits nothing: the confirm step is the only submit.
 */
export function RefundForm({ orderNo, keys, generated, viaProvider }: { orderNo: string; keys: number; generated: boolean; viaProvider: boolean }) {
  const t = useTranslations('console.orders.refund');
  const [state, action] = useActionState<FormState, FormData>(refundAction, {});
  const [choice, setChoice] = useState<'keep' | 'void'>('keep');
  // Where the channel can send the money back itself, that is the default.
  const [provider, setProvider] = useState(viaProvider);
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  // A refusal closes the confirmation (adjusted while rendering the new result).
  const [seen, setSeen] = useState(state);
  if (seen !== state) {
    setSeen(state);
    if (state.error) setConfirming(false);
  }

  if (state.ok) return <Alert tone="success">{state.message}</Alert>;
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="orderNo" value={orderNo} />
      <input type="hidden" name="keys" value={choice} />
      <input type="hidden" name="viaProvider" value={provider ? '1' : ''} />
      {viaProvider ? (
        <label className="flex items-start gap-2 text-sm text-zinc-700">
          <input
            type="checkbox"
            checked={provider}
            disabled={confirming}
            onChange={(e) => setProvider(e.target.checked)}
            className="mt-0.5 size-4 rounded text-brand-600"
          />
          <span>{t('viaProvider')}</span>
        </label>
      ) : null}
      {keys > 0 ? (
        <fieldset className="space-y-2" disabled={confirming}>
          <legend className="mb-1 text-sm font-medium text-zinc-700">{t('keysLabel')}</legend>
          {(['keep', 'void'] as const).map((c) => (
            <label key={c} className="flex items-start gap-2 text-sm text-zinc-700">
              <input type="radio" name="keys-choice" value={c} checked={choice === c} onChange={() => setChoice(c)} className="mt-0.5 size-4 text-brand-600" />
              <span>{c === 'keep' ? t('keepSold') : t('voidKeys')}</span>
            </label>
          ))}
        </fieldset>
      ) : (
        <p className="text-sm text-zinc-500">{t('noKeys')}</p>
      )}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {confirming ? (
        <div
          ref={confirmRef}
          tabIndex={-1}
          role="alertdialog"
          aria-labelledby="refund-confirm-title"
          className="space-y-3 rounded-xl bg-red-50 p-4 ring-1 ring-red-200 outline-none"
        >
          <p id="refund-confirm-title" className="text-sm font-semibold text-red-800">
            {t('confirmTitle', { orderNo })}
          </p>
          <ul className="list-disc space-y-1 pl-5 text-sm text-red-800">
            <li>{provider ? t('confirmViaProvider') : t('confirmOutside')}</li>
            {keys > 0 ? <li>{choice === 'keep' ? t('confirmKeep') : generated ? t('confirmVoid', { keys }) : t('confirmVoidSeen', { keys })}</li> : null}
            <li>{t('confirmIrreversible')}</li>
          </ul>
          <div className="flex flex-wrap gap-2">
            <SubmitButton variant="danger" pendingLabel={t('submitting')}>
              {t('confirm')}
            </SubmitButton>
            <Button type="button" variant="ghost" onClick={() => setConfirming(false)}>
              {t('cancel')}
            </Button>
          </div>
        </div>
      ) : (
        <Button type="button" variant="secondary" onClick={() => setConfirming(true)} className="text-red-700">
          {t('start')}
        </Button>
      )}
    </form>
  );
}

'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useActionState, useEffect, useRef, useState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { refundAction } from '@/app/(console)/console/orders/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/field';
import { amountToInput, formatAmount, parseAmount } from '@/lib/money';
import { SubmitButton } from '@/components/ui/submit-button';

/**
 * Two steps: choose what happens to the keys, then confirm with the consequence spelled out.
 * Without JavaScript the first button still submits nothing: the confirm step is the only submit.
 */
export function RefundForm({
  orderNo,
  keys,
  generated,
  viaProvider,
  remaining,
  refunded,
  currency,
  partial,
  idempotencyKey,
}: {
  orderNo: string;
  keys: number;
  generated: boolean;
  viaProvider: boolean;
  /** What is left to refund, and refunded so far (minor units). */
  remaining: number;
  refunded: number;
  currency: string;
  /** A delivered order may be refunded in part. */
  partial: boolean;
  /** Made per page load: submitting this form twice (a double click, a retry) is one refund. */
  idempotencyKey: string;
}) {
  const t = useTranslations('console.orders.refund');
  const locale = useLocale();
  const [amount, setAmount] = useState('');
  const typed = partial && amount.trim() ? parseAmount(amount.trim(), currency) : null;
  // A part below what is left leaves the order delivered and its keys as they are.
  const isPart = typed !== null && typed > 0 && typed < remaining;
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
      <input type="hidden" name="currency" value={currency} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      {refunded > 0 ? <p className="text-sm text-zinc-600">{t('refundedSoFar', { refunded: formatAmount(refunded, currency, locale) })}</p> : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="block space-y-1 text-sm">
          <span className="font-medium text-zinc-700">{t('amountLabel')}</span>
          <Input
            name="amount"
            inputMode="decimal"
            value={amount}
            disabled={confirming || !partial}
            placeholder={amountToInput(remaining, currency)}
            onChange={(e) => setAmount(e.target.value)}
            aria-describedby="refund-amount-hint"
          />
          <span id="refund-amount-hint" className="block text-xs text-zinc-500">
            {partial
              ? t('amountHint', { remaining: formatAmount(remaining, currency, locale) })
              : t('amountHintWhole', { remaining: formatAmount(remaining, currency, locale) })}
          </span>
          {state.fields?.amount ? <span className="block text-xs text-red-600">{state.fields.amount}</span> : null}
        </label>
        <label className="block space-y-1 text-sm">
          <span className="font-medium text-zinc-700">{t('reasonLabel')}</span>
          <Input name="reason" maxLength={500} disabled={confirming} />
        </label>
      </div>
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
      {keys > 0 && !isPart ? (
        <fieldset className="space-y-2" disabled={confirming}>
          <legend className="mb-1 text-sm font-medium text-zinc-700">{t('keysLabel')}</legend>
          {(['keep', 'void'] as const).map((c) => (
            <label key={c} className="flex items-start gap-2 text-sm text-zinc-700">
              <input type="radio" name="keys-choice" value={c} checked={choice === c} onChange={() => setChoice(c)} className="mt-0.5 size-4 text-brand-600" />
              <span>{c === 'keep' ? t('keepSold') : t('voidKeys')}</span>
            </label>
          ))}
        </fieldset>
      ) : keys > 0 ? null : (
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
            {isPart ? <li>{t('confirmPartial', { amount: formatAmount(typed, currency, locale) })}</li> : null}
            {keys > 0 && !isPart ? (
              <li>{choice === 'keep' ? t('confirmKeep') : generated ? t('confirmVoid', { keys }) : t('confirmVoidSeen', { keys })}</li>
            ) : null}
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

'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { decideWithdrawalAction } from '@/app/(console)/console/agents/actions';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/field';
import { useKeptForm } from './kept-form';

/**
 * What the merchant does with an open withdrawal: approve it (pending only), mark it paid
 * with the payment's reference, or reject it with a reason (the money goes back to the
 * agent's available balance). Paying and rejecting take a second step.
 */
export function WithdrawalActions({ id, status, net }: { id: string; status: 'pending' | 'approved'; net: string }) {
  const t = useTranslations('console.agents.withdrawals');
  const tc = useTranslations('console.common');
  const { state, pending, err, formProps } = useKeptForm(decideWithdrawalAction);
  const [mode, setMode] = useState<'idle' | 'pay' | 'reject'>('idle');

  if (state.ok) return <p className="text-xs text-emerald-700">{state.message}</p>;
  const fieldError = mode === 'pay' ? err('reference') : mode === 'reject' ? err('reason') : undefined;
  return (
    <form {...formProps} className="flex max-w-60 flex-col items-start gap-2 whitespace-normal">
      <input type="hidden" name="withdrawalId" value={id} />
      {mode === 'idle' ? (
        <div className="flex gap-1.5 whitespace-nowrap">
          {status === 'pending' ? (
            <Button type="submit" name="decision" value="approve" size="sm" variant="secondary" disabled={pending} aria-busy={pending}>
              {pending ? tc('actions.working') : t('approve')}
            </Button>
          ) : null}
          <Button type="button" size="sm" onClick={() => setMode('pay')} disabled={pending}>
            {t('pay')}
          </Button>
          <Button type="button" size="sm" variant="ghost" onClick={() => setMode('reject')} disabled={pending} className="text-red-700 hover:bg-red-50">
            {t('reject')}
          </Button>
        </div>
      ) : (
        <>
          <p className="text-xs text-zinc-600">{mode === 'pay' ? t('payPrompt', { net }) : t('rejectPrompt')}</p>
          <label htmlFor={`wd-${id}-${mode}`} className="sr-only">
            {mode === 'pay' ? t('reference') : t('reason')}
          </label>
          <div className="w-52">
            <Input
              id={`wd-${id}-${mode}`}
              name={mode === 'pay' ? 'reference' : 'reason'}
              maxLength={mode === 'pay' ? 200 : 500}
              placeholder={mode === 'pay' ? t('referencePlaceholder') : t('reasonPlaceholder')}
              autoComplete="off"
              autoFocus
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={fieldError ? `wd-${id}-${mode}-error` : undefined}
            />
          </div>
          {fieldError ? (
            <p id={`wd-${id}-${mode}-error`} className="text-xs text-red-600" role="alert">
              {fieldError}
            </p>
          ) : null}
          <div className="flex gap-2">
            <Button type="button" variant="ghost" size="sm" onClick={() => setMode('idle')} disabled={pending}>
              {tc('actions.cancel')}
            </Button>
            <Button type="submit" name="decision" value={mode} variant={mode === 'pay' ? 'primary' : 'danger'} size="sm" disabled={pending} aria-busy={pending}>
              {pending ? tc('actions.working') : mode === 'pay' ? t('payConfirm') : t('rejectConfirm')}
            </Button>
          </div>
        </>
      )}
      {state.error && !fieldError ? (
        <p className="text-xs text-red-600" role="alert">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}

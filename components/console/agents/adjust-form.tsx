'use client';

import { useTranslations } from 'next-intl';
import { adjustBalanceAction } from '@/app/(console)/console/agents/actions';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { FormAlerts, useKeptForm } from './kept-form';

/** A manual credit or debit of an agent's available balance, in yuan, with the reason recorded on the ledger. */
export function AdjustForm({ agentId }: { agentId: string }) {
  const t = useTranslations('console.agents.adjust');
  const { state, pending, err, aria, formProps } = useKeptForm(adjustBalanceAction, { resetOnSuccess: true });
  return (
    <form {...formProps} className="space-y-4">
      <input type="hidden" name="agentId" value={agentId} />
      <FormAlerts state={state} shown={['amount', 'reason']} />
      <div className="grid gap-4 sm:grid-cols-[12rem_1fr]">
        <Field label={t('amount')} htmlFor="adj-amount" error={err('amount')} hint={t('amountHint')}>
          <div className="relative">
            <span className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-zinc-500">¥</span>
            <Input
              id="adj-amount"
              name="amount"
              inputMode="decimal"
              autoComplete="off"
              placeholder="-10.00"
              className="pl-7 tabular-nums"
              {...aria('amount', 'adj-amount')}
            />
          </div>
        </Field>
        <Field label={t('reason')} htmlFor="adj-reason" error={err('reason')} hint={t('reasonHint')}>
          <Input id="adj-reason" name="reason" maxLength={500} autoComplete="off" {...aria('reason', 'adj-reason')} />
        </Field>
      </div>
      <div className="flex justify-end">
        <Button type="submit" variant="secondary" disabled={pending} aria-busy={pending}>
          {pending ? t('saving') : t('submit')}
        </Button>
      </div>
    </form>
  );
}

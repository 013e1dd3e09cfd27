'use client';

import { useTranslations } from 'next-intl';
import { startTransition, useActionState, type FormEvent } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';

/** The payout request: amount (major units), method of those the merchant offers, account and account name. */
export function WithdrawForm({
  action,
  methods,
  terms,
  symbol,
  blocked,
}: {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  methods: { value: string; label: string }[];
  /** The level's minimum and fee, and the available balance, in words. */
  terms: string;
  symbol: string;
  /** Why no request can be made now (an open request, a debt, an inactive account), or null. */
  blocked: string | null;
}) {
  const t = useTranslations('console.agent.money.form');
  const [state, formAction, pending] = useActionState(action, {});
  const fields = state.fields ?? {};
  const invalid = (name: string) => (fields[name] ? { 'aria-invalid': true as const, 'aria-describedby': `wd-${name}-error` } : {});
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    // Through a transition so a refused request keeps what was typed.
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => formAction(data));
  }
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-4" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {state.ok && state.message ? <Alert tone="success">{state.message}</Alert> : null}
      {blocked && !state.ok ? <Alert tone="warning">{blocked}</Alert> : null}
      <fieldset disabled={Boolean(blocked) || pending} className="space-y-4 disabled:opacity-60">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={t('amount')} htmlFor="wd-amount" error={fields.amount} hint={terms}>
            <div className="relative">
              <span aria-hidden className="pointer-events-none absolute inset-y-0 left-3 grid place-items-center text-sm text-zinc-500">
                {symbol}
              </span>
              <Input
                id="wd-amount"
                name="amount"
                inputMode="decimal"
                autoComplete="off"
                placeholder="0.00"
                className="pl-7 tabular-nums"
                {...invalid('amount')}
              />
            </div>
          </Field>
          <Field label={t('method')} htmlFor="wd-method" error={fields.method}>
            <Select id="wd-method" name="method" defaultValue={methods[0]?.value} {...invalid('method')}>
              {methods.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('account')} htmlFor="wd-account" error={fields.account} hint={t('accountHint')}>
            <Input id="wd-account" name="account" maxLength={200} autoComplete="off" spellCheck={false} {...invalid('account')} />
          </Field>
          <Field label={t('accountName')} htmlFor="wd-accountName" error={fields.accountName} hint={t('accountNameHint')}>
            <Input id="wd-accountName" name="accountName" maxLength={60} autoComplete="name" {...invalid('accountName')} />
          </Field>
        </div>
        <div className="flex justify-end">
          <Button type="submit" disabled={pending || Boolean(blocked)} aria-busy={pending}>
            {pending ? t('submitting') : t('submit')}
          </Button>
        </div>
      </fieldset>
    </form>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { startTransition, useActionState, type FormEvent } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';

type Values = {
  pendingPerAddress: number;
  pendingPerEmail: number;
  stockSharePercent: number;
  velocityChallengeAbove: number;
  velocityBlockAbove: number;
  velocityBlockMinutes: number;
  challengeWork: number;
  disposableEmailWeight: number;
  passSamplePercent: number;
};

/** The risk policy: caps on unpaid orders, order velocity and the challenge, signal weights; a refused value says why under its field. */
export function RiskPolicyForm({
  action,
  initial,
  defaults,
}: {
  action: (s: FormState, f: FormData) => Promise<FormState>;
  initial: Values;
  defaults: Values;
}) {
  const t = useTranslations('console.risk');
  const [state, formAction, pending] = useActionState(action, {});
  const fields = state.fields ?? {};
  const invalid = (name: string) => (fields[name] ? { 'aria-invalid': true as const, 'aria-describedby': `${name}-error` } : {});
  // Through a transition: a refused form keeps what was typed.
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => formAction(data));
  };
  const field = (name: keyof Values, suffix?: string) => (
    <Field label={t(`policy.${name}`)} htmlFor={name} error={fields[name]} hint={t(`policy.${name}Hint`, { value: defaults[name] })}>
      <div className="flex items-center gap-2">
        <Input id={name} name={name} inputMode="numeric" className="w-28 tabular-nums" defaultValue={String(initial[name])} {...invalid(name)} />
        {suffix ? <span className="text-sm text-zinc-500">{suffix}</span> : null}
      </div>
    </Field>
  );
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-5" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {state.ok && state.message ? <Alert tone="success">{state.message}</Alert> : null}
      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-zinc-800">{t('policy.capsTitle')}</legend>
        <div className="grid gap-5 sm:grid-cols-3">
          {field('pendingPerAddress', t('policy.orders'))}
          {field('pendingPerEmail', t('policy.orders'))}
          {field('stockSharePercent', '%')}
        </div>
      </fieldset>
      <fieldset className="space-y-3 border-t border-zinc-100 pt-4">
        <legend className="text-sm font-semibold text-zinc-800">{t('policy.velocityTitle')}</legend>
        <p className="text-sm text-zinc-500">{t('policy.velocityHint')}</p>
        <div className="grid gap-5 sm:grid-cols-3">
          {field('velocityChallengeAbove', t('policy.perMinute'))}
          {field('velocityBlockAbove', t('policy.perMinute'))}
          {field('velocityBlockMinutes', t('policy.minutes'))}
          {field('challengeWork')}
          {field('disposableEmailWeight', t('policy.points'))}
          {field('passSamplePercent', '%')}
        </div>
      </fieldset>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? t('saving') : t('save')}
        </Button>
      </div>
    </form>
  );
}

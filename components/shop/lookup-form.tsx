'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { lookupAction, type LookupState } from '@/app/(shop)/actions';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { cn } from '@/lib/utils';

export function LookupForm() {
  const t = useTranslations('lookup');
  const [state, action, pending] = useActionState<LookupState, FormData>(lookupAction, {});
  const [mode, setMode] = useState<'email' | 'password'>(state.mode ?? 'email');
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="mode" value={mode} />
      <div role="tablist" className="grid grid-cols-2 gap-1 rounded-lg bg-zinc-100 p-1 text-sm">
        {(['email', 'password'] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="tab"
            aria-selected={mode === m}
            onClick={() => setMode(m)}
            className={cn(
              'rounded-md px-3 py-1.5 focus-visible:outline-2 focus-visible:outline-brand-500',
              mode === m ? 'bg-white font-medium shadow-sm' : 'text-zinc-600',
            )}
          >
            {m === 'email' ? t('byEmail') : t('byPassword')}
          </button>
        ))}
      </div>
      {state.error ? (
        <p className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200" role="alert">
          {state.error}
        </p>
      ) : null}
      <Field label={t('orderNo')} htmlFor="lookup-order">
        <Input id="lookup-order" name="orderNo" required inputMode="numeric" autoComplete="off" defaultValue={state.values?.orderNo} />
      </Field>
      {mode === 'email' ? (
        <Field label={t('email')} htmlFor="lookup-email">
          <Input id="lookup-email" name="email" type="email" required autoComplete="email" defaultValue={state.values?.email} />
        </Field>
      ) : (
        <Field label={t('queryPassword')} htmlFor="lookup-password">
          <Input id="lookup-password" name="queryPassword" type="password" required autoComplete="off" />
        </Field>
      )}
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? t('searching') : t('submit')}
      </Button>
    </form>
  );
}

'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { startTransition, useActionState, type FormEvent } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';
import { Button, buttonClass } from '@/components/ui/button';
import { Field, Input, Textarea } from '@/components/ui/field';
import { cn } from '@/lib/utils';

/**
 * The sign-up form of an invite link: login (e-mail, password), shop (name, address, contact)
 * and a note for the merchant. On success it gives way to what happens next.
 */
export function JoinForm({ token, action, appUrl }: { token: string; action: (state: FormState, form: FormData) => Promise<FormState>; appUrl: string }) {
  const t = useTranslations('console.agent.join');
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, {});
  const fields = state.fields ?? {};
  const invalid = (name: string) => (fields[name] ? { 'aria-invalid': true as const, 'aria-describedby': `join-${name}-error` } : {});
  // Through a transition so a refused form keeps what was typed.
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => formAction(data));
  }

  if (state.ok && state.data) {
    const live = state.data.status === 'active';
    const shopPath = `/a/${String(state.data.slug)}`;
    return (
      <div className="space-y-4" role="status">
        <div className="rounded-xl bg-emerald-50 p-4 ring-1 ring-emerald-600/20">
          <p className="font-semibold text-emerald-900">{live ? t('done.liveTitle') : t('done.pendingTitle')}</p>
          <p className="mt-1 text-sm text-emerald-800">{live ? t('done.live') : t('done.pending')}</p>
          {live ? (
            <p className="mt-2 break-all font-mono text-sm text-emerald-900">
              {appUrl}
              {shopPath}
            </p>
          ) : null}
        </div>
        <Link href="/login" className={buttonClass('primary', 'w-full')}>
          {t('done.signIn')}
        </Link>
      </div>
    );
  }

  const host = appUrl.replace(/^https?:\/\//, '');
  const tokenError = fields.token;
  const otherFields = Object.keys(fields).some((k) => k !== 'token');
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      {tokenError ? <Alert tone="error">{tokenError}</Alert> : state.error ? <Alert tone="error">{otherFields ? t('checkFields') : state.error}</Alert> : null}

      <fieldset className="space-y-4">
        <legend className="mb-3 text-sm font-semibold text-zinc-900">{t('account')}</legend>
        <Field label={t('email')} htmlFor="join-email" error={fields.email}>
          <Input id="join-email" name="email" type="email" autoComplete="email" required maxLength={254} {...invalid('email')} />
        </Field>
        <Field label={t('password')} htmlFor="join-password" error={fields.password} hint={t('passwordHint')}>
          <Input
            id="join-password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            maxLength={200}
            {...invalid('password')}
          />
        </Field>
      </fieldset>

      <hr className="border-zinc-100" />
      <fieldset className="space-y-4">
        <legend className="mb-3 text-sm font-semibold text-zinc-900">{t('shop')}</legend>
        <Field label={t('name')} htmlFor="join-name" error={fields.name} hint={t('nameHint')}>
          <Input id="join-name" name="name" required maxLength={60} autoComplete="organization" {...invalid('name')} />
        </Field>
        <Field label={t('slug')} htmlFor="join-slug" error={fields.slug} hint={t('slugHint')}>
          <div
            className={cn(
              'flex overflow-hidden rounded-lg bg-white ring-1 focus-within:ring-2 focus-within:ring-brand-500',
              fields.slug ? 'ring-red-500' : 'ring-zinc-300',
            )}
          >
            <span className="flex max-w-[55%] shrink-0 items-center border-r border-zinc-200 bg-zinc-50 px-2.5 text-xs text-zinc-500" aria-hidden>
              <span className="truncate">{host}</span>/a/
            </span>
            <input
              id="join-slug"
              name="slug"
              required
              maxLength={41}
              autoCapitalize="none"
              autoComplete="off"
              spellCheck={false}
              placeholder="my-shop"
              className="block w-full min-w-0 border-0 bg-transparent px-3 py-2 font-mono text-sm text-zinc-900 placeholder:text-zinc-400 focus:outline-none"
              {...invalid('slug')}
            />
          </div>
        </Field>
        <Field label={t('contact')} htmlFor="join-contact" error={fields.contact} hint={t('contactHint')}>
          <Input id="join-contact" name="contact" required maxLength={200} placeholder={t('contactPlaceholder')} {...invalid('contact')} />
        </Field>
        <Field label={t('note')} htmlFor="join-note" error={fields.note} hint={t('noteHint')}>
          <Textarea id="join-note" name="note" rows={3} maxLength={500} className="min-h-20" {...invalid('note')} />
        </Field>
      </fieldset>

      <Button type="submit" className="w-full" disabled={pending} aria-busy={pending}>
        {pending ? t('submitting') : t('submit')}
      </Button>
      <p className="text-center text-xs text-zinc-500">
        {t.rich('haveAccount', {
          login: (chunks) => (
            <Link href="/login" className="font-medium text-brand-700 underline-offset-4 hover:underline">
              {chunks}
            </Link>
          ),
        })}
      </p>
    </form>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { startTransition, useActionState, type FormEvent } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input, Textarea } from '@/components/ui/field';

export type ShopValues = { name: string; notice: string; contact: string; logoUrl: string };

/** The agent's shop profile: what buyers see at the top of its shop. */
export function ShopForm({ action, initial }: { action: (state: FormState, form: FormData) => Promise<FormState>; initial: ShopValues }) {
  const t = useTranslations('console.agent.shopPage');
  const [state, formAction, pending] = useActionState(action, {});
  const fields = state.fields ?? {};
  const invalid = (name: string) => (fields[name] ? { 'aria-invalid': true as const, 'aria-describedby': `shop-${name}-error` } : {});
  // Through a transition so a refused form keeps what was typed.
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => formAction(data));
  }
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-5" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {state.ok && state.message ? <Alert tone="success">{state.message}</Alert> : null}
      <div className="grid gap-5 sm:grid-cols-2">
        <Field label={t('name')} htmlFor="shop-name" error={fields.name} hint={t('nameHint')}>
          <Input id="shop-name" name="name" required maxLength={60} defaultValue={initial.name} {...invalid('name')} />
        </Field>
        <Field label={t('contact')} htmlFor="shop-contact" error={fields.contact} hint={t('contactHint')}>
          <Input
            id="shop-contact"
            name="contact"
            maxLength={200}
            placeholder={t('contactPlaceholder')}
            defaultValue={initial.contact}
            {...invalid('contact')}
          />
        </Field>
      </div>
      <Field label={t('notice')} htmlFor="shop-notice" error={fields.notice} hint={t('noticeHint')}>
        <Textarea id="shop-notice" name="notice" rows={4} maxLength={1000} defaultValue={initial.notice} {...invalid('notice')} />
      </Field>
      <Field label={t('logoUrl')} htmlFor="shop-logoUrl" error={fields.logoUrl} hint={t('logoUrlHint')}>
        <Input
          id="shop-logoUrl"
          name="logoUrl"
          type="url"
          inputMode="url"
          placeholder="https://"
          maxLength={500}
          defaultValue={initial.logoUrl}
          {...invalid('logoUrl')}
        />
      </Field>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? t('saving') : t('save')}
        </Button>
      </div>
    </form>
  );
}

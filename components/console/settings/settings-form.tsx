'use client';

import { useTranslations } from 'next-intl';
import { startTransition, useActionState, type FormEvent } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, Input, Textarea } from '@/components/ui/field';

export type SettingsValues = {
  name: string;
  notice: string;
  logoUrl: string;
  contact: string;
  contactEmail: string;
  orderExpiryMinutes: number;
  manualQueueHours: number;
  /** Major units as typed ("0.01"). */
  minCharge: string;
  mailFromName: string;
};

export function SettingsForm({ action, initial }: { action: (state: FormState, form: FormData) => Promise<FormState>; initial: SettingsValues }) {
  const t = useTranslations('console.settings');
  const [state, formAction, pending] = useActionState(action, {});
  const fields = state.fields ?? {};
  const invalid = (name: string) => (fields[name] ? { 'aria-invalid': true as const, 'aria-describedby': `${name}-error` } : {});

  // Through a transition (the form's action only serves a submit before hydration): with
  // <form action> React resets the fields after each submission, and a rejected form
  // should keep what was typed.
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => formAction(data));
  }

  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-6" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {state.ok && state.message ? <Alert tone="success">{state.message}</Alert> : null}
      <Card className="space-y-5">
        <h2 className="text-base font-semibold text-zinc-900">{t('shop')}</h2>
        <div className="grid gap-5 sm:grid-cols-2">
          <Field label={t('name')} htmlFor="name" error={fields.name}>
            <Input id="name" name="name" required maxLength={80} defaultValue={initial.name} {...invalid('name')} />
          </Field>
          <Field label={t('logoUrl')} htmlFor="logoUrl" error={fields.logoUrl} hint={t('logoUrlHint')}>
            <Input id="logoUrl" name="logoUrl" type="url" inputMode="url" placeholder="https://" defaultValue={initial.logoUrl} {...invalid('logoUrl')} />
          </Field>
        </div>
        <Field label={t('notice')} htmlFor="notice" error={fields.notice} hint={t('noticeHint')}>
          <Textarea id="notice" name="notice" rows={3} maxLength={500} defaultValue={initial.notice} {...invalid('notice')} />
        </Field>
        <div className="grid gap-5 sm:grid-cols-2">
          <Field label={t('contact')} htmlFor="contact" error={fields.contact} hint={t('contactHint')}>
            <Input id="contact" name="contact" maxLength={200} defaultValue={initial.contact} {...invalid('contact')} />
          </Field>
          <Field label={t('contactEmail')} htmlFor="contactEmail" error={fields.contactEmail} hint={t('contactEmailHint')}>
            <Input id="contactEmail" name="contactEmail" type="email" autoComplete="email" defaultValue={initial.contactEmail} {...invalid('contactEmail')} />
          </Field>
        </div>
      </Card>
      <Card className="space-y-5">
        <h2 className="text-base font-semibold text-zinc-900">{t('orders')}</h2>
        <div className="grid gap-5 sm:grid-cols-2">
          <Field label={t('orderExpiryMinutes')} htmlFor="orderExpiryMinutes" error={fields.orderExpiryMinutes} hint={t('orderExpiryHint')}>
            <Input
              id="orderExpiryMinutes"
              name="orderExpiryMinutes"
              inputMode="numeric"
              defaultValue={String(initial.orderExpiryMinutes)}
              {...invalid('orderExpiryMinutes')}
            />
          </Field>
          <Field label={t('manualQueueHours')} htmlFor="manualQueueHours" error={fields.manualQueueHours} hint={t('manualQueueHint')}>
            <Input
              id="manualQueueHours"
              name="manualQueueHours"
              inputMode="numeric"
              defaultValue={String(initial.manualQueueHours)}
              {...invalid('manualQueueHours')}
            />
          </Field>
          <Field label={t('minCharge')} htmlFor="minCharge" error={fields.minCharge} hint={t('minChargeHint')}>
            <Input id="minCharge" name="minCharge" inputMode="decimal" className="tabular-nums" defaultValue={initial.minCharge} {...invalid('minCharge')} />
          </Field>
          <Field label={t('mailFromName')} htmlFor="mailFromName" error={fields.mailFromName} hint={t('mailFromNameHint')}>
            <Input id="mailFromName" name="mailFromName" maxLength={60} defaultValue={initial.mailFromName} {...invalid('mailFromName')} />
          </Field>
        </div>
      </Card>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? t('saving') : t('save')}
        </Button>
      </div>
    </form>
  );
}

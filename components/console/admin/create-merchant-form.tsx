'use client';

import { useActionState, useState } from 'react';
import { useTranslations } from 'next-intl';
import type { FormState } from '@/app/(console)/action';
import { createMerchantAction } from '@/app/(console)/console/admin/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';

function CopyButton({ value, label, done }: { value: string; label: string; done: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      type="button"
      variant="secondary"
      size="sm"
      onClick={() => {
        void navigator.clipboard?.writeText(value).then(() => setCopied(true));
      }}
    >
      {copied ? done : label}
    </Button>
  );
}

/** Opens a merchant; the new API key is shown in this response only. */
export function CreateMerchantForm() {
  const t = useTranslations('console.admin.create');
  const [state, action] = useActionState<FormState, FormData>(createMerchantAction, {});
  const apiKey = state.ok && typeof state.data?.apiKey === 'string' ? state.data.apiKey : null;
  const err = (name: string) => state.fields?.[name];
  const values = (state.data?.values ?? {}) as Record<string, string>;
  const attrs = (name: string) => ({
    id: `m-${name}`,
    name,
    'aria-invalid': err(name) ? true : undefined,
    'aria-describedby': err(name) ? `m-${name}-error` : undefined,
  });
  return (
    <div className="space-y-4">
      {apiKey ? (
        <Alert tone="success">
          <p className="font-medium">{state.message}</p>
          <p className="mt-2 text-xs">{t('apiKey')}</p>
          <div className="mt-1 flex flex-wrap items-center gap-2">
            <code className="break-all rounded-md bg-white px-2 py-1 font-mono text-xs text-zinc-900 ring-1 ring-inset ring-emerald-600/20 select-all">
              {apiKey}
            </code>
            <CopyButton value={apiKey} label={t('copy')} done={t('copied')} />
          </div>
          <p className="mt-2 text-xs">{t('apiKeyHint')}</p>
        </Alert>
      ) : null}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {/* Remounted after a success so the fields clear (the password is never sent back). */}
      <form key={apiKey ?? 'new'} action={action} className="grid grid-cols-1 gap-4 sm:grid-cols-2" noValidate>
        <Field label={t('email')} htmlFor="m-email" error={err('email')}>
          <Input {...attrs('email')} defaultValue={values.email} type="email" autoComplete="off" required maxLength={320} />
        </Field>
        <Field label={t('password')} htmlFor="m-password" error={err('password')} hint={t('passwordHint')}>
          <Input {...attrs('password')} type="password" autoComplete="new-password" required minLength={10} maxLength={200} />
        </Field>
        <Field label={t('slug')} htmlFor="m-slug" error={err('slug')} hint={t('slugHint')}>
          <Input {...attrs('slug')} defaultValue={values.slug} pattern="[a-z0-9][a-z0-9\-]{1,40}" autoCapitalize="none" spellCheck={false} maxLength={41} />
        </Field>
        <Field label={t('name')} htmlFor="m-name" error={err('name')} hint={t('nameHint')}>
          <Input {...attrs('name')} defaultValue={values.name} maxLength={80} />
        </Field>
        <div className="sm:col-span-2">
          <SubmitButton pendingLabel={t('pending')}>{t('submit')}</SubmitButton>
        </div>
      </form>
    </div>
  );
}

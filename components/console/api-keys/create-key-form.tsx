'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Checkbox, Field, Input } from '@/components/ui/field';
import { NewApiKey } from './new-api-key';

type Props = { action: (prev: FormState, form: FormData) => Promise<FormState>; scopes: readonly string[] };

/** Name + scopes; after creation the full key is shown here once, kept only in this tab's memory. */
export function CreateKeyForm({ action, scopes }: Props) {
  const t = useTranslations('console.apiKeys');
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, {});

  return (
    <div className="space-y-4">
      <NewApiKey state={state} messages="console.apiKeys" testId="new-api-key" />

      <form action={formAction} className="max-w-2xl space-y-4">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
        <Field label={t('name')} htmlFor="api-key-name" error={state.fields?.name} hint={t('nameHint')}>
          <Input
            id="api-key-name"
            name="name"
            required
            maxLength={60}
            autoComplete="off"
            placeholder={t('namePlaceholder')}
            aria-invalid={state.fields?.name ? true : undefined}
            aria-describedby={state.fields?.name ? 'api-key-name-error' : undefined}
          />
        </Field>
        <fieldset className="space-y-2" aria-describedby={state.fields?.scopes ? 'api-key-scopes-error' : 'api-key-scopes-hint'}>
          <legend className="text-sm font-medium text-zinc-700">{t('scopesLabel')}</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {scopes.map((scope) => (
              <Checkbox
                key={scope}
                name="scopes"
                value={scope}
                label={
                  <span>
                    {t(`scopes.${scope}`)} <code className="text-xs text-zinc-500">{scope}</code>
                  </span>
                }
              />
            ))}
          </div>
          {state.fields?.scopes ? (
            <p id="api-key-scopes-error" className="text-sm text-red-600" role="alert">
              {t('scopesHint')}
            </p>
          ) : (
            <p id="api-key-scopes-hint" className="text-xs text-zinc-500">
              {t('scopesHint')}
            </p>
          )}
        </fieldset>
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? t('creating') : t('submit')}
        </Button>
      </form>
    </div>
  );
}

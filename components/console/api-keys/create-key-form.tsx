'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useEffect, useState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Checkbox, Field, Input } from '@/components/ui/field';

type Props = { action: (prev: FormState, form: FormData) => Promise<FormState>; scopes: readonly string[] };

/** Name + scopes; after creation the full key is shown here once, kept only in this tab's memory. */
export function CreateKeyForm({ action, scopes }: Props) {
  const t = useTranslations('console.apiKeys');
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, {});
  const [shown, setShown] = useState<{ key: string; prefix: string } | null>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  useEffect(() => {
    const key = state.data?.key;
    if (state.ok && typeof key === 'string') {
      setShown({ key, prefix: String(state.data?.prefix ?? '') });
      setCopied(null);
    }
  }, [state]);

  const copy = async () => {
    if (!shown) return;
    try {
      await navigator.clipboard.writeText(shown.key);
      setCopied('yes');
      setTimeout(() => setCopied(null), 2000);
    } catch {
      setCopied('failed');
    }
  };

  return (
    <div className="space-y-4">
      {shown ? (
        <div className="space-y-3 rounded-xl bg-amber-50 p-4 ring-1 ring-amber-600/30" data-testid="new-api-key">
          <div>
            <p className="font-semibold text-amber-900">{t('onceTitle')}</p>
            <p className="mt-1 text-sm text-amber-800">{t('onceWarning')}</p>
          </div>
          <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
            <code className="min-w-0 flex-1 select-all break-all rounded-lg bg-white px-3 py-2 font-mono text-[13px] text-zinc-900 ring-1 ring-amber-600/20">
              {shown.key}
            </code>
            <Button type="button" variant="primary" size="sm" onClick={copy} className="shrink-0">
              {copied === 'yes' ? t('copied') : t('copy')}
            </Button>
          </div>
          {copied === 'failed' ? <p className="text-sm text-red-700" role="alert">{t('copyFailed')}</p> : null}
          <p className="text-xs text-amber-800">{t('usage')}</p>
          <Button type="button" variant="secondary" size="sm" onClick={() => setShown(null)}>
            {t('dismiss')}
          </Button>
        </div>
      ) : null}

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

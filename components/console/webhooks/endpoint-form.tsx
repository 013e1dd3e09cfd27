'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useEffect, useRef, useState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Checkbox, Field, Input } from '@/components/ui/field';
import { cn } from '@/lib/utils';
import { OnceSecret } from '../once-secret';

type Kind = 'http' | 'telegram' | 'bark';
type Props = { action: (prev: FormState, form: FormData) => Promise<FormState>; topics: readonly string[] };

/** Add an endpoint; an HTTP endpoint's signing secret is shown here once. */
export function EndpointForm({ action, topics }: Props) {
  const t = useTranslations('console.webhooks');
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, {});
  const [kind, setKind] = useState<Kind>('http');
  const [secret, setSecret] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  // A new endpoint's secret is shown from its result until dismissed (adjusted while rendering).
  const [seen, setSeen] = useState(state);
  if (seen !== state) {
    setSeen(state);
    if (state.ok) setSecret(typeof state.data?.secret === 'string' ? state.data.secret : null);
  }
  // The form's fields empty once the endpoint is in (the DOM is outside React's state).
  useEffect(() => {
    if (state.ok) formRef.current?.reset();
  }, [state]);

  const fieldProps = (name: string) => ({
    id: `endpoint-${name}`,
    name,
    'aria-invalid': state.fields?.[name] ? true : undefined,
    'aria-describedby': state.fields?.[name] ? `endpoint-${name}-error` : undefined,
  });

  return (
    <div className="space-y-4">
      {secret ? (
        <OnceSecret
          value={secret}
          testId="webhook-secret"
          onDismiss={() => setSecret(null)}
          labels={{
            title: t('secretTitle'),
            warning: t('secretWarning'),
            copy: t('copy'),
            copied: t('copied'),
            copyFailed: t('copyFailed'),
            dismiss: t('dismiss'),
          }}
        />
      ) : null}
      {state.ok && state.message && !secret ? <Alert tone="success">{state.message}</Alert> : null}

      <form ref={formRef} action={formAction} className="max-w-2xl space-y-4">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
        <input type="hidden" name="kind" value={kind} />
        <fieldset>
          <legend className="mb-1.5 text-sm font-medium text-zinc-700">{t('kind')}</legend>
          <div role="radiogroup" className="grid grid-cols-1 gap-1 rounded-lg bg-zinc-100 p-1 text-sm sm:grid-cols-3">
            {(['http', 'telegram', 'bark'] as const).map((k) => (
              <button
                key={k}
                type="button"
                role="radio"
                aria-checked={kind === k}
                onClick={() => setKind(k)}
                className={cn(
                  'rounded-md px-3 py-1.5 focus-visible:outline-2 focus-visible:outline-brand-500',
                  kind === k ? 'bg-white font-medium shadow-sm' : 'text-zinc-600',
                )}
              >
                {t(`kinds.${k}`)}
              </button>
            ))}
          </div>
          <p className="mt-1.5 text-xs text-zinc-500">{t(`kindHints.${kind}`)}</p>
        </fieldset>
        <Field label={t('name')} htmlFor="endpoint-name" error={state.fields?.name}>
          <Input {...fieldProps('name')} required maxLength={80} placeholder={t('namePlaceholder')} autoComplete="off" />
        </Field>
        {kind === 'http' ? (
          <Field label={t('url')} htmlFor="endpoint-url" error={state.fields?.url}>
            <Input {...fieldProps('url')} type="url" required placeholder="https://example.com/openfaka/webhook" autoComplete="off" />
          </Field>
        ) : null}
        {kind === 'telegram' ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('botToken')} htmlFor="endpoint-botToken" error={state.fields?.botToken}>
              <Input {...fieldProps('botToken')} required autoComplete="off" placeholder="123456789:AA…" />
            </Field>
            <Field label={t('chatId')} htmlFor="endpoint-chatId" error={state.fields?.chatId} hint={t('chatIdHint')}>
              <Input {...fieldProps('chatId')} required autoComplete="off" />
            </Field>
          </div>
        ) : null}
        {kind === 'bark' ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label={t('deviceKey')} htmlFor="endpoint-deviceKey" error={state.fields?.deviceKey}>
              <Input {...fieldProps('deviceKey')} required autoComplete="off" />
            </Field>
            <Field label={t('barkServer')} htmlFor="endpoint-url" error={state.fields?.url}>
              <Input {...fieldProps('url')} type="url" defaultValue="https://api.day.app" autoComplete="off" />
            </Field>
          </div>
        ) : null}
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-zinc-700">{t('events')}</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {topics.map((topic) => (
              <Checkbox key={topic} name="events" value={topic} label={t(`topics.${topic.replace('.', '_')}`)} />
            ))}
          </div>
          <p className="text-xs text-zinc-500">{t('eventsHint')}</p>
        </fieldset>
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? t('creating') : t('submit')}
        </Button>
      </form>
    </div>
  );
}

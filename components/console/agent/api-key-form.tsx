'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { NewApiKey } from '../api-keys/new-api-key';

/** The agent's own key for the agent API; after creation it is shown here once, kept only in this tab's memory. */
export function AgentApiKeyForm({ action, disabled }: { action: (prev: FormState, form: FormData) => Promise<FormState>; disabled: boolean }) {
  const t = useTranslations('console.agent.team.apiKey');
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, {});
  return (
    <div className="space-y-4">
      <NewApiKey state={state} messages="console.agent.team.apiKey" testId="new-agent-api-key" />
      <form action={formAction} className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="min-w-0 flex-1">
          <Field label={t('name')} htmlFor="agent-key-name" error={state.fields?.name}>
            <Input id="agent-key-name" name="name" maxLength={60} autoComplete="off" placeholder={t('namePlaceholder')} disabled={disabled} />
          </Field>
        </div>
        <Button type="submit" disabled={pending || disabled} aria-busy={pending} className="shrink-0">
          {pending ? t('creating') : t('create')}
        </Button>
      </form>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
    </div>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { createAgentApiKeyAction, revokeAgentApiKeyAction } from '@/app/(console)/console/agents/actions';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { ConfirmForm } from '../confirm-form';
import { OnceSecret } from '../once-secret';
import { FormAlerts, useKeptForm } from './kept-form';

/** A key as the list shows it (times already formatted in the business time zone). */
export type AgentKey = { id: string; name: string; prefix: string; created: string; lastUsed: string | null; revoked: boolean };

function RevokeKey({ agentId, id, prefix }: { agentId: string; id: string; prefix: string }) {
  const t = useTranslations('console.agents.apiKeys');
  const [state, action, pending] = useActionState<FormState, FormData>(revokeAgentApiKeyAction, {});
  const [asking, setAsking] = useState(false);
  if (state.error) {
    return (
      <p className="max-w-56 whitespace-normal text-xs text-red-600" role="alert">
        {state.error}
      </p>
    );
  }
  if (!asking) {
    return (
      <Button type="button" variant="secondary" size="sm" onClick={() => setAsking(true)}>
        {t('revoke')}
      </Button>
    );
  }
  return (
    <ConfirmForm
      action={action}
      fields={{ apiKeyId: id, agentId }}
      prompt={t('revokeConfirm', { prefix })}
      confirmLabel={t('revokeYes')}
      pendingLabel={t('revoking')}
      pending={pending}
      onCancel={() => setAsking(false)}
    />
  );
}

/** The agent's API keys (scope `agent`: the agent API only): a new one is shown here once; old ones can be revoked. */
export function AgentApiKeys({ agentId, keys, canCreate }: { agentId: string; keys: AgentKey[]; canCreate: boolean }) {
  const t = useTranslations('console.agents.apiKeys');
  const { state, pending, err, aria, formProps } = useKeptForm(createAgentApiKeyAction, { resetOnSuccess: true });
  const [shown, setShown] = useState<string | null>(null);
  // A new key is shown from its result until dismissed (adjusted while rendering the new result).
  const [seen, setSeen] = useState(state);
  if (seen !== state) {
    setSeen(state);
    if (state.ok && typeof state.data?.key === 'string') setShown(state.data.key);
  }
  return (
    <div className="space-y-4">
      {shown ? (
        <OnceSecret
          value={shown}
          testId="new-agent-api-key"
          onDismiss={() => setShown(null)}
          labels={{
            title: t('onceTitle'),
            warning: t('onceWarning'),
            copy: t('copy'),
            copied: t('copied'),
            copyFailed: t('copyFailed'),
            dismiss: t('dismiss'),
          }}
        >
          <p className="text-xs text-amber-800">{t('usage')}</p>
        </OnceSecret>
      ) : null}
      {canCreate ? (
        <form {...formProps} className="flex flex-wrap items-end gap-2">
          <input type="hidden" name="agentId" value={agentId} />
          <div className="min-w-48 flex-1 sm:max-w-xs">
            <Field label={t('name')} htmlFor="ak-name" error={err('name')}>
              <Input id="ak-name" name="name" maxLength={60} autoComplete="off" placeholder={t('namePlaceholder')} {...aria('name', 'ak-name')} />
            </Field>
          </div>
          <Button type="submit" variant="secondary" disabled={pending} aria-busy={pending}>
            {pending ? t('creating') : t('create')}
          </Button>
          <div className="basis-full empty:hidden">
            <FormAlerts state={state} shown={['name']} success={false} />
          </div>
        </form>
      ) : null}
      <Table>
        <thead>
          <tr>
            <Th>{t('name')}</Th>
            <Th>{t('prefix')}</Th>
            <Th>{t('createdAt')}</Th>
            <Th>{t('lastUsed')}</Th>
            <Th className="text-right">
              <span className="sr-only">{t('actions')}</span>
            </Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {keys.length === 0 ? <EmptyRow colSpan={5}>{t('empty')}</EmptyRow> : null}
          {keys.map((k) => (
            <Tr key={k.id}>
              <Td className="font-medium">{k.name}</Td>
              <Td className="font-mono text-xs">{k.prefix}…</Td>
              <Td className="tabular-nums text-zinc-600">{k.created}</Td>
              <Td className="tabular-nums text-zinc-600">{k.lastUsed ?? t('never')}</Td>
              <Td className="text-right">{k.revoked ? <Badge>{t('revoked')}</Badge> : <RevokeKey agentId={agentId} id={k.id} prefix={k.prefix} />}</Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}

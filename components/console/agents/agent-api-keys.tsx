'use client';

import { useTranslations } from 'next-intl';
import { createAgentApiKeyAction, revokeAgentApiKeyAction } from '@/app/(console)/console/agents/actions';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { NewApiKey } from '../api-keys/new-api-key';
import { ConfirmActionButton } from '../confirm-form';
import { FormAlerts, useKeptForm } from './kept-form';

/** A key as the list shows it (times already formatted in the business time zone). */
export type AgentKey = { id: string; name: string; prefix: string; created: string; lastUsed: string | null; revoked: boolean };

/** The agent's API keys (scope `agent`: the agent API only): a new one is shown here once; old ones can be revoked. */
export function AgentApiKeys({ agentId, keys, canCreate }: { agentId: string; keys: AgentKey[]; canCreate: boolean }) {
  const t = useTranslations('console.agents.apiKeys');
  const { state, pending, err, aria, formProps } = useKeptForm(createAgentApiKeyAction, { resetOnSuccess: true });
  return (
    <div className="space-y-4">
      <NewApiKey state={state} messages="console.agents.apiKeys" testId="new-agent-api-key" />
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
              <Td className="text-right">
                {k.revoked ? (
                  <Badge>{t('revoked')}</Badge>
                ) : (
                  <ConfirmActionButton
                    action={revokeAgentApiKeyAction}
                    fields={{ apiKeyId: k.id, agentId }}
                    label={t('revoke')}
                    prompt={t('revokeConfirm', { prefix: k.prefix })}
                    confirmLabel={t('revokeYes')}
                    pendingLabel={t('revoking')}
                  />
                )}
              </Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}

import type { Metadata } from 'next';
import { getFormatter, getNow, getTranslations } from 'next-intl/server';
import { AgentMissing, AgentStatusAlert, AgentStatusBadge } from '@/components/console/agent/agent-status';
import { AgentApiKeyForm } from '@/components/console/agent/api-key-form';
import { InviteForm } from '@/components/console/agent/invite-form';
import { inviteState } from '@/components/console/agents/format';
import { ConfirmActionButton } from '@/components/console/confirm-form';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { listAgentApiKeys, listAgents, listInvites, listLevels } from '@/lib/agents';
import { createAgentApiKeyAction, createInviteAction, revokeInviteAction } from '../actions';
import { requireAgentPage } from '../agent-page';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.agent.team');
  return { title: t('title') };
}

const when = { dateStyle: 'short', timeStyle: 'short' } as const;

const inviteTone = { active: 'green', revoked: 'neutral', expired: 'neutral', used: 'amber' } as const;

/** The agent's team: its sub-agents, invite links for new ones, and its own key for the agent API. */
export default async function AgentTeamPage() {
  const { db, agent } = await requireAgentPage();
  const [t, format, now] = await Promise.all([getTranslations('console.agent.team'), getFormatter(), getNow()]);
  if (!agent) return <AgentMissing title={t('title')} />;
  const [subAgents, invites, levels, keys] = await Promise.all([
    listAgents(db, agent.merchantId, { parentId: agent.id }),
    listInvites(db, { merchantId: agent.merchantId, agentId: agent.id }),
    listLevels(db, agent.merchantId),
    listAgentApiKeys(db, agent),
  ]);
  const levelName = new Map(levels.map((l) => [l.rank, l.name]));
  const levelLabel = (rank: number) => t('levelLabel', { rank, name: levelName.get(rank) ?? '' });
  const inviteLevels = levels.filter((l) => l.rank <= agent.level).map((l) => ({ rank: l.rank, label: levelLabel(l.rank) }));
  const active = agent.status === 'active';

  return (
    <div className="space-y-6">
      <PageHeader title={t('title')} description={t('description')} />
      <AgentStatusAlert agent={agent} />

      <Card>
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 className="text-base font-semibold text-zinc-900">{t('subAgents.title')}</h2>
          {subAgents.length ? <p className="text-sm text-zinc-500">{t('subAgents.count', { n: subAgents.length })}</p> : null}
        </div>
        <Table>
          <thead>
            <tr>
              <Th>{t('subAgents.name')}</Th>
              <Th>{t('subAgents.shop')}</Th>
              <Th>{t('subAgents.level')}</Th>
              <Th>{t('subAgents.status')}</Th>
              <Th>{t('subAgents.joined')}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {subAgents.length === 0 ? <EmptyRow colSpan={5}>{t('subAgents.empty')}</EmptyRow> : null}
            {subAgents.map((a) => (
              <Tr key={a.id}>
                <Td className="max-w-[14rem] truncate font-medium" title={a.name}>
                  {a.name}
                </Td>
                <Td className="font-mono text-xs">/a/{a.slug}</Td>
                <Td>{levelLabel(a.level)}</Td>
                <Td>
                  <AgentStatusBadge status={a.status} />
                </Td>
                <Td className="tabular-nums text-zinc-600">{format.dateTime(a.createdAt, when)}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
        <p className="mt-4 text-xs text-zinc-500">{t('subAgents.hint')}</p>
      </Card>

      <Card>
        <h2 className="text-base font-semibold text-zinc-900">{t('invites.title')}</h2>
        <p className="mt-1 mb-4 text-sm text-zinc-500">{t('invites.hint')}</p>
        <InviteForm action={createInviteAction} levels={inviteLevels} disabled={!active} />

        <h3 className="mt-8 mb-2 text-sm font-semibold text-zinc-900">{t('invites.listTitle')}</h3>
        <Table>
          <thead>
            <tr>
              <Th>{t('invites.created')}</Th>
              <Th>{t('invites.level')}</Th>
              <Th className="text-right">{t('invites.uses')}</Th>
              <Th>{t('invites.expires')}</Th>
              <Th>{t('invites.approval')}</Th>
              <Th>{t('invites.state')}</Th>
              <Th className="text-right">
                <span className="sr-only">{t('invites.actions')}</span>
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {invites.length === 0 ? <EmptyRow colSpan={7}>{t('invites.empty')}</EmptyRow> : null}
            {invites.map((i) => {
              const state = inviteState(i, now.getTime());
              return (
                <Tr key={i.id} className={state === 'active' ? undefined : 'text-zinc-500'}>
                  <Td className="tabular-nums">{format.dateTime(i.createdAt, when)}</Td>
                  <Td>{levelLabel(i.rank)}</Td>
                  <Td className="text-right tabular-nums">
                    {i.maxUses == null ? t('invites.usesOpen', { used: i.usedCount }) : `${i.usedCount} / ${i.maxUses}`}
                  </Td>
                  <Td className="tabular-nums">{i.expiresAt ? format.dateTime(i.expiresAt, when) : t('invites.never')}</Td>
                  <Td>{i.autoApprove ? t('invites.auto') : t('invites.review')}</Td>
                  <Td>
                    <Badge tone={inviteTone[state]}>{t(`invites.states.${state}`)}</Badge>
                  </Td>
                  <Td className="text-right">
                    {state === 'active' ? (
                      <ConfirmActionButton
                        action={revokeInviteAction}
                        fields={{ id: i.id }}
                        label={t('invites.revoke')}
                        prompt={t('invites.revokeConfirm')}
                        confirmLabel={t('invites.revokeYes')}
                        pendingLabel={t('invites.revoking')}
                      />
                    ) : null}
                  </Td>
                </Tr>
              );
            })}
          </tbody>
        </Table>
      </Card>

      <Card>
        <h2 className="text-base font-semibold text-zinc-900">{t('apiKey.title')}</h2>
        <p className="mt-1 mb-4 text-sm text-zinc-500">
          {t.rich('apiKey.hint', { code: (chunks) => <code className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-xs text-zinc-800">{chunks}</code> })}
        </p>
        <AgentApiKeyForm action={createAgentApiKeyAction} disabled={!active} />
        {keys.length ? (
          <div className="mt-6">
            <Table>
              <thead>
                <tr>
                  <Th>{t('apiKey.columns.name')}</Th>
                  <Th>{t('apiKey.columns.prefix')}</Th>
                  <Th>{t('apiKey.columns.created')}</Th>
                  <Th>{t('apiKey.columns.lastUsed')}</Th>
                  <Th>{t('apiKey.columns.status')}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {keys.map((k) => (
                  <Tr key={k.id} className={k.revokedAt ? 'text-zinc-500' : undefined}>
                    <Td className="max-w-48 truncate font-medium" title={k.name}>
                      {k.name}
                    </Td>
                    <Td>
                      <code className="font-mono text-xs">{k.prefix}</code>
                    </Td>
                    <Td className="tabular-nums">{format.dateTime(k.createdAt, when)}</Td>
                    <Td className="tabular-nums">
                      {k.lastUsedAt ? format.dateTime(k.lastUsedAt, when) : <span className="text-zinc-500">{t('apiKey.never')}</span>}
                    </Td>
                    <Td>{k.revokedAt ? <Badge tone="red">{t('apiKey.revoked')}</Badge> : <Badge tone="green">{t('apiKey.active')}</Badge>}</Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
            <p className="mt-3 text-xs text-zinc-500">{t('apiKey.revokeNote')}</p>
          </div>
        ) : null}
      </Card>
    </div>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { AdjustForm } from '@/components/console/agents/adjust-form';
import { AgentApiKeys } from '@/components/console/agents/agent-api-keys';
import { AgentManageForm } from '@/components/console/agents/agent-manage-form';
import { AgentStatusBadge } from '@/components/console/agents/agent-status-badge';
import { BalanceCards } from '@/components/console/agents/balance-cards';
import { levelLabel } from '@/components/console/agents/format';
import { WithdrawalTable } from '@/components/console/agents/withdrawal-table';
import { LedgerTable } from '@/components/console/ledger-table';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import {
  AGENT_CURRENCY,
  getAgent,
  listAgentApiKeys,
  listAgentOrders,
  listAgents,
  listLedger,
  listLevels,
  listWithdrawals,
  type AgentListItem,
} from '@/lib/agents';
import { getConfig } from '@/lib/config';
import { isAppError } from '@/lib/errors';
import { BUSINESS_TIME_ZONE } from '@/lib/i18n';
import { formatAmount } from '@/lib/money';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const t = await getTranslations('console.agents');
  return { title: `${t('agent.metaTitle')} ${(await params).id.slice(0, 8)}` };
}

const when = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: BUSINESS_TIME_ZONE } as const;

type Search = { cursor?: string | string[]; created?: string | string[] };
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export default async function AgentPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Search> }) {
  const { db, merchantId } = await requireMerchantPage();
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const agent = await getAgent(db, merchantId, id);
  if (!agent) notFound();
  const cursor = one(sp.cursor) || null;
  const scope = { merchantId, agentId: agent.id };
  const [t, tStatus, locale, format, levels, everyone, ledger, withdrawals, orders, keys] = await Promise.all([
    getTranslations('console.agents'),
    getTranslations('status'),
    getLocale(),
    getFormatter(),
    listLevels(db, merchantId),
    listAgents(db, merchantId),
    listLedger(db, scope, { cursor, limit: 30 }).catch((err: unknown) => {
      if (isAppError(err)) return listLedger(db, scope, { limit: 30 }); // a stale cursor: start over
      throw err;
    }),
    listWithdrawals(db, scope, 50),
    listAgentOrders(db, scope, { limit: 10 }),
    listAgentApiKeys(db, { id: agent.id, merchantId }),
  ]);
  const money = (v: number) => formatAmount(v, AGENT_CURRENCY, locale);
  const isAgent = agent.status === 'active' || agent.status === 'suspended';
  const children = everyone.filter((a) => a.parentId === agent.id && a.status !== 'rejected');
  const parents = everyone.filter((a) => a.status === 'active' && a.id !== agent.id);
  const shopUrl = `${getConfig().appUrl}/a/${agent.slug}`;
  const here = `/console/agents/${agent.id}`;

  const facts: [string, ReactNode][] = [
    [
      t('columns.shop'),
      <a key="shop" href={`/a/${agent.slug}`} target="_blank" rel="noreferrer" className="break-all font-mono text-brand-700 hover:underline">
        {shopUrl}
      </a>,
    ],
    [t('columns.level'), levelLabel(agent.level, agent.levelName)],
    [
      t('columns.parent'),
      agent.parentId ? (
        <Link key="parent" href={`/console/agents/${agent.parentId}`} className="text-brand-700 hover:underline">
          {agent.parentName}
        </Link>
      ) : (
        t('agent.noParent')
      ),
    ],
    [t('columns.email'), agent.email ?? t('agent.noLogin')],
    [t('columns.contact'), agent.contact || '—'],
    [t('columns.created'), format.dateTime(agent.createdAt, when)],
    ...(agent.approvedAt ? [[t('agent.approvedAt'), format.dateTime(agent.approvedAt, when)] as [string, string]] : []),
    ...(agent.applicationNote ? [[t('applications.note'), agent.applicationNote] as [string, string]] : []),
    ...(agent.status === 'rejected' && agent.reviewReason ? [[t('applications.reason'), agent.reviewReason] as [string, string]] : []),
  ];

  return (
    <div className="space-y-6">
      <div>
        <Link href="/console/agents" className="mb-3 inline-block text-sm text-zinc-500 hover:text-zinc-800">
          ← {t('agent.back')}
        </Link>
        {one(sp.created) ? <Alert tone="success">{t('agent.created')}</Alert> : null}
      </div>

      <Card>
        <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-2">
              <h2 className="text-lg font-semibold text-zinc-900">{agent.name}</h2>
              <AgentStatusBadge status={agent.status} />
            </div>
            <p className="mt-0.5 font-mono text-xs text-zinc-500">/a/{agent.slug}</p>
          </div>
          {agent.status === 'active' ? (
            <a href={`/a/${agent.slug}`} target="_blank" rel="noreferrer" className={buttonClass('secondary', undefined, 'sm')}>
              {t('agent.openShop')}
            </a>
          ) : null}
        </div>
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
          {facts.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-zinc-500">{label}</dt>
              <dd className="min-w-0 whitespace-pre-wrap break-words text-zinc-800">{value}</dd>
            </div>
          ))}
        </dl>
        {agent.status === 'pending' ? (
          <Alert tone="info" className="mt-4">
            {t('agent.isApplication')}{' '}
            <Link href="/console/agents/applications" className="font-medium underline">
              {t('home.review')}
            </Link>
          </Alert>
        ) : null}
        {agent.status === 'suspended' ? (
          <Alert tone="warning" className="mt-4">
            {t('agent.suspendedNote')}
          </Alert>
        ) : null}
      </Card>

      {isAgent ? (
        <>
          <section aria-labelledby="balance-title">
            <h2 id="balance-title" className="mb-3 text-base font-semibold text-zinc-900">
              {t('balance.title')}
            </h2>
            <BalanceCards balance={agent.balance} />
          </section>

          <div className="grid gap-6 lg:grid-cols-2">
            <Card>
              <h2 className="text-base font-semibold text-zinc-900">{t('agent.manage')}</h2>
              <p className="mb-4 mt-1 text-sm text-zinc-500">{t('agent.manageHint')}</p>
              <AgentManageForm
                agentId={agent.id}
                rank={agent.level}
                status={agent.status as 'active' | 'suspended'}
                parentId={agent.parentId}
                levels={levels.map((l) => ({ value: String(l.rank), label: levelLabel(l.rank, l.name) }))}
                parents={parents.map((p: AgentListItem) => ({ value: p.id, label: `${p.name} · ${levelLabel(p.level, p.levelName)}`, rank: p.level }))}
              />
            </Card>
            <Card>
              <h2 className="text-base font-semibold text-zinc-900">{t('adjust.title')}</h2>
              <p className="mb-4 mt-1 text-sm text-zinc-500">{t('adjust.hint')}</p>
              <AdjustForm agentId={agent.id} />
            </Card>
          </div>
        </>
      ) : null}

      <Card>
        <h2 className="text-base font-semibold text-zinc-900">{t('ledger.title')}</h2>
        <p className="mb-3 mt-1 text-sm text-zinc-500">{t('ledger.hint')}</p>
        <LedgerTable ledger={ledger} cursor={cursor} href={here} empty={t('ledger.empty')} viewer="merchant" />
      </Card>

      <Card>
        <h2 className="mb-3 text-base font-semibold text-zinc-900">{t('agent.withdrawals')}</h2>
        <WithdrawalTable rows={withdrawals} showAgent={false} empty={t('agent.noWithdrawals')} />
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="mb-3 text-base font-semibold text-zinc-900">{t('agent.children', { n: children.length })}</h2>
          <Table>
            <thead>
              <tr>
                <Th>{t('columns.agent')}</Th>
                <Th>{t('columns.level')}</Th>
                <Th>{t('columns.status')}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {children.length === 0 ? <EmptyRow colSpan={3}>{t('agent.noChildren')}</EmptyRow> : null}
              {children.map((c) => (
                <Tr key={c.id}>
                  <Td>
                    <Link href={`/console/agents/${c.id}`} className="font-medium text-brand-700 hover:underline">
                      {c.name}
                    </Link>
                    <span className="block font-mono text-xs text-zinc-500">/a/{c.slug}</span>
                  </Td>
                  <Td>{levelLabel(c.level, c.levelName)}</Td>
                  <Td>
                    <AgentStatusBadge status={c.status} />
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </Card>

        <Card>
          <h2 className="mb-3 text-base font-semibold text-zinc-900">{t('agent.orders')}</h2>
          <Table>
            <thead>
              <tr>
                <Th>{t('agent.order')}</Th>
                <Th className="text-right">{t('agent.orderAmount')}</Th>
                <Th className="text-right">{t('agent.commission')}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {orders.orders.length === 0 ? <EmptyRow colSpan={3}>{t('agent.noOrders')}</EmptyRow> : null}
              {orders.orders.map((o) => (
                <Tr key={o.orderNo}>
                  <Td>
                    <Link href={`/console/orders/${o.orderNo}`} className="font-mono text-xs text-brand-700 hover:underline">
                      {o.orderNo}
                    </Link>
                    <span className="block max-w-48 truncate text-xs text-zinc-500">
                      {o.productTitle} × {o.quantity}
                    </span>
                  </Td>
                  <Td className="text-right tabular-nums">
                    {formatAmount(o.amount, o.currency, locale)}
                    <span className="block text-xs text-zinc-500">{tStatus(o.status)}</span>
                  </Td>
                  <Td className="text-right tabular-nums">{o.commission ? money(o.commission) : <span className="text-zinc-400">—</span>}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </Card>
      </div>

      {isAgent ? (
        <Card>
          <h2 className="text-base font-semibold text-zinc-900">{t('apiKeys.title')}</h2>
          <p className="mb-4 mt-1 text-sm text-zinc-500">{t('apiKeys.hint')}</p>
          <AgentApiKeys
            agentId={agent.id}
            canCreate
            keys={keys.map((k) => ({
              id: k.id,
              name: k.name,
              prefix: k.prefix,
              created: format.dateTime(k.createdAt, when),
              lastUsed: k.lastUsedAt ? format.dateTime(k.lastUsedAt, when) : null,
              revoked: Boolean(k.revokedAt),
            }))}
          />
        </Card>
      ) : null}
    </div>
  );
}

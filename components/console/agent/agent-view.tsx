import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import type { Agent, AgentConsoleView, AgentOrderRow } from '@/lib/agents';
import type { OrderStatus } from '@/lib/orders';
import { QrCode } from '@/components/shop/qr-code';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { formatAmount } from '@/lib/money';
import { cn } from '@/lib/utils';
import { AgentMissing, AgentStatusAlert, AgentStatusBadge } from './agent-status';
import { BalanceCards } from './balance-cards';
import { CopyButton } from './copy-button';

const statusTone: Record<OrderStatus, 'neutral' | 'green' | 'amber' | 'red' | 'blue'> = {
  pending: 'blue',
  paid: 'green',
  delivered: 'green',
  awaiting_fulfillment: 'amber',
  expired: 'neutral',
  refunded: 'red',
};

/** The agent's home: its shop link (with a QR code), level and status, balances, a getting-started list and its orders with their commission. */
export async function AgentView({
  agent,
  view,
  shopUrl,
  orders,
  nextCursor,
  paged,
}: {
  agent: Agent | null;
  view: AgentConsoleView | null;
  shopUrl: string | null;
  orders: AgentOrderRow[];
  nextCursor: string | null;
  paged: boolean;
}) {
  const [t, tStatus, format, locale] = await Promise.all([getTranslations('console.agent'), getTranslations('status'), getFormatter(), getLocale()]);
  if (!agent || !view || !shopUrl) return <AgentMissing title={t('title')} />;
  const live = agent.status === 'active';
  const steps = [
    { key: 'notice', done: view.setup.notice, href: '/console/agent/shop' },
    { key: 'products', done: view.setup.products, href: '/console/agent/products' },
    { key: 'share', done: view.setup.firstOrder, href: null },
    { key: 'withdrawal', done: view.setup.withdrawal, href: '/console/agent/money' },
  ] as const;
  const done = steps.filter((s) => s.done).length;
  const copyLabels = { copy: t('home.copy'), copied: t('home.copied'), failed: t('home.copyFailed') };

  return (
    <div className="space-y-6">
      <PageHeader title={t('title')} description={t('description')} />
      <AgentStatusAlert agent={agent} />

      <div className="grid gap-6 lg:grid-cols-[1fr_16rem]">
        <Card>
          <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
            <h2 className="min-w-0 truncate text-base font-semibold text-zinc-900">{agent.name}</h2>
            <AgentStatusBadge status={agent.status} />
          </div>
          <div className="space-y-5">
            <dl>
              <div className="min-w-0">
                <dt className="text-xs text-zinc-500">{t('home.link')}</dt>
                <dd className="mt-1 flex flex-wrap items-center gap-2">
                  <code className="min-w-0 break-all rounded-lg bg-zinc-50 px-2.5 py-1.5 text-sm text-zinc-900 ring-1 ring-inset ring-zinc-200 select-all">
                    {shopUrl}
                  </code>
                  <CopyButton value={shopUrl} labels={copyLabels} />
                  {live ? (
                    <a href={shopUrl} target="_blank" rel="noreferrer" className={buttonClass('ghost', undefined, 'sm')}>
                      {t('home.open')}
                    </a>
                  ) : null}
                </dd>
                <dd className="mt-1.5 text-xs text-zinc-500">{live ? t('home.copyHint') : t('home.notLiveHint')}</dd>
              </div>
            </dl>
            <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3">
              <div>
                <dt className="text-xs text-zinc-500">{t('home.level')}</dt>
                <dd className="mt-1 text-sm font-medium text-zinc-900">
                  {view.level ? t('home.levelValue', { rank: agent.level, name: view.level.name }) : t('home.levelRank', { rank: agent.level })}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-zinc-500">{t('home.merchant')}</dt>
                <dd className="mt-1 truncate text-sm font-medium text-zinc-900" title={view.merchantName}>
                  {view.merchantName}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-zinc-500">{t('home.parent')}</dt>
                <dd className="mt-1 truncate text-sm font-medium text-zinc-900">
                  {view.parentName ?? <span className="text-zinc-500">{t('home.noParent')}</span>}
                </dd>
              </div>
            </dl>
          </div>
        </Card>
        {live ? (
          <Card className="flex flex-col items-center justify-center gap-2 text-center">
            <QrCode value={shopUrl} label={t('home.qrLabel')} size={168} />
            <p className="text-xs text-zinc-500">{t('home.qrHint')}</p>
          </Card>
        ) : null}
      </div>

      <section aria-labelledby="agent-balance" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="agent-balance" className="text-base font-semibold text-zinc-900">
            {t('balance.title')}
          </h2>
          <Link href="/console/agent/money" className="text-sm font-medium text-brand-700 underline-offset-4 hover:underline">
            {t('home.toMoney')}
          </Link>
        </div>
        <BalanceCards balance={view.balance} holdHours={view.level?.holdHours ?? null} />
      </section>

      {done < steps.length && agent.status !== 'rejected' ? (
        <Card>
          <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
            <h2 className="text-base font-semibold text-zinc-900">{t('setup.title')}</h2>
            <p className="text-sm text-zinc-500">{t('setup.progress', { done, total: steps.length })}</p>
          </div>
          <ol className="divide-y divide-zinc-100">
            {steps.map((s, i) => (
              <li key={s.key} className="flex items-start gap-3 py-3">
                <span
                  aria-hidden
                  className={cn(
                    'mt-0.5 grid size-6 shrink-0 place-items-center rounded-full text-xs font-semibold',
                    s.done ? 'bg-emerald-100 text-emerald-700' : 'bg-zinc-100 text-zinc-600',
                  )}
                >
                  {s.done ? '✓' : i + 1}
                </span>
                <div className="min-w-0 flex-1">
                  <p className={cn('text-sm font-medium', s.done ? 'text-zinc-500 line-through decoration-zinc-300' : 'text-zinc-900')}>
                    {t(`setup.${s.key}`)}
                    <span className="sr-only"> — {s.done ? t('setup.done') : t('setup.todo')}</span>
                  </p>
                  {!s.done ? <p className="mt-0.5 text-xs text-zinc-500">{t(`setup.${s.key}Hint`)}</p> : null}
                </div>
                {!s.done && s.href ? (
                  <Link href={s.href} className={buttonClass('secondary', 'shrink-0', 'sm')}>
                    {t('setup.go')}
                  </Link>
                ) : null}
              </li>
            ))}
          </ol>
        </Card>
      ) : null}

      <Card>
        <h2 className="mb-3 text-base font-semibold text-zinc-900">{t('orders.title')}</h2>
        <Table>
          <thead>
            <tr>
              <Th>{t('orders.orderNo')}</Th>
              <Th>{t('orders.product')}</Th>
              <Th className="text-right">{t('orders.quantity')}</Th>
              <Th className="text-right">{t('orders.amount')}</Th>
              <Th className="text-right">{t('orders.commission')}</Th>
              <Th>{t('orders.status')}</Th>
              <Th>{t('orders.created')}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {orders.length === 0 ? (
              <EmptyRow colSpan={7}>{t('orders.empty')}</EmptyRow>
            ) : (
              orders.map((o) => (
                <Tr key={o.orderNo}>
                  <Td className="font-mono text-xs">{o.orderNo}</Td>
                  <Td className="max-w-[16rem] truncate" title={o.productTitle}>
                    {o.productTitle}
                  </Td>
                  <Td className="text-right tabular-nums">{o.quantity}</Td>
                  <Td className="text-right tabular-nums">{formatAmount(o.amount, o.currency, locale)}</Td>
                  <Td className="text-right tabular-nums">
                    {o.status === 'expired' || o.commission === 0 ? (
                      <span className="text-zinc-400" title={o.status === 'expired' ? undefined : t('orders.noCommission')}>
                        —
                      </span>
                    ) : (
                      <span className={cn('font-medium', o.status === 'refunded' ? 'text-zinc-400 line-through' : 'text-emerald-700')}>
                        {formatAmount(o.commission, o.currency, locale)}
                      </span>
                    )}
                  </Td>
                  <Td>
                    <Badge tone={statusTone[o.status]}>{tStatus(o.status)}</Badge>
                  </Td>
                  <Td className="tabular-nums text-zinc-600">{format.dateTime(new Date(o.createdAt), { dateStyle: 'short', timeStyle: 'short' })}</Td>
                </Tr>
              ))
            )}
          </tbody>
        </Table>
        <KeysetPager
          firstHref={paged ? '/console' : null}
          nextHref={nextCursor ? `/console?cursor=${encodeURIComponent(nextCursor)}` : null}
          firstLabel={t('orders.first')}
          nextLabel={t('orders.next')}
        />
        <p className="mt-4 text-xs text-zinc-500">{t('orders.commissionHint')}</p>
      </Card>
    </div>
  );
}

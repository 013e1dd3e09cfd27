import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import type { Agent } from '@/lib/agents';
import type { OrderStatus } from '@/lib/orders';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import type { AgentOrderRow } from '@/lib/agents';
import { formatAmount } from '@/lib/money';
import { KeysetPager } from '@/components/ui/keyset-pager';

const statusTone: Record<OrderStatus, 'neutral' | 'green' | 'amber' | 'red' | 'blue'> = {
  pending: 'blue',
  paid: 'green',
  delivered: 'green',
  awaiting_fulfillment: 'amber',
  expired: 'neutral',
  refunded: 'red',
};

/** What an agent sees: its shop link and level, and the orders placed through its shop. */
export async function AgentView({
  agent,
  shopUrl,
  orders,
  nextCursor,
  paged,
}: {
  agent: Agent | null;
  shopUrl: string | null;
  orders: AgentOrderRow[];
  nextCursor: string | null;
  paged: boolean;
}) {
  const [t, tStatus, format, locale] = await Promise.all([getTranslations('console.agent'), getTranslations('status'), getFormatter(), getLocale()]);
  if (!agent || !shopUrl) {
    return (
      <>
        <PageHeader title={t('title')} />
        <Alert tone="warning">{t('missing')}</Alert>
      </>
    );
  }
  return (
    <div className="space-y-6">
      <PageHeader title={t('title')} description={t('description')} />
      {agent.status !== 'active' ? <Alert tone="warning">{t('shop.suspendedHint')}</Alert> : null}
      <Card>
        <h2 className="mb-4 text-base font-semibold text-zinc-900">{agent.name}</h2>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-[1fr_auto_auto] sm:gap-8">
          <div className="col-span-2 min-w-0 sm:col-span-1">
            <dt className="text-xs text-zinc-500">{t('shop.link')}</dt>
            <dd className="mt-1 flex flex-wrap items-center gap-2">
              <code className="min-w-0 break-all rounded-lg bg-zinc-50 px-2.5 py-1.5 text-sm text-zinc-900 ring-1 ring-inset ring-zinc-200 select-all">
                {shopUrl}
              </code>
              <a href={shopUrl} target="_blank" rel="noreferrer" className={buttonClass('secondary', undefined, 'sm')}>
                {t('shop.open')}
              </a>
            </dd>
            <dd className="mt-1.5 text-xs text-zinc-500">{t('shop.copyHint')}</dd>
          </div>
          <div>
            <dt className="text-xs text-zinc-500">{t('shop.level')}</dt>
            <dd className="mt-1 text-sm font-medium text-zinc-900">{t('shop.levelValue', { level: agent.level })}</dd>
          </div>
          <div>
            <dt className="text-xs text-zinc-500">{t('shop.status')}</dt>
            <dd className="mt-1">
              <Badge tone={agent.status === 'active' ? 'green' : 'red'}>{t(`shop.${agent.status}`)}</Badge>
            </dd>
          </div>
        </dl>
      </Card>

      <Card>
        <h2 className="mb-3 text-base font-semibold text-zinc-900">{t('orders.title')}</h2>
        <Table>
          <thead>
            <tr>
              <Th>{t('orders.orderNo')}</Th>
              <Th>{t('orders.product')}</Th>
              <Th className="text-right">{t('orders.quantity')}</Th>
              <Th className="text-right">{t('orders.amount')}</Th>
              <Th>{t('orders.status')}</Th>
              <Th>{t('orders.created')}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {orders.length === 0 ? (
              <EmptyRow colSpan={6}>{t('orders.empty')}</EmptyRow>
            ) : (
              orders.map((o) => (
                <Tr key={o.orderNo}>
                  <Td className="font-mono text-xs">{o.orderNo}</Td>
                  <Td className="max-w-[16rem] truncate" title={o.productTitle}>
                    {o.productTitle}
                  </Td>
                  <Td className="text-right tabular-nums">{o.quantity}</Td>
                  <Td className="text-right tabular-nums">{formatAmount(o.amount, o.currency, locale)}</Td>
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
        <p className="mt-4 text-xs text-zinc-500">{t('later')}</p>
      </Card>
    </div>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { EndpointActions } from '@/components/console/webhooks/endpoint-actions';
import { EndpointForm } from '@/components/console/webhooks/endpoint-form';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { listDeliveries, listEndpoints, WEBHOOK_TOPICS } from '@/lib/webhooks';
import { createEndpointAction, deleteEndpointAction, testEndpointAction, toggleEndpointAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.webhooks');
  return { title: t('title') };
}

const when = { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' } as const;
const statusTone = { pending: 'amber', done: 'green', dead: 'red' } as const;

export default async function WebhooksPage() {
  const { db, merchantId } = await requireMerchantPage();
  const [t, tc, format] = await Promise.all([getTranslations('console.webhooks'), getTranslations('console.common'), getFormatter()]);
  const [endpoints, deliveries] = await Promise.all([listEndpoints(db, merchantId), listDeliveries(db, merchantId, 30)]);
  const names = new Map(endpoints.map((e) => [e.id, e.name]));
  // Message keys cannot hold dots: `order.delivered` is `topics.order_delivered`.
  const topic = (name: string) =>
    (WEBHOOK_TOPICS as readonly string[]).includes(name) || name === 'webhook.test' ? t(`topics.${name.replace('.', '_')}`) : name;

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <div className="space-y-6">
        <Card>
          <h2 className="mb-4 text-base font-semibold text-zinc-900">{t('addTitle')}</h2>
          <EndpointForm action={createEndpointAction} topics={WEBHOOK_TOPICS} />
        </Card>

        <Card>
          <h2 className="mb-3 text-base font-semibold text-zinc-900">{t('listTitle')}</h2>
          <Table>
            <thead>
              <tr>
                <Th>{t('columns.name')}</Th>
                <Th>{t('columns.kind')}</Th>
                <Th>{t('columns.target')}</Th>
                <Th>{t('columns.events')}</Th>
                <Th>{t('columns.status')}</Th>
                <Th className="text-right">
                  <span className="sr-only">{tc('table.actions')}</span>
                </Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {endpoints.length === 0 ? <EmptyRow colSpan={6}>{t('empty')}</EmptyRow> : null}
              {endpoints.map((e) => (
                <Tr key={e.id} className={e.enabled ? undefined : 'text-zinc-500'}>
                  <Td className="max-w-40 truncate font-medium" title={e.name}>
                    {e.name}
                  </Td>
                  <Td>{t(`kinds.${e.kind}`)}</Td>
                  <Td className="max-w-64 truncate font-mono text-xs" title={e.url ?? undefined}>
                    {e.url ? <span className="block truncate">{e.url}</span> : null}
                    <span className="text-zinc-500">{e.hint}</span>
                  </Td>
                  <Td className="min-w-48 whitespace-normal text-xs">{e.events.length === 0 ? t('allEvents') : e.events.map(topic).join('、')}</Td>
                  <Td>{e.enabled ? <Badge tone="green">{t('enabled')}</Badge> : <Badge>{t('disabled')}</Badge>}</Td>
                  <Td className="text-right">
                    <EndpointActions
                      id={e.id}
                      name={e.name}
                      enabled={e.enabled}
                      toggle={toggleEndpointAction}
                      test={testEndpointAction}
                      remove={deleteEndpointAction}
                    />
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </Card>

        <Card>
          <h2 className="text-base font-semibold text-zinc-900">{t('deliveriesTitle')}</h2>
          <p className="mt-1 mb-3 text-sm text-zinc-500">
            {t('deliveriesHint')}{' '}
            <Link href="/console/outbox" className="text-brand-700 underline underline-offset-4">
              {tc('nav.outbox')}
            </Link>
          </p>
          <Table>
            <thead>
              <tr>
                <Th>{t('deliveryColumns.time')}</Th>
                <Th>{t('deliveryColumns.endpoint')}</Th>
                <Th>{t('deliveryColumns.event')}</Th>
                <Th>{t('deliveryColumns.order')}</Th>
                <Th>{t('deliveryColumns.status')}</Th>
                <Th className="text-right">{t('deliveryColumns.attempts')}</Th>
                <Th>{t('deliveryColumns.error')}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {deliveries.length === 0 ? <EmptyRow colSpan={7}>{t('deliveriesEmpty')}</EmptyRow> : null}
              {deliveries.map((d) => (
                <Tr key={d.id}>
                  <Td className="tabular-nums">{format.dateTime(new Date(d.createdAt), when)}</Td>
                  <Td className="max-w-40 truncate">{names.get(d.endpointId) ?? <span className="text-zinc-500">{t('removedEndpoint')}</span>}</Td>
                  <Td>{topic(d.topic)}</Td>
                  <Td>
                    {d.orderNo ? (
                      <Link href={`/console/orders/${d.orderNo}`} className="font-mono text-xs text-brand-700 hover:underline">
                        {d.orderNo}
                      </Link>
                    ) : (
                      <span className="text-zinc-500">—</span>
                    )}
                  </Td>
                  <Td>
                    <Badge tone={statusTone[d.status as keyof typeof statusTone] ?? 'neutral'}>
                      {t(`deliveryStatus.${d.status as 'pending' | 'done' | 'dead'}`)}
                    </Badge>
                  </Td>
                  <Td className="text-right tabular-nums">{d.attempts}</Td>
                  <Td className="max-w-64 truncate text-xs text-zinc-600" title={d.lastError ?? undefined}>
                    {d.status === 'done' ? '' : (d.lastError ?? '')}
                    {d.status === 'pending' && d.attempts > 0 ? (
                      <span className="block text-zinc-500">
                        {t('deliveryColumns.next')}: {format.dateTime(new Date(d.nextAttemptAt), when)}
                      </span>
                    ) : null}
                  </Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </Card>
      </div>
    </>
  );
}

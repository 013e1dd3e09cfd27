import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getNow, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { RetryButton } from '@/components/console/outbox/retry-button';
import { StatusTabs } from '@/components/console/outbox/status-tabs';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { isAppError } from '@/lib/errors';
import { listOutbox, merchantOutboxStats, OUTBOX_STATUSES, type OutboxListItem, type OutboxStatus } from '@/lib/outbox';
import { retryOutboxAction } from './actions';
import { reconcileStats } from '@/lib/orders';
import { KeysetPager } from '@/components/ui/keyset-pager';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.outbox');
  return { title: t('title') };
}

const when = { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' } as const;
const statusTone: Record<OutboxStatus, 'amber' | 'green' | 'red'> = { pending: 'amber', done: 'green', dead: 'red' };

type SearchParams = Promise<{ status?: string | string[]; cursor?: string | string[] }>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export default async function OutboxPage({ searchParams }: { searchParams: SearchParams }) {
  const { db, merchantId } = await requireMerchantPage();
  const [t, tc, format] = await Promise.all([getTranslations('console.outbox'), getTranslations('console.common'), getFormatter()]);
  const sp = await searchParams;
  const rawStatus = one(sp.status);
  const status = (OUTBOX_STATUSES as readonly string[]).includes(rawStatus) ? (rawStatus as OutboxStatus) : undefined;
  const cursor = one(sp.cursor) || undefined;

  const [stats, recon] = await Promise.all([merchantOutboxStats(db, merchantId), reconcileStats(db, merchantId)]);
  let page: { rows: OutboxListItem[]; nextCursor: string | null } = { rows: [], nextCursor: null };
  let error: string | null = null;
  try {
    page = await listOutbox(db, merchantId, { status, cursor, limit: 50 });
  } catch (err) {
    if (!isAppError(err)) throw err;
    error = tc(`errors.${err.code === 'validation_failed' ? 'validation_failed' : 'generic'}`);
  }

  const href = (params: { status?: string; cursor?: string }) => {
    const q = new URLSearchParams();
    if (params.status) q.set('status', params.status);
    if (params.cursor) q.set('cursor', params.cursor);
    const s = q.toString();
    return s ? `/console/outbox?${s}` : '/console/outbox';
  };
  const age = (seconds: number) => {
    if (seconds < 60) return t('age.s', { n: seconds });
    if (seconds < 3600) return t('age.m', { n: Math.floor(seconds / 60) });
    if (seconds < 86400) return t('age.h', { n: Math.floor(seconds / 3600) });
    return t('age.d', { n: Math.floor(seconds / 86400) });
  };
  const label = (group: 'topics' | 'consumers', name: string) => (t.has(`${group}.${name}`) ? t(`${group}.${name}`) : name);
  const now = (await getNow()).getTime();

  const tabs = [
    { href: href({}), label: t('filter.all'), current: !status },
    ...OUTBOX_STATUSES.map((s) => ({ href: href({ status: s }), label: t(`status.${s}`), count: stats[s], current: status === s })),
  ];

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />

      <dl className="mb-6 grid grid-cols-2 gap-3 lg:grid-cols-4">
        {(['pending', 'done', 'dead'] as const).map((s) => (
          <Card key={s} className="p-4">
            <dt className="text-sm text-zinc-500">{t(`stats.${s}`)}</dt>
            <dd className={`mt-1 text-2xl font-semibold tabular-nums ${s === 'dead' && stats.dead > 0 ? 'text-red-600' : 'text-zinc-900'}`}>
              {format.number(stats[s])}
            </dd>
          </Card>
        ))}
        <Card className="p-4">
          <dt className="text-sm text-zinc-500">{t('stats.oldest')}</dt>
          <dd className="mt-1 text-2xl font-semibold text-zinc-900 tabular-nums">
            {stats.oldestPendingSeconds === null ? (
              <span className="text-base font-normal text-zinc-500">{t('stats.oldestNone')}</span>
            ) : (
              t('stats.ago', { age: age(stats.oldestPendingSeconds) })
            )}
          </dd>
        </Card>
      </dl>

      <Card className="mb-6 p-4">
        <h2 className="text-sm font-semibold text-zinc-900">{t('reconcile.title')}</h2>
        <p className="mt-1 text-sm text-zinc-600">
          {recon.lastRun
            ? t('reconcile.last', {
                when: format.dateTime(new Date(recon.lastRun.at), { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
                checked: recon.lastRun.checked,
                recovered: recon.lastRun.recovered,
                errors: recon.lastRun.errors,
              })
            : t('reconcile.never')}
        </p>
        <p className="mt-1 text-sm text-zinc-600">{t('reconcile.mine', { recovered: recon.recoveredLast7Days, watched: recon.watched })}</p>
      </Card>

      <Card>
        <div className="mb-3">
          <StatusTabs tabs={tabs} label={t('filter.label')} />
        </div>
        {error ? (
          <Alert tone="error" className="mb-3">
            {error}{' '}
            <Link href={href({ status })} className="underline">
              {t('first')}
            </Link>
          </Alert>
        ) : null}
        {/* On a phone: one card per job, the retry button in reach; the table needs a wider screen. */}
        <ul className="divide-y divide-zinc-100 sm:hidden">
          {page.rows.length === 0 ? <li className="py-10 text-center text-sm text-zinc-500">{status ? t('emptyFiltered') : t('empty')}</li> : null}
          {page.rows.map((row) => (
            <li key={row.id} className="space-y-1 py-3">
              <div className="flex items-start justify-between gap-2">
                <span className="font-medium text-zinc-900">
                  {label('topics', row.topic)} <span className="font-mono text-xs font-normal text-zinc-500">#{row.id}</span>
                </span>
                <Badge tone={statusTone[row.status]}>{t(`status.${row.status}`)}</Badge>
              </div>
              <p className="text-xs text-zinc-500">
                {label('consumers', row.consumer)} · {t('attempts', { n: row.attempts })}
              </p>
              {row.orderNo ? <p className="font-mono text-xs text-zinc-500">{t('order', { orderNo: row.orderNo })}</p> : null}
              <p className="text-xs text-zinc-500 tabular-nums">{t('createdAt', { when: format.dateTime(new Date(row.createdAt), when) })}</p>
              {row.lastError ? <p className="break-all font-mono text-xs text-red-700">{row.lastError}</p> : null}
              {row.retryable ? (
                <div className="flex justify-end">
                  <RetryButton id={row.id} action={retryOutboxAction} />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
        <div className="hidden sm:block">
          <Table>
            <thead>
              <tr>
                <Th>{t('columns.task')}</Th>
                <Th>{t('columns.status')}</Th>
                <Th>{t('columns.time')}</Th>
                <Th>{t('columns.error')}</Th>
                <Th className="relative text-right">
                  <span className="sr-only">{tc('table.actions')}</span>
                </Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {page.rows.length === 0 ? <EmptyRow colSpan={5}>{status ? t('emptyFiltered') : t('empty')}</EmptyRow> : null}
              {page.rows.map((row) => (
                <Tr key={row.id} className="align-top">
                  <Td>
                    <div className="font-medium text-zinc-900">
                      {label('topics', row.topic)} <span className="font-mono text-xs font-normal text-zinc-500">#{row.id}</span>
                    </div>
                    <div className="text-xs text-zinc-500">{label('consumers', row.consumer)}</div>
                    {row.orderNo ? <div className="font-mono text-xs text-zinc-500">{t('order', { orderNo: row.orderNo })}</div> : null}
                  </Td>
                  <Td>
                    <Badge tone={statusTone[row.status]}>{t(`status.${row.status}`)}</Badge>
                    <div className="mt-1 text-xs text-zinc-500">{t('attempts', { n: row.attempts })}</div>
                  </Td>
                  <Td className="text-xs tabular-nums text-zinc-600">
                    <div>{t('createdAt', { when: format.dateTime(new Date(row.createdAt), when) })}</div>
                    <div className={row.status === 'pending' ? 'font-medium text-zinc-900' : undefined}>
                      {row.status === 'pending'
                        ? new Date(row.availableAt).getTime() <= now
                          ? t('nextNow')
                          : t('nextAt', { when: format.dateTime(new Date(row.availableAt), when) })
                        : row.processedAt
                          ? t(row.status === 'done' ? 'processedAt' : 'deadAt', { when: format.dateTime(new Date(row.processedAt), when) })
                          : null}
                    </div>
                  </Td>
                  <Td>
                    {row.lastError ? (
                      <p className="max-w-56 truncate font-mono text-xs text-red-700 lg:max-w-72" title={row.lastError}>
                        {row.lastError}
                      </p>
                    ) : (
                      <span className="text-zinc-500">{t('noError')}</span>
                    )}
                  </Td>
                  <Td className="text-right">{row.retryable ? <RetryButton id={row.id} action={retryOutboxAction} /> : null}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        </div>
        <KeysetPager
          firstHref={cursor ? href({ status }) : null}
          nextHref={page.nextCursor ? href({ status, cursor: page.nextCursor }) : null}
          firstLabel={t('first')}
          nextLabel={t('next')}
        />
      </Card>
    </>
  );
}

import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import type { Db } from '@/db/client';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { formatAmount } from '@/lib/money';
import { dashboardSummary, lowStockProducts, PERIODS, periodRange, revenueSeries, salesHeatmap, type Period } from '@/lib/reports';
import { cn } from '@/lib/utils';
import { SalesHeatmap } from './heatmap';
import { RevenueChart, type RevenuePoint } from './revenue-chart';

type T = Awaited<ReturnType<typeof getTranslations<'console.dashboard'>>>;

function duration(t: T, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (seconds < 1) return t('duration.instant');
  if (s < 60) return t('duration.seconds', { s });
  if (s < 3600) return t('duration.minutes', { m: Math.floor(s / 60), s: s % 60 });
  if (s < 86400) return t('duration.hours', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
  return t('duration.days', { d: Math.floor(s / 86400), h: Math.floor((s % 86400) / 3600) });
}

function Kpi({ label, value, hint }: { label: string; value: ReactNode; hint: ReactNode }) {
  return (
    <Card className="flex min-w-0 flex-col gap-1 p-4">
      <p className="text-sm text-zinc-500">{label}</p>
      <div className="break-words text-xl font-semibold tracking-tight text-zinc-900 tabular-nums sm:text-2xl">{value}</div>
      <p className="text-xs text-zinc-500">{hint}</p>
    </Card>
  );
}

function SectionTitle({ title, aside }: { title: string; aside?: ReactNode }) {
  return (
    <div className="mb-3 flex items-baseline justify-between gap-3">
      <h2 className="text-base font-semibold text-zinc-900">{title}</h2>
      {aside ? <div className="text-right text-xs text-zinc-500">{aside}</div> : null}
    </div>
  );
}

/** The merchant's home: period figures, revenue chart, heat map and what needs attention. */
export async function MerchantDashboard({ db, merchantId, period }: { db: Db; merchantId: string; period: Period }) {
  const [t, format, locale] = await Promise.all([getTranslations('console.dashboard'), getFormatter(), getLocale()]);
  const range = periodRange(period);
  const [summary, series, heatmap, lowStock] = await Promise.all([
    dashboardSummary(db, merchantId, range),
    revenueSeries(db, merchantId, range),
    salesHeatmap(db, merchantId, range),
    lowStockProducts(db, merchantId),
  ]);

  // The chart shows the currency with the most revenue (CNY for nearly every shop).
  const chartCurrency = summary.revenue[0]?.currency ?? 'CNY';
  const points: RevenuePoint[] = series.map((p) => ({
    label: range.bucket === 'hour' ? p.bucket.slice(11) : p.bucket,
    tick: range.bucket === 'hour' ? p.bucket.slice(11, 13) : p.bucket.slice(5).replace('-', '/'),
    amount: p.amounts[chartCurrency] ?? 0,
    orders: p.orders,
  }));
  const total = summary.revenue.find((r) => r.currency === chartCurrency)?.amount ?? 0;
  const fmtTime = (iso: string) => format.dateTime(new Date(iso), { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });

  return (
    <div className="space-y-6">
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <nav aria-label={t('periods.label')} className="inline-flex rounded-lg bg-zinc-100 p-1 ring-1 ring-inset ring-zinc-200">
            {PERIODS.map((p) => (
              <Link
                key={p}
                href={p === 'today' ? '/console' : `/console?period=${p}`}
                aria-current={p === period ? 'page' : undefined}
                className={cn(
                  'rounded-md px-3 py-1.5 text-sm font-medium text-zinc-600 transition-colors hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-brand-500',
                  p === period && 'bg-white text-zinc-900 shadow-sm',
                )}
              >
                {t(`periods.${p}`)}
              </Link>
            ))}
          </nav>
        }
      />

      <section className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4" aria-label={t('periods.label')}>
        <Kpi
          label={t('kpi.revenue')}
          value={
            summary.revenue.length === 0 ? (
              formatAmount(0, 'CNY', locale)
            ) : (
              <div className="space-y-0.5">
                {summary.revenue.map((r, i) => (
                  <div key={r.currency} className={cn(i > 0 && 'text-base font-medium text-zinc-700')}>
                    {formatAmount(r.amount, r.currency, locale)}
                  </div>
                ))}
              </div>
            )
          }
          hint={
            summary.revenue.length > 0
              ? `${t('kpi.revenueOrders', { count: summary.revenue.reduce((a, r) => a + r.orders, 0) })} · ${t('kpi.revenueHint')}`
              : t('kpi.revenueHint')
          }
        />
        <Kpi label={t('kpi.created')} value={format.number(summary.created)} hint={t('kpi.createdHint')} />
        <Kpi
          label={t('kpi.conversion')}
          value={summary.conversion == null ? t('none') : format.number(summary.conversion, { style: 'percent', maximumFractionDigits: 1 })}
          hint={t('kpi.conversionHint', { paid: format.number(summary.paid), created: format.number(summary.created) })}
        />
        <Kpi
          label={t('kpi.delivery')}
          value={summary.avgDeliverySeconds == null ? t('none') : duration(t, summary.avgDeliverySeconds)}
          hint={t('kpi.deliveryHint')}
        />
      </section>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card>
            <SectionTitle title={t('chart.title')} aside={t(range.bucket === 'hour' ? 'chart.byHour' : 'chart.byDay', { currency: chartCurrency })} />
            {total === 0 ? (
              <p className="grid h-64 place-items-center rounded-xl bg-zinc-50 text-sm text-zinc-500">{t('chart.empty')}</p>
            ) : (
              <RevenueChart
                points={points}
                currency={chartCurrency}
                locale={locale}
                labels={{
                  revenue: t('chart.revenue'),
                  orders: t('chart.orders'),
                  summary: `${t('chart.title')}: ${formatAmount(total, chartCurrency, locale)}`,
                }}
              />
            )}
            {summary.revenue.length > 1 ? <p className="mt-2 text-xs text-zinc-500">{t('chart.otherCurrencies', { currency: chartCurrency })}</p> : null}
          </Card>
          <Card>
            <SectionTitle title={t('heatmap.title')} aside={t('heatmap.description')} />
            {heatmap.total === 0 ? (
              <p className="grid h-40 place-items-center rounded-xl bg-zinc-50 text-sm text-zinc-500">{t('heatmap.empty')}</p>
            ) : (
              <SalesHeatmap data={heatmap} />
            )}
          </Card>
        </div>

        <div className="min-w-0 space-y-6">
          <Card>
            <SectionTitle
              title={t('awaiting.title')}
              aside={
                summary.awaiting.count > 0 ? (
                  <Link href="/console/orders?status=awaiting_fulfillment" className="whitespace-nowrap font-medium text-brand-700 hover:underline">
                    {t('awaiting.all')}
                  </Link>
                ) : null
              }
            />
            {summary.awaiting.count === 0 ? (
              <p className="text-sm text-zinc-500">{t('awaiting.none')}</p>
            ) : (
              <>
                <p className="mb-2 text-sm font-medium text-amber-800">{t('awaiting.count', { count: summary.awaiting.count })}</p>
                <ul className="divide-y divide-zinc-100">
                  {summary.awaiting.oldest.map((o) => (
                    <li key={o.orderNo}>
                      <Link
                        href={`/console/orders/${o.orderNo}`}
                        className="-mx-2 flex items-center justify-between gap-3 rounded-lg px-2 py-2 hover:bg-zinc-50"
                      >
                        <span className="min-w-0">
                          <span className="block truncate text-sm font-medium text-zinc-900">{o.productTitle}</span>
                          <span className="block text-xs text-zinc-500 tabular-nums">
                            {o.orderNo} · {t('awaiting.paidAt', { time: fmtTime(o.paidAt ?? o.createdAt) })}
                          </span>
                        </span>
                        <span className="shrink-0 text-sm tabular-nums text-zinc-700">{formatAmount(o.amount, o.currency, locale)}</span>
                      </Link>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </Card>

          <Card>
            <SectionTitle title={t('lowStock.title')} />
            {lowStock.length === 0 ? (
              <p className="text-sm text-zinc-500">{t('lowStock.none')}</p>
            ) : (
              <ul className="divide-y divide-zinc-100">
                {lowStock.map((p) => (
                  <li key={p.id} className="flex items-center justify-between gap-3 py-2">
                    <span className="min-w-0">
                      <span className="block truncate text-sm font-medium text-zinc-900">{p.title}</span>
                      <span className="block text-xs text-zinc-500 tabular-nums">
                        {p.available === 0 ? (
                          <Badge tone="red">{t('lowStock.soldOut')}</Badge>
                        ) : (
                          t('lowStock.available', { available: p.available, alert: p.stockAlert })
                        )}
                      </span>
                    </span>
                    <Link href={`/console/keys?product=${p.id}`} className={buttonClass('secondary', 'shrink-0', 'sm')}>
                      {t('lowStock.import')}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </Card>

          <Card>
            <SectionTitle
              title={t('outbox.title')}
              aside={
                <Link href="/console/outbox" className="whitespace-nowrap font-medium text-brand-700 hover:underline">
                  {t('outbox.open')}
                </Link>
              }
            />
            {summary.outbox.pending === 0 && summary.outbox.dead === 0 ? (
              <p className="text-sm text-zinc-500">{t('outbox.healthy')}</p>
            ) : (
              <dl className="grid grid-cols-2 gap-3">
                <div className="rounded-xl bg-zinc-50 p-3">
                  <dt className="text-xs text-zinc-500">{t('outbox.pending')}</dt>
                  <dd className="text-xl font-semibold tabular-nums text-zinc-900">{format.number(summary.outbox.pending)}</dd>
                  {summary.outbox.oldestPendingSeconds != null ? (
                    <dd className="text-xs text-zinc-500">{t('outbox.oldest', { age: duration(t, summary.outbox.oldestPendingSeconds) })}</dd>
                  ) : null}
                </div>
                <div className={cn('rounded-xl p-3', summary.outbox.dead > 0 ? 'bg-red-50' : 'bg-zinc-50')}>
                  <dt className={cn('text-xs', summary.outbox.dead > 0 ? 'text-red-700' : 'text-zinc-500')}>{t('outbox.dead')}</dt>
                  <dd className={cn('text-xl font-semibold tabular-nums', summary.outbox.dead > 0 ? 'text-red-700' : 'text-zinc-900')}>
                    {format.number(summary.outbox.dead)}
                  </dd>
                </div>
              </dl>
            )}
          </Card>
        </div>
      </div>
    </div>
  );
}

import type { Metadata } from 'next';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { OrderFilters } from '@/components/console/orders/order-filters';
import { OrderTable, type OrderTableRow } from '@/components/console/orders/order-table';
import Link from 'next/link';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { isAppError } from '@/lib/errors';
import { formatAmount } from '@/lib/money';
import {
  listMerchantOrders,
  listManualQueue,
  listReviewQueue,
  ORDER_STATUSES,
  orderLabels,
  parseOrderFilters,
  type MerchantOrderFilters,
  type OrderFilterValues,
} from '@/lib/orders';
import { KeysetPager } from '@/components/ui/keyset-pager';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.orders');
  return { title: t('title') };
}

const PAGE_SIZE = 50;
const FILTER_KEYS = ['status', 'product', 'channel', 'from', 'to', 'email', 'orderNo', 'sort'] as const;

type Search = Partial<Record<(typeof FILTER_KEYS)[number] | 'cursor', string | string[]>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export default async function OrdersPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await requireMerchantPage();
  const t = await getTranslations('console.orders');
  const ts = await getTranslations('status');
  const format = await getFormatter();
  const locale = await getLocale();
  const params = await searchParams;

  // What the merchant typed stays in the form even when it is not valid.
  const typed = Object.fromEntries(FILTER_KEYS.map((k) => [k, one(params[k])])) as Record<keyof OrderFilterValues, string>;
  let filters: MerchantOrderFilters = {};
  let invalid: string[] = [];
  try {
    filters = parseOrderFilters(typed).filters;
  } catch (err) {
    if (!isAppError(err) || err.code !== 'validation_failed') throw err;
    invalid = Object.keys(err.fields ?? {});
  }

  const [labels, queue, manualQueue] = await Promise.all([
    orderLabels(ctx.db, ctx.merchantId),
    listReviewQueue(ctx.db, ctx.merchantId, 20),
    listManualQueue(ctx.db, ctx.merchantId),
  ]);
  let cursor: string | null = one(params.cursor) || null;
  let page: Awaited<ReturnType<typeof listMerchantOrders>>;
  try {
    page = await listMerchantOrders(ctx.db, ctx.merchantId, { ...filters, limit: PAGE_SIZE, cursor: cursor ?? undefined });
  } catch (err) {
    if (!isAppError(err) || err.code !== 'validation_failed') throw err;
    cursor = null; // a mangled cursor in the URL: start over rather than fail
    page = await listMerchantOrders(ctx.db, ctx.merchantId, { ...filters, limit: PAGE_SIZE });
  }

  const when = (iso: string | null) => (iso ? format.dateTime(new Date(iso), { dateStyle: 'short', timeStyle: 'short' }) : null);
  const rows: OrderTableRow[] = page.orders.map((o) => ({
    orderNo: o.orderNo,
    product: labels.productTitle.get(o.productId) ?? t('list.deletedProduct'),
    quantity: o.quantity,
    amount: formatAmount(o.amount, o.currency, locale),
    status: o.status,
    statusLabel: ts(o.status),
    email: o.email,
    channel: labels.channelName.get(o.channelId) ?? t('list.unknownChannel'),
    created: when(o.createdAt)!,
    paid: when(o.paidAt),
  }));

  // Only the valid filters travel on to the next page and the export.
  const kept = new URLSearchParams();
  if (invalid.length === 0) for (const k of FILTER_KEYS) if (typed[k].trim()) kept.set(k, typed[k].trim());
  const filtered = kept.size > 0;
  const href = (extra: Record<string, string> = {}) => {
    const q = new URLSearchParams(kept);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return q.size ? `/console/orders?${q}` : '/console/orders';
  };
  const fieldNames: Record<string, string> = {
    status: t('filters.status'),
    product: t('filters.product'),
    channel: t('filters.channel'),
    from: t('filters.from'),
    to: t('filters.to'),
    email: t('filters.email'),
    orderNo: t('filters.orderNo'),
    sort: t('list.sort'),
  };

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <a href={`/console/orders/export${kept.size ? `?${kept}` : ''}`} className={buttonClass('secondary')} title={t('export.hint')} download>
            {t('export.button')}
          </a>
        }
      />
      <div className="space-y-6">
        {manualQueue.length > 0 ? (
          <Card className="ring-2 ring-amber-300" data-testid="manual-queue">
            <h2 className="text-sm font-semibold text-zinc-900">{t('manualQueue.title', { count: manualQueue.length })}</h2>
            <p className="mt-1 mb-3 text-sm text-zinc-500">{t('manualQueue.hint')}</p>
            <ul className="divide-y divide-zinc-100 text-sm">
              {manualQueue.map((o) => (
                <li key={o.orderNo} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 py-2">
                  <Link href={`/console/orders/${o.orderNo}`} className="font-mono text-xs text-brand-700 hover:underline">
                    {o.orderNo}
                  </Link>
                  <span className="min-w-0 flex-1 truncate text-zinc-700">{o.email}</span>
                  <span className="tabular-nums">{formatAmount(o.amount, o.currency, locale)}</span>
                  <span className="text-xs text-zinc-500">
                    {t('manualQueue.holds', { until: format.dateTime(o.expiresAt, { dateStyle: 'short', timeStyle: 'short' }) })}
                  </span>
                </li>
              ))}
            </ul>
          </Card>
        ) : null}
        {queue.length > 0 ? (
          <Card className="ring-2 ring-brand-500" data-testid="review-queue">
            <h2 className="text-sm font-semibold text-zinc-900">{t('review.queueTitle', { count: queue.length })}</h2>
            <p className="mt-1 mb-3 text-sm text-zinc-500">{t('review.queueHint')}</p>
            <ul className="divide-y divide-zinc-100 text-sm">
              {queue.map((o) => (
                <li key={o.orderNo} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 py-2">
                  <Link href={`/console/orders/${o.orderNo}`} className="font-mono text-xs text-brand-700 hover:underline">
                    {o.orderNo}
                  </Link>
                  <span className="min-w-0 flex-1 truncate text-zinc-700">
                    {labels.productTitle.get(o.productId) ?? t('list.deletedProduct')} × {o.quantity} · {o.email}
                  </span>
                  <span className="tabular-nums">{formatAmount(o.amount, o.currency, locale)}</span>
                  <Badge tone={o.status === 'paid' ? 'blue' : 'amber'}>{o.status === 'paid' ? t('review.paidBadge') : t('review.unpaidBadge')}</Badge>
                </li>
              ))}
            </ul>
          </Card>
        ) : null}
        <Card>
          <OrderFilters
            values={typed}
            invalid={invalid}
            statuses={ORDER_STATUSES.map((s) => ({ id: s, label: ts(s) }))}
            products={labels.products.map((p) => ({ id: p.id, label: p.title }))}
            channels={labels.channels.map((c) => ({ id: c.id, label: c.name }))}
          />
          {invalid.length ? (
            <Alert tone="error" className="mt-4">
              {t('filters.invalid', { fields: invalid.map((f) => fieldNames[f] ?? f).join(', ') })}
            </Alert>
          ) : null}
        </Card>

        <Card className="overflow-hidden p-0 sm:p-0">
          <OrderTable
            rows={rows}
            labels={{
              orderNo: t('list.orderNo'),
              product: t('list.product'),
              quantity: t('list.quantity'),
              amount: t('list.amount'),
              status: t('list.status'),
              email: t('list.email'),
              channel: t('list.channel'),
              created: t('list.created'),
              paid: t('list.paid'),
              empty: filtered ? t('list.emptyFiltered') : t('list.empty'),
            }}
            sort={{
              oldestFirst: !!filters.oldestFirst,
              // The other direction, from the first page, keeping the filters.
              href: (() => {
                const q = new URLSearchParams(kept);
                if (filters.oldestFirst) q.delete('sort');
                else q.set('sort', 'oldest');
                return q.size ? `/console/orders?${q}` : '/console/orders';
              })(),
              label: filters.oldestFirst ? t('list.sortNewest') : t('list.sortOldest'),
            }}
          />
          <KeysetPager
            footer
            summary={t('list.showing', { count: rows.length })}
            firstHref={cursor ? href() : null}
            nextHref={page.nextCursor ? href({ cursor: page.nextCursor }) : null}
            firstLabel={t('list.firstPage')}
            nextLabel={t('list.nextPage')}
          />
        </Card>
      </div>
    </>
  );
}

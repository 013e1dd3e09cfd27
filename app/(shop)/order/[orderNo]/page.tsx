import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { reconcileAfterResponse } from '@/app/_lib/after-response';
import { AutoRefresh } from '@/components/shop/auto-refresh';
import { KeyList } from '@/components/shop/key-list';
import { RememberOrder } from '@/components/shop/recent-orders';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db/client';
import { isAppError } from '@/lib/errors';
import { formatAmount } from '@/lib/money';
import { getOrderForBuyer, type BuyerOrderView } from '@/lib/orders';
import { orderToken } from '../../request-context';

export const dynamic = 'force-dynamic';

const tone = { delivered: 'green', paid: 'blue', pending: 'amber', awaiting_fulfillment: 'amber', expired: 'neutral', refunded: 'neutral' } as const;

export default async function OrderPage({ params }: { params: Promise<{ orderNo: string }> }) {
  const { orderNo } = await params;
  const t = await getTranslations('order');
  const ts = await getTranslations('status');
  const locale = await getLocale();
  // The token arrives as the order's HttpOnly cookie (set at checkout, or by proxy.ts from an order link).
  let view: BuyerOrderView | null = null;
  try {
    view = await getOrderForBuyer(getDb(), orderNo, await orderToken(orderNo));
  } catch (e) {
    if (!isAppError(e) || e.code !== 'not_found') throw e;
  }
  // Unknown, or not this browser's: the same 404 either way (./not-found.tsx says how to get in).
  if (!view) notFound();
  if (view.status === 'pending') reconcileAfterResponse(orderNo);
  const dateFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Asia/Shanghai' });
  const steps = [
    { label: t('created'), at: view.createdAt },
    { label: ts('paid'), at: view.paidAt },
    { label: ts('delivered'), at: view.deliveredAt },
  ];
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <AutoRefresh active={view.status === 'pending' || view.status === 'paid' || view.status === 'awaiting_fulfillment'} everyMs={3000} />
      <RememberOrder orderNo={view.orderNo} title={view.productTitle} />
      <Card className="space-y-5">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h1 className="text-lg font-semibold">{t('title')}</h1>
            <p className="break-all font-mono text-xs text-zinc-500">{view.orderNo}</p>
          </div>
          <Badge tone={tone[view.status]}>{ts(view.status)}</Badge>
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-zinc-500">{view.productTitle}</dt>
          <dd className="text-right">
            {t('quantity')} {view.quantity} · <span className="font-semibold">{formatAmount(view.amount, view.currency, locale)}</span>
          </dd>
          {view.discount ? (
            <>
              <dt className="text-zinc-500">{t('discount')}</dt>
              <dd className="text-right text-emerald-700 tabular-nums" data-testid="order-discount">
                −{formatAmount(view.discount, view.currency, locale)}
              </dd>
            </>
          ) : null}
        </dl>
        <ol className="grid grid-cols-3 gap-2 text-center text-xs" aria-label={t('timeline')}>
          {steps.map((s) => (
            <li
              key={s.label}
              className={`rounded-lg px-2 py-2 ring-1 ${s.at ? 'bg-emerald-50 text-emerald-800 ring-emerald-200' : 'bg-zinc-50 text-zinc-400 ring-zinc-200'}`}
            >
              <div className="font-medium">{s.label}</div>
              <div className="tabular-nums">{s.at ? dateFmt.format(new Date(s.at)) : '—'}</div>
            </li>
          ))}
        </ol>
        {view.keys ? (
          <section className="space-y-3">
            <h2 className="font-medium">{t('keys')}</h2>
            <KeyList keys={view.keys} orderNo={view.orderNo} />
            <p className="text-xs text-zinc-500">{t('emailed')}</p>
          </section>
        ) : view.review === 'pending' && view.status === 'paid' ? (
          <p className="rounded-lg bg-brand-50 px-3 py-2 text-sm text-brand-700" data-testid="order-in-review">
            {t('inReview')}
          </p>
        ) : view.review === 'rejected' && (view.status === 'paid' || view.status === 'refunded') ? (
          <p className="rounded-lg bg-zinc-100 px-3 py-2 text-sm text-zinc-700">{t('reviewRejected')}</p>
        ) : view.status === 'awaiting_fulfillment' ? (
          <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-800">{t('awaiting')}</p>
        ) : view.status === 'pending' ? (
          <p className="text-sm text-zinc-600">{t('waiting')}</p>
        ) : null}
        {view.instructions ? (
          <section className="space-y-1">
            <h2 className="font-medium">{t('instructions')}</h2>
            <p className="whitespace-pre-wrap text-sm text-zinc-700">{view.instructions}</p>
          </section>
        ) : null}
      </Card>
    </div>
  );
}

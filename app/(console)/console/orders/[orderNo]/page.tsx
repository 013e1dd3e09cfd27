import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { requireMerchantPage } from '@/app/(console)/guard';
import { ManualDeliveryForm } from '@/components/console/orders/manual-delivery-form';
import { RefundForm } from '@/components/console/orders/refund-form';
import { ResendMailForm } from '@/components/console/orders/resend-mail-form';
import { RevealItems } from '@/components/console/orders/reveal-items';
import { OrderStatusBadge } from '@/components/console/orders/status-badge';
import { createRiskRuleAction } from '@/app/(console)/console/risk/actions';
import { ManualPaymentForms } from '@/components/console/orders/manual-payment-forms';
import { ReviewForm } from '@/components/console/orders/review-form';
import { BlockBuyerForm } from '@/components/console/risk/block-buyer-form';
import { reasonText, RISK_ACTION_TONES } from '@/components/console/risk/reason-text';
import { OrderTimeline } from '@/components/console/orders/timeline';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { isAppError } from '@/lib/errors';
import { formatAmount } from '@/lib/money';
import { blockOptionsFor } from '@/lib/risk';
import { getMerchantOrder, MAX_MANUAL_DELIVERY_CHARS, REFUNDABLE, type MerchantOrderDetail } from '@/lib/orders';

type Params = { params: Promise<{ orderNo: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const t = await getTranslations('console.orders.detail');
  return { title: t('title', { orderNo: (await params).orderNo.slice(0, 32) }) };
}

function Section({ title, children, className }: { title: string; children: ReactNode; className?: string }) {
  return (
    <Card className={className}>
      <h2 className="mb-4 text-sm font-semibold text-zinc-900">{title}</h2>
      {children}
    </Card>
  );
}

export default async function OrderDetailPage({ params }: Params) {
  const ctx = await requireMerchantPage();
  const { orderNo } = await params;
  let detail: MerchantOrderDetail;
  try {
    detail = await getMerchantOrder(ctx.db, ctx.merchantId, orderNo);
  } catch (err) {
    if (isAppError(err) && err.code === 'not_found') notFound();
    throw err;
  }
  const t = await getTranslations('console.orders');
  const ts = await getTranslations('status');
  const tr = await getTranslations('console.risk');
  const format = await getFormatter();
  const locale = await getLocale();
  const { order } = detail;
  const money = (n: number) => formatAmount(n, order.currency, locale);
  const short = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'short', timeStyle: 'medium' });
  const when = (iso: string | null) => (iso ? format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'medium' }) : '—');

  const facts: [string, ReactNode][] = [
    [
      t('detail.product'),
      detail.product ? (
        <Link href={`/console/products`} className="text-brand-700 hover:underline">
          {detail.product.title}
        </Link>
      ) : (
        t('list.deletedProduct')
      ),
    ],
    [t('detail.quantity'), order.quantity],
    [t('detail.unitPrice'), money(order.unitPrice)],
    ...(order.discount ? ([[t('detail.discount'), `−${money(order.discount)}`]] as [string, ReactNode][]) : []),
    ...(detail.coupon
      ? ([
          [
            t('detail.coupon'),
            <span key="c">
              <Link href={`/console/coupons/${detail.coupon.id}`} className="font-mono text-brand-700 hover:underline">
                {detail.coupon.code}
              </Link>
              {detail.coupon.overLimit ? <span className="ml-2 text-xs text-amber-700">{t('detail.couponOverLimit')}</span> : null}
            </span>,
          ],
        ] as [string, ReactNode][])
      : []),
    [
      t('detail.amount'),
      <span key="a" className="font-semibold">
        {money(order.amount)}
      </span>,
    ],
    [
      t('detail.email'),
      <span key="e" className="break-all">
        {order.email}
      </span>,
    ],
    [
      t('detail.ip'),
      <span key="ip" className="font-mono text-xs">
        {order.buyerIp ?? '—'}
      </span>,
    ],
    [t('detail.locale'), order.locale],
    [t('detail.channel'), detail.channel ? `${detail.channel.name} (${detail.channel.kind})` : t('list.unknownChannel')],
    [t('detail.agent'), detail.agent ? `${detail.agent.name} (/a/${detail.agent.slug})` : t('detail.noAgent')],
  ];
  const times: [string, string | null][] = [
    [t('detail.created'), order.createdAt],
    [t('detail.expires'), order.status === 'pending' ? order.expiresAt : null],
    [t('detail.paid'), order.paidAt],
    [t('detail.delivered'), order.deliveredAt],
    [t('detail.refunded'), order.refundedAt],
  ];
  const delivered = detail.keys.sold + (order.hasManualDelivery ? 1 : 0) > 0;
  const canDeliver = order.status === 'awaiting_fulfillment';
  const canResend = order.status === 'delivered';
  const canRefund = REFUNDABLE.includes(order.status);

  return (
    <>
      <Link href="/console/orders" className="mb-3 inline-flex items-center gap-1 text-sm text-zinc-500 hover:text-zinc-800">
        <span aria-hidden>←</span> {t('detail.back')}
      </Link>
      <PageHeader
        title={t('detail.title', { orderNo: order.orderNo })}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <OrderStatusBadge status={order.status} label={ts(order.status)} />
            <span>{when(order.createdAt)}</span>
          </span>
        }
      />

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          {order.review === 'pending' && (order.status === 'paid' || order.status === 'pending') ? (
            <Section title={t('review.title')} className="ring-2 ring-brand-500">
              <ReviewForm orderNo={order.orderNo} paid={order.status === 'paid'} />
            </Section>
          ) : null}
          {order.review === 'rejected' && order.status === 'paid' ? <Alert tone="warning">{t('review.rejectedPaid')}</Alert> : null}
          {order.manualQueueAt && order.status === 'pending' ? (
            <Section title={t('manualQueue.orderTitle')} className="ring-2 ring-amber-300">
              <p className="mb-4 text-sm text-zinc-600">{t('manualQueue.orderHint', { until: when(order.expiresAt)! })}</p>
              <ManualPaymentForms orderNo={order.orderNo} />
            </Section>
          ) : null}
          {canDeliver ? (
            <Section title={t('manual.title')} className="ring-2 ring-amber-300">
              <p className="mb-4 text-sm text-zinc-600">{t('manual.description')}</p>
              <ManualDeliveryForm orderNo={order.orderNo} maxChars={MAX_MANUAL_DELIVERY_CHARS} />
            </Section>
          ) : null}

          <Section title={t('detail.summary')}>
            <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
              {facts.map(([k, v]) => (
                <div key={k} className="flex justify-between gap-4 border-b border-zinc-100 pb-2 sm:block sm:border-0 sm:pb-0">
                  <dt className="text-zinc-500">{k}</dt>
                  <dd className="text-right text-zinc-900 sm:mt-0.5 sm:text-left">{v}</dd>
                </div>
              ))}
            </dl>
            <h3 className="mt-6 mb-3 text-xs font-semibold tracking-wide text-zinc-500 uppercase">{t('detail.times')}</h3>
            <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
              {times
                .filter(([, v]) => v)
                .map(([k, v]) => (
                  <div key={k} className="flex justify-between gap-4 sm:block">
                    <dt className="text-zinc-500">{k}</dt>
                    <dd className="tabular-nums text-zinc-900 sm:mt-0.5">{when(v)}</dd>
                  </div>
                ))}
            </dl>
          </Section>

          <Section title={t('detail.delivery')}>
            {delivered ? (
              <>
                <p className="mb-3 text-sm text-zinc-600">
                  {t('detail.deliverySummary', {
                    keys: detail.keys.sold,
                    both: detail.keys.sold > 0 && order.hasManualDelivery ? 'yes' : 'no',
                    manual: order.hasManualDelivery ? 'yes' : 'no',
                  })}
                </p>
                <RevealItems orderNo={order.orderNo} count={detail.keys.sold + (order.hasManualDelivery ? 1 : 0)} />
              </>
            ) : (
              <p className="text-sm text-zinc-500">{t('detail.nothingDelivered')}</p>
            )}
          </Section>

          <Section title={t('detail.payments')}>
            {detail.payments.length === 0 ? (
              <p className="text-sm text-zinc-500">{t('detail.noPayments')}</p>
            ) : (
              <ul className="divide-y divide-zinc-100 text-sm">
                {detail.payments.map((p) => (
                  <li
                    key={p.id}
                    className="grid grid-cols-[1fr_auto] items-center gap-x-4 gap-y-1 py-2.5 first:pt-0 last:pb-0 sm:grid-cols-[1fr_auto_auto_auto]"
                  >
                    <div className="min-w-0">
                      <span className="sr-only">{t('detail.tradeNo')}: </span>
                      <span className="font-mono text-xs break-all text-zinc-800">{p.tradeNo}</span>
                    </div>
                    <span className="text-right font-medium tabular-nums">{formatAmount(p.amount, p.currency, locale)}</span>
                    <span>{p.duplicate ? <Badge tone="red">{t('detail.duplicate')}</Badge> : <Badge tone="green">{t('detail.normal')}</Badge>}</span>
                    <span className="text-right text-xs tabular-nums text-zinc-500">{short(p.createdAt)}</span>
                  </li>
                ))}
              </ul>
            )}
            {detail.payments.some((p) => p.duplicate) ? (
              <Alert tone="warning" className="mt-3">
                {t('detail.duplicateHint')}
              </Alert>
            ) : null}
          </Section>
        </div>

        <div className="min-w-0 space-y-6">
          {canResend || canRefund ? (
            <Section title={t('detail.actions')}>
              <div className="space-y-6">
                {canResend ? (
                  <div className="space-y-2">
                    <h3 className="text-sm font-medium text-zinc-800">{t('resend.title')}</h3>
                    <p className="text-sm text-zinc-500">{t('resend.description', { email: order.email })}</p>
                    <ResendMailForm orderNo={order.orderNo} />
                  </div>
                ) : null}
                {canRefund ? (
                  <div className="space-y-2 border-t border-zinc-100 pt-5 first:border-0 first:pt-0">
                    <h3 className="text-sm font-medium text-zinc-800">{t('refund.title')}</h3>
                    <p className="text-sm text-zinc-500">{t('refund.description')}</p>
                    <RefundForm
                      orderNo={order.orderNo}
                      remaining={order.amount - order.refundedAmount}
                      refunded={order.refundedAmount}
                      currency={order.currency}
                      partial={order.status === 'delivered'}
                      idempotencyKey={randomUUID()}
                      keys={detail.keys.sold + detail.keys.reserved}
                      generated={detail.product?.deliveryType !== 'auto'}
                      viaProvider={detail.refundViaProvider}
                    />
                  </div>
                ) : null}
              </div>
            </Section>
          ) : (
            <Section title={t('detail.actions')}>
              <p className="text-sm text-zinc-500">{t('noActions')}</p>
            </Section>
          )}
          {detail.risk.length > 0 ? (
            <Section title={t('review.riskTitle')}>
              <ul className="space-y-3 text-sm">
                {detail.risk.map((e, i) => (
                  <li key={i} className="space-y-1">
                    <p className="flex flex-wrap items-center gap-2">
                      <Badge tone={RISK_ACTION_TONES[e.action as keyof typeof RISK_ACTION_TONES] ?? 'neutral'}>
                        {tr(`actions.${e.action in RISK_ACTION_TONES ? (e.action as keyof typeof RISK_ACTION_TONES) : 'other'}`)}
                      </Badge>
                      <span className="text-xs tabular-nums text-zinc-500">{tr('test.score', { score: e.score })}</span>
                      <span className="text-xs tabular-nums text-zinc-500">{short(e.createdAt)}</span>
                    </p>
                    <ul className="list-disc pl-5 text-zinc-700">
                      {e.reasons.map((r, j) => (
                        <li key={j}>{reasonText(tr as never, r)}</li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </Section>
          ) : null}
          <Section title={tr('block.title')}>
            <p className="mb-3 text-sm text-zinc-500">{tr('block.hint')}</p>
            <BlockBuyerForm
              options={blockOptionsFor({ address: order.buyerIp, email: order.email })}
              note={tr('block.fromOrder', { orderNo: order.orderNo })}
              action={createRiskRuleAction}
            />
          </Section>
          <Section title={t('detail.timeline')}>
            <OrderTimeline events={detail.events} />
          </Section>
        </div>
      </div>
    </>
  );
}

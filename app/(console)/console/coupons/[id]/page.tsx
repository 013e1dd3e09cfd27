import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { CouponForm } from '@/components/console/coupons/coupon-form';
import { CouponToggle } from '@/components/console/coupons/coupon-toggle';
import { conditionText, discountText } from '@/components/console/coupons/describe';
import { CouponState } from '@/components/console/coupons/coupon-state';
import { ReportStats } from '@/components/console/coupons/report-stats';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { listMerchantCategories } from '@/lib/catalog';
import { getCoupon } from '@/lib/coupons';
import { BUSINESS_TIME_ZONE } from '@/lib/i18n';
import { formatAmount } from '@/lib/money';
import { orderLabels } from '@/lib/orders';
import { setCouponEnabledAction, updateCouponAction } from '../actions';
import { couponFormValues } from '../form-data';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const t = await getTranslations('console.coupons');
  return { title: `${t('title')} ${(await params).id.slice(0, 8)}` };
}

const when = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: BUSINESS_TIME_ZONE } as const;
const redemptionTone = { reserved: 'amber', committed: 'green', released: 'neutral' } as const;

export default async function CouponPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ created?: string }> }) {
  const { db, merchantId } = await requireMerchantPage();
  const [{ id }, { created }] = await Promise.all([params, searchParams]);
  const detail = await getCoupon(db, merchantId, id);
  if (!detail) notFound();
  const { coupon: c, batch, report, redemptions } = detail;
  const [t, locale, format, labels, categories] = await Promise.all([
    getTranslations('console.coupons'),
    getLocale(),
    getFormatter(),
    orderLabels(db, merchantId),
    listMerchantCategories(db, merchantId),
  ]);
  const lastDay = c.endsAt ? new Date(c.endsAt.getTime() - 1) : null;
  const day = (d: Date) => format.dateTime(d, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: BUSINESS_TIME_ZONE });

  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <div>
        <Link
          href={batch ? `/console/coupons/batches/${batch.id}` : '/console/coupons'}
          className="mb-3 inline-block text-sm text-zinc-500 hover:text-zinc-800"
        >
          ← {batch ? batch.name : t('back')}
        </Link>
        <PageHeader
          title={c.code}
          description={`${discountText(c, locale, t)} · ${conditionText(c, locale, t)}`}
          actions={
            <>
              <CouponState state={detail.state} />
              <CouponToggle target={{ couponId: c.id }} enabled={c.enabled} action={setCouponEnabledAction} />
            </>
          }
        />
        {created ? <Alert tone="success">{t('created')}</Alert> : null}
      </div>

      <ReportStats report={report} currency={c.currency} />

      <Card>
        <h2 className="mb-3 text-base font-semibold text-zinc-900">{t('terms')}</h2>
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
          <dt className="text-zinc-500">{t('columns.used')}</dt>
          <dd className="tabular-nums">{t('usesLine', { used: c.usedCount + c.overLimitCount, reserved: c.reservedCount, limit: c.totalLimit ?? '∞' })}</dd>
          <dt className="text-zinc-500">{t('form.perEmailLimit')}</dt>
          <dd>{c.perEmailLimit ?? t('unlimited')}</dd>
          <dt className="text-zinc-500">{t('window')}</dt>
          <dd>{c.startsAt || lastDay ? `${c.startsAt ? day(c.startsAt) : '…'} – ${lastDay ? day(lastDay) : '…'}` : t('always')}</dd>
          <dt className="text-zinc-500">{t('rules')}</dt>
          <dd>
            {[
              c.stackWholesale ? t('flags.stacks') : t('flags.noStack'),
              c.agentShops ? t('flags.agentShops') : t('flags.ownShop'),
              ...(c.allowFree ? [t('flags.free')] : []),
            ].join(' · ')}
          </dd>
          {c.note ? (
            <>
              <dt className="text-zinc-500">{t('form.note')}</dt>
              <dd className="whitespace-pre-wrap">{c.note}</dd>
            </>
          ) : null}
        </dl>
      </Card>

      <Card>
        <h2 className="mb-3 text-base font-semibold text-zinc-900">{t('redemptions.title')}</h2>
        <Table>
          <thead>
            <tr>
              <Th>{t('redemptions.time')}</Th>
              <Th>{t('redemptions.order')}</Th>
              <Th>{t('redemptions.email')}</Th>
              <Th>{t('redemptions.status')}</Th>
              <Th className="text-right">{t('redemptions.discount')}</Th>
              <Th className="text-right">{t('redemptions.paid')}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {redemptions.length === 0 ? <EmptyRow colSpan={6}>{t('redemptions.empty')}</EmptyRow> : null}
            {redemptions.map((r) => (
              <Tr key={r.id}>
                <Td className="tabular-nums">{format.dateTime(r.reservedAt, when)}</Td>
                <Td>
                  <Link href={`/console/orders/${r.orderNo}`} className="font-mono text-xs text-brand-700 hover:underline">
                    {r.orderNo}
                  </Link>
                </Td>
                <Td className="max-w-56 truncate">{r.email}</Td>
                <Td>
                  <Badge tone={redemptionTone[r.status]}>{t(`redemptions.states.${r.status}`)}</Badge>
                  {r.overLimit ? (
                    <span className="ml-1">
                      <Badge tone="red">{t('redemptions.overLimit')}</Badge>
                    </span>
                  ) : null}
                </Td>
                <Td className="text-right tabular-nums">−{formatAmount(r.discount, r.currency, locale)}</Td>
                <Td className="text-right tabular-nums">{r.status === 'committed' ? formatAmount(r.amount, r.currency, locale) : '—'}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      </Card>

      <details className="group rounded-2xl bg-white shadow-sm ring-1 ring-zinc-200">
        <summary className="cursor-pointer list-none px-5 py-4 focus-visible:outline-2 focus-visible:outline-brand-500">
          <span className="text-base font-semibold text-zinc-900">{t('edit')}</span>
          <span className="ml-2 text-sm text-zinc-500 group-open:hidden">▸</span>
          {batch ? <span className="mt-1 block text-sm text-zinc-500">{t('editOneOfBatch', { name: batch.name })}</span> : null}
        </summary>
        <div className="border-t border-zinc-200 bg-zinc-50 p-4 sm:p-5">
          <CouponForm
            initial={couponFormValues(c)}
            action={updateCouponAction}
            creating={false}
            target={{ couponId: c.id }}
            products={labels.products}
            categories={categories.map((x) => ({ id: x.id, name: x.name }))}
          />
        </div>
      </details>
    </div>
  );
}

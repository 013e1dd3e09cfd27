import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { CouponForm } from '@/components/console/coupons/coupon-form';
import { CouponToggle } from '@/components/console/coupons/coupon-toggle';
import { conditionText, discountText, usesText } from '@/components/console/coupons/describe';
import { CouponState } from '@/components/console/coupons/coupon-state';
import { ReportStats } from '@/components/console/coupons/report-stats';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { listMerchantCategories } from '@/lib/catalog';
import { getBatch, getCoupon, listCoupons } from '@/lib/coupons';
import { isAppError } from '@/lib/errors';
import { BUSINESS_TIME_ZONE } from '@/lib/i18n';
import { orderLabels } from '@/lib/orders';
import { setCouponEnabledAction, updateCouponAction } from '../../actions';
import { couponFormValues } from '../../form-data';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.coupons');
  return { title: t('batches.title') };
}

export default async function BatchPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ created?: string; cursor?: string }>;
}) {
  const { db, merchantId } = await requireMerchantPage();
  const [{ id }, { created, cursor }] = await Promise.all([params, searchParams]);
  const batch = await getBatch(db, merchantId, id);
  if (!batch || !batch.template) notFound();
  const [t, locale, format, labels, categories, template, page] = await Promise.all([
    getTranslations('console.coupons'),
    getLocale(),
    getFormatter(),
    orderLabels(db, merchantId),
    listMerchantCategories(db, merchantId),
    getCoupon(db, merchantId, batch.template.id, 0),
    listCoupons(db, merchantId, { batchId: batch.id, cursor: cursor || null, limit: 50 }).catch((e: unknown) => {
      if (isAppError(e)) return listCoupons(db, merchantId, { batchId: batch.id, limit: 50 });
      throw e;
    }),
  ]);
  const enabled = batch.enabledCodes > 0;
  const href = (extra: Record<string, string> = {}) => `/console/coupons/batches/${batch.id}?${new URLSearchParams(extra)}`;

  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <div>
        <Link href="/console/coupons" className="mb-3 inline-block text-sm text-zinc-500 hover:text-zinc-800">
          ← {t('back')}
        </Link>
        <PageHeader
          title={batch.name}
          description={`${discountText(batch.template, locale, t)} · ${conditionText(batch.template, locale, t)} · ${t('batches.createdAt', {
            at: format.dateTime(batch.createdAt, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: BUSINESS_TIME_ZONE }),
          })}`}
          actions={
            <>
              <a href={`/console/coupons/export?batch=${batch.id}`} className={buttonClass('secondary', undefined, 'sm')} download>
                {t('export.button')}
              </a>
              <a href={`/console/coupons/export?batch=${batch.id}&rows=redemptions`} className={buttonClass('secondary', undefined, 'sm')} download>
                {t('export.redemptionsButton')}
              </a>
              <CouponToggle target={{ batchId: batch.id }} enabled={enabled} action={setCouponEnabledAction} />
            </>
          }
        />
        {created ? <Alert tone="success">{t('batches.created', { n: batch.codes })}</Alert> : null}
      </div>

      <ReportStats report={batch.report} currency={batch.template.currency} codes={{ total: batch.codes, used: batch.codesUsed }} />

      <Card>
        <h2 className="mb-3 text-base font-semibold text-zinc-900">{t('batches.codes', { n: batch.codes })}</h2>
        <Table>
          <thead>
            <tr>
              <Th>{t('columns.code')}</Th>
              <Th className="text-right">{t('columns.used')}</Th>
              <Th className="text-right">{t('columns.reserved')}</Th>
              <Th>{t('columns.status')}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {page.coupons.length === 0 ? <EmptyRow colSpan={4}>{t('empty')}</EmptyRow> : null}
            {page.coupons.map((c) => (
              <Tr key={c.id}>
                <Td>
                  <Link href={`/console/coupons/${c.id}`} className="font-mono text-brand-700 hover:underline">
                    {c.code}
                  </Link>
                </Td>
                <Td className="text-right tabular-nums">{usesText(c)}</Td>
                <Td className="text-right tabular-nums">{c.reservedCount}</Td>
                <Td>
                  <CouponState state={c.state} />
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
        <KeysetPager
          firstHref={cursor ? href() : null}
          nextHref={page.nextCursor ? href({ cursor: page.nextCursor }) : null}
          firstLabel={t('firstPage')}
          nextLabel={t('nextPage')}
        />
      </Card>

      {template ? (
        <details className="group rounded-2xl bg-white shadow-sm ring-1 ring-zinc-200">
          <summary className="cursor-pointer list-none px-5 py-4 focus-visible:outline-2 focus-visible:outline-brand-500">
            <span className="text-base font-semibold text-zinc-900">{t('editBatch')}</span>
            <span className="ml-2 text-sm text-zinc-500 group-open:hidden">▸</span>
            <span className="mt-1 block text-sm text-zinc-500">{t('editBatchHint', { n: batch.codes })}</span>
          </summary>
          <div className="border-t border-zinc-200 bg-zinc-50 p-4 sm:p-5">
            <CouponForm
              initial={couponFormValues(template.coupon)}
              action={updateCouponAction}
              creating={false}
              target={{ batchId: batch.id }}
              products={labels.products}
              categories={categories.map((x) => ({ id: x.id, name: x.name }))}
            />
          </div>
        </details>
      ) : null}
    </div>
  );
}

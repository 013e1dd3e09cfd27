import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { conditionText, discountText, usesText } from '@/components/console/coupons/describe';
import { CouponState } from '@/components/console/coupons/coupon-state';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input } from '@/components/ui/field';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { listBatches, listCoupons } from '@/lib/coupons';
import { isAppError } from '@/lib/errors';
import { formatAmount } from '@/lib/money';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.coupons');
  return { title: t('title') };
}

type Search = { q?: string | string[]; cursor?: string | string[] };
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export default async function CouponsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { db, merchantId } = await requireMerchantPage();
  const [t, locale, params] = await Promise.all([getTranslations('console.coupons'), getLocale(), searchParams]);
  const q = one(params.q).trim();
  const cursor = one(params.cursor) || null;
  const [batches, page] = await Promise.all([
    q ? Promise.resolve([]) : listBatches(db, merchantId),
    listCoupons(db, merchantId, { q: q || undefined, cursor, limit: 50 }).catch((e: unknown) => {
      if (isAppError(e)) return listCoupons(db, merchantId, { q: q || undefined, limit: 50 }); // a stale cursor: start over
      throw e;
    }),
  ]);
  const href = (extra: Record<string, string> = {}) => `/console/coupons?${new URLSearchParams({ ...(q ? { q } : {}), ...extra })}`;
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <Link href="/console/coupons/new" className={buttonClass('primary')}>
            {t('new')}
          </Link>
        }
      />
      <div className="space-y-6">
        {!q ? (
          <Card>
            <div className="mb-3">
              <h2 className="text-base font-semibold text-zinc-900">{t('batches.title')}</h2>
              <p className="mt-1 text-sm text-zinc-500">{t('batches.hint')}</p>
            </div>
            <Table>
              <thead>
                <tr>
                  <Th>{t('batches.name')}</Th>
                  <Th>{t('columns.discount')}</Th>
                  <Th className="text-right">{t('batches.codesUsed')}</Th>
                  <Th className="text-right">{t('batches.funnel')}</Th>
                  <Th className="text-right">{t('report.discountGiven')}</Th>
                  <Th className="text-right">{t('report.revenue')}</Th>
                  <Th>{t('columns.status')}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {batches.length === 0 ? <EmptyRow colSpan={7}>{t('batches.empty')}</EmptyRow> : null}
                {batches.map((b) => (
                  <Tr key={b.id}>
                    <Td className="font-medium">
                      <Link href={`/console/coupons/batches/${b.id}`} className="text-brand-700 hover:underline">
                        {b.name}
                      </Link>
                      <span className="block text-xs text-zinc-500">{b.prefix ? `${b.prefix}…` : ''}</span>
                    </Td>
                    <Td>{b.template ? discountText(b.template, locale, t) : '—'}</Td>
                    <Td className="text-right tabular-nums">
                      {b.codesUsed} / {b.codes}
                    </Td>
                    <Td className="text-right tabular-nums">
                      {b.report.reservations} → {b.report.paid}
                    </Td>
                    <Td className="text-right tabular-nums">{b.template ? formatAmount(b.report.discountGiven, b.template.currency, locale) : '—'}</Td>
                    <Td className="text-right tabular-nums">{b.template ? formatAmount(b.report.revenue, b.template.currency, locale) : '—'}</Td>
                    <Td>
                      {b.enabledCodes === 0 ? <Badge>{t('status.disabled')}</Badge> : <Badge tone="green">{t('status.codesOn', { n: b.enabledCodes })}</Badge>}
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          </Card>
        ) : null}

        <Card>
          <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
            <div>
              <h2 className="text-base font-semibold text-zinc-900">{q ? t('search.results', { q }) : t('codesTitle')}</h2>
              {!q ? <p className="mt-1 text-sm text-zinc-500">{t('codesHint')}</p> : null}
            </div>
            <form action="/console/coupons" className="flex gap-2" role="search">
              <label htmlFor="coupon-q" className="sr-only">
                {t('search.label')}
              </label>
              <Input id="coupon-q" name="q" defaultValue={q} placeholder={t('search.placeholder')} className="w-56 font-mono uppercase" />
              <button type="submit" className={buttonClass('secondary', 'shrink-0 whitespace-nowrap')}>
                {t('search.submit')}
              </button>
            </form>
          </div>
          <Table>
            <thead>
              <tr>
                <Th>{t('columns.code')}</Th>
                <Th>{t('columns.discount')}</Th>
                <Th>{t('columns.conditions')}</Th>
                <Th className="text-right">{t('columns.used')}</Th>
                <Th className="text-right">{t('columns.reserved')}</Th>
                <Th>{t('columns.status')}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {page.coupons.length === 0 ? <EmptyRow colSpan={6}>{q ? t('search.none') : t('empty')}</EmptyRow> : null}
              {page.coupons.map((c) => (
                <Tr key={c.id}>
                  <Td>
                    <Link href={`/console/coupons/${c.id}`} className="font-mono font-medium text-brand-700 hover:underline">
                      {c.code}
                    </Link>
                  </Td>
                  <Td>{discountText(c, locale, t)}</Td>
                  <Td className="text-xs text-zinc-600">{conditionText(c, locale, t)}</Td>
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
      </div>
    </>
  );
}

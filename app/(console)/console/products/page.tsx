import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { ProductRowActions, ProductToggle } from '@/components/console/products/row-actions';
import { StockCell } from '@/components/console/products/stock-cell';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Td, Th, Tr } from '@/components/ui/table';
import { listMerchantCategories, listMerchantProducts } from '@/lib/catalog';
import { isAppError } from '@/lib/errors';
import { formatAmount } from '@/lib/money';
import { KeysetPager } from '@/components/ui/keyset-pager';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.products');
  return { title: t('title') };
}

const deliveryTone = { auto: 'blue', manual: 'amber', generated: 'green', webhook: 'neutral' } as const;

type Search = { category?: string; q?: string; cursor?: string };
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function ProductsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireMerchantPage();
  const t = await getTranslations('console.products');
  const locale = await getLocale();
  const sp = await searchParams;
  const filter: Search = { category: one(sp.category), q: one(sp.q)?.slice(0, 100), cursor: one(sp.cursor) };
  const filtered = !!(filter.category || filter.q);

  const categories = await listMerchantCategories(ctx.db, ctx.merchantId);
  const page = await listMerchantProducts(ctx.db, ctx.merchantId, { categoryId: filter.category, q: filter.q, cursor: filter.cursor }).catch((err: unknown) => {
    // A stale or hand-edited cursor: start again from the first page.
    if (isAppError(err) && err.code === 'validation_failed') return listMerchantProducts(ctx.db, ctx.merchantId, { categoryId: filter.category, q: filter.q });
    throw err;
  });
  const href = (extra: Partial<Search>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ category: filter.category, q: filter.q, ...extra })) if (v) p.set(k, v);
    const s = p.toString();
    return `/console/products${s ? `?${s}` : ''}`;
  };
  const canMove = !filtered;

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <>
            <Link href="/console/products/categories" className={buttonClass('secondary')}>
              {t('manageCategories')}
            </Link>
            <Link href="/console/products/new" className={buttonClass('primary')}>
              {t('new')}
            </Link>
          </>
        }
      />

      <div className="overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-zinc-200">
        <form method="get" action="/console/products" className="flex flex-wrap items-end gap-3 border-b border-zinc-200 p-4">
          <div className="w-full space-y-1.5 sm:w-48">
            <label htmlFor="filter-category" className="block text-xs font-medium text-zinc-600">
              {t('filter.category')}
            </label>
            <Select id="filter-category" name="category" defaultValue={filter.category ?? ''}>
              <option value="">{t('filter.allCategories')}</option>
              {categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
              <option value="none">{t('filter.uncategorised')}</option>
            </Select>
          </div>
          <div className="min-w-0 flex-1 space-y-1.5">
            <label htmlFor="filter-q" className="block text-xs font-medium text-zinc-600">
              {t('filter.search')}
            </label>
            <Input id="filter-q" name="q" type="search" maxLength={100} defaultValue={filter.q ?? ''} placeholder={t('filter.searchPlaceholder')} />
          </div>
          <div className="flex gap-2">
            <button type="submit" className={buttonClass('secondary')}>
              {t('filter.apply')}
            </button>
            {filtered ? (
              <Link href="/console/products" className={buttonClass('ghost')}>
                {t('filter.clear')}
              </Link>
            ) : null}
          </div>
        </form>
        {filtered ? <p className="border-b border-zinc-200 bg-zinc-50 px-4 py-2 text-xs text-zinc-500">{t('filter.sortHint')}</p> : null}

        <div className="overflow-x-auto">
          <table className="min-w-full divide-y divide-zinc-200 text-sm">
            <thead className="bg-zinc-50/60">
              <tr>
                {canMove ? <Th className="w-20 pl-4">{t('list.order')}</Th> : null}
                <Th className={canMove ? '' : 'pl-4'}>{t('list.product')}</Th>
                <Th className="hidden text-right sm:table-cell">{t('list.price')}</Th>
                <Th className="hidden sm:table-cell">{t('list.delivery')}</Th>
                <Th>{t('list.stock')}</Th>
                <Th>{t('list.status')}</Th>
                <Th className="pr-4 text-right">{t('list.actions')}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {page.rows.length === 0 ? (
                <EmptyRow colSpan={canMove ? 7 : 6}>
                  {filtered ? (
                    t('list.emptyFiltered')
                  ) : (
                    <span className="inline-flex flex-col items-center gap-3">
                      {t('list.empty')}
                      <Link href="/console/products/new" className={buttonClass('primary', undefined, 'sm')}>
                        {t('new')}
                      </Link>
                    </span>
                  )}
                </EmptyRow>
              ) : (
                page.rows.map((p, i) => (
                  <Tr key={p.id} className={p.active ? undefined : 'bg-zinc-50/70'}>
                    {canMove ? (
                      <Td className="pl-4">
                        <ProductRowActions
                          id={p.id}
                          first={!filter.cursor && i === 0}
                          last={!page.nextCursor && i === page.rows.length - 1}
                          labels={{ up: t('list.moveUpNamed', { title: p.title }), down: t('list.moveDownNamed', { title: p.title }) }}
                        />
                      </Td>
                    ) : null}
                    <Td className={`min-w-44 max-w-72 whitespace-normal ${canMove ? '' : 'pl-4'}`}>
                      <Link href={`/console/products/${p.id}`} className="font-medium text-zinc-900 hover:text-brand-700 hover:underline">
                        {p.title}
                      </Link>
                      <p className="mt-0.5 truncate text-xs text-zinc-500">
                        {p.categoryName ?? t('filter.uncategorised')} · /p/{p.slug}
                      </p>
                      {/* On a phone the price and delivery columns fold in here. */}
                      <p className="mt-1 flex items-center gap-2 text-xs sm:hidden">
                        <span className="font-medium tabular-nums text-zinc-900">{formatAmount(p.price, p.currency, locale)}</span>
                        <Badge tone={deliveryTone[p.deliveryType]}>{t(`delivery.${p.deliveryType}`)}</Badge>
                      </p>
                    </Td>
                    <Td className="hidden text-right tabular-nums sm:table-cell">{formatAmount(p.price, p.currency, locale)}</Td>
                    <Td className="hidden sm:table-cell">
                      <Badge tone={deliveryTone[p.deliveryType]}>{t(`delivery.${p.deliveryType}`)}</Badge>
                    </Td>
                    <Td>
                      <StockCell
                        stock={p.stock}
                        low={p.lowStock}
                        labels={{
                          available: t('list.available'),
                          reserved: t('list.reserved'),
                          sold: t('list.sold'),
                          low: p.stock?.available === 0 ? t('list.soldOut') : t('list.lowStock', { alert: p.stockAlert }),
                          none: t('list.noStockNeeded'),
                        }}
                      />
                    </Td>
                    <Td>
                      <ProductToggle
                        id={p.id}
                        active={p.active}
                        labels={{ on: t('list.on'), off: t('list.off'), turnOn: t('list.turnOn'), turnOff: t('list.turnOff') }}
                      />
                    </Td>
                    <Td className="pr-4 text-right">
                      <div className="flex justify-end gap-1">
                        <Link href={`/console/products/${p.id}`} className={buttonClass('secondary', undefined, 'sm')}>
                          {t('list.edit')}
                        </Link>
                        {p.deliveryType === 'auto' ? (
                          <Link href={`/console/keys?product=${p.id}`} className={buttonClass('ghost', undefined, 'sm')}>
                            {t('list.keys')}
                          </Link>
                        ) : null}
                      </div>
                    </Td>
                  </Tr>
                ))
              )}
            </tbody>
          </table>
        </div>

        {filter.cursor || page.nextCursor ? (
          <KeysetPager
            footer
            summary={t('list.count', { count: page.rows.length })}
            firstHref={filter.cursor ? href({ cursor: undefined }) : null}
            nextHref={page.nextCursor ? href({ cursor: page.nextCursor }) : null}
            firstLabel={t('list.first')}
            nextLabel={t('list.next')}
          />
        ) : null}
      </div>
    </>
  );
}

import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { formatAmount } from '@/lib/money';
import { cn } from '@/lib/utils';
import type { Merchant } from '@/lib/accounts';
import type { Agent } from '@/lib/agents';
import type { StoreProduct } from '@/lib/catalog';

export type CatalogSearch = { c?: string; q?: string };

/** A shop's listing: the merchant's own at `/`, or an agent's at `/a/{slug}` with the agent's prices. */
export async function CatalogView({
  shop,
  agent,
  search,
  catalog,
}: {
  shop: Merchant | null;
  agent: Agent | null;
  search: CatalogSearch;
  catalog: { products: StoreProduct[]; categories: { id: string; slug: string; name: string }[] };
}) {
  const { c: categorySlug, q: rawQuery } = search;
  const base = agent ? `/a/${agent.slug}` : '';
  const query = (rawQuery ?? '').trim().slice(0, 60);
  const t = await getTranslations('home');
  const locale = await getLocale();
  const { products: all, categories } = catalog;
  const category = categories.find((c) => c.slug === categorySlug);
  const needle = query.toLowerCase();
  const products = all.filter((p) => (!category || p.categoryId === category.id) && (!needle || p.title.toLowerCase().includes(needle)));
  const href = (c?: string) => {
    const sp = new URLSearchParams();
    if (c) sp.set('c', c);
    if (query) sp.set('q', query);
    const s = sp.toString();
    return s ? `${base || ''}/?${s}` : base || '/';
  };
  return (
    <div className="space-y-6">
      {shop?.settings.notice ? (
        <section aria-label={t('notice')} className="rounded-2xl bg-brand-50 px-4 py-3 text-sm text-brand-700 ring-1 ring-brand-100">
          {shop.settings.notice}
        </section>
      ) : null}
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <div>
          {agent ? <p className="text-xs text-zinc-500">{t('agentShop', { name: agent.name })}</p> : null}
          <h1 className="text-xl font-semibold">{category?.name ?? t('products')}</h1>
        </div>
        {/* A plain GET form: search works without JavaScript. */}
        <form action={base || '/'} method="get" role="search" className="flex gap-2">
          {category ? <input type="hidden" name="c" value={category.slug} /> : null}
          <label htmlFor="shop-search" className="sr-only">
            {t('search')}
          </label>
          <input
            id="shop-search"
            name="q"
            type="search"
            defaultValue={query}
            placeholder={t('searchPlaceholder')}
            className="w-full rounded-lg bg-white px-3 py-2 text-sm ring-1 ring-inset ring-zinc-300 focus:ring-2 focus:ring-brand-500 sm:w-56"
          />
          <button type="submit" className={buttonClass('secondary', 'px-3')}>
            {t('searchButton')}
          </button>
        </form>
      </div>
      {categories.length > 0 ? (
        <nav aria-label={t('category')} className="-mx-4 overflow-x-auto px-4">
          <ul className="flex gap-2 whitespace-nowrap">
            {[{ slug: undefined, name: t('all') }, ...categories].map((c) => {
              const active = c.slug === category?.slug;
              return (
                <li key={c.slug ?? 'all'}>
                  <Link
                    href={href(c.slug)}
                    aria-current={active ? 'page' : undefined}
                    className={cn(
                      'inline-block rounded-full px-3.5 py-1.5 text-sm ring-1 ring-inset focus-visible:outline-2 focus-visible:outline-brand-500',
                      active ? 'bg-brand-600 text-white ring-brand-600' : 'bg-white text-zinc-700 ring-zinc-200 hover:bg-zinc-50',
                    )}
                  >
                    {c.name}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
      ) : null}
      {all.length === 0 ? <p className="text-zinc-500">{t('noProducts')}</p> : null}
      {all.length > 0 && products.length === 0 ? <p className="text-zinc-500">{t('noResults', { q: query })}</p> : null}
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {products.map((p) => {
          const soldOut = p.stock <= 0;
          const body = (
            <>
              <div className="space-y-2">
                <h2 className="font-medium leading-snug">{p.title}</h2>
                <div className="flex flex-wrap gap-1.5">
                  <Badge tone="blue">
                    {p.deliveryType === 'manual' ? t('deliveryManual') : p.deliveryType === 'generated' ? t('deliveryGenerated') : t('deliveryAuto')}
                  </Badge>
                  {soldOut && p.reserved > 0 ? (
                    <Badge tone="amber">{t('reserved', { count: p.reserved })}</Badge>
                  ) : soldOut ? (
                    <Badge tone="red">{t('soldOut')}</Badge>
                  ) : p.stock >= 1000 ? (
                    <Badge tone="green">{t('plenty')}</Badge>
                  ) : (
                    <Badge tone={p.stock < 10 ? 'amber' : 'green'}>{t('stock', { count: p.stock })}</Badge>
                  )}
                </div>
              </div>
              <p className="text-lg font-semibold text-brand-700">{formatAmount(p.price, p.currency, locale)}</p>
            </>
          );
          const card = 'flex h-full flex-col justify-between gap-4 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-zinc-200';
          return (
            <li key={p.id}>
              {soldOut ? (
                // Sold out: shown, not hidden, and not a link to a form that cannot succeed.
                <div className={`${card} opacity-60`} aria-disabled="true" data-testid="product-sold-out">
                  {body}
                </div>
              ) : (
                <Link
                  href={`${base}/p/${p.slug}`}
                  className={`${card} transition hover:ring-brand-500 focus-visible:outline-2 focus-visible:outline-brand-500`}
                >
                  {body}
                </Link>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

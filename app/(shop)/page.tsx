import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { Badge } from '@/components/ui/badge';
import { getDb } from '@/db/client';
import { listStoreProducts } from '@/lib/catalog';
import { formatAmount } from '@/lib/money';
import { currentShop } from './shop-data';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const t = await getTranslations('home');
  const locale = await getLocale();
  const shop = await currentShop();
  const products = shop ? await listStoreProducts(getDb(), shop.id) : [];
  return (
    <div className="space-y-6">
      {shop?.settings.notice ? (
        <section aria-label={t('notice')} className="rounded-2xl bg-brand-50 px-4 py-3 text-sm text-brand-700 ring-1 ring-brand-100">
          {shop.settings.notice}
        </section>
      ) : null}
      <h1 className="text-xl font-semibold">{t('products')}</h1>
      {products.length === 0 ? <p className="text-zinc-500">{t('noProducts')}</p> : null}
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {products.map((p) => {
          const soldOut = p.stock <= 0;
          const body = (
            <>
              <div className="space-y-2">
                <h2 className="font-medium leading-snug">{p.title}</h2>
                <div className="flex flex-wrap gap-1.5">
                  <Badge tone="blue">{p.deliveryType === 'manual' ? t('deliveryManual') : p.deliveryType === 'generated' ? t('deliveryGenerated') : t('deliveryAuto')}</Badge>
                  {soldOut ? (
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
                <Link href={`/p/${p.slug}`} className={`${card} transition hover:ring-brand-500 focus-visible:outline-2 focus-visible:outline-brand-500`}>
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

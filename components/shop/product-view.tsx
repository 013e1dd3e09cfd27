import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { BuyForm } from '@/components/shop/buy-form';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db/client';
import type { Merchant } from '@/lib/accounts';
import { shopTerms, type Agent } from '@/lib/agents';
import { getStoreProduct } from '@/lib/catalog';
import { renderMarkdown } from '@/lib/markdown';
import { formatAmount } from '@/lib/money';
import { listStoreChannels, onePerMethod } from '@/lib/payments';

/** A product page with its buy form, in the merchant's shop or an agent's (agent prices). */
export async function ProductView({ shop, agent, slug }: { shop: Merchant | null; agent: Agent | null; slug: string }) {
  const t = await getTranslations('home');
  const locale = await getLocale();
  if (!shop) notFound();
  const db = getDb();
  const base = agent ? `/a/${agent.slug}` : '';
  const [product, all] = await Promise.all([
    agent ? shopTerms(db, agent).then((terms) => getStoreProduct(db, shop.id, slug, terms)) : getStoreProduct(db, shop.id, slug),
    listStoreChannels(db, shop.id),
  ]);
  // One choice per way of paying: a second channel of a method is its backup (failover takes
  // it when the first cannot), not another button. Channels of no particular method each show.
  const channels = onePerMethod(all);
  if (!product) notFound();
  const stock = product.stock;
  const soldOut = stock <= 0;
  return (
    <div className="grid gap-6 lg:grid-cols-5">
      <div className="space-y-4 lg:col-span-3">
        <Link href={base || '/'} className="text-sm text-brand-700 hover:underline">
          ← {t('products')}
        </Link>
        <h1 className="text-2xl font-semibold leading-tight">{product.title}</h1>
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-2xl font-semibold text-brand-700">{formatAmount(product.price, product.currency, locale)}</span>
          {soldOut ? (
            <Badge tone="red">{t('soldOut')}</Badge>
          ) : stock >= 1000 ? (
            <Badge tone="green">{t('plenty')}</Badge>
          ) : (
            <Badge tone="green">{t('stock', { count: stock })}</Badge>
          )}
          {/* Held by unpaid orders: they come back if those orders lapse. */}
          {product.reserved > 0 ? <Badge tone="amber">{t('reserved', { count: product.reserved })}</Badge> : null}
        </div>
        {product.wholesaleTiers.length > 0 ? (
          <Card className="space-y-2">
            <h2 className="text-sm font-medium">{t('tiers')}</h2>
            <table className="w-full text-sm">
              <tbody className="divide-y divide-zinc-100">
                {[...product.wholesaleTiers]
                  .sort((a, b) => a.minQty - b.minQty)
                  .map((tier) => (
                    <tr key={tier.minQty}>
                      <td className="py-1.5 text-zinc-600">{t('tierRow', { minQty: tier.minQty })}</td>
                      <td className="py-1.5 text-right font-medium">{t('perUnit', { price: formatAmount(tier.unitPrice, product.currency, locale) })}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </Card>
        ) : null}
        {product.description ? (
          <Card>
            <div
              className="prose-sm space-y-2 text-sm leading-relaxed text-zinc-700 [&_a]:text-brand-700 [&_a]:underline [&_li]:ml-5 [&_ul]:list-disc"
              dangerouslySetInnerHTML={{ __html: renderMarkdown(product.description) }}
            />
          </Card>
        ) : null}
      </div>
      <Card className="h-fit lg:col-span-2">
        {soldOut ? (
          <p className="text-center text-zinc-500">{t('soldOut')}</p>
        ) : (
          <BuyForm
            locale={locale}
            channels={channels}
            agent={agent?.slug}
            product={{
              id: product.id,
              price: product.price,
              currency: product.currency,
              minQty: product.minQty,
              maxQty: product.maxQty,
              tiers: product.wholesaleTiers,
              stock,
            }}
          />
        )}
      </Card>
    </div>
  );
}

import { and, eq } from 'drizzle-orm';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { BuyForm } from '@/components/shop/buy-form';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { getDb } from '@/db/client';
import { products } from '@/db/schema';
import { UNLIMITED_STOCK } from '@/lib/catalog';
import { availableCounts } from '@/lib/inventory';
import { renderMarkdown } from '@/lib/markdown';
import { formatAmount } from '@/lib/money';
import { listStoreChannels } from '@/lib/payments';
import type { Agent, Merchant } from '@/db/schema';
import { listPriceFor } from '@/lib/agents';

export async function productTitle(shop: Merchant | null, slug: string) {
  if (!shop) return {};
  const [product] = await getDb()
    .select({ title: products.title })
    .from(products)
    .where(and(eq(products.merchantId, shop.id), eq(products.slug, slug)));
  return product ? { title: product.title } : {};
}

/** A product page with its buy form, in the merchant's shop or an agent's (agent prices). */
export async function ProductView({ shop, agent, slug }: { shop: Merchant | null; agent: Agent | null; slug: string }) {
  const t = await getTranslations('home');
  const locale = await getLocale();
  if (!shop) notFound();
  const db = getDb();
  const base = agent ? `/a/${agent.slug}` : '';
  const level = agent?.level ?? null;
  const [product] = await db
    .select()
    .from(products)
    .where(and(eq(products.merchantId, shop.id), eq(products.slug, slug), eq(products.active, true)));
  if (!product) notFound();
  const stock = product.deliveryType === 'auto' ? ((await availableCounts(db, [product.id])).get(product.id) ?? 0) : UNLIMITED_STOCK;
  const channels = await listStoreChannels(db, shop.id);
  const soldOut = stock <= 0;
  return (
    <div className="grid gap-6 lg:grid-cols-5">
      <div className="space-y-4 lg:col-span-3">
        <Link href={base || '/'} className="text-sm text-brand-700 hover:underline">
          ← {t('products')}
        </Link>
        <h1 className="text-2xl font-semibold leading-tight">{product.title}</h1>
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-2xl font-semibold text-brand-700">{formatAmount(listPriceFor(product, level), product.currency, locale)}</span>
          {soldOut ? (
            <Badge tone="red">{t('soldOut')}</Badge>
          ) : stock >= 1000 ? (
            <Badge tone="green">{t('plenty')}</Badge>
          ) : (
            <Badge tone="green">{t('stock', { count: stock })}</Badge>
          )}
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
              price: listPriceFor(product, level),
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

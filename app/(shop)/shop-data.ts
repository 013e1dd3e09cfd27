import 'server-only';
import { unstable_cache } from 'next/cache';
import { getDb } from '@/db/client';
import { getDefaultMerchant } from '@/lib/accounts';
import { findAgentShop } from '@/lib/agents';
import { listStoreCategories, listStoreProducts } from '@/lib/catalog';

/** The default merchant, whose shop the storefront serves. */
export async function currentShop() {
  return getDefaultMerchant(getDb());
}

/** The default merchant's shop as sold by one of its agents (`/a/{slug}`), or null. */
export async function agentShop(agentSlug: string) {
  const shop = await currentShop();
  const agent = shop ? await findAgentShop(getDb(), shop.id, agentSlug) : null;
  return shop && agent ? { shop, agent } : null;
}

export const catalogTag = (merchantId: string) => `catalog:${merchantId}`;

/**
 * The product listing, cached across requests for a few seconds and invalidated by tag when
 * the merchant changes products or keys (app/api/_lib/catalog-cache.ts). Stock on a cached
 * listing can lag by those seconds; the product page and checkout always count live.
 */
export function cachedCatalog(merchantId: string, agentLevel: number | null) {
  return unstable_cache(
    async () => {
      const db = getDb();
      const [products, categories] = await Promise.all([listStoreProducts(db, merchantId, agentLevel), listStoreCategories(db, merchantId)]);
      return { products, categories };
    },
    ['store-catalog', merchantId, String(agentLevel ?? 0)],
    { tags: [catalogTag(merchantId)], revalidate: 10 },
  )();
}

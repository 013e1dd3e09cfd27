// The storefront's cached product listing and the one tag that invalidates it. Every change
// that a shop's listing shows (products, categories, keys, settings) calls
// `invalidateCatalog` after it commits.
import 'server-only';
import { revalidateTag, unstable_cache } from 'next/cache';
import { getDb } from '@/db/client';
import { shopTerms, type Agent } from '@/lib/agents';
import { listStoreCategories, listStoreProducts } from '@/lib/catalog';

export const catalogTag = (merchantId: string) => `catalog:${merchantId}`;

/**
 * The product listing, cached across requests for a few seconds and invalidated by tag when
 * the merchant changes products or keys. Stock on a cached listing can lag by those seconds;
 * the product page and checkout always count live.
 */
export function cachedCatalog(merchantId: string, agent: Agent | null) {
  return unstable_cache(
    async () => {
      const db = getDb();
      const terms = agent ? await shopTerms(db, agent) : null;
      const [products, categories] = await Promise.all([listStoreProducts(db, merchantId, terms), listStoreCategories(db, merchantId)]);
      return { products, categories };
    },
    // An agent's listing is its own (its level's products, its markups); a change of either invalidates the merchant's tag.
    ['store-catalog', merchantId, agent ? `${agent.id}:${agent.level}` : 'shop'],
    { tags: [catalogTag(merchantId)], revalidate: 10 },
  )();
}

/**
 * Marks a merchant's cached storefront listing stale after a product or stock change.
 * Outside a Next.js server (the route handlers' own tests) there is no cache to mark.
 */
export function invalidateCatalog(merchantId: string): void {
  try {
    revalidateTag(catalogTag(merchantId), 'max');
  } catch {
    // no incremental cache in this process
  }
}

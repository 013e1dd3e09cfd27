// The storefront's cached product listing and the one tag that invalidates it. Every change
// that a shop's listing shows (products, categories, keys, settings) calls
// `invalidateCatalog` after it commits.
import 'server-only';
import { revalidateTag, unstable_cache } from 'next/cache';
import { getDb } from '@/db/client';
import { listStoreCategories, listStoreProducts } from '@/lib/catalog';

export const catalogTag = (merchantId: string) => `catalog:${merchantId}`;

/**
 * The product listing, cached across requests for a few seconds and invalidated by tag when
 * the merchant changes products or keys. Stock on a cached listing can lag by those seconds;
 * the product page and checkout always count live.
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

import 'server-only';
import { unstable_cache } from 'next/cache';
import { getDb } from '@/db/client';
import { getDefaultMerchant } from '@/lib/accounts';
import { listStoreCategories, listStoreProducts } from '@/lib/catalog';

/** The default merchant, whose shop the storefront serves. */
export async function currentShop() {
  return getDefaultMerchant(getDb());
}

export const catalogTag = (merchantId: string) => `catalog:${merchantId}`;

/**
 * The product listing, cached across requests for a few seconds and invalidated by tag when
 * the merchant changes products or keys (app/api/_lib/catalog-cache.ts). Stock on a cached
 * listing can lag by those seconds; the product page and checkout always count live.
 */
export function cachedCatalog(merchantId: string) {
  return unstable_cache(
    async () => {
      const db = getDb();
      const [products, categories] = await Promise.all([listStoreProducts(db, merchantId), listStoreCategories(db, merchantId)]);
      return { products, categories };
    },
    ['store-catalog', merchantId],
    { tags: [catalogTag(merchantId)], revalidate: 10 },
  )();
}

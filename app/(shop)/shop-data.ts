import 'server-only';
import { storeProductTitle } from '@/lib/catalog';
import { getDb } from '@/db/client';
import { getDefaultMerchant } from '@/lib/accounts';
import { findAgentShop } from '@/lib/agents';

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

/** The page title of a shop's product, or nothing (no shop, no such product, or switched off). */
export async function productMetadata(shop: { id: string } | null, slug: string): Promise<{ title?: string }> {
  const title = shop ? await storeProductTitle(getDb(), shop.id, slug) : null;
  return title ? { title } : {};
}

export { cachedCatalog } from '@/app/_lib/catalog-cache';

// An agent's shop as buyers see it: which products it may show (its level's visibility and
// its own listing) and at what price (its markup on its level's cost). The storefront
// listing, the product page, the quote and order creation all price through this.
import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { agentLevels, agentProducts, type Agent, type AgentLevel, type Product } from '@/db/schema';
import { unitCostFor, unitSaleFor, visibleAtRank, visibleInMainStore } from './pricing';

export type AgentShopTerms = {
  agentId: string;
  level: Pick<AgentLevel, 'rank' | 'discountBp' | 'minMarkupBp' | 'maxMarkupBp' | 'allowBelowRetail'>;
  /** The agent's own settings by product id (no entry: listed, at retail). */
  products: Record<string, { listed: boolean; markupBp: number | null }>;
};

/** The level and per-product settings of an agent's shop (two indexed reads). */
export async function shopTerms(db: DbOrTx, agent: Pick<Agent, 'id' | 'merchantId' | 'level'>): Promise<AgentShopTerms | null> {
  const [[level], rows] = await Promise.all([
    db
      .select()
      .from(agentLevels)
      .where(and(eq(agentLevels.merchantId, agent.merchantId), eq(agentLevels.rank, agent.level))),
    db
      .select({ productId: agentProducts.productId, listed: agentProducts.listed, markupBp: agentProducts.markupBp })
      .from(agentProducts)
      .where(eq(agentProducts.agentId, agent.id)),
  ]);
  if (!level) return null;
  return { agentId: agent.id, level, products: Object.fromEntries(rows.map((r) => [r.productId, { listed: r.listed, markupBp: r.markupBp }])) };
}

/**
 * The unit price a shop shows for a product, or null when the shop does not sell it: the
 * merchant's shop (terms null) sells what no agent rank is reserved for, at retail; an agent's
 * what its level may see and it lists, at its price.
 */
export function shopPrice(
  terms: AgentShopTerms | null,
  product: Pick<Product, 'id' | 'price' | 'agentPrices' | 'agentMinRank' | 'agentVisible'>,
): number | null {
  if (!terms) return visibleInMainStore(product) ? product.price : null;
  const own = terms.products[product.id];
  if (own?.listed === false || !visibleAtRank(product, terms.level.rank)) return null;
  return unitSaleFor(unitCostFor(product, terms.level), product.price, terms.level, own?.markupBp ?? null);
}

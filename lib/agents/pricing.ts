// What an agent pays and sells for (pure arithmetic, no database): a level's cost of a
// product, whether the level may see it, the agent's sale price from its markup within the
// level's bounds, and the commission split an order snapshots. Integer minor units,
// basis points, half-up rounding to the cent.
import type { AgentLevel, Product } from '@/db/schema';

export const MAX_AGENT_LEVEL = 7;

/** x × bp / 10000, rounded half-up (x ≥ 0). */
export function applyBp(x: number, bp: number): number {
  return Math.floor((x * bp + 5000) / 10000);
}

type PricedProduct = Pick<Product, 'price' | 'agentPrices' | 'agentMinRank' | 'agentVisible'>;
type LevelTerms = Pick<AgentLevel, 'rank' | 'discountBp' | 'minMarkupBp' | 'maxMarkupBp' | 'allowBelowRetail'>;

/** The level's cost of one unit: the product's price for this rank, else the level's discount off retail. */
export function unitCostFor(product: PricedProduct, level: Pick<AgentLevel, 'rank' | 'discountBp'>): number {
  const own = product.agentPrices[String(level.rank)];
  if (typeof own === 'number' && Number.isInteger(own) && own >= 0) return own;
  return applyBp(product.price, 10000 - level.discountBp);
}

/** Whether an agent shop of this rank may show and sell the product (the per-level switch wins over the minimum rank). */
export function visibleAtRank(product: Pick<Product, 'agentMinRank' | 'agentVisible'>, rank: number): boolean {
  const override = product.agentVisible[String(rank)];
  if (typeof override === 'boolean') return override;
  return product.agentMinRank == null || rank >= product.agentMinRank;
}

/** The merchant's own storefront shows what no agent rank is reserved for. */
export function visibleInMainStore(product: Pick<Product, 'agentMinRank'>): boolean {
  return product.agentMinRank == null;
}

/**
 * The agent's unit sale price: its cost plus its markup (clamped to the level's bounds as
 * they are now), never below retail unless the level allows it; without a markup of its
 * own the agent sells at retail (or at the level's minimum markup when that is higher).
 */
export function unitSaleFor(cost: number, retail: number, level: LevelTerms, markupBp: number | null): number {
  const floor = cost + applyBp(cost, level.minMarkupBp);
  if (markupBp == null) return Math.max(retail, floor);
  const bp = Math.min(Math.max(markupBp, level.minMarkupBp), level.maxMarkupBp);
  const sale = cost + applyBp(cost, bp);
  return level.allowBelowRetail ? sale : Math.max(sale, retail);
}

/** Why a markup the agent asks for cannot be set, or null when it can. */
export function markupRefusal(
  cost: number,
  retail: number,
  level: LevelTerms,
  markupBp: number,
): { code: 'out_of_range' | 'below_retail'; min?: number; max?: number } | null {
  if (!Number.isInteger(markupBp) || markupBp < level.minMarkupBp || markupBp > level.maxMarkupBp) {
    return { code: 'out_of_range', min: level.minMarkupBp, max: level.maxMarkupBp };
  }
  if (!level.allowBelowRetail && cost + applyBp(cost, markupBp) < retail) return { code: 'below_retail', min: retail };
  return null;
}

export type CommissionSplit = { commission: number; parentShare: number };

/**
 * The order's commission: the agent earns (sale − cost) × qty less any discount, floored at
 * 0; a parent earns, in `price_diff` mode, its cost below the child's (never less than 0,
 * however the parent was downgraded), or in `percent` mode a share of the child's commission.
 */
export function splitCommission(input: {
  quantity: number;
  unitSale: number;
  unitCost: number;
  discount: number;
  parentUnitCost: number | null;
  mode: AgentLevel['parentShare'];
  shareBp: number;
}): CommissionSplit {
  const own = Math.max(0, (input.unitSale - input.unitCost) * input.quantity - input.discount);
  if (input.parentUnitCost == null || input.mode === 'none') return { commission: own, parentShare: 0 };
  if (input.mode === 'percent') {
    const share = Math.floor((own * input.shareBp) / 10000);
    return { commission: own - share, parentShare: share };
  }
  return { commission: own, parentShare: Math.max(0, input.unitCost - input.parentUnitCost) * input.quantity };
}

/** A refund's cumulative share of a commission c, to the cent (half-up), with a fixed denominator so the parts add up to c exactly. */
export function reversedShare(c: number, refundedSoFar: number, orderAmount: number): number {
  if (orderAmount <= 0) return c;
  // In BigInt: c × refunded can pass 2^53 for large orders.
  const [cc, r, a] = [BigInt(c), BigInt(refundedSoFar), BigInt(orderAmount)];
  return Number((cc * r * 2n + a) / (a * 2n));
}

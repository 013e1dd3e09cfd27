// The storefront's reads of the catalogue: the active products of a shop with the stock a
// buyer sees, one product by its slug, and the unit price of a quantity (wholesale tiers in
// the merchant's shop; an agent's shop sells what its level may see, at the agent's price).
import 'server-only';
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { products, type Product, type WholesaleTier } from '@/db/schema';
import { shopPrice, type AgentShopTerms } from '@/lib/agents';
import { shelfCounts } from '@/lib/inventory';

export type StoreProduct = {
  id: string;
  slug: string;
  title: string;
  price: number;
  currency: string;
  stock: number;
  /** Keys held by unpaid orders (they come back if those lapse): a shelf emptied by reservations is not shown as sold out for good. */
  reserved: number;
  deliveryType: Product['deliveryType'];
  categoryId: string | null;
  description: string;
  minQty: number;
  maxQty: number;
  wholesaleTiers: WholesaleTier[];
};

/** Stock a buyer sees for products that need none (manual, generated, dynamic): always available. */
export const UNLIMITED_STOCK = 999_999;

async function withStock(db: DbOrTx, all: Product[], shop: AgentShopTerms | null): Promise<StoreProduct[]> {
  const priced = all.map((r) => ({ r, price: shopPrice(shop, r) })).filter((x): x is { r: Product; price: number } => x.price !== null);
  const counts = await shelfCounts(
    db,
    priced.filter(({ r }) => r.deliveryType === 'auto').map(({ r }) => r.id),
  );
  return priced.map(({ r, price }) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    price,
    currency: r.currency,
    stock: r.deliveryType === 'auto' ? (counts.get(r.id)?.available ?? 0) : UNLIMITED_STOCK,
    reserved: r.deliveryType === 'auto' ? (counts.get(r.id)?.reserved ?? 0) : 0,
    deliveryType: r.deliveryType,
    categoryId: r.categoryId,
    description: r.description,
    minQty: r.minQty,
    maxQty: r.maxQty,
    // Wholesale tiers are the merchant's own prices: an agent sets its own.
    wholesaleTiers: shop ? [] : r.wholesaleTiers,
  }));
}

/** The products a shop lists: the merchant's (`shop` null) or an agent's, at its prices. */
export async function listStoreProducts(db: DbOrTx, merchantId: string, shop: AgentShopTerms | null = null): Promise<StoreProduct[]> {
  const rows = await db
    .select()
    .from(products)
    .where(and(eq(products.merchantId, merchantId), eq(products.active, true)))
    .orderBy(asc(products.sort), asc(products.createdAt));
  return withStock(db, rows, shop);
}

/** One active product of the shop by its slug, with live stock; null when there is none (or it is off). */
export async function getStoreProduct(db: DbOrTx, merchantId: string, slug: string, shop: AgentShopTerms | null = null): Promise<StoreProduct | null> {
  const rows = await db
    .select()
    .from(products)
    .where(and(eq(products.merchantId, merchantId), eq(products.slug, slug), eq(products.active, true)));
  return (await withStock(db, rows, shop))[0] ?? null;
}

/** The title of an active product of the shop (for the page's <title>), or null. */
export async function storeProductTitle(db: DbOrTx, merchantId: string, slug: string): Promise<string | null> {
  const [row] = await db
    .select({ title: products.title })
    .from(products)
    .where(and(eq(products.merchantId, merchantId), eq(products.slug, slug), eq(products.active, true)));
  return row?.title ?? null;
}

/** Unit price for a quantity in the merchant's shop: the best wholesale tier reached, else the list price. */
export function unitPriceFor(product: Pick<Product, 'price' | 'wholesaleTiers'>, quantity: number): number {
  let price = product.price;
  for (const tier of product.wholesaleTiers) {
    if (quantity >= tier.minQty && tier.unitPrice < price) price = tier.unitPrice;
  }
  return price;
}

import type { Product } from '@/db/schema';
import type { BuyerOrderView } from '@/lib/orders';

/** The storefront API's order shape (SPEC section 4). */
export function apiOrderView(view: BuyerOrderView) {
  const { expiresAt: _expiresAt, instructions, ...rest } = view;
  return { ...rest, ...(instructions ? { instructions } : {}) };
}

/** A product for the merchant API: every field but the dynamic-delivery signing secret (sealed or not, it stays in the console). */
export function apiProductView(product: Product) {
  const { deliverySecret: _secret, ...rest } = product;
  return rest;
}

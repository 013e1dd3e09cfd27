import type { BuyerOrderView } from '@/lib/orders';

/** The storefront API's order shape (SPEC section 4). */
export function apiOrderView(view: BuyerOrderView) {
  const { expiresAt: _expiresAt, instructions, ...rest } = view;
  return { ...rest, ...(instructions ? { instructions } : {}) };
}

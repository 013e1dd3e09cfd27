import type { Product } from '@/lib/catalog';
import type { BuyerOrderView } from '@/lib/orders';
import type { ChannelSummary } from '@/lib/payments';

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

/** A channel as the API shows it: the console's summary, credentials as the same last-four hints. */
export function apiChannelView(c: ChannelSummary) {
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    enabled: c.enabled,
    usable: c.usable,
    priority: c.priority,
    minAmount: c.minAmount,
    maxAmount: c.maxAmount,
    feeBps: c.feeBps,
    config: Object.fromEntries(c.config.map((f) => [f.name, f.hint])),
    warnings: c.warnings,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

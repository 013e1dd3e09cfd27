// A stored product (or a new one's defaults) → the text values the product form edits.
import type { Product } from '@/lib/catalog';
import type { ProductFormValues } from '@/components/console/products/product-form';
import { DEFAULT_GENERATOR } from '@/lib/inventory';
import { amountToInput } from '@/lib/money';

export function formValuesOf(p: Product | null): ProductFormValues {
  const currency = p?.currency ?? 'CNY';
  const rule = p?.generatorRule ?? DEFAULT_GENERATOR;
  return {
    title: p?.title ?? '',
    slug: p?.slug ?? '',
    categoryId: p?.categoryId ?? '',
    price: p ? amountToInput(p.price, currency) : '',
    currency,
    deliveryType: p?.deliveryType ?? 'auto',
    deliveryUrl: p?.deliveryUrl ?? '',
    active: p?.active ?? true,
    sort: p ? String(p.sort) : '', // empty: the end of the list
    stockAlert: String(p?.stockAlert ?? 0),
    minQty: String(p?.minQty ?? 1),
    maxQty: String(p?.maxQty ?? 10),
    maxPerEmailDay: p?.maxPerEmailDay != null ? String(p.maxPerEmailDay) : '',
    tiers: (p?.wholesaleTiers ?? []).map((t) => ({ minQty: String(t.minQty), price: amountToInput(t.unitPrice, currency) })),
    agentPrices: Object.fromEntries(Object.entries(p?.agentPrices ?? {}).map(([level, price]) => [level, amountToInput(price, currency)])),
    agentMinRank: p?.agentMinRank != null ? String(p.agentMinRank) : '',
    gen: { prefix: rule.prefix, length: String(rule.length), charset: rule.charset, groups: String(rule.groups), separator: rule.separator },
    description: p?.description ?? '',
    instructions: p?.instructions ?? '',
  };
}

// What a product is made of, validated: the input schema the console and the merchant API
// share, the generated-key rule, and the dynamic-delivery columns. Refinements carry field
// codes as messages (lib/errors).
import 'server-only';
import { z } from 'zod';
import { newSigningSecret, sealedIn, sealToText } from '@/lib/crypto';
import { outboundUrlSchema } from '@/lib/outbound';

export const currencySchema = z.string().regex(/^[A-Z]{3,4}$/);

const tierSchema = z.object({ minQty: z.number().int().min(2).max(1_000_000), unitPrice: z.number().int().min(0).max(100_000_000) });

/** How `generated` products make their keys (lib/inventory generateKey). */
export const generatorRuleSchema = z
  .object({
    prefix: z
      .string()
      .max(32)
      .regex(/^[\x21-\x7e]*$/),
    length: z.number().int().min(4).max(128),
    charset: z
      .string()
      .min(2)
      .max(128)
      .regex(/^[\x21-\x7e]+$/)
      .refine((c) => new Set(c).size === c.length, 'duplicate'),
    groups: z.number().int().min(1).max(32),
    separator: z
      .string()
      .max(3)
      .regex(/^[\x21-\x7e]*$/),
  })
  .refine((r) => r.groups <= r.length, { path: ['groups'], message: 'too_large' });

export const productInputSchema = z
  .object({
    title: z.string().trim().min(1).max(120),
    price: z.number().int().min(0).max(100_000_000),
    currency: currencySchema.default('CNY'),
    deliveryType: z.enum(['auto', 'manual', 'generated', 'webhook']).default('auto'),
    /** Only for `webhook` (dynamic delivery, lib/dynamic-delivery): the merchant's URL that returns the keys. */
    deliveryUrl: outboundUrlSchema.nullish(),
    categoryId: z.string().uuid().nullish(),
    slug: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
      .optional(),
    description: z.string().max(20_000).default(''),
    instructions: z.string().max(5_000).default(''),
    active: z.boolean().default(true),
    sort: z.number().int().min(-1_000_000).max(1_000_000).default(0),
    stockAlert: z.number().int().min(0).max(1_000_000).default(0),
    minQty: z.number().int().min(1).default(1),
    maxQty: z.number().int().min(1).max(1000).default(10),
    maxPerEmailDay: z.number().int().min(1).max(1_000_000).nullish(),
    wholesaleTiers: z.array(tierSchema).max(10).default([]),
    /** An agent's cost per level rank ("1".."7"), in minor units (a rank without one pays its level's discount off `price`). */
    agentPrices: z.record(z.string().regex(/^[1-7]$/), z.number().int().min(0).max(100_000_000)).default({}),
    /** Sold only in agent shops of this rank or higher (hidden from the merchant's own shop); null: everyone. */
    agentMinRank: z.number().int().min(1).max(7).nullish(),
    /** Per level rank, shown (true) or hidden (false) in that level's shops, whatever `agentMinRank` says. */
    agentVisible: z.record(z.string().regex(/^[1-7]$/), z.boolean()).default({}),
    /** Only for `generated`; null falls back to the default rule. */
    generatorRule: generatorRuleSchema.nullish(),
  })
  .refine((p) => p.minQty <= p.maxQty, { path: ['maxQty'], message: 'below_minimum' })
  .refine((p) => p.deliveryType !== 'webhook' || !!p.deliveryUrl, { path: ['deliveryUrl'], message: 'required' })
  .refine((p) => new Set(p.wholesaleTiers.map((t) => t.minQty)).size === p.wholesaleTiers.length, {
    path: ['wholesaleTiers'],
    message: 'duplicate',
  });
export type ProductInput = z.input<typeof productInputSchema>;

/**
 * The dynamic-delivery columns for a product's delivery type: a URL and a signing secret
 * (sealed) for `webhook`, made on first use and kept across edits; nothing otherwise.
 */
export function deliveryColumns(
  product: { id: string; merchantId: string },
  type: string,
  url: string | null | undefined,
  currentSecret: string | null,
): { deliveryUrl: string | null; deliverySecret: string | null } {
  if (type !== 'webhook') return { deliveryUrl: null, deliverySecret: null };
  return { deliveryUrl: url ?? null, deliverySecret: currentSecret ?? sealToText(newSigningSecret(), sealedIn.deliverySecret(product)) };
}

export function slugify(title: string): string {
  const base = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${base || 'p'}-${Math.random().toString(36).slice(2, 8)}`;
}

// Products and categories of a merchant: creation with validation, scoped reads, and the
// storefront's listing with stock.
import 'server-only';
import { and, asc, eq } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { categories, products, type Product, type WholesaleTier } from '@/db/schema';
import { listPriceFor } from '@/lib/agents';
import { sealToText } from '@/lib/crypto';
import { AppError, validationError } from '@/lib/errors';
import { validateOutboundUrl } from '@/lib/notify/outbound';
import { availableCounts } from '@/lib/inventory';

export const currencySchema = z.string().regex(/^[A-Z]{3,4}$/, 'a currency code such as CNY or USD');

const tierSchema = z.object({ minQty: z.number().int().min(2).max(1_000_000), unitPrice: z.number().int().min(0).max(100_000_000) });

/** How `generated` products make their keys (lib/inventory generateKey). */
export const generatorRuleSchema = z
  .object({
    prefix: z
      .string()
      .max(32)
      .regex(/^[\x21-\x7e]*$/, 'printable ASCII without spaces'),
    length: z.number().int().min(4).max(128),
    charset: z
      .string()
      .min(2)
      .max(128)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
      .refine((c) => new Set(c).size === c.length, 'no repeated characters'),
    groups: z.number().int().min(1).max(32),
    separator: z
      .string()
      .max(3)
      .regex(/^[\x21-\x7e]*$/, 'printable ASCII without spaces'),
  })
  .refine((r) => r.groups <= r.length, { path: ['groups'], message: 'at most one group per character' });

export const productInputSchema = z
  .object({
    title: z.string().trim().min(1).max(120),
    price: z.number().int('price is in minor units (fen/cents), an integer').min(0).max(100_000_000),
    currency: currencySchema.default('CNY'),
    deliveryType: z.enum(['auto', 'manual', 'generated', 'webhook']).default('auto'),
    /** Only for `webhook` (dynamic delivery, lib/delivery): the merchant's URL that returns the keys. */
    deliveryUrl: z
      .string()
      .trim()
      .max(2000)
      .superRefine((v, ctx) => {
        const checked = validateOutboundUrl(v);
        if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.reason });
      })
      .nullish(),
    categoryId: z.string().uuid().nullish(),
    slug: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes')
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
    /** Price per agent level ("1".."7"), in minor units. */
    agentPrices: z.record(z.string().regex(/^[1-7]$/, 'an agent level 1-7'), z.number().int().min(0).max(100_000_000)).default({}),
    /** Only for `generated`; null falls back to the default rule. */
    generatorRule: generatorRuleSchema.nullish(),
  })
  .refine((p) => p.minQty <= p.maxQty, { path: ['maxQty'], message: 'maxQty must be at least minQty' })
  .refine((p) => p.deliveryType !== 'webhook' || !!p.deliveryUrl, { path: ['deliveryUrl'], message: 'required for webhook delivery' })
  .refine((p) => new Set(p.wholesaleTiers.map((t) => t.minQty)).size === p.wholesaleTiers.length, {
    path: ['wholesaleTiers'],
    message: 'each tier needs its own minimum quantity',
  });
export type ProductInput = z.input<typeof productInputSchema>;

/**
 * The dynamic-delivery columns for a product's delivery type: a URL and a signing secret
 * (sealed) for `webhook`, made on first use and kept across edits; nothing otherwise.
 */
export function deliveryColumns(
  type: string,
  url: string | null | undefined,
  currentSecret: string | null,
): { deliveryUrl: string | null; deliverySecret: string | null } {
  if (type !== 'webhook') return { deliveryUrl: null, deliverySecret: null };
  return { deliveryUrl: url ?? null, deliverySecret: currentSecret ?? sealToText(`whsec_${randomBytes(24).toString('base64url')}`) };
}

export function slugify(title: string): string {
  const base = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${base || 'p'}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function createProduct(db: DbOrTx, merchantId: string, input: unknown): Promise<Product> {
  const parsed = productInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const p = parsed.data;
  if (p.categoryId) {
    const [cat] = await db
      .select({ id: categories.id })
      .from(categories)
      .where(and(eq(categories.id, p.categoryId), eq(categories.merchantId, merchantId)));
    if (!cat) throw new AppError('validation_failed', 'Unknown category.', { fields: { categoryId: 'no such category' } });
  }
  const rows = await db
    .insert(products)
    .values({
      ...p,
      categoryId: p.categoryId ?? null,
      maxPerEmailDay: p.maxPerEmailDay ?? null,
      generatorRule: p.deliveryType === 'generated' ? (p.generatorRule ?? null) : null,
      ...deliveryColumns(p.deliveryType, p.deliveryUrl, null),
      wholesaleTiers: [...p.wholesaleTiers].sort((a, b) => a.minQty - b.minQty),
      merchantId,
      slug: p.slug ?? slugify(p.title),
    })
    .onConflictDoNothing()
    .returning();
  if (rows.length === 0) throw new AppError('conflict', 'A product with this slug exists already.', { fields: { slug: 'taken' } });
  return rows[0]!;
}

/** A product of this merchant, or `not_found` (also for another merchant's product). */
export async function getMerchantProduct(db: DbOrTx, merchantId: string, productId: string): Promise<Product> {
  if (!z.string().uuid().safeParse(productId).success) throw new AppError('not_found', 'No such product.');
  const [row] = await db
    .select()
    .from(products)
    .where(and(eq(products.id, productId), eq(products.merchantId, merchantId)));
  if (!row) throw new AppError('not_found', 'No such product.');
  return row;
}

export async function createCategory(db: DbOrTx, merchantId: string, input: { name: string; slug: string; sort?: number }) {
  const [row] = await db
    .insert(categories)
    .values({ merchantId, ...input })
    .returning();
  return row!;
}

export async function listStoreCategories(db: DbOrTx, merchantId: string) {
  return db
    .select({ id: categories.id, slug: categories.slug, name: categories.name })
    .from(categories)
    .where(eq(categories.merchantId, merchantId))
    .orderBy(asc(categories.sort), asc(categories.name));
}

export type StoreProduct = {
  id: string;
  slug: string;
  title: string;
  price: number;
  currency: string;
  stock: number;
  deliveryType: Product['deliveryType'];
  categoryId: string | null;
  description: string;
  minQty: number;
  maxQty: number;
  wholesaleTiers: WholesaleTier[];
};

/** Stock a buyer sees: keys on hand for `auto`; unlimited (null → shown as available) otherwise. */
export const UNLIMITED_STOCK = 999_999;

/** The products a shop lists, at the prices of `agentLevel` in an agent's shop. */
export async function listStoreProducts(db: DbOrTx, merchantId: string, agentLevel: number | null = null): Promise<StoreProduct[]> {
  const rows = await db
    .select()
    .from(products)
    .where(and(eq(products.merchantId, merchantId), eq(products.active, true)))
    .orderBy(asc(products.sort), asc(products.createdAt));
  const counts = await availableCounts(
    db,
    rows.filter((r) => r.deliveryType === 'auto').map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    price: listPriceFor(r, agentLevel),
    currency: r.currency,
    stock: r.deliveryType === 'auto' ? (counts.get(r.id) ?? 0) : UNLIMITED_STOCK,
    deliveryType: r.deliveryType,
    categoryId: r.categoryId,
    description: r.description,
    minQty: r.minQty,
    maxQty: r.maxQty,
    wholesaleTiers: r.wholesaleTiers,
  }));
}

/** Unit price for a quantity: the best wholesale tier reached, else the list price (of the agent's level, in an agent shop). */
export function unitPriceFor(product: Pick<Product, 'price' | 'wholesaleTiers' | 'agentPrices'>, quantity: number, agentLevel: number | null = null): number {
  let price = listPriceFor(product, agentLevel);
  for (const tier of product.wholesaleTiers) {
    if (quantity >= tier.minQty && tier.unitPrice < price) price = tier.unitPrice;
  }
  return price;
}

export {
  createMerchantProduct,
  updateProduct,
  setProductActive,
  listMerchantProducts,
  moveProduct,
  listMerchantCategories,
  createMerchantCategory,
  updateCategory,
  moveCategory,
  deleteCategory,
  deliverySecretOf,
  type Actor,
  type MerchantProductRow,
  type MerchantCategoryRow,
  type ProductListFilter,
} from './manage';

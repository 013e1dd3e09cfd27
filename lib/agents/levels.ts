// A merchant's agent levels (rank 1–7): their terms, a ready seven-level template, and each
// level's per-product cost and visibility (products.agent_prices / agent_visible, keyed by rank).
import 'server-only';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '@/db/client';
import { agentLevels, products, type AgentLevel } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { AppError, validationError } from '@/lib/errors';
import { MAX_AGENT_LEVEL } from './pricing';

const bp = (max: number) => z.number().int().min(0).max(max);

export const levelSchema = z.object({
  rank: z.number().int().min(1).max(MAX_AGENT_LEVEL),
  name: z.string().trim().min(1).max(30),
  discountBp: bp(9500).default(0),
  minMarkupBp: bp(100000).default(0),
  maxMarkupBp: bp(100000).default(10000),
  allowBelowRetail: z.boolean().default(false),
  holdHours: z.number().int().min(0).max(720).default(72),
  withdrawMin: z.number().int().min(0).max(100_000_000).default(1000),
  withdrawFeeBp: bp(5000).default(0),
  parentShare: z.enum(['price_diff', 'percent', 'none']).default('price_diff'),
  parentShareBp: bp(10000).default(0),
});
export type LevelInput = z.input<typeof levelSchema>;

/**
 * The seven-level template: each rank pays less than the one below it (5 % to 35 % off
 * retail), may mark up to 50 %, holds commission 72 hours, pays out from ¥10.
 */
export const LEVEL_TEMPLATE: readonly { rank: number; discountBp: number; names: { 'zh-CN': string; en: string } }[] = [
  { rank: 1, discountBp: 500, names: { 'zh-CN': '铜牌代理', en: 'Bronze' } },
  { rank: 2, discountBp: 800, names: { 'zh-CN': '银牌代理', en: 'Silver' } },
  { rank: 3, discountBp: 1200, names: { 'zh-CN': '金牌代理', en: 'Gold' } },
  { rank: 4, discountBp: 1600, names: { 'zh-CN': '铂金代理', en: 'Platinum' } },
  { rank: 5, discountBp: 2000, names: { 'zh-CN': '钻石代理', en: 'Diamond' } },
  { rank: 6, discountBp: 2500, names: { 'zh-CN': '皇冠代理', en: 'Crown' } },
  { rank: 7, discountBp: 3500, names: { 'zh-CN': '总代理', en: 'Master' } },
];

/** A merchant's levels by rank. */
export async function listLevels(db: DbOrTx, merchantId: string): Promise<AgentLevel[]> {
  return db.select().from(agentLevels).where(eq(agentLevels.merchantId, merchantId)).orderBy(asc(agentLevels.rank));
}

/** Creates or changes the level of a rank (the markup bounds must be in order). Audited. */
export async function saveLevel(db: Db, actor: Actor, input: LevelInput): Promise<AgentLevel> {
  const merchantId = merchantOf(actor);
  const parsed = levelSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const v = parsed.data;
  if (v.maxMarkupBp < v.minMarkupBp)
    throw new AppError('validation_failed', 'The highest markup is below the lowest.', { fields: { maxMarkupBp: { code: 'too_small', min: v.minMarkupBp } } });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(agentLevels)
      .values({ merchantId, ...v })
      .onConflictDoUpdate({ target: [agentLevels.merchantId, agentLevels.rank], set: { ...v, updatedAt: sql`now()` } })
      .returning();
    await recordAudit(tx, actor, { action: 'agent_level.save', targetType: 'agent_level', targetId: String(v.rank), detail: v });
    return row!;
  });
}

/** Creates the template's levels for the ranks the merchant has not set up (existing ones are kept). Audited. */
export async function applyLevelTemplate(db: Db, actor: Actor, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<{ created: number }> {
  const merchantId = merchantOf(actor);
  return db.transaction(async (tx) => {
    const created = await tx
      .insert(agentLevels)
      .values(LEVEL_TEMPLATE.map((l) => ({ merchantId, rank: l.rank, name: l.names[locale], discountBp: l.discountBp, maxMarkupBp: 5000 })))
      .onConflictDoNothing()
      .returning({ rank: agentLevels.rank });
    await recordAudit(tx, actor, { action: 'agent_level.template', targetType: 'agent_level', detail: { ranks: created.map((r) => r.rank) } });
    return { created: created.length };
  });
}

const pricesSchema = z.object({
  rank: z.number().int().min(1).max(MAX_AGENT_LEVEL),
  prices: z
    .array(
      z.object({
        productId: z.guid(),
        /** Minor units; null clears the product's own cost (the level's discount applies). */
        cost: z.number().int().min(0).max(100_000_000).nullable().optional(),
        /** null clears the override (the product's minimum rank decides). */
        visible: z.boolean().nullable().optional(),
      }),
    )
    .min(1)
    .max(500),
});

/**
 * Sets a level's cost and visibility of products (PUT /api/v1/agent-levels/{rank}/prices).
 * A cost above retail is refused: an agent could not sell it. Products of another merchant
 * are `not_found`. Audited as one price change.
 */
export async function setLevelPrices(db: Db, actor: Actor, input: z.input<typeof pricesSchema>): Promise<{ updated: number }> {
  const merchantId = merchantOf(actor);
  const parsed = pricesSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { rank, prices } = parsed.data;
  return db.transaction(async (tx) => {
    const [level] = await tx
      .select({ id: agentLevels.id })
      .from(agentLevels)
      .where(and(eq(agentLevels.merchantId, merchantId), eq(agentLevels.rank, rank)));
    if (!level) throw new AppError('not_found', 'No level of this rank.', { fields: { rank: 'level_missing' } });
    const ids = [...new Set(prices.map((p) => p.productId))];
    const found = await tx
      .select({ id: products.id, price: products.price })
      .from(products)
      .where(and(eq(products.merchantId, merchantId), inArray(products.id, ids)))
      .for('update');
    const byId = new Map(found.map((p) => [p.id, p]));
    prices.forEach((p, i) => {
      const product = byId.get(p.productId);
      if (!product) throw new AppError('not_found', 'No such product.', { fields: { [`prices.${i}.productId`]: 'unknown' } });
      if (p.cost != null && p.cost > product.price) {
        throw new AppError('validation_failed', 'A cost above the retail price.', {
          fields: { [`prices.${i}.cost`]: { code: 'too_large', max: product.price } },
        });
      }
    });
    const key = String(rank);
    for (const p of prices) {
      const costSet =
        p.cost === undefined
          ? sql`agent_prices`
          : p.cost === null
            ? sql`agent_prices - ${key}::text`
            : sql`agent_prices || jsonb_build_object(${key}::text, ${p.cost}::bigint)`;
      const visSet =
        p.visible === undefined
          ? sql`agent_visible`
          : p.visible === null
            ? sql`agent_visible - ${key}::text`
            : sql`agent_visible || jsonb_build_object(${key}::text, ${p.visible}::boolean)`;
      await tx.execute(sql`UPDATE products SET agent_prices = ${costSet}, agent_visible = ${visSet}, updated_at = now() WHERE id = ${p.productId}`);
    }
    await recordAudit(tx, actor, { action: 'agent_level.prices', targetType: 'agent_level', targetId: key, detail: { prices } });
    return { updated: prices.length };
  });
}

// Agents (代理): resellers with a level and their own shop link, selling the merchant's
// products at the prices of their level. Commission ledgers and withdrawals build on this.
import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { agents, type Agent, type Product } from '@/db/schema';
import { AppError, validationError } from '@/lib/errors';

export const MAX_AGENT_LEVEL = 7;

const agentSchema = z.object({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'lowercase letters, digits and dashes'),
  name: z.string().trim().min(1).max(60),
  level: z.number().int().min(1).max(MAX_AGENT_LEVEL).default(1),
  userId: z.string().uuid().nullish(),
});

export async function createAgent(db: DbOrTx, merchantId: string, input: z.input<typeof agentSchema>): Promise<Agent> {
  const parsed = agentSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const rows = await db
    .insert(agents)
    .values({ merchantId, ...parsed.data, userId: parsed.data.userId ?? null })
    .onConflictDoNothing()
    .returning();
  if (rows.length === 0) throw new AppError('conflict', 'An agent with this slug exists already.', { fields: { slug: 'taken' } });
  return rows[0]!;
}

/** The active agent whose shop is `/a/{slug}` in this merchant's store, or null. */
export async function findAgentShop(db: DbOrTx, merchantId: string, slug: string): Promise<Agent | null> {
  if (!/^[a-z0-9][a-z0-9-]{1,40}$/.test(slug)) return null;
  const [agent] = await db
    .select()
    .from(agents)
    .where(and(eq(agents.merchantId, merchantId), eq(agents.slug, slug), eq(agents.status, 'active')));
  return agent ?? null;
}

/**
 * The list price a buyer sees: the agent level's price when the product sets one
 * (products.agent_prices, keyed by level), the product's price otherwise.
 */
export function listPriceFor(product: Pick<Product, 'price' | 'agentPrices'>, agentLevel: number | null): number {
  if (agentLevel == null) return product.price;
  const p = product.agentPrices[String(agentLevel)];
  return typeof p === 'number' && Number.isInteger(p) && p >= 0 ? p : product.price;
}

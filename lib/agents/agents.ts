// Agents (代理): resellers with a level and their own shop link, selling the merchant's
// products at the prices of their level.
import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { agents, orders, products, type Agent, type Order, type Product } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { decodeCursor, keysetPage, pageSize } from '@/lib/cursor';
import { AppError, validationError } from '@/lib/errors';

export const MAX_AGENT_LEVEL = 7;

const agentSchema = z.object({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/),
  name: z.string().trim().min(1).max(60),
  level: z.number().int().min(1).max(MAX_AGENT_LEVEL).default(1),
  userId: z.guid().nullish(),
});

/** A new agent of the actor's merchant (its shop is `/a/{slug}`), audited. */
export async function createAgent(db: DbOrTx, actor: Actor, input: z.input<typeof agentSchema>): Promise<Agent> {
  const merchantId = merchantOf(actor);
  const parsed = agentSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  return db.transaction(async (tx) => {
    const rows = await tx
      .insert(agents)
      .values({ merchantId, ...parsed.data, userId: parsed.data.userId ?? null })
      .onConflictDoNothing()
      .returning();
    if (rows.length === 0) throw new AppError('conflict', 'An agent with this slug exists already.', { fields: { slug: 'taken' } });
    await recordAudit(tx, actor, {
      action: 'agent.create',
      targetType: 'agent',
      targetId: rows[0]!.id,
      detail: { slug: rows[0]!.slug, level: rows[0]!.level },
    });
    return rows[0]!;
  });
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

/** The agent record behind an agent login (users.role = 'agent'), or null. */
export async function agentForUser(db: DbOrTx, userId: string): Promise<Agent | null> {
  if (!z.string().uuid().safeParse(userId).success) return null;
  const [agent] = await db.select().from(agents).where(eq(agents.userId, userId));
  return agent ?? null;
}

export type AgentOrderRow = {
  orderNo: string;
  status: Order['status'];
  productTitle: string;
  quantity: number;
  amount: number;
  currency: string;
  createdAt: string;
  paidAt: string | null;
};

const agentCursorSchema = z.object({ id: z.guid() });

/**
 * Orders placed through one agent's shop, newest first, keyset on (created_at, id). Scoped by
 * merchant and agent both, so an agent id from another merchant yields nothing. The buyer's
 * e-mail stays with the merchant: an agent sees what sold, not who bought.
 */
export async function listAgentOrders(
  db: DbOrTx,
  scope: { merchantId: string; agentId: string },
  params: { limit?: number; cursor?: string | null } = {},
): Promise<{ orders: AgentOrderRow[]; nextCursor: string | null }> {
  const limit = pageSize(params.limit);
  const c = decodeCursor(params.cursor, agentCursorSchema);
  const conditions = [eq(orders.merchantId, scope.merchantId), eq(orders.agentId, scope.agentId)];
  if (c) {
    // Compared with the cursor row itself so microsecond timestamps are not rounded away.
    conditions.push(
      sql`(${orders.createdAt}, ${orders.id}) < (SELECT c.created_at, c.id FROM orders c WHERE c.id = ${c.id} AND c.agent_id = ${scope.agentId})`,
    );
  }
  const rows = await db
    .select({ order: orders, title: products.title })
    .from(orders)
    .innerJoin(products, eq(products.id, orders.productId))
    .where(and(...conditions))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit + 1);
  const { page, nextCursor } = keysetPage(rows, limit, (last) => ({ id: last.order.id }));
  return {
    nextCursor,
    orders: page.map(({ order: o, title }) => ({
      orderNo: o.orderNo,
      status: o.status,
      productTitle: title,
      quantity: o.quantity,
      amount: o.amount,
      currency: o.currency,
      createdAt: o.createdAt.toISOString(),
      paidAt: o.paidAt?.toISOString() ?? null,
    })),
  };
}

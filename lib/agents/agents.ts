// Agents (代理): finding an agent's shop, the agent behind a login, and the orders placed
// through its shop with the commission each one earns it.
import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { agents, orderAgentSnapshots, orders, products, type Agent, type Order } from '@/db/schema';
import { decodeCursor, keysetPage, pageSize } from '@/lib/cursor';
import { SLUG_PATTERN } from './manage';

/** The active agent whose shop is `/a/{slug}` in this merchant's store, or null. */
export async function findAgentShop(db: DbOrTx, merchantId: string, slug: string): Promise<Agent | null> {
  if (!SLUG_PATTERN.test(slug)) return null;
  const [agent] = await db
    .select()
    .from(agents)
    .where(and(eq(agents.merchantId, merchantId), eq(agents.slug, slug), eq(agents.status, 'active')));
  return agent ?? null;
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
  /** What the order earns the agent, less what refunds took back (0 when it is not eligible: a purchase with its own e-mail). */
  commission: number;
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
    .select({
      order: orders,
      title: products.title,
      commission: orderAgentSnapshots.commission,
      eligible: orderAgentSnapshots.eligible,
      // What refunds took back of it (the ledger's reversals for this order and agent).
      reversed: sql<string>`(SELECT coalesce(sum(t.amount), 0) FROM ledger_txns t WHERE t.order_id = ${orders.id} AND t.agent_id = ${scope.agentId} AND t.kind = 'reverse')`,
    })
    .from(orders)
    .innerJoin(products, eq(products.id, orders.productId))
    .leftJoin(orderAgentSnapshots, eq(orderAgentSnapshots.orderId, orders.id))
    .where(and(...conditions))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit + 1);
  const { page, nextCursor } = keysetPage(rows, limit, (last) => ({ id: last.order.id }));
  return {
    nextCursor,
    orders: page.map(({ order: o, title, commission, eligible, reversed }) => ({
      orderNo: o.orderNo,
      status: o.status,
      productTitle: title,
      quantity: o.quantity,
      amount: o.amount,
      currency: o.currency,
      createdAt: o.createdAt.toISOString(),
      paidAt: o.paidAt?.toISOString() ?? null,
      commission: eligible ? (commission ?? 0) - Number(reversed) : 0,
    })),
  };
}

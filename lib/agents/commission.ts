// An agent's commission over an order's life: priced and snapshotted when the order is
// created in its shop, accrued (pending) in the delivery transaction, released (available)
// after the level's hold, and reversed in proportion to each refund, to the cent: from
// pending while it is still held, then from available, the rest as a debt (owed) repaid from
// later earnings. Every step is a ledger transaction under a key of the order (or refund)
// and the agent, so a repeated notification, retry or job run posts nothing twice.
import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '@/db/client';
import {
  agentLevels,
  agentProducts,
  agents,
  orderAgentSnapshots,
  users,
  type Agent,
  type AgentLevel,
  type OrderAgentSnapshot,
  type Product,
} from '@/db/schema';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/log';
import { normaliseEmail } from '@/lib/risk';
import { debitLegs, lockBalances, offsetDebt, postTxn, type LockedBalances } from './ledger';
import { reversedShare, splitCommission, unitCostFor, unitSaleFor, visibleAtRank } from './pricing';

/** What an order placed in an agent's shop costs and pays, before the snapshot is written. */
export type AgentSale = {
  agent: Agent;
  level: AgentLevel;
  unitCost: number;
  unitSale: number;
  /** The parent's cost of the product, when the agent has an active parent. */
  parent: { id: string; unitCost: number } | null;
  /** The agent's and its parent's login e-mails, normalised (self-purchase earns nothing). */
  ownEmails: string[];
};

const parentAgents = sql`parent_agents`;

/**
 * The agent shop `slug` selling `product`: the agent (active), its level, its markup and
 * listing of the product, its parent and the parent's level, in one statement. A product
 * its level may not see, or that it unlisted, is `not_found`, exactly like one that does not
 * exist: the shop's catalogue and the order API apply the same rule on the server.
 */
export async function agentSaleFor(tx: DbOrTx, merchantId: string, slug: string, product: Product): Promise<AgentSale> {
  const rows = await tx
    .select({
      agent: agents,
      level: agentLevels,
      listed: agentProducts.listed,
      markupBp: agentProducts.markupBp,
      email: users.email,
      parentId: sql<string | null>`${parentAgents}.id`,
      parentStatus: sql<string | null>`${parentAgents}.status`,
      parentRank: sql<number | null>`${parentAgents}.level`,
      parentDiscountBp: sql<number | null>`parent_levels.discount_bp`,
      parentEmail: sql<string | null>`parent_users.email`,
    })
    .from(agents)
    .innerJoin(agentLevels, and(eq(agentLevels.merchantId, agents.merchantId), eq(agentLevels.rank, agents.level)))
    .leftJoin(agentProducts, and(eq(agentProducts.agentId, agents.id), eq(agentProducts.productId, product.id)))
    .leftJoin(users, eq(users.id, agents.userId))
    .leftJoin(sql`agents ${parentAgents}`, sql`${parentAgents}.id = ${agents.parentId} AND ${parentAgents}.merchant_id = ${agents.merchantId}`)
    .leftJoin(sql`agent_levels parent_levels`, sql`parent_levels.merchant_id = ${parentAgents}.merchant_id AND parent_levels.rank = ${parentAgents}.level`)
    .leftJoin(sql`users parent_users`, sql`parent_users.id = ${parentAgents}.user_id`)
    .where(and(eq(agents.merchantId, merchantId), eq(agents.slug, slug), eq(agents.status, 'active')));
  const row = rows[0];
  if (!row) throw new AppError('validation_failed', 'Unknown agent shop.', { fields: { agent: 'unknown' } });
  if (row.listed === false || !visibleAtRank(product, row.level.rank)) {
    throw new AppError('not_found', 'No such product.', { fields: { productId: 'unknown' } });
  }
  const unitCost = unitCostFor(product, row.level);
  const unitSale = unitSaleFor(unitCost, product.price, row.level, row.markupBp ?? null);
  const parent =
    row.parentId && row.parentStatus === 'active' && row.parentRank != null && row.parentDiscountBp != null
      ? { id: row.parentId, unitCost: unitCostFor(product, { rank: row.parentRank, discountBp: row.parentDiscountBp }) }
      : null;
  // The parent's e-mail counts whatever its status: a suspended parent buying in its child's shop earns the child nothing either.
  const ownEmails = [row.email, row.parentEmail].filter((e): e is string => Boolean(e)).map(normaliseEmail);
  return { agent: row.agent, level: row.level, unitCost, unitSale, parent, ownEmails };
}

/** Writes the order's commission snapshot (in the order's transaction); the ledger reads only this. */
export async function snapshotCommission(
  tx: Tx,
  order: { id: string; merchantId: string; quantity: number; discount: number; emailNorm: string },
  sale: AgentSale,
): Promise<OrderAgentSnapshot> {
  const split = splitCommission({
    quantity: order.quantity,
    unitSale: sale.unitSale,
    unitCost: sale.unitCost,
    discount: order.discount,
    parentUnitCost: sale.parent?.unitCost ?? null,
    mode: sale.level.parentShare,
    shareBp: sale.level.parentShareBp,
  });
  const selfPurchase = sale.ownEmails.includes(order.emailNorm);
  const [row] = await tx
    .insert(orderAgentSnapshots)
    .values({
      orderId: order.id,
      merchantId: order.merchantId,
      agentId: sale.agent.id,
      rank: sale.level.rank,
      parentId: sale.parent?.id ?? null,
      quantity: order.quantity,
      unitCost: sale.unitCost,
      unitSale: sale.unitSale,
      parentUnitCost: sale.parent?.unitCost ?? null,
      commission: split.commission,
      parentShare: split.parentShare,
      eligible: !selfPurchase,
      blockReason: selfPurchase ? 'self_purchase' : null,
    })
    .returning();
  return row!;
}

type Beneficiary = { agentId: string; amount: number };

function beneficiaries(s: OrderAgentSnapshot): Beneficiary[] {
  const list: Beneficiary[] = [];
  if (s.commission > 0) list.push({ agentId: s.agentId, amount: s.commission });
  if (s.parentId && s.parentShare > 0) list.push({ agentId: s.parentId, amount: s.parentShare });
  return list;
}

async function lockSnapshot(tx: Tx, orderId: string): Promise<OrderAgentSnapshot | null> {
  const [s] = await tx.select().from(orderAgentSnapshots).where(eq(orderAgentSnapshots.orderId, orderId)).for('update');
  return s ?? null;
}

/**
 * Accrues the order's commission to its agent (and parent) as pending, in the transaction
 * that marks the order delivered (the caller holds the order locked). Idempotent per
 * (order, agent). With a hold of 0 hours the money is released at once.
 */
export async function accrueCommission(tx: Tx, order: { id: string; merchantId: string; agentId: string | null }): Promise<void> {
  if (!order.agentId) return; // not sold in an agent's shop: nothing to read or lock
  const s = await lockSnapshot(tx, order.id);
  if (!s || !s.eligible || s.releaseAt) return;
  // An agent (or parent) suspended since the order was placed earns nothing on it (brief §1.4).
  const active = new Set(
    (
      await tx
        .select({ id: agents.id })
        .from(agents)
        .where(and(inArray(agents.id, [s.agentId, ...(s.parentId ? [s.parentId] : [])]), eq(agents.status, 'active')))
    ).map((a) => a.id),
  );
  const list = beneficiaries(s).filter((b) => active.has(b.agentId));
  if (list.length === 0) return;
  const [level] = await tx
    .select({ holdHours: agentLevels.holdHours })
    .from(agentLevels)
    .where(and(eq(agentLevels.merchantId, s.merchantId), eq(agentLevels.rank, s.rank)));
  const holdHours = level?.holdHours ?? 72;
  const balances = await lockBalances(
    tx,
    s.merchantId,
    list.map((b) => b.agentId),
  );
  for (const b of list) {
    await postTxn(
      tx,
      balances,
      { merchantId: s.merchantId, agentId: b.agentId, kind: 'accrue', key: `accrue:${s.orderId}:${b.agentId}`, amount: b.amount, orderId: s.orderId },
      [
        { agentId: b.agentId, account: 'pending', amount: b.amount },
        { agentId: b.agentId, account: 'commission_expense', amount: -b.amount },
      ],
    );
  }
  const [updated] = await tx
    .update(orderAgentSnapshots)
    .set({ releaseAt: sql`now() + make_interval(hours => ${holdHours})` })
    .where(eq(orderAgentSnapshots.orderId, s.orderId))
    .returning();
  if (holdHours === 0) await releaseLocked(tx, updated!, balances);
}

/** What the ledger holds for one beneficiary of an order: accrued, and reversed by refunds so far (one read). */
async function movedFor(tx: Tx, orderId: string, agentId: string): Promise<{ accrued: number; reversed: number }> {
  const [row] = await tx.execute<{ accrued: string; reversed: string }>(sql`
    SELECT coalesce(sum(amount) FILTER (WHERE kind = 'accrue'), 0) AS accrued, coalesce(sum(amount) FILTER (WHERE kind = 'reverse'), 0) AS reversed
      FROM ledger_txns WHERE order_id = ${orderId} AND agent_id = ${agentId} AND kind IN ('accrue', 'reverse')`);
  return { accrued: Number(row?.accrued ?? 0), reversed: Number(row?.reversed ?? 0) };
}

/** Moves what is left of a held commission (accrued less reversed) from pending to available; repays debt from it. */
async function releaseLocked(tx: Tx, s: OrderAgentSnapshot, balances: LockedBalances): Promise<void> {
  for (const b of beneficiaries(s)) {
    const moved = await movedFor(tx, s.orderId, b.agentId);
    const left = moved.accrued - moved.reversed;
    const head = { merchantId: s.merchantId, agentId: b.agentId, orderId: s.orderId };
    if (left > 0) {
      await postTxn(tx, balances, { ...head, kind: 'release', key: `release:${s.orderId}:${b.agentId}`, amount: left }, [
        { agentId: b.agentId, account: 'pending', amount: -left },
        { agentId: b.agentId, account: 'available', amount: left },
      ]);
    }
    await offsetDebt(tx, balances, { ...head, key: `offset:release:${s.orderId}:${b.agentId}` });
  }
  await tx
    .update(orderAgentSnapshots)
    .set({ releasedAt: sql`now()` })
    .where(eq(orderAgentSnapshots.orderId, s.orderId));
}

/**
 * The job: releases every commission whose hold has passed, one order per transaction
 * (snapshot row locked, SKIP LOCKED so two runners share the work). Returns how many orders.
 */
export async function releaseDueCommissions(db: Db, opts: { limit?: number } = {}): Promise<number> {
  const limit = opts.limit ?? 500;
  let released = 0;
  while (released < limit) {
    const done = await db.transaction(async (tx) => {
      // The order row is locked with its snapshot (SKIP LOCKED: an order a refund or a
      // delivery holds is left for the next run): every money path takes order → snapshot →
      // balances, and the ledger's foreign key to the order would otherwise wait for a
      // refund that waits for this snapshot.
      const [due] = await tx.execute<{ order_id: string }>(sql`
        SELECT s.order_id FROM order_agent_snapshots s JOIN orders o ON o.id = s.order_id
         WHERE s.release_at <= now() AND s.released_at IS NULL
         ORDER BY s.release_at LIMIT 1
           FOR UPDATE OF o, s SKIP LOCKED`);
      if (!due) return false;
      const [s] = await tx.select().from(orderAgentSnapshots).where(eq(orderAgentSnapshots.orderId, due.order_id));
      if (!s) return false;
      const balances = await lockBalances(
        tx,
        s.merchantId,
        beneficiaries(s).map((b) => b.agentId),
      );
      await releaseLocked(tx, s, balances);
      return true;
    });
    if (!done) break;
    released++;
  }
  if (released > 0) log('info', 'agent commissions released', { orders: released });
  return released;
}

/**
 * Reverses the order's commission in proportion to what has been refunded so far (the
 * caller holds the order locked and has recorded the refund): each beneficiary gives back
 * round(c × refunded / amount) less what earlier refunds took, so the parts of a full
 * refund add up to c exactly. From pending while the commission is held, else from
 * available, the rest as a debt.
 */
export async function reverseCommission(
  tx: Tx,
  order: { id: string; merchantId: string; amount: number; agentId: string | null },
  refund: { id: string; refundedSoFar: number },
): Promise<void> {
  if (!order.agentId) return;
  const s = await lockSnapshot(tx, order.id);
  if (!s || !s.eligible || !s.releaseAt) return; // nothing was accrued
  const list = beneficiaries(s);
  const balances = await lockBalances(
    tx,
    s.merchantId,
    list.map((b) => b.agentId),
  );
  for (const b of list) {
    const { accrued, reversed } = await movedFor(tx, s.orderId, b.agentId);
    if (accrued === 0) continue;
    const amount = reversedShare(accrued, refund.refundedSoFar, order.amount) - reversed;
    if (amount <= 0) continue;
    const from = s.releasedAt ? 'available' : 'pending';
    await postTxn(
      tx,
      balances,
      {
        merchantId: s.merchantId,
        agentId: b.agentId,
        kind: 'reverse',
        key: `reverse:${refund.id}:${b.agentId}`,
        amount,
        orderId: s.orderId,
        refundId: refund.id,
      },
      [...debitLegs(balances.get(b.agentId)!, b.agentId, from, amount), { agentId: b.agentId, account: 'commission_expense', amount }],
    );
  }
}

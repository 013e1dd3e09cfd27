// Reads of the reseller programme for the consoles and the API: agents with their balances,
// one agent's ledger, the catalogue an agent may sell with its cost and price, and the
// merchant's programme report (per agent and per level, liability, withdrawals by state).
import 'server-only';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { agentBalances, agentLevels, agents, products, type Agent, type AgentStatus, type LedgerTxnKind } from '@/db/schema';
import { decodeCursor, keysetPage, pageSize } from '@/lib/cursor';
import type { Balance } from './ledger';
import { unitCostFor, unitSaleFor, visibleAtRank } from './pricing';
import { shopTerms } from './shop';

export type AgentListItem = Pick<
  Agent,
  'id' | 'slug' | 'name' | 'level' | 'status' | 'parentId' | 'contact' | 'createdAt' | 'approvedAt' | 'applicationNote' | 'reviewReason'
> & {
  levelName: string;
  parentName: string | null;
  email: string | null;
  balance: Balance;
};

const ZERO: Balance = { pending: 0, available: 0, held: 0, owed: 0 };

/** A merchant's agents (or its applications: status `pending`), with level, parent, login and balance. */
export async function listAgents(
  db: DbOrTx,
  merchantId: string,
  opts: { status?: AgentStatus; agentId?: string; parentId?: string } = {},
): Promise<AgentListItem[]> {
  const rows = await db
    .select({
      agent: agents,
      levelName: agentLevels.name,
      parentName: sql<string | null>`(SELECT p.name FROM agents p WHERE p.id = ${agents.parentId})`,
      email: sql<string | null>`(SELECT u.email FROM users u WHERE u.id = ${agents.userId})`,
      balance: agentBalances,
    })
    .from(agents)
    .innerJoin(agentLevels, and(eq(agentLevels.merchantId, agents.merchantId), eq(agentLevels.rank, agents.level)))
    .leftJoin(agentBalances, eq(agentBalances.agentId, agents.id))
    .where(
      and(
        eq(agents.merchantId, merchantId),
        opts.status ? eq(agents.status, opts.status) : undefined,
        opts.agentId ? eq(agents.id, opts.agentId) : undefined,
        opts.parentId ? eq(agents.parentId, opts.parentId) : undefined,
      ),
    )
    .orderBy(desc(agents.createdAt))
    .limit(500);
  return rows.map(({ agent: a, levelName, parentName, email, balance }) => ({
    id: a.id,
    slug: a.slug,
    name: a.name,
    level: a.level,
    status: a.status,
    parentId: a.parentId,
    contact: a.contact,
    createdAt: a.createdAt,
    approvedAt: a.approvedAt,
    applicationNote: a.applicationNote,
    reviewReason: a.reviewReason,
    levelName,
    parentName,
    email,
    balance: balance ? { pending: balance.pending, available: balance.available, held: balance.held, owed: balance.owed } : ZERO,
  }));
}

/** One agent of the merchant with its balance, or null (another merchant's id included). */
export async function getAgent(db: DbOrTx, merchantId: string, agentId: string): Promise<AgentListItem | null> {
  if (!z.guid().safeParse(agentId).success) return null;
  return (await listAgents(db, merchantId, { agentId }))[0] ?? null;
}

export type LedgerLine = {
  id: string;
  kind: LedgerTxnKind;
  amount: number;
  orderNo: string | null;
  withdrawalId: string | null;
  memo: string | null;
  createdAt: string;
  /** How this movement changed the agent's accounts. */
  effect: Balance;
};

const ledgerCursorSchema = z.object({ id: z.guid() });

/** One agent's ledger, newest first (keyset on created_at, id), each movement with its effect on the agent's accounts. */
export async function listLedger(
  db: DbOrTx,
  scope: { merchantId: string; agentId: string },
  params: { limit?: number; cursor?: string | null } = {},
): Promise<{ lines: LedgerLine[]; nextCursor: string | null }> {
  const limit = pageSize(params.limit);
  const c = decodeCursor(params.cursor, ledgerCursorSchema);
  const rows = await db.execute<Record<string, unknown>>(sql`
    SELECT t.id, t.kind, t.amount, t.withdrawal_id, t.memo, t.created_at, o.order_no,
           coalesce(sum(e.amount) FILTER (WHERE e.account = 'pending'), 0) AS pending,
           coalesce(sum(e.amount) FILTER (WHERE e.account = 'available'), 0) AS available,
           coalesce(sum(e.amount) FILTER (WHERE e.account = 'held'), 0) AS held,
           coalesce(sum(e.amount) FILTER (WHERE e.account = 'owed'), 0) AS owed
      FROM ledger_txns t
      JOIN ledger_entries e ON e.txn_id = t.id AND e.agent_id = t.agent_id
      LEFT JOIN orders o ON o.id = t.order_id
     WHERE t.merchant_id = ${scope.merchantId} AND t.agent_id = ${scope.agentId}
       ${c ? sql`AND (t.created_at, t.id) < (SELECT created_at, id FROM ledger_txns WHERE id = ${c.id} AND agent_id = ${scope.agentId})` : sql``}
     GROUP BY t.id, o.order_no
     ORDER BY t.created_at DESC, t.id DESC
     LIMIT ${limit + 1}`);
  const { page, nextCursor } = keysetPage(rows, limit, (last) => ({ id: String(last.id) }));
  return {
    nextCursor,
    lines: page.map((r) => ({
      id: String(r.id),
      kind: r.kind as LedgerTxnKind,
      amount: Number(r.amount),
      orderNo: (r.order_no as string | null) ?? null,
      withdrawalId: (r.withdrawal_id as string | null) ?? null,
      memo: (r.memo as string | null) ?? null,
      createdAt: new Date(String(r.created_at)).toISOString(),
      effect: { pending: Number(r.pending), available: Number(r.available), held: Number(r.held), owed: Number(r.owed) },
    })),
  };
}

export type AgentCatalogueItem = {
  productId: string;
  title: string;
  slug: string;
  currency: string;
  retail: number;
  cost: number;
  sale: number;
  listed: boolean;
  markupBp: number | null;
};

/** The products an agent's level may sell, with its cost, its price and its own listing (the agent's products page). */
export async function agentCatalogue(
  db: DbOrTx,
  agent: Pick<Agent, 'id' | 'merchantId' | 'level'>,
): Promise<{ items: AgentCatalogueItem[]; minMarkupBp: number; maxMarkupBp: number; allowBelowRetail: boolean }> {
  const [terms, rows] = await Promise.all([
    shopTerms(db, agent),
    db
      .select()
      .from(products)
      .where(and(eq(products.merchantId, agent.merchantId), eq(products.active, true)))
      .orderBy(asc(products.sort), asc(products.createdAt)),
  ]);
  if (!terms) return { items: [], minMarkupBp: 0, maxMarkupBp: 0, allowBelowRetail: false };
  const items = rows
    .filter((p) => visibleAtRank(p, terms.level.rank))
    .map((p) => {
      const own = terms.products[p.id];
      const cost = unitCostFor(p, terms.level);
      return {
        productId: p.id,
        title: p.title,
        slug: p.slug,
        currency: p.currency,
        retail: p.price,
        cost,
        sale: unitSaleFor(cost, p.price, terms.level, own?.markupBp ?? null),
        listed: own?.listed ?? true,
        markupBp: own?.markupBp ?? null,
      };
    });
  return { items, minMarkupBp: terms.level.minMarkupBp, maxMarkupBp: terms.level.maxMarkupBp, allowBelowRetail: terms.level.allowBelowRetail };
}

export type ProgrammeRow = {
  key: string;
  name: string;
  rank: number;
  orders: number;
  sales: number;
  commission: number;
  parentShare: number;
  refunded: number;
  refundRate: number;
};

export type ProgrammeReport = {
  agents: ProgrammeRow[];
  levels: ProgrammeRow[];
  liability: Balance & { total: number };
  withdrawals: { status: string; count: number; amount: number }[];
  /** Agents who joined by invite and have sold: hours from the invite's creation to their first delivered order (median, and each). */
  inviteToFirstSale: { medianHours: number | null; agents: { name: string; hours: number }[] };
};

/**
 * The programme report: per agent and per level, delivered orders, sales, commission and
 * parent share as the ledger holds them now (accrued less reversed), refunds and refund
 * rate; the merchant's liability (pending + available + held); withdrawals by state.
 */
export async function programmeReport(db: DbOrTx, merchantId: string): Promise<ProgrammeReport> {
  const [perAgent, liability, withdrawals, firstSale] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`
      WITH s AS (
        SELECT s.agent_id, s.parent_id, s.rank, o.amount, o.refunded_amount
          FROM order_agent_snapshots s JOIN orders o ON o.id = s.order_id
         WHERE s.merchant_id = ${merchantId} AND o.status IN ('delivered', 'refunded') AND o.delivered_at IS NOT NULL),
      m AS (
        SELECT t.agent_id,
               sum(CASE WHEN t.kind = 'accrue' THEN t.amount WHEN t.kind = 'reverse' THEN -t.amount ELSE 0 END)
                 FILTER (WHERE EXISTS (SELECT 1 FROM order_agent_snapshots x WHERE x.order_id = t.order_id AND x.agent_id = t.agent_id)) AS commission,
               sum(CASE WHEN t.kind = 'accrue' THEN t.amount WHEN t.kind = 'reverse' THEN -t.amount ELSE 0 END)
                 FILTER (WHERE EXISTS (SELECT 1 FROM order_agent_snapshots x WHERE x.order_id = t.order_id AND x.parent_id = t.agent_id)) AS parent_share
          FROM ledger_txns t WHERE t.merchant_id = ${merchantId} AND t.kind IN ('accrue', 'reverse') GROUP BY t.agent_id)
      SELECT a.id, a.name, a.level AS rank, l.name AS level_name,
             (SELECT count(*) FROM s WHERE s.agent_id = a.id) AS orders,
             (SELECT coalesce(sum(amount), 0) FROM s WHERE s.agent_id = a.id) AS sales,
             (SELECT coalesce(sum(refunded_amount), 0) FROM s WHERE s.agent_id = a.id) AS refunded,
             coalesce(m.commission, 0) AS commission, coalesce(m.parent_share, 0) AS parent_share
        FROM agents a JOIN agent_levels l ON l.merchant_id = a.merchant_id AND l.rank = a.level
        LEFT JOIN m ON m.agent_id = a.id
       WHERE a.merchant_id = ${merchantId} AND a.status IN ('active', 'suspended')
       ORDER BY sales DESC, a.name`),
    db
      .select({
        pending: sql<string>`coalesce(sum(${agentBalances.pending}), 0)`,
        available: sql<string>`coalesce(sum(${agentBalances.available}), 0)`,
        held: sql<string>`coalesce(sum(${agentBalances.held}), 0)`,
        owed: sql<string>`coalesce(sum(${agentBalances.owed}), 0)`,
      })
      .from(agentBalances)
      .where(eq(agentBalances.merchantId, merchantId)),
    db.execute<{ status: string; count: string; amount: string }>(sql`
      SELECT status, count(*) AS count, coalesce(sum(amount), 0) AS amount FROM agent_withdrawals WHERE merchant_id = ${merchantId} GROUP BY status ORDER BY status`),
    db.execute<{ name: string; hours: string }>(sql`
      SELECT a.name, extract(epoch FROM (min(o.delivered_at) - i.created_at)) / 3600 AS hours
        FROM agents a JOIN agent_invites i ON i.id = a.invite_id JOIN orders o ON o.agent_id = a.id AND o.delivered_at IS NOT NULL
       WHERE a.merchant_id = ${merchantId} GROUP BY a.id, a.name, i.created_at ORDER BY hours`),
  ]);
  const rate = (refunded: number, sales: number) => (sales > 0 ? refunded / sales : 0);
  const agentRows: ProgrammeRow[] = perAgent.map((r) => ({
    key: String(r.id),
    name: String(r.name),
    rank: Number(r.rank),
    orders: Number(r.orders),
    sales: Number(r.sales),
    commission: Number(r.commission),
    parentShare: Number(r.parent_share),
    refunded: Number(r.refunded),
    refundRate: rate(Number(r.refunded), Number(r.sales)),
  }));
  const byLevel = new Map<number, ProgrammeRow>();
  for (const r of perAgent) {
    const rank = Number(r.rank);
    const row = byLevel.get(rank) ?? {
      key: String(rank),
      name: String(r.level_name),
      rank,
      orders: 0,
      sales: 0,
      commission: 0,
      parentShare: 0,
      refunded: 0,
      refundRate: 0,
    };
    row.orders += Number(r.orders);
    row.sales += Number(r.sales);
    row.commission += Number(r.commission);
    row.parentShare += Number(r.parent_share);
    row.refunded += Number(r.refunded);
    row.refundRate = rate(row.refunded, row.sales);
    byLevel.set(rank, row);
  }
  const l = liability[0]!;
  const bal = { pending: Number(l.pending), available: Number(l.available), held: Number(l.held), owed: Number(l.owed) };
  const hours = firstSale.map((r) => ({ name: r.name, hours: Math.round(Number(r.hours) * 10) / 10 }));
  const sorted = hours.map((h) => h.hours).sort((a, b) => a - b);
  const median =
    sorted.length === 0 ? null : sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  return {
    agents: agentRows,
    levels: [...byLevel.values()].sort((a, b) => a.rank - b.rank),
    liability: { ...bal, total: bal.pending + bal.available + bal.held },
    withdrawals: withdrawals.map((w) => ({ status: w.status, count: Number(w.count), amount: Number(w.amount) })),
    inviteToFirstSale: { medianHours: median, agents: hours },
  };
}

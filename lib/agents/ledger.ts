// Agent money: an append-only, double-entry ledger (SPEC invariant 10). Each movement is one
// ledger transaction under a unique idempotency key whose legs sum to zero; the database
// refuses an unbalanced transaction at COMMIT and any UPDATE or DELETE of a leg (migration
// 0019). agent_balances caches each agent's sums: every movement locks the rows of the agents
// it touches in agent-id order (a child and its parent never deadlock), posts, and updates
// the cache in the same transaction; its CHECKs make an overdraft fail at the database.
import 'server-only';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { type AgentBalance, type LedgerAccount, type LedgerTxnKind } from '@/db/schema';
import { log } from '@/lib/log';
import { enqueue } from '@/lib/outbox';

export type Balance = Pick<AgentBalance, 'pending' | 'available' | 'held' | 'owed'>;
export const AGENT_ACCOUNTS = ['pending', 'available', 'held', 'owed'] as const satisfies readonly LedgerAccount[];
type AgentAccount = (typeof AGENT_ACCOUNTS)[number];

/** The locked balances of the agents a movement touches, by agent id; changed in place as legs are posted. */
export type LockedBalances = Map<string, Balance>;

/** Locks (creating where missing) the balance rows of these agents, always in agent-id order. */
export async function lockBalances(tx: Tx, merchantId: string, agentIds: readonly string[]): Promise<LockedBalances> {
  const ids = [...new Set(agentIds)].sort();
  if (ids.length === 0) return new Map();
  const idList = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  await tx.execute(sql`
    INSERT INTO agent_balances (agent_id, merchant_id) SELECT id, merchant_id FROM agents WHERE id IN (${idList}) AND merchant_id = ${merchantId}
    ON CONFLICT (agent_id) DO NOTHING`);
  const rows = await tx.execute<{ agent_id: string; pending: string; available: string; held: string; owed: string }>(sql`
    SELECT agent_id, pending, available, held, owed FROM agent_balances
     WHERE agent_id IN (${idList}) AND merchant_id = ${merchantId} ORDER BY agent_id FOR UPDATE`);
  return new Map(rows.map((r) => [r.agent_id, { pending: Number(r.pending), available: Number(r.available), held: Number(r.held), owed: Number(r.owed) }]));
}

export type Leg = { agentId: string; account: LedgerAccount; amount: number };

export type TxnHead = {
  merchantId: string;
  agentId: string;
  kind: LedgerTxnKind;
  key: string;
  /** What moved, as the agent reads it (positive). */
  amount: number;
  orderId?: string | null;
  refundId?: string | null;
  withdrawalId?: string | null;
  actor?: string | null;
  memo?: string | null;
};

/**
 * Posts one ledger transaction, unless its idempotency key was posted already (then nothing
 * happens and false is returned). The agents of its agent legs must be locked in `balances`.
 */
export async function postTxn(tx: Tx, balances: LockedBalances, head: TxnHead, legs: readonly Leg[]): Promise<boolean> {
  const moving = legs.filter((l) => l.amount !== 0);
  if (moving.length === 0) return false;
  const [txn] = await tx.execute<{ id: string }>(sql`
    INSERT INTO ledger_txns (merchant_id, agent_id, kind, idempotency_key, amount, order_id, refund_id, withdrawal_id, actor, memo)
    VALUES (${head.merchantId}, ${head.agentId}, ${head.kind}, ${head.key}, ${head.amount}, ${head.orderId ?? null}, ${head.refundId ?? null},
            ${head.withdrawalId ?? null}, ${head.actor ?? null}, ${head.memo ?? null})
    ON CONFLICT (merchant_id, idempotency_key) DO NOTHING
    RETURNING id`);
  if (!txn) return false;
  const values = sql.join(
    moving.map((l) => sql`(${txn.id}::uuid, ${head.merchantId}::uuid, ${l.agentId}::uuid, ${l.account}::ledger_account, ${l.amount}::bigint)`),
    sql`, `,
  );
  await tx.execute(sql`INSERT INTO ledger_entries (txn_id, merchant_id, agent_id, account, amount) VALUES ${values}`);
  const touched = new Set<string>();
  for (const l of moving) {
    if (!(AGENT_ACCOUNTS as readonly string[]).includes(l.account)) continue;
    const b = balances.get(l.agentId);
    if (!b) throw new Error(`ledger: balance of agent ${l.agentId} not locked`);
    b[l.account as AgentAccount] += l.amount;
    touched.add(l.agentId);
  }
  for (const agentId of touched) {
    const b = balances.get(agentId)!;
    await tx.execute(sql`
      UPDATE agent_balances SET pending = ${b.pending}, available = ${b.available}, held = ${b.held}, owed = ${b.owed}, updated_at = now()
       WHERE agent_id = ${agentId}`);
  }
  return true;
}

/**
 * Money the agent owes (owed < 0) is repaid from its available balance as soon as there is
 * some: called after every movement that can add to `available`.
 */
export async function offsetDebt(tx: Tx, balances: LockedBalances, head: Omit<TxnHead, 'kind' | 'amount'>): Promise<void> {
  const b = balances.get(head.agentId);
  if (!b || b.owed >= 0 || b.available <= 0) return;
  const k = Math.min(b.available, -b.owed);
  await postTxn(tx, balances, { ...head, kind: 'offset', amount: k }, [
    { agentId: head.agentId, account: 'available', amount: -k },
    { agentId: head.agentId, account: 'owed', amount: k },
  ]);
}

/**
 * Takes `amount` out of an agent's money: from `from` (pending or available) as far as it
 * goes, the rest as a debt (owed). Returns the legs; the counter-leg is the caller's.
 */
export function debitLegs(balance: Balance, agentId: string, from: 'pending' | 'available', amount: number): Leg[] {
  const take = Math.min(amount, Math.max(0, balance[from]));
  const legs: Leg[] = [{ agentId, account: from, amount: -take }];
  if (amount > take) legs.push({ agentId, account: 'owed', amount: -(amount - take) });
  return legs;
}

export type BalanceDrift = { agentId: string; merchantId: string; cached: Balance; entries: Balance };

/**
 * Recomputes every agent's balances from the ledger's legs and compares them with the cache.
 * Differences are logged as errors and the merchant is alerted (outbox `agent.ledger_drift`).
 * One aggregate over the legs, read in a REPEATABLE READ snapshot so movements committed
 * meanwhile cannot show as drift.
 */
export async function checkBalances(db: Db): Promise<{ agents: number; drift: BalanceDrift[] }> {
  const result = await db.transaction(
    async (tx) => {
      const rows = await tx.execute<{
        agent_id: string;
        merchant_id: string;
        pending: string;
        available: string;
        held: string;
        owed: string;
        e_pending: string;
        e_available: string;
        e_held: string;
        e_owed: string;
      }>(sql`
      WITH e AS (
        SELECT agent_id,
               sum(amount) FILTER (WHERE account = 'pending') AS pending,
               sum(amount) FILTER (WHERE account = 'available') AS available,
               sum(amount) FILTER (WHERE account = 'held') AS held,
               sum(amount) FILTER (WHERE account = 'owed') AS owed
          FROM ledger_entries WHERE account IN ('pending', 'available', 'held', 'owed') GROUP BY agent_id)
      SELECT coalesce(b.agent_id, e.agent_id) AS agent_id, coalesce(b.merchant_id, a.merchant_id) AS merchant_id,
             coalesce(b.pending, 0) AS pending, coalesce(b.available, 0) AS available, coalesce(b.held, 0) AS held, coalesce(b.owed, 0) AS owed,
             coalesce(e.pending, 0) AS e_pending, coalesce(e.available, 0) AS e_available, coalesce(e.held, 0) AS e_held, coalesce(e.owed, 0) AS e_owed
        FROM agent_balances b FULL JOIN e ON e.agent_id = b.agent_id
        LEFT JOIN agents a ON a.id = e.agent_id`);
      const drift: BalanceDrift[] = [];
      for (const r of rows) {
        const cached = { pending: Number(r.pending), available: Number(r.available), held: Number(r.held), owed: Number(r.owed) };
        const entries = { pending: Number(r.e_pending), available: Number(r.e_available), held: Number(r.e_held), owed: Number(r.e_owed) };
        if (AGENT_ACCOUNTS.some((k) => cached[k] !== entries[k])) drift.push({ agentId: r.agent_id, merchantId: r.merchant_id, cached, entries });
      }
      return { agents: rows.length, drift };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  for (const d of result.drift) {
    log('error', 'agent balance differs from its ledger', { agentId: d.agentId, cached: d.cached, entries: d.entries });
  }
  if (result.drift.length > 0) {
    const day = new Date().toISOString().slice(0, 10);
    await db.transaction(async (tx) => {
      for (const d of result.drift) {
        await enqueue(tx, {
          merchantId: d.merchantId,
          topic: 'agent.ledger_drift',
          eventKey: `${d.agentId}:${day}`,
          payload: { agentId: d.agentId, cached: d.cached, entries: d.entries },
        });
      }
    });
  }
  return result;
}

// Reads for the agent's own console pages: its level's terms, its balance, the merchant's
// payout methods, what of the getting-started list is done, and its own API keys. Each is
// scoped by the agent row the caller resolved (actingAgent / agentForUser), never by an id
// from the request.
import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import {
  agentBalances,
  agentLevels,
  agentProducts,
  agents,
  agentWithdrawals,
  apiKeys,
  merchants,
  orders,
  type Agent,
  type AgentLevel,
  type WithdrawalMethod,
} from '@/db/schema';
import type { Balance } from './ledger';
import { allowedMethods } from './withdrawals';

/** The ledger keeps minor units without a currency: the programme pays out in yuan. */
export const AGENT_CURRENCY = 'CNY';

export type AgentConsoleView = {
  /** The agent's level (null only if the merchant removed it meanwhile). */
  level: AgentLevel | null;
  balance: Balance;
  merchantName: string;
  withdrawMethods: WithdrawalMethod[];
  parentName: string | null;
  /** The getting-started checks, each derived from what the agent has done. */
  setup: { notice: boolean; products: boolean; withdrawal: boolean; firstOrder: boolean };
};

/** What every agent page shows around its own content: level, balance, merchant, set-up progress. */
export async function agentConsoleView(db: DbOrTx, agent: Pick<Agent, 'id' | 'merchantId' | 'level' | 'parentId' | 'notice'>): Promise<AgentConsoleView> {
  const [[level], [balance], [merchant], [parent], [facts]] = await Promise.all([
    db
      .select()
      .from(agentLevels)
      .where(and(eq(agentLevels.merchantId, agent.merchantId), eq(agentLevels.rank, agent.level))),
    db
      .select({ pending: agentBalances.pending, available: agentBalances.available, held: agentBalances.held, owed: agentBalances.owed })
      .from(agentBalances)
      .where(eq(agentBalances.agentId, agent.id)),
    db.select({ name: merchants.name, settings: merchants.settings }).from(merchants).where(eq(merchants.id, agent.merchantId)),
    agent.parentId
      ? db
          .select({ name: agents.name })
          .from(agents)
          .where(and(eq(agents.id, agent.parentId), eq(agents.merchantId, agent.merchantId)))
      : Promise.resolve([]),
    db.execute<{ products: boolean; withdrawal: boolean; first_order: boolean }>(sql`
      SELECT EXISTS (SELECT 1 FROM ${agentProducts} WHERE ${agentProducts.agentId} = ${agent.id}) AS products,
             EXISTS (SELECT 1 FROM ${agentWithdrawals} WHERE ${agentWithdrawals.agentId} = ${agent.id}) AS withdrawal,
             EXISTS (SELECT 1 FROM ${orders} WHERE ${orders.merchantId} = ${agent.merchantId} AND ${orders.agentId} = ${agent.id}) AS first_order`),
  ]);
  return {
    level: level ?? null,
    balance: balance ?? { pending: 0, available: 0, held: 0, owed: 0 },
    merchantName: merchant?.name ?? '',
    withdrawMethods: allowedMethods(merchant?.settings ?? {}),
    parentName: parent?.name ?? null,
    setup: {
      notice: agent.notice.trim() !== '',
      products: Boolean(facts?.products),
      withdrawal: Boolean(facts?.withdrawal),
      firstOrder: Boolean(facts?.first_order),
    },
  };
}

export type AgentApiKeyRow = { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

/** The agent's own API keys (scope `agent`), newest first; never the hash. */
export async function listAgentApiKeys(db: DbOrTx, agent: Pick<Agent, 'id' | 'merchantId'>): Promise<AgentApiKeyRow[]> {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.merchantId, agent.merchantId), eq(apiKeys.agentId, agent.id)))
    .orderBy(desc(apiKeys.createdAt))
    .limit(100);
}

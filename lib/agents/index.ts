// Agents (代理) and their money: seven levels per merchant with their own costs, visibility
// and markup bounds; agents' shops at `/a/{slug}`; invites and applications; commission
// snapshotted per order and kept on an append-only double-entry ledger; withdrawals.
export { findAgentShop, agentForUser, listAgentOrders, type AgentOrderRow } from './agents';
export { actingAgent } from './session';
export {
  MAX_AGENT_LEVEL,
  applyBp,
  unitCostFor,
  unitSaleFor,
  visibleAtRank,
  visibleInMainStore,
  splitCommission,
  reversedShare,
  markupRefusal,
} from './pricing';
export { shopTerms, shopPrice, type AgentShopTerms } from './shop';
export { listLevels, saveLevel, applyLevelTemplate, setLevelPrices, LEVEL_TEMPLATE, type LevelInput } from './levels';
export {
  createAgent,
  updateAgent,
  reviewApplication,
  updateAgentShop,
  setAgentProduct,
  adjustBalance,
  createAgentApiKey,
  SLUG_PATTERN,
  type CreateAgentInput,
} from './manage';
export { createInvite, revokeInvite, inviteByToken, joinByInvite, listInvites, invitePath, type InviteView, type InviteRow, type JoinInput } from './invites';
export { agentSaleFor, snapshotCommission, accrueCommission, releaseDueCommissions, reverseCommission, type AgentSale } from './commission';
export { checkBalances, type Balance, type BalanceDrift } from './ledger';
export { requestWithdrawal, decideWithdrawal, listWithdrawals, allowedMethods, WITHDRAWAL_METHODS, type WithdrawalRow } from './withdrawals';
export {
  listAgents,
  getAgent,
  listLedger,
  agentCatalogue,
  programmeReport,
  type AgentListItem,
  type LedgerLine,
  type AgentCatalogueItem,
  type ProgrammeReport,
  type ProgrammeRow,
} from './reads';
export type { Agent, AgentLevel } from '@/db/schema';
export { agentConsoleView, listAgentApiKeys, AGENT_CURRENCY, type AgentConsoleView, type AgentApiKeyRow } from './agent-views';
export { programmeQueue, withdrawalCounts } from './merchant-views';

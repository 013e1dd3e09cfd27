// Agents (代理): resellers with a level and their own shop at `/a/{slug}`, selling the
// merchant's products at the prices of their level; the orders through their shop.
export { createAgent, findAgentShop, listPriceFor, agentForUser, listAgentOrders, MAX_AGENT_LEVEL, type AgentOrderRow } from './agents';
export type { Agent } from '@/db/schema';

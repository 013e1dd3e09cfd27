import { getDb } from '@/db/client';
import { actingAgent, agentCatalogue } from '@/lib/agents';
import { handle, json } from '@/app/_lib/http';
import { apiAgentActor } from '@/app/_lib/merchant';

/** What the agent's level may sell: each product's retail price, the agent's cost, its price, listing and markup. */
export const GET = handle(async (req: Request) => {
  const db = getDb();
  const agent = await actingAgent(db, await apiAgentActor(db, req));
  return json(await agentCatalogue(db, agent));
});

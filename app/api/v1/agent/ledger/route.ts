import { getDb } from '@/db/client';
import { actingAgent, listLedger } from '@/lib/agents';
import { handle, json } from '@/app/_lib/http';
import { apiAgentActor } from '@/app/_lib/merchant';

/** The agent's own ledger, newest first (keyset `cursor`). */
export const GET = handle(async (req: Request) => {
  const db = getDb();
  const agent = await actingAgent(db, await apiAgentActor(db, req));
  const url = new URL(req.url);
  return json(
    await listLedger(
      db,
      { merchantId: agent.merchantId, agentId: agent.id },
      { cursor: url.searchParams.get('cursor'), limit: Number(url.searchParams.get('limit') ?? '') || undefined },
    ),
  );
});

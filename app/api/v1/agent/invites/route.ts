import { getDb } from '@/db/client';
import { createInvite } from '@/lib/agents';
import { getConfig } from '@/lib/config';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiAgentActor } from '@/app/_lib/merchant';

/** An invite for the agent's own sub-agents, at or below its rank: `{"rank", "maxUses"?, "expiresAt"?, "autoApprove"?}` → `{"id", "url"}`. */
export const POST = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiAgentActor(db, req);
  const invite = await createInvite(db, actor, (await readJson(req)) as never);
  return json({ id: invite.id, url: `${getConfig().appUrl}${invite.path}` }, 201);
});

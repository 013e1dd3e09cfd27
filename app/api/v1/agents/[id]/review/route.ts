import { getDb } from '@/db/client';
import { getAgent, reviewApplication } from '@/lib/agents';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';
import { apiAgentView } from '@/app/_lib/views';

type Ctx = { params: Promise<{ id: string }> };

/** Decides an application: `{"decision": "approve|reject", "rank"?, "reason"?}` (a reason is required to reject). */
export const POST = handle(async (req: Request, ctx: Ctx) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'agents:write');
  const body = (await readJson(req)) as Record<string, unknown>;
  const agent = await reviewApplication(db, actor, { ...body, id: (await ctx.params).id } as never);
  return json(apiAgentView((await getAgent(db, actor.merchantId, agent.id))!));
});

import { getDb } from '@/db/client';
import { createAgentApiKey } from '@/lib/agents';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';

type Ctx = { params: Promise<{ id: string }> };

/** An API key for one of the merchant's agents (scope `agent`), shown once: `{"id", "key", "prefix"}`. */
export const POST = handle(async (req: Request, ctx: Ctx) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'agents:write');
  const body = req.headers.get('content-length') === '0' ? {} : ((await readJson(req).catch(() => ({}))) as { name?: string });
  return json(await createAgentApiKey(db, actor, { agentId: (await ctx.params).id, name: body?.name }), 201);
});

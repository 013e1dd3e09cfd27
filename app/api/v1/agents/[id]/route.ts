import { getDb } from '@/db/client';
import { getAgent, updateAgent } from '@/lib/agents';
import { AppError } from '@/lib/errors';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';
import { apiAgentView } from '@/app/_lib/views';
import { invalidateCatalog } from '@/app/_lib/catalog-cache';

type Ctx = { params: Promise<{ id: string }> };

/** One agent with its balance `{"pending", "available", "held", "owed"}`; another merchant's id is 404. */
export const GET = handle(async (req: Request, ctx: Ctx) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'agents:write');
  const agent = await getAgent(db, actor.merchantId, (await ctx.params).id);
  if (!agent) throw new AppError('not_found', 'No such agent.');
  return json(apiAgentView(agent));
});

/** Changes an agent's `rank`, `status` (active|suspended) or `parentId` (null: none). */
export const PATCH = handle(async (req: Request, ctx: Ctx) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'agents:write');
  const body = (await readJson(req)) as Record<string, unknown>;
  const updated = await updateAgent(db, actor, { ...body, id: (await ctx.params).id } as never);
  invalidateCatalog(actor.merchantId);
  return json(apiAgentView((await getAgent(db, actor.merchantId, updated.id))!));
});

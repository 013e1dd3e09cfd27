import { getDb } from '@/db/client';
import { createAgent, getAgent, listAgents } from '@/lib/agents';
import { AppError } from '@/lib/errors';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';
import { apiAgentView } from '@/app/_lib/views';

const STATUSES = ['active', 'suspended', 'pending', 'rejected'] as const;

/** The merchant's agents (`?status=pending` for the applications), with balances. */
export const GET = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'agents:write');
  const status = new URL(req.url).searchParams.get('status');
  if (status && !(STATUSES as readonly string[]).includes(status))
    throw new AppError('validation_failed', 'Unknown status.', { fields: { status: 'invalid_choice' } });
  const agents = await listAgents(db, actor.merchantId, status ? { status: status as (typeof STATUSES)[number] } : {});
  return json({ agents: agents.map(apiAgentView) });
});

/** Creates an agent, active at once: `{"slug", "name", "rank", "parentId"?, "email"?, "password"?}`. */
export const POST = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'agents:write');
  const agent = await createAgent(db, actor, (await readJson(req)) as never);
  const view = await getAgent(db, actor.merchantId, agent.id);
  return json({ ...apiAgentView(view!), userId: agent.userId }, 201);
});

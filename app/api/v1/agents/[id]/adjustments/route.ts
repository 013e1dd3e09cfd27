import { getDb } from '@/db/client';
import { adjustBalance, getAgent } from '@/lib/agents';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';

type Ctx = { params: Promise<{ id: string }> };

/** A manual adjustment of the agent's available balance: `{"amount": ±minor units, "reason"}`; answers the new balance. */
export const POST = handle(async (req: Request, ctx: Ctx) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'agents:write');
  const body = (await readJson(req)) as Record<string, unknown>;
  const agentId = (await ctx.params).id;
  await adjustBalance(db, actor, { ...body, agentId } as never);
  return json({ balance: (await getAgent(db, actor.merchantId, agentId))!.balance }, 201);
});

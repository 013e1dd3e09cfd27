import { getDb } from '@/db/client';
import { getAgent, listLedger } from '@/lib/agents';
import { AppError } from '@/lib/errors';
import { handle, json } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';

type Ctx = { params: Promise<{ id: string }> };

/** An agent's ledger, newest first: `{"lines": [{"id", "kind", "amount", "orderNo", "withdrawalId", "memo", "createdAt", "effect"}], "nextCursor"}`. */
export const GET = handle(async (req: Request, ctx: Ctx) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'agents:write');
  const agent = await getAgent(db, actor.merchantId, (await ctx.params).id);
  if (!agent) throw new AppError('not_found', 'No such agent.');
  const url = new URL(req.url);
  return json(
    await listLedger(
      db,
      { merchantId: actor.merchantId, agentId: agent.id },
      { cursor: url.searchParams.get('cursor'), limit: Number(url.searchParams.get('limit') ?? '') || undefined },
    ),
  );
});

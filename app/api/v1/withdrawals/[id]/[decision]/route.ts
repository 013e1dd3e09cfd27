import { getDb } from '@/db/client';
import { decideWithdrawal } from '@/lib/agents';
import { AppError } from '@/lib/errors';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';

type Ctx = { params: Promise<{ id: string; decision: string }> };

/** `approve`, `pay` (`{"reference"}`) or `reject` (`{"reason"}`) a withdrawal; one that moved meanwhile is 409. */
export const POST = handle(async (req: Request, ctx: Ctx) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'agents:write');
  const { id, decision } = await ctx.params;
  if (decision !== 'approve' && decision !== 'pay' && decision !== 'reject') throw new AppError('not_found', 'No such action.');
  const body = decision === 'approve' ? {} : ((await readJson(req)) as Record<string, unknown>);
  const w = await decideWithdrawal(db, actor, { ...body, id, decision } as never);
  return json({ id: w.id, status: w.status, reference: w.reference, reason: w.reason });
});

import { getDb } from '@/db/client';
import { deleteRiskRule } from '@/lib/risk';
import { handle } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';

type Ctx = { params: Promise<{ id: string }> };

/** Removes a block rule (another merchant's id is 404). */
export const DELETE = handle(async (req: Request, ctx: Ctx) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'risk:write');
  await deleteRiskRule(db, actor, (await ctx.params).id);
  return new Response(null, { status: 204 });
});

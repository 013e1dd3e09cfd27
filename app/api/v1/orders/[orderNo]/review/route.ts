import { getDb } from '@/db/client';
import { reviewOrder } from '@/lib/orders';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';

type Ctx = { params: Promise<{ orderNo: string }> };

/** Decides an order held for review: `{"decision": "approve|reject", "reason"?}` (another merchant's order is 404; one not held is 409). */
export const POST = handle(async (req: Request, ctx: Ctx) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'risk:write');
  return json(await reviewOrder(db, actor, (await ctx.params).orderNo, await readJson(req)));
});

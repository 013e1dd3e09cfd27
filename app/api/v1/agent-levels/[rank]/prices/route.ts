import { getDb } from '@/db/client';
import { setLevelPrices } from '@/lib/agents';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';
import { invalidateCatalog } from '@/app/_lib/catalog-cache';

type Ctx = { params: Promise<{ rank: string }> };

/** A level's cost and visibility of products: `{"prices": [{"productId", "cost"?, "visible"?}]}` (null clears). */
export const PUT = handle(async (req: Request, ctx: Ctx) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'agents:write');
  const body = (await readJson(req)) as { prices?: unknown };
  const result = await setLevelPrices(db, actor, { rank: Number((await ctx.params).rank), prices: body?.prices as never });
  invalidateCatalog(actor.merchantId);
  return json(result);
});

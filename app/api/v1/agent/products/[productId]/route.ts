import { getDb } from '@/db/client';
import { setAgentProduct } from '@/lib/agents';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiAgentActor } from '@/app/_lib/merchant';
import { invalidateCatalog } from '@/app/_lib/catalog-cache';

type Ctx = { params: Promise<{ productId: string }> };

/** Lists or unlists a product in the agent's shop and sets its markup: `{"listed"?, "markupBp"? | "price"?}`. */
export const PUT = handle(async (req: Request, ctx: Ctx) => {
  const db = getDb();
  const actor = await apiAgentActor(db, req);
  const body = (await readJson(req)) as Record<string, unknown>;
  const result = await setAgentProduct(db, actor, { ...body, productId: (await ctx.params).productId } as never);
  invalidateCatalog(actor.merchantId);
  return json(result);
});

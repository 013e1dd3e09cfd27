import { getDb } from '@/db/client';
import { applyLevelTemplate, listLevels } from '@/lib/agents';
import { handle, json } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';

/** Creates the seven-level template's levels for the ranks not set up yet. */
export const POST = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'agents:write');
  const { created } = await applyLevelTemplate(db, actor, new URL(req.url).searchParams.get('locale') === 'en' ? 'en' : 'zh-CN');
  return json({ created, levels: await listLevels(db, actor.merchantId) }, 201);
});

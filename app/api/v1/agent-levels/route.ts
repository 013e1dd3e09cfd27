import { getDb } from '@/db/client';
import { listLevels, saveLevel } from '@/lib/agents';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';

/** The merchant's agent levels by rank. */
export const GET = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'agents:write');
  return json({ levels: await listLevels(db, actor.merchantId) });
});

/** Creates or changes the level of a rank: `{"rank", "name", "discountBp"?, …}`. */
export const POST = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'agents:write');
  return json(await saveLevel(db, actor, (await readJson(req)) as never), 201);
});

import { getReadDb, getDb } from '@/db/client';
import { programmeReport } from '@/lib/agents';
import { handle, json } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';

/** The programme report: per agent and per level, the liability, withdrawals by state, invite-to-first-sale. */
export const GET = handle(async (req: Request) => {
  const actor = await apiActor(getDb(), req, 'agents:write');
  return json(await programmeReport(getReadDb(), actor.merchantId));
});

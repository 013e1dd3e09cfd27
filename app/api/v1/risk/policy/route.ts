import { getDb } from '@/db/client';
import { riskPolicyOf, updateRiskPolicy } from '@/lib/risk';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';

/** The merchant's risk policy (the defaults until it saves its own). */
export const GET = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'risk:write');
  return json({ policy: await riskPolicyOf(db, actor.merchantId) });
});

/** Changes the policy: the fields given (see docs/api.md) replace the saved ones. */
export const PUT = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'risk:write');
  const { policy, changed } = await updateRiskPolicy(db, actor, await readJson(req));
  return json({ policy, changed });
});

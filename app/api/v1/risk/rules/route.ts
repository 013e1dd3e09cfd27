import { getDb } from '@/db/client';
import { createRiskRule, listRiskRules } from '@/lib/risk';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';

const view = (r: Awaited<ReturnType<typeof listRiskRules>>[number] | Awaited<ReturnType<typeof createRiskRule>>) => ({
  id: r.id,
  kind: r.kind,
  pattern: r.pattern,
  action: r.action,
  source: r.source,
  expiresAt: r.expiresAt?.toISOString() ?? null,
  note: r.note,
  hitCount: r.hitCount,
  lastHitAt: r.lastHitAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});

/** Adds a rule: `{"kind": "email|email_domain|ip|cidr|email_regex", "pattern", "action"?: "block|challenge", "expiresAt"?, "expiresIn"?: "1h|24h|7d", "note"?}`. */
export const POST = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'risk:write');
  return json(view(await createRiskRule(db, actor, await readJson(req))), 201);
});

/** The merchant's rules, newest first, with their hit counts; then the platform's live rules (source `platform`, read-only). */
export const GET = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'risk:write');
  return json({ rules: (await listRiskRules(db, actor.merchantId, { platform: true })).map(view) });
});

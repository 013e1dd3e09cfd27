import { getDb } from '@/db/client';
import { AppError } from '@/lib/errors';
import { importRiskRules } from '@/lib/risk';
import { handle, json, readText } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';

const MAX_BODY = 2_000_000;

/** Adds rules from a CSV body (`Content-Type: text/csv`; columns `kind,pattern,action,expires_at,note`, see docs/api.md). */
export const POST = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'risk:write');
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  if (!type.startsWith('text/csv') && !type.startsWith('text/plain')) throw new AppError('unsupported_media_type', 'Send the rules as text/csv.');
  return json(await importRiskRules(db, actor, await readText(req, MAX_BODY)), 201);
});

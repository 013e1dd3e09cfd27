import { z } from 'zod';
import { getDb } from '@/db/client';
import { AppError, validationError } from '@/lib/errors';
import { importKeys, MAX_KEYS_PER_IMPORT, parseKeyLines } from '@/lib/inventory';
import { invalidateCatalog } from '@/app/_lib/catalog-cache';
import { handle, json, readJson, readText } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';

// The transport: a JSON array or text/plain, one key a line. What may be imported where
// (the merchant's own product, one that delivers from stock) is lib/inventory's to decide.
const bodySchema = z.object({ keys: z.array(z.string()).min(1).max(MAX_KEYS_PER_IMPORT) });
const MAX_BODY = 20_000_000;

export const POST = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'keys:write');
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  let keys: string[];
  if (type.startsWith('text/plain')) {
    keys = parseKeyLines(await readText(req, MAX_BODY));
    if (keys.length === 0) throw new AppError('validation_failed', 'No keys in the body.', { fields: { keys: 'required' } });
  } else {
    const parsed = bodySchema.safeParse(await readJson(req, MAX_BODY));
    if (!parsed.success) throw validationError(parsed.error.issues);
    keys = parsed.data.keys;
  }
  const result = await importKeys(db, actor, { productId: (await ctx.params).id, keys });
  invalidateCatalog(actor.merchantId);
  return json(result, 201);
});

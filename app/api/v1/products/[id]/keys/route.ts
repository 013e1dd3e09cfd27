import { z } from 'zod';
import { getDb } from '@/db/client';
import { recordAudit } from '@/lib/audit';
import { getMerchantProduct } from '@/lib/catalog';
import { AppError, validationError } from '@/lib/errors';
import { importKeys, MAX_KEYS_PER_IMPORT, parseKeyLines } from '@/lib/inventory';
import { invalidateCatalog } from '../../../../_lib/catalog-cache';
import { handle, json, readJson, readText } from '../../../../_lib/http';
import { apiPrincipal } from '../../../../_lib/merchant';

const bodySchema = z.object({ keys: z.array(z.string()).min(1).max(MAX_KEYS_PER_IMPORT) });
const MAX_BODY = 20_000_000;

export const POST = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const db = getDb();
  const principal = await apiPrincipal(db, req, 'keys:write');
  const product = await getMerchantProduct(db, principal.merchantId, (await ctx.params).id);
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  let keys: string[];
  if (type.startsWith('text/plain')) {
    keys = parseKeyLines(await readText(req, MAX_BODY));
    if (keys.length === 0) throw new AppError('validation_failed', 'No keys in the body.', { fields: { keys: 'one key a line' } });
  } else {
    const parsed = bodySchema.safeParse(await readJson(req, MAX_BODY));
    if (!parsed.success) throw validationError(parsed.error.issues);
    keys = parsed.data.keys;
  }
  const result = await db.transaction(async (tx) => {
    const r = await importKeys(tx, { merchantId: principal.merchantId, productId: product.id, keys });
    await recordAudit(tx, {
      merchantId: principal.merchantId,
      actorType: 'api_key',
      actorId: principal.prefix,
      action: 'key.import',
      targetType: 'product',
      targetId: product.id,
      detail: r,
    });
    return r;
  });
  invalidateCatalog(principal.merchantId);
  return json(result, 201);
});

import { getDb } from '@/db/client';
import { AppError } from '@/lib/errors';
import { lookupOrder } from '@/lib/orders';
import { addressKey, getLimiter, RULES } from '@/lib/risk';
import { clientIp, handle, json, readJson } from '@/app/_lib/http';
import { apiOrderView } from '@/app/_lib/views';

export const POST = handle(async (req: Request) => {
  const db = getDb();
  const limit = await getLimiter(db).hit(RULES.lookup, addressKey(clientIp(req)));
  if (!limit.ok) throw new AppError('rate_limited', 'Too many lookups. Please wait a moment.', { retryAfter: limit.retryAfter });
  return json(apiOrderView(await lookupOrder(db, await readJson(req))));
});

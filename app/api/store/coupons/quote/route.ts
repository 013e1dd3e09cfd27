import { getDb } from '@/db/client';
import { AppError } from '@/lib/errors';
import { quoteOrder } from '@/lib/orders';
import { addressKey, getLimiter, RULES } from '@/lib/risk';
import { clientIp, handle, json, readJson } from '@/app/_lib/http';
import { storeMerchant } from '@/app/_lib/store';
import { withRequestId } from '@/app/_lib/request-id';

/** What an order would cost with a coupon code, or why the code does not apply. Tries are limited per address. */
const quote = handle(async (req: Request) => {
  const db = getDb();
  const limit = await getLimiter(db).hit(RULES.couponTry, addressKey(clientIp(req)));
  if (!limit.ok) throw new AppError('rate_limited', 'Too many coupon codes tried from this address. Please wait a moment.', { retryAfter: limit.retryAfter });
  const body = await readJson(req);
  const rawAgent = body && typeof body === 'object' ? (body as { agent?: unknown }).agent : undefined;
  const { merchantId } = await storeMerchant(db, typeof rawAgent === 'string' && rawAgent.trim() ? rawAgent.trim() : null);
  return json(await quoteOrder(db, body, { merchantId }));
});

export const POST = (req: Request) => withRequestId(req, () => quote(req));

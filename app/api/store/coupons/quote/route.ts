import { getDb } from '@/db/client';
import { quoteOrder } from '@/lib/orders';
import { clientIp, handle, json, readJson } from '@/app/_lib/http';
import { storeMerchant, withinCouponTries } from '@/app/_lib/store';
import { withRequestId } from '@/app/_lib/request-id';

/** What an order would cost with a coupon code, or why the code does not apply. Failed codes are limited per address. */
const quote = handle(async (req: Request) => {
  const db = getDb();
  const body = await readJson(req);
  const rawAgent = body && typeof body === 'object' ? (body as { agent?: unknown }).agent : undefined;
  const { merchantId } = await storeMerchant(db, typeof rawAgent === 'string' && rawAgent.trim() ? rawAgent.trim() : null);
  return json(await withinCouponTries(db, merchantId, clientIp(req), () => quoteOrder(db, body, { merchantId })));
});

export const POST = (req: Request) => withRequestId(req, () => quote(req));

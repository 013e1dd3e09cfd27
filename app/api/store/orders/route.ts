import { getDb } from '@/db/client';
import { negotiateLocale } from '@/lib/i18n';
import { createOrder } from '@/lib/orders';
import { RULES } from '@/lib/risk';
import { clientIp, handle, json, readJson } from '@/app/_lib/http';
import { storeMerchant, withinCouponTries } from '@/app/_lib/store';
import { orderCookieHeader } from '@/app/_lib/order-cookie';
import { withRequestId } from '@/app/_lib/request-id';

const create = handle(async (req: Request) => {
  const db = getDb();
  const ip = clientIp(req);
  const body = await readJson(req);
  const fields = body && typeof body === 'object' ? (body as { agent?: unknown; challenge?: unknown }) : {};
  const agent = typeof fields.agent === 'string' && fields.agent.trim() ? fields.agent.trim() : null;
  const challenge = typeof fields.challenge === 'string' ? fields.challenge : null;
  const { merchantId } = await storeMerchant(db, agent);
  const locale = negotiateLocale(req.headers.get('cookie')?.match(/NEXT_LOCALE=([^;]+)/)?.[1], req.headers.get('accept-language'));
  const order = await withinCouponTries(db, merchantId, ip, () =>
    createOrder(db, body, { merchantId, buyerIp: ip, locale, idempotencyKey: req.headers.get('idempotency-key'), limit: RULES.createOrder, challenge }),
  );
  const { replayed, ...response } = order;
  return json(response, replayed ? 200 : 201, { 'Set-Cookie': orderCookieHeader(order.orderNo, order.token) });
});

export const POST = (req: Request) => withRequestId(req, () => create(req));

import { getDb } from '@/db/client';
import { lookupOrder } from '@/lib/orders';
import { clientIp, handle, json, readJson } from '@/app/_lib/http';
import { withinLookupLimits } from '@/app/_lib/store';
import { apiOrderView } from '@/app/_lib/views';

export const POST = handle(async (req: Request) => {
  const db = getDb();
  const body = await readJson(req);
  const orderNo = body && typeof body === 'object' && typeof (body as { orderNo?: unknown }).orderNo === 'string' ? (body as { orderNo: string }).orderNo : '';
  return json(apiOrderView(await withinLookupLimits(db, clientIp(req), orderNo, () => lookupOrder(db, body))));
});

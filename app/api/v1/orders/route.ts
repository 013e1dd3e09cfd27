import { getDb } from '@/db/client';
import { listMerchantOrders } from '@/lib/orders';
import { handle, json } from '../../_lib/http';
import { apiPrincipal } from '../../_lib/merchant';

export const GET = handle(async (req: Request) => {
  const db = getDb();
  const principal = await apiPrincipal(db, req, 'orders:read');
  const q = new URL(req.url).searchParams;
  const limit = q.get('limit') ? Number(q.get('limit')) : undefined;
  return json(
    await listMerchantOrders(db, principal.merchantId, {
      status: q.get('status') ?? undefined,
      limit: Number.isFinite(limit) ? limit : undefined,
      cursor: q.get('cursor') ?? undefined,
    }),
  );
});

import { getDb } from '@/db/client';
import { listMerchantOrders } from '@/lib/orders';
import { handle, json } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';

export const GET = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'orders:read');
  const q = new URL(req.url).searchParams;
  const limit = q.get('limit') ? Number(q.get('limit')) : undefined;
  return json(
    await listMerchantOrders(db, actor.merchantId, {
      status: q.get('status') ?? undefined,
      limit: Number.isFinite(limit) ? limit : undefined,
      cursor: q.get('cursor') ?? undefined,
    }),
  );
});

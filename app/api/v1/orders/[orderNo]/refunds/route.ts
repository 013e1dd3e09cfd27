import { getDb } from '@/db/client';
import { refundOrder } from '@/lib/orders';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';

type Ctx = { params: Promise<{ orderNo: string }> };

/**
 * Refunds an order, whole or in part: `{"amount"?, "reason", "keys": "keep|void", "viaProvider"?}`
 * → `201 {"refundId", "refunded", "remaining"}`. Each refund reverses the agent's commission in proportion.
 */
export const POST = handle(async (req: Request, ctx: Ctx) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'orders:write');
  const body = (await readJson(req)) as Record<string, unknown>;
  // An Idempotency-Key header makes a retried request return the first refund (`replayed: true`).
  const idempotencyKey = req.headers.get('idempotency-key') ?? undefined;
  const r = await refundOrder(db, actor, { ...body, orderNo: (await ctx.params).orderNo, ...(idempotencyKey ? { idempotencyKey } : {}) } as never);
  return json(
    {
      refundId: r.refundId,
      refunded: r.refunded,
      remaining: r.remaining,
      keys: r.keys,
      keysTo: r.keysTo,
      ...(r.replayed ? { replayed: true } : {}),
      ...(r.provider ? { provider: r.provider } : {}),
    },
    r.replayed ? 200 : 201,
  );
});

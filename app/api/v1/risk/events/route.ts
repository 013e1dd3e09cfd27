import { getDb } from '@/db/client';
import { listRiskEvents } from '@/lib/risk';
import { handle, json } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';

/** The risk log, newest first: every refusal, challenge and sampled pass with its score and reasons (`?limit=&cursor=&stage=&action=&buyer=`). */
export const GET = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'risk:write');
  const url = new URL(req.url);
  const page = await listRiskEvents(db, actor.merchantId, {
    cursor: url.searchParams.get('cursor'),
    limit: Number(url.searchParams.get('limit') ?? '') || undefined,
    stage: url.searchParams.get('stage'),
    action: url.searchParams.get('action'),
    buyer: url.searchParams.get('buyer')?.slice(0, 254),
  });
  return json({
    events: page.events.map((e) => ({
      id: e.id,
      stage: e.stage,
      action: e.action,
      score: e.score,
      address: e.address,
      emailNorm: e.emailNorm,
      productId: e.productId,
      orderNo: e.orderNo,
      reasons: e.reasons,
      createdAt: e.createdAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
  });
});

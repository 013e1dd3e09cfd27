import { getDb } from '@/db/client';
import { createCoupons, listCoupons } from '@/lib/coupons';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';
import { apiCouponView } from '@/app/_lib/views';

/** One coupon (a given or generated code) or, with `count` > 1, a batch of generated codes. */
export const POST = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'coupons:write');
  const created = await createCoupons(db, actor, await readJson(req, 200_000));
  return json(created, 201);
});

/** The merchant's coupons, newest first: `?batchId=` for one batch's codes, `?q=` by the code's beginning, keyset `cursor`. */
export const GET = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'coupons:write');
  const url = new URL(req.url);
  const page = await listCoupons(db, actor.merchantId, {
    batchId: url.searchParams.get('batchId'),
    q: url.searchParams.get('q') ?? undefined,
    cursor: url.searchParams.get('cursor'),
    limit: Number(url.searchParams.get('limit') ?? '') || undefined,
  });
  return json({ coupons: page.coupons.map(apiCouponView), nextCursor: page.nextCursor });
});

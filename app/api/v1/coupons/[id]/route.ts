import { getDb } from '@/db/client';
import { AppError } from '@/lib/errors';
import { getCoupon, patchCoupon } from '@/lib/coupons';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';
import { apiCouponView } from '@/app/_lib/views';

type Ctx = { params: Promise<{ id: string }> };

/** One coupon with `used` and `reserved`, its report and its latest redemptions. */
export const GET = handle(async (req: Request, ctx: Ctx) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'coupons:write');
  const detail = await getCoupon(db, actor.merchantId, (await ctx.params).id);
  if (!detail) throw new AppError('not_found', 'No such coupon.');
  return json({
    ...apiCouponView({ ...detail.coupon, state: detail.state }),
    report: detail.report,
    redemptions: detail.redemptions.map((r) => ({
      orderNo: r.orderNo,
      orderStatus: r.orderStatus,
      status: r.status,
      overLimit: r.overLimit,
      discount: r.discount,
      amount: r.amount,
      currency: r.currency,
      reservedAt: r.reservedAt.toISOString(),
      committedAt: r.committedAt?.toISOString() ?? null,
      releasedAt: r.releasedAt?.toISOString() ?? null,
    })),
  });
});

/** `{"enabled"}` turns the code on or off; any other field changes its terms (the rest are kept). */
export const PATCH = handle(async (req: Request, ctx: Ctx) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'coupons:write');
  const body = await readJson(req);
  const coupon = await patchCoupon(db, actor, (await ctx.params).id, body);
  return json(apiCouponView(coupon));
});

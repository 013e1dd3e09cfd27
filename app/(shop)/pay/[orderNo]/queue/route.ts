// "Leave it with the shop" on a pay page whose payment no channel could take: the order is
// queued for a manual payment (its keys held for the merchant's hold time; the merchant is
// alerted), then back to the pay page, which says so.
import { withFollowUps } from '@/app/_lib/after-response';
import { getDb } from '@/db/client';
import { isAppError } from '@/lib/errors';
import { leaveForManualPayment } from '@/lib/orders';

export const dynamic = 'force-dynamic';

export async function POST(_req: Request, ctx: { params: Promise<{ orderNo: string }> }): Promise<Response> {
  const { orderNo } = await ctx.params;
  await withFollowUps(() => leaveForManualPayment(getDb(), orderNo)).catch((e: unknown) => {
    if (!isAppError(e)) throw e;
  });
  return new Response(null, { status: 303, headers: { Location: `/pay/${encodeURIComponent(orderNo)}`, 'Cache-Control': 'no-store' } });
}

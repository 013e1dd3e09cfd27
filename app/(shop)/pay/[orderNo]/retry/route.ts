// "Try again" on a pay page whose provider could not create the payment: one new attempt
// (a new out_trade_no), then back to the pay page. A form POST, so neither a reload nor the
// page's auto-refresh calls the provider.
import { withFollowUps } from '@/app/_lib/after-response';
import { getDb } from '@/db/client';
import { isAppError } from '@/lib/errors';
import { paymentForOrder } from '@/lib/orders';

export const dynamic = 'force-dynamic';

export async function POST(_req: Request, ctx: { params: Promise<{ orderNo: string }> }): Promise<Response> {
  const { orderNo } = await ctx.params;
  await withFollowUps(() => paymentForOrder(getDb(), orderNo, { retryFailed: 'now' })).catch((e: unknown) => {
    if (!isAppError(e)) throw e;
  });
  return new Response(null, { status: 303, headers: { Location: `/pay/${encodeURIComponent(orderNo)}`, 'Cache-Control': 'no-store' } });
}

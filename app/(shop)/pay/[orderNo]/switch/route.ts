// "Pay another way" on a pay page whose method could not take the payment: the order moves
// to the chosen channel (only while nothing payable was shown) and its payment is created
// there at once; then back to the pay page.
import { withFollowUps } from '@/app/_lib/after-response';
import { getDb } from '@/db/client';
import { isAppError } from '@/lib/errors';
import { paymentForOrder, switchPaymentChannel } from '@/lib/orders';

export const dynamic = 'force-dynamic';

export async function POST(req: Request, ctx: { params: Promise<{ orderNo: string }> }): Promise<Response> {
  const { orderNo } = await ctx.params;
  const channel = String((await req.formData().catch(() => new FormData())).get('channel') ?? '');
  const db = getDb();
  await withFollowUps(async () => {
    await switchPaymentChannel(db, orderNo, channel);
    await paymentForOrder(db, orderNo, { retryFailed: 'now' });
  }).catch((e: unknown) => {
    // Refused (another channel's payment shown, a channel not of this shop…): the pay page shows the order as it is.
    if (!isAppError(e)) throw e;
  });
  return new Response(null, { status: 303, headers: { Location: `/pay/${encodeURIComponent(orderNo)}`, 'Cache-Control': 'no-store' } });
}

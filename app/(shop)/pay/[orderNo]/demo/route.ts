// The demo channel's "pay" button: a plain form POST that sends the channel's own signed
// notification through the real notification path, then a 303 to the order page. A full
// navigation, not a server action's in-request redirect: the order's cookie is sent only
// to /order/{no}, so the order page must be requested from the browser itself.
import { withFollowUps } from '@/app/_lib/after-response';
import { getDb } from '@/db/client';
import { getConfig } from '@/lib/config';
import { isAppError } from '@/lib/errors';
import { getOrderStatus, handlePaymentNotification } from '@/lib/orders';
import { demoNotification, loadChannel } from '@/lib/payments';

export const dynamic = 'force-dynamic';

const seeOther = (location: string) => new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } });

export async function POST(_req: Request, ctx: { params: Promise<{ orderNo: string }> }): Promise<Response> {
  const { orderNo } = await ctx.params;
  const pay = `/pay/${encodeURIComponent(orderNo)}`;
  const db = getDb();
  const found = await getOrderStatus(db, orderNo).catch((e: unknown) => {
    if (isAppError(e) && e.code === 'not_found') return null;
    throw e;
  });
  if (!found) return seeOther(pay);
  const { order } = found;
  const channel = await loadChannel(db, order.channelId);
  if (!channel || channel.row.kind !== 'demo' || !getConfig().demoChannelEnabled) return seeOther(pay);
  const secret = (channel.config as { secret?: string }).secret ?? '';
  // One trade number per order: a second click is a replay, not a second payment.
  const body = demoNotification(secret, { orderNo: order.orderNo, amount: order.amount, currency: order.currency }, `DEMO-${order.id}`);
  await withFollowUps(() => handlePaymentNotification(db, channel.row.id, { method: 'POST', query: {}, body }));
  return seeOther(`/order/${encodeURIComponent(order.orderNo)}`);
}

// The payment of a pending order, for API clients: created at the provider on first use,
// the stored one afterwards. A failed creation is tried again only once it is 10 s old, so
// a polling client cannot hammer the provider.
import { getDb } from '@/db/client';
import { AppError } from '@/lib/errors';
import { orderTokenOpens, paymentForOrder } from '@/lib/orders';
import { withFollowUps } from '@/app/_lib/after-response';
import { handle, json } from '@/app/_lib/http';

export const GET = handle(async (req: Request, ctx: { params: Promise<{ orderNo: string }> }) => {
  const { orderNo } = await ctx.params;
  const token = /^Bearer\s+(\S+)$/.exec(req.headers.get('authorization') ?? '')?.[1];
  const db = getDb();
  if (!token || !(await orderTokenOpens(db, orderNo, token))) throw new AppError('not_found', 'No such order.');
  // A channel's breaker changing state writes an alert for the merchant: sent right after the answer.
  const payment = await withFollowUps(() => paymentForOrder(db, orderNo, { retryFailed: 10 }));
  if (payment.state === 'failed') throw new AppError('provider_unavailable', 'The payment provider could not take this payment. Try again in a moment.');
  if (payment.state === 'creating') throw new AppError('provider_unavailable', 'The payment is still being created. Ask again in a moment.');
  return json({ channel: payment.channel, action: payment.action, outTradeNo: payment.outTradeNo });
});

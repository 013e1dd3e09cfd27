// An order link (`/order/{no}?token=…`, from the API or the delivery e-mail; proxy.ts
// rewrites it here) becomes the order's HttpOnly cookie and a clean URL, so the token
// does not stay in the address bar, the history or later request logs. Only a token that
// opens the order is kept: a wrong one sets nothing and lands on the page's 404.
import { getDb } from '@/db/client';
import { orderTokenOpens } from '@/lib/orders';
import { orderCookieHeader } from '@/app/_lib/order-cookie';

export const dynamic = 'force-dynamic';

export async function GET(req: Request, ctx: { params: Promise<{ orderNo: string }> }): Promise<Response> {
  const { orderNo } = await ctx.params;
  const token = new URL(req.url).searchParams.get('token');
  const headers = new Headers({ Location: `/order/${encodeURIComponent(orderNo)}`, 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
  if (/^\d{16,32}$/.test(orderNo) && token && token.length <= 128 && (await orderTokenOpens(getDb(), orderNo, token))) {
    headers.set('Set-Cookie', orderCookieHeader(orderNo, token));
  }
  return new Response(null, { status: 303, headers });
}

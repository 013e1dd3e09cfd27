import { getDb } from '@/db/client';
import { errorSummary } from '@/lib/errors';
import { handlePaymentNotification, type PaymentNotificationReply } from '@/lib/orders';
import type { NotificationInput } from '@/lib/payments';
import { log } from '@/lib/log';
import { readText } from '@/app/_lib/http';
import { withRequestId } from '@/app/_lib/request-id';

// Incoming payment notifications. Providers notify by GET (彩虹易支付) or POST (form or JSON); every copy gets the reply
// the provider expects, even on our own failure, where it is the "retry later" reply.
function respond(r: Pick<PaymentNotificationReply, 'status' | 'body' | 'contentType'>): Response {
  return new Response(r.body, { status: r.status, headers: { 'Content-Type': r.contentType, 'Cache-Control': 'no-store' } });
}

async function notify(req: Request, channelId: string, body: Record<string, string>): Promise<Response> {
  const input: NotificationInput = {
    method: req.method === 'POST' ? 'POST' : 'GET',
    query: Object.fromEntries(new URL(req.url).searchParams),
    body,
  };
  try {
    return respond(await handlePaymentNotification(getDb(), channelId, input));
  } catch (err) {
    // Database trouble: answer "fail" so the provider sends the notification again.
    log('error', 'payment notification failed', { channelId, error: errorSummary(err) });
    return respond({ status: 500, body: 'fail', contentType: 'text/plain; charset=utf-8' });
  }
}

type Ctx = { params: Promise<{ channelId: string }> };

export async function GET(req: Request, ctx: Ctx) {
  const { channelId } = await ctx.params;
  return withRequestId(req, () => notify(req, channelId, {}));
}

export async function POST(req: Request, ctx: Ctx) {
  const { channelId } = await ctx.params;
  return withRequestId(req, () => receive(req, channelId));
}

async function receive(req: Request, channelId: string): Promise<Response> {
  let body: Record<string, string> = {};
  try {
    const text = await readText(req, 64_000);
    const type = req.headers.get('content-type') ?? '';
    if (type.includes('application/json')) {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      body = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    } else {
      body = Object.fromEntries(new URLSearchParams(text));
    }
  } catch {
    return respond({ status: 400, body: 'fail', contentType: 'text/plain; charset=utf-8' });
  }
  return notify(req, channelId, body);
}

import { getDb } from '@/db/client';
import { errorSummary } from '@/lib/errors';
import { handlePaymentNotification, type PaymentNotificationReply } from '@/lib/orders';
import type { NotificationInput } from '@/lib/payments';
import { aggregatedLog, log } from '@/lib/log';
import { addressKey, failureThrottle, getLimiter, RULES } from '@/lib/risk';
import { withFollowUps } from '@/app/_lib/after-response';
import { clientIpFrom, readText } from '@/app/_lib/http';
import { withRequestId } from '@/app/_lib/request-id';

// Notifications that do not verify are anyone's to send: counted per address (a sender
// over RULES.notificationFailures gets 429 before its next one is even verified) and
// logged once per channel, address and reason per minute with a count. Valid ones are
// neither counted nor slowed.
const unverified = failureThrottle(RULES.notificationFailures);
const refusedLog = aggregatedLog('warn', 'payment notification refused: not verified');

// Incoming payment notifications. Providers notify by GET (彩虹易支付) or POST (form or JSON); every copy gets the reply
// the provider expects, even on our own failure, where it is the "retry later" reply.
function respond(r: Pick<PaymentNotificationReply, 'status' | 'body' | 'contentType'>): Response {
  return new Response(r.body, { status: r.status, headers: { 'Content-Type': r.contentType, 'Cache-Control': 'no-store' } });
}

async function notify(req: Request, channelId: string, parsed: Pick<NotificationInput, 'body' | 'rawBody' | 'json'>): Promise<Response> {
  const headers: Record<string, string> = {};
  req.headers.forEach((v, k) => (headers[k] = v));
  const input: NotificationInput = {
    method: req.method === 'POST' ? 'POST' : 'GET',
    query: Object.fromEntries(new URL(req.url).searchParams),
    headers,
    ...parsed,
  };
  const db = getDb();
  const address = addressKey(clientIpFrom(req.headers));
  try {
    const admitted = await unverified.admits(getLimiter(db), address);
    if (admitted !== true && !admitted.ok) {
      refusedLog({ channelId, address, reason: 'throttled' });
      return new Response('fail', { status: 429, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': String(admitted.retryAfter) } });
    }
    // The delivery e-mail and the merchant's webhooks leave right after the reply.
    const reply = await withFollowUps(() => handlePaymentNotification(db, channelId, input));
    if (reply.unverified) {
      // An id that names no channel is the sender's choice: not a key of its own in the log.
      refusedLog({ channelId: reply.reason === 'unknown_channel' ? '(none)' : channelId, address, reason: reply.reason ?? 'unverified' });
      await unverified.failed(getLimiter(db), address);
    }
    return respond(reply);
  } catch (err) {
    // Database trouble: answer "fail" so the provider sends the notification again.
    log('error', 'payment notification failed', { channelId, error: errorSummary(err) });
    return respond({ status: 500, body: 'fail', contentType: 'text/plain; charset=utf-8' });
  }
}

type Ctx = { params: Promise<{ channelId: string }> };

export async function GET(req: Request, ctx: Ctx) {
  const { channelId } = await ctx.params;
  return withRequestId(req, () => notify(req, channelId, { body: {} }));
}

export async function POST(req: Request, ctx: Ctx) {
  const { channelId } = await ctx.params;
  return withRequestId(req, () => receive(req, channelId));
}

async function receive(req: Request, channelId: string): Promise<Response> {
  let parsed: Pick<NotificationInput, 'body' | 'rawBody' | 'json'>;
  try {
    // The exact bytes: WeChat Pay and Stripe sign them, so they reach the driver untouched.
    const rawBody = await readText(req, 64_000);
    const type = req.headers.get('content-type') ?? '';
    if (type.includes('application/json')) {
      const json = JSON.parse(rawBody) as unknown;
      // The parsed JSON as it is; `body` holds its top-level scalar fields as text, for drivers that read flat fields.
      const flat =
        json && typeof json === 'object' && !Array.isArray(json)
          ? Object.entries(json as Record<string, unknown>).filter(([, v]) => v !== null && typeof v !== 'object')
          : [];
      parsed = { rawBody, json, body: Object.fromEntries(flat.map(([k, v]) => [k, String(v)])) };
    } else {
      parsed = { rawBody, body: Object.fromEntries(new URLSearchParams(rawBody)) };
    }
  } catch {
    return respond({ status: 400, body: 'fail', contentType: 'text/plain; charset=utf-8' });
  }
  return notify(req, channelId, parsed);
}

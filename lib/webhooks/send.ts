// The outbox consumers that reach a merchant's endpoints. An event is first fanned out (one
// outbox row per endpoint that wants it, written by `webhook.fanout`), then each row is sent
// by `webhook.send` with the outbox's retries, backoff and dead-lettering, so a slow or
// failing endpoint delays only itself. HTTP endpoints get the signed JSON event; Telegram
// and Bark a short text in Chinese.
import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { merchants, webhookEndpoints } from '@/db/schema';
import { getConfig } from '@/lib/config';
import { openFromText, sealedIn, signRequestBody, SIGNATURE_HEADER } from '@/lib/crypto';
import { translate } from '@/lib/i18n';
import { formatAmount } from '@/lib/money';
import { postOutbound } from '@/lib/outbound';
import { enqueueFor, type ClaimedRow, type Consumer } from '@/lib/outbox';
import type { Credentials } from './endpoints';

/** `webhook.fanout`: one delivery row per enabled endpoint that wants this topic. */
export async function fanOut(db: Db, row: ClaimedRow): Promise<void> {
  if (!row.merchantId) return;
  const endpoints = await db
    .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.merchantId, row.merchantId), eq(webhookEndpoints.enabled, true)));
  const wanted = endpoints.filter((e) => e.events.length === 0 || e.events.includes(row.topic));
  // The fan-out row's id names the event: a retried fan-out queues nothing twice.
  const eventId = `evt_${row.id}`;
  for (const e of wanted) {
    await enqueueFor(db, {
      merchantId: row.merchantId,
      topic: row.topic,
      consumer: 'webhook.send',
      dedupeKey: `webhook.send:${e.id}:${eventId}`,
      payload: { endpointId: e.id, eventId, topic: row.topic, createdAt: new Date().toISOString(), data: row.payload },
    });
  }
}

type DeliveryPayload = { endpointId: string; eventId: string; topic: string; createdAt: string; data: Record<string, unknown> };

/** A one-paragraph text of an event for a chat or a phone: subject and body, in Chinese. */
async function pushText(db: Db, merchantId: string, p: DeliveryPayload): Promise<{ title: string; body: string }> {
  const [m] = await db.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, merchantId));
  const d = p.data as Record<string, string | number>;
  const vars = {
    ...d,
    product: String(d.title ?? d.productTitle ?? ''),
    amount: d.amount != null ? formatAmount(Number(d.amount), String(d.currency ?? 'CNY')) : '',
    providerAmount: d.providerAmount != null ? formatAmount(Number(d.providerAmount), String(d.currency ?? 'CNY')) : '—',
  };
  const keys: Record<string, [string, string]> = {
    'order.delivered': ['mail.merchantSaleSubject', 'mail.merchantSaleBody'],
    'order.awaiting_fulfillment': ['mail.merchantAwaitingSubject', 'mail.merchantAwaitingBody'],
    'order.review_required': ['mail.merchantReviewSubject', 'mail.merchantReviewBody'],
    'payment.duplicate': ['mail.merchantDuplicateSubject', 'mail.merchantDuplicateBody'],
    'stock.low': ['mail.merchantLowStockSubject', 'mail.merchantLowStockBody'],
    'delivery.failed': ['mail.merchantFailedSubject', 'mail.merchantFailedBody'],
    'channel.health': ['mail.merchantChannelSubject', 'mail.merchantChannelBody'],
    'payment.mismatch': ['mail.merchantMismatchSubject', 'mail.merchantMismatchBody'],
    'order.manual_payment': ['mail.merchantManualSubject', 'mail.merchantManualBody'],
    'agent.joined': ['mail.merchantAgentJoinedSubject', 'mail.merchantAgentJoinedBody'],
    'agent.withdrawal': ['mail.merchantWithdrawalSubject', 'mail.merchantWithdrawalBody'],
    'agent.ledger_drift': ['mail.merchantLedgerDriftSubject', 'mail.merchantLedgerDriftBody'],
  };
  const pair = keys[p.topic];
  if (!pair) return { title: `[${m?.name ?? 'OpenFaka'}] ${p.topic}`, body: String(d.message ?? p.topic) };
  return { title: `[${m?.name ?? 'OpenFaka'}] ${translate('zh-CN', pair[0], vars)}`, body: translate('zh-CN', pair[1], vars) };
}

/** `webhook.send`: sends one event to one endpoint; a throw makes the outbox retry it. */
export async function sendToEndpoint(db: Db, row: ClaimedRow): Promise<void> {
  const p = row.payload as DeliveryPayload;
  const [endpoint] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, p.endpointId));
  // Deleted or switched off since the event: nothing to send.
  if (!endpoint || !endpoint.enabled || endpoint.merchantId !== row.merchantId) return;
  const c = JSON.parse(openFromText(endpoint.credentials, sealedIn.webhookCredentials(endpoint))) as Credentials;
  switch (endpoint.kind) {
    case 'http': {
      const body = JSON.stringify({ id: p.eventId, type: p.topic, createdAt: p.createdAt, data: p.data });
      await postOutbound(endpoint.url!, body, {
        'Content-Type': 'application/json',
        [SIGNATURE_HEADER]: signRequestBody(c.secret!, body),
        'X-OpenFaka-Event': p.topic,
        'X-OpenFaka-Delivery': p.eventId,
      });
      return;
    }
    case 'telegram': {
      const text = await pushText(db, endpoint.merchantId, p);
      await postOutbound(
        `${getConfig().telegramApiBase}/bot${c.botToken}/sendMessage`,
        JSON.stringify({ chat_id: c.chatId, text: `${text.title}\n${text.body}`, disable_web_page_preview: true }),
        { 'Content-Type': 'application/json' },
      );
      return;
    }
    case 'bark': {
      const text = await pushText(db, endpoint.merchantId, p);
      await postOutbound(
        `${endpoint.url!.replace(/\/+$/, '')}/push`,
        JSON.stringify({ device_key: c.deviceKey, title: text.title, body: text.body, group: 'OpenFaka' }),
        { 'Content-Type': 'application/json; charset=utf-8' },
      );
      return;
    }
  }
}

/** The consumers `drainOutbox` runs for merchant endpoints (see `subscriptions` in lib/outbox). */
export function webhookConsumers(db: Db): Record<string, Consumer> {
  return {
    'webhook.fanout': (row) => fanOut(db, row),
    'webhook.send': (row) => sendToEndpoint(db, row),
  };
}

// Merchant endpoints (signed HTTP webhooks, Telegram chats, Bark devices): their CRUD,
// and the two outbox consumers that reach them. An event is first fanned out (one outbox
// row per endpoint, written by `webhook.fanout`), then each row is sent by
// `webhook.deliver` with the outbox's retries, backoff and dead-lettering, so a slow or
// failing endpoint delays only itself.
import 'server-only';
import { createHmac, randomBytes } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '@/db/client';
import { merchants, outbox, webhookEndpoints, type EndpointKind, type WebhookEndpoint } from '@/db/schema';
import { recordAudit } from '@/lib/audit';
import { getConfig } from '@/lib/config';
import { openFromText, sealToText } from '@/lib/crypto';
import { AppError, validationError } from '@/lib/errors';
import { translate } from '@/lib/i18n';
import { formatAmount } from '@/lib/money';
import { enqueueFor, type ClaimedRow } from '@/lib/outbox';
import { postOutbound, validateOutboundUrl } from './outbound';

/** Topics a merchant can subscribe an endpoint to. */
export const WEBHOOK_TOPICS = ['order.delivered', 'order.awaiting_fulfillment', 'order.refunded', 'payment.duplicate', 'stock.low', 'delivery.failed'] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];
/** What a chat or phone push gets unless chosen otherwise: what needs the merchant's attention. */
export const DEFAULT_PUSH_TOPICS: WebhookTopic[] = ['order.awaiting_fulfillment', 'payment.duplicate', 'stock.low', 'delivery.failed'];

export const SIGNATURE_HEADER = 'X-OpenFaka-Signature';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, as documented in
 * docs/api.md. The timestamp lets the receiver refuse replays older than a few minutes.
 */
export function signWebhook(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

type Credentials = { secret?: string; botToken?: string; chatId?: string; deviceKey?: string };

const topicList = z.array(z.enum(WEBHOOK_TOPICS)).max(WEBHOOK_TOPICS.length).default([]);
const urlField = z
  .string()
  .trim()
  .max(2000)
  .superRefine((v, ctx) => {
    const checked = validateOutboundUrl(v);
    if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.reason });
  });

const endpointInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('http'), name: z.string().trim().min(1).max(80), url: urlField, events: topicList }),
  z.object({
    kind: z.literal('telegram'),
    name: z.string().trim().min(1).max(80),
    botToken: z
      .string()
      .trim()
      .regex(/^\d{3,15}:[A-Za-z0-9_-]{20,80}$/, 'a bot token such as 123456:ABC…'),
    chatId: z
      .string()
      .trim()
      .regex(/^-?\d{1,20}$|^@[A-Za-z0-9_]{4,64}$/, 'a chat id or @channel'),
    events: topicList,
  }),
  z.object({
    kind: z.literal('bark'),
    name: z.string().trim().min(1).max(80),
    url: urlField.default('https://api.day.app'),
    deviceKey: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{8,64}$/, 'the device key from the Bark app'),
    events: topicList,
  }),
]);
export type EndpointInput = z.input<typeof endpointInput>;

export type EndpointView = {
  id: string;
  kind: EndpointKind;
  name: string;
  /** For http and bark; never the credentials. */
  url: string | null;
  /** What identifies the credentials without revealing them (last characters). */
  hint: string;
  events: string[];
  enabled: boolean;
  createdAt: string;
};

const tail = (s: string | undefined) => (s ? `••••${s.slice(-4)}` : '');

function view(row: WebhookEndpoint): EndpointView {
  const c = JSON.parse(openFromText(row.credentials)) as Credentials;
  const hint = row.kind === 'http' ? tail(c.secret) : row.kind === 'telegram' ? `${c.chatId ?? ''} · ${tail(c.botToken)}` : tail(c.deviceKey);
  return { id: row.id, kind: row.kind, name: row.name, url: row.url, hint, events: row.events, enabled: row.enabled, createdAt: row.createdAt.toISOString() };
}

/** Adds an endpoint. For http, a signing secret is made and returned once. */
export async function createEndpoint(
  db: DbOrTx,
  input: { merchantId: string; actorId?: string | null; ip?: string | null; endpoint: unknown },
): Promise<{ endpoint: EndpointView; secret?: string }> {
  const parsed = endpointInput.safeParse(input.endpoint);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const e = parsed.data;
  const secret = e.kind === 'http' ? `whsec_${randomBytes(24).toString('base64url')}` : undefined;
  const credentials: Credentials =
    e.kind === 'http' ? { secret } : e.kind === 'telegram' ? { botToken: e.botToken, chatId: e.chatId } : { deviceKey: e.deviceKey };
  const events = e.events.length > 0 || e.kind === 'http' ? e.events : DEFAULT_PUSH_TOPICS;
  const [row] = await db
    .insert(webhookEndpoints)
    .values({
      merchantId: input.merchantId,
      kind: e.kind,
      name: e.name,
      url: e.kind === 'telegram' ? null : e.url,
      credentials: sealToText(JSON.stringify(credentials)),
      events,
    })
    .returning();
  await recordAudit(db, {
    merchantId: input.merchantId,
    actorType: 'user',
    actorId: input.actorId,
    action: 'webhook.create',
    targetType: 'webhook_endpoint',
    targetId: row!.id,
    ip: input.ip,
    detail: { kind: e.kind, events },
  });
  return { endpoint: view(row!), secret };
}

export async function listEndpoints(db: DbOrTx, merchantId: string): Promise<EndpointView[]> {
  const rows = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.merchantId, merchantId)).orderBy(webhookEndpoints.createdAt);
  return rows.map(view);
}

async function ownEndpoint(db: DbOrTx, merchantId: string, id: string): Promise<WebhookEndpoint> {
  if (!z.string().uuid().safeParse(id).success) throw new AppError('not_found', 'No such endpoint.');
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, merchantId)));
  if (!row) throw new AppError('not_found', 'No such endpoint.');
  return row;
}

export async function setEndpointEnabled(
  db: DbOrTx,
  input: { merchantId: string; id: string; enabled: boolean; actorId?: string | null; ip?: string | null },
): Promise<void> {
  const row = await ownEndpoint(db, input.merchantId, input.id);
  await db
    .update(webhookEndpoints)
    .set({ enabled: input.enabled, updatedAt: sql`now()` })
    .where(eq(webhookEndpoints.id, row.id));
  await recordAudit(db, {
    merchantId: input.merchantId,
    actorType: 'user',
    actorId: input.actorId,
    action: input.enabled ? 'webhook.enable' : 'webhook.disable',
    targetType: 'webhook_endpoint',
    targetId: row.id,
    ip: input.ip,
  });
}

export async function setEndpointEvents(
  db: DbOrTx,
  input: { merchantId: string; id: string; events: unknown; actorId?: string | null; ip?: string | null },
): Promise<void> {
  const parsed = topicList.safeParse(input.events);
  if (!parsed.success) throw validationError(parsed.error.issues.map((i) => ({ ...i, path: ['events'] })));
  const row = await ownEndpoint(db, input.merchantId, input.id);
  await db
    .update(webhookEndpoints)
    .set({ events: parsed.data, updatedAt: sql`now()` })
    .where(eq(webhookEndpoints.id, row.id));
  await recordAudit(db, {
    merchantId: input.merchantId,
    actorType: 'user',
    actorId: input.actorId,
    action: 'webhook.update',
    targetType: 'webhook_endpoint',
    targetId: row.id,
    ip: input.ip,
    detail: { events: parsed.data },
  });
}

/** Deletes an endpoint; its queued deliveries find it gone and are dropped. */
export async function deleteEndpoint(db: DbOrTx, input: { merchantId: string; id: string; actorId?: string | null; ip?: string | null }): Promise<void> {
  const row = await ownEndpoint(db, input.merchantId, input.id);
  await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, row.id));
  await recordAudit(db, {
    merchantId: input.merchantId,
    actorType: 'user',
    actorId: input.actorId,
    action: 'webhook.delete',
    targetType: 'webhook_endpoint',
    targetId: row.id,
    ip: input.ip,
    detail: { kind: row.kind },
  });
}

/** Queues a test event to one endpoint (through the outbox, like any other). */
export async function sendTestEvent(db: DbOrTx, input: { merchantId: string; id: string }): Promise<void> {
  const row = await ownEndpoint(db, input.merchantId, input.id);
  const eventId = `test-${randomBytes(6).toString('hex')}`;
  await enqueueFor(db, {
    merchantId: input.merchantId,
    topic: 'webhook.test',
    consumer: 'webhook.deliver',
    dedupeKey: `webhook.deliver:${row.id}:${eventId}`,
    payload: { endpointId: row.id, eventId, topic: 'webhook.test', createdAt: new Date().toISOString(), data: { message: 'OpenFaka test event' } },
  });
}

export type DeliveryView = {
  id: number;
  endpointId: string;
  topic: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string;
  orderNo: string | null;
};

/** The latest deliveries to this merchant's endpoints (outbox rows of `webhook.deliver`). */
export async function listDeliveries(db: DbOrTx, merchantId: string, limit = 50): Promise<DeliveryView[]> {
  const rows = await db
    .select()
    .from(outbox)
    .where(and(eq(outbox.merchantId, merchantId), eq(outbox.consumer, 'webhook.deliver')))
    .orderBy(desc(outbox.id))
    .limit(Math.min(Math.max(limit, 1), 200));
  return rows.map((r) => {
    const p = r.payload as { endpointId?: string; topic?: string; data?: { orderNo?: string } };
    return {
      id: r.id,
      endpointId: String(p.endpointId ?? ''),
      topic: String(p.topic ?? r.topic),
      status: r.status,
      attempts: r.attempts,
      lastError: r.lastError,
      createdAt: r.createdAt.toISOString(),
      nextAttemptAt: r.availableAt.toISOString(),
      orderNo: p.data?.orderNo ? String(p.data.orderNo) : null,
    };
  });
}

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
      consumer: 'webhook.deliver',
      dedupeKey: `webhook.deliver:${e.id}:${eventId}`,
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
  };
  const keys: Record<string, [string, string]> = {
    'order.delivered': ['mail.merchantSaleSubject', 'mail.merchantSaleBody'],
    'order.awaiting_fulfillment': ['mail.merchantAwaitingSubject', 'mail.merchantAwaitingBody'],
    'payment.duplicate': ['mail.merchantDuplicateSubject', 'mail.merchantDuplicateBody'],
    'stock.low': ['mail.merchantLowStockSubject', 'mail.merchantLowStockBody'],
    'delivery.failed': ['mail.merchantFailedSubject', 'mail.merchantFailedBody'],
  };
  const pair = keys[p.topic];
  if (!pair) return { title: `[${m?.name ?? 'OpenFaka'}] ${p.topic}`, body: String(d.message ?? p.topic) };
  return { title: `[${m?.name ?? 'OpenFaka'}] ${translate('zh-CN', pair[0], vars)}`, body: translate('zh-CN', pair[1], vars) };
}

/** `webhook.deliver`: sends one event to one endpoint; a throw makes the outbox retry it. */
export async function deliverToEndpoint(db: Db, row: ClaimedRow): Promise<void> {
  const p = row.payload as DeliveryPayload;
  const [endpoint] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, p.endpointId));
  // Deleted or switched off since the event: nothing to send.
  if (!endpoint || !endpoint.enabled || endpoint.merchantId !== row.merchantId) return;
  const c = JSON.parse(openFromText(endpoint.credentials)) as Credentials;
  switch (endpoint.kind) {
    case 'http': {
      const body = JSON.stringify({ id: p.eventId, type: p.topic, createdAt: p.createdAt, data: p.data });
      await postOutbound(endpoint.url!, body, {
        'Content-Type': 'application/json',
        [SIGNATURE_HEADER]: signWebhook(c.secret!, body),
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
        {
          'Content-Type': 'application/json; charset=utf-8',
        },
      );
      return;
    }
  }
}

// A merchant's own endpoints for outgoing event notifications (signed HTTP webhooks,
// Telegram chats, Bark devices): adding, switching, choosing events, deleting and testing
// them, each a use case (db, actor, input) audited in its own transaction. Not to be
// confused with dynamic delivery (lib/dynamic-delivery), which asks a merchant's URL for keys.
import 'server-only';
import { randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { outbox, webhookEndpoints, type EndpointKind, type WebhookEndpoint } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { newSigningSecret, openFromText, sealedIn, sealToText } from '@/lib/crypto';
import { AppError, validationError } from '@/lib/errors';
import { outboundUrlSchema } from '@/lib/outbound';
import { enqueueFor } from '@/lib/outbox';
import { getLimiter, RULES } from '@/lib/risk';

/** Topics a merchant can subscribe an endpoint to. */
export const WEBHOOK_TOPICS = [
  'order.delivered',
  'order.awaiting_fulfillment',
  'order.review_required',
  'order.refunded',
  'payment.duplicate',
  'stock.low',
  'delivery.failed',
  'channel.health',
  'payment.mismatch',
  'order.manual_payment',
  'agent.joined',
  'agent.withdrawal',
  'agent.ledger_drift',
] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];
/** What a chat or phone push gets unless chosen otherwise: what needs the merchant's attention. */
export const DEFAULT_PUSH_TOPICS: WebhookTopic[] = [
  'order.awaiting_fulfillment',
  'order.review_required',
  'payment.duplicate',
  'stock.low',
  'delivery.failed',
  'channel.health',
  'agent.joined',
  'agent.ledger_drift',
];

export type Credentials = { secret?: string; botToken?: string; chatId?: string; deviceKey?: string };

const topicList = z.array(z.enum(WEBHOOK_TOPICS)).max(WEBHOOK_TOPICS.length).default([]);
const urlField = outboundUrlSchema;

const endpointInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('http'), name: z.string().trim().min(1).max(80), url: urlField, events: topicList }),
  z.object({
    kind: z.literal('telegram'),
    name: z.string().trim().min(1).max(80),
    botToken: z
      .string()
      .trim()
      .regex(/^\d{3,15}:[A-Za-z0-9_-]{20,80}$/),
    chatId: z
      .string()
      .trim()
      .regex(/^-?\d{1,20}$|^@[A-Za-z0-9_]{4,64}$/),
    events: topicList,
  }),
  z.object({
    kind: z.literal('bark'),
    name: z.string().trim().min(1).max(80),
    url: urlField.default('https://api.day.app'),
    deviceKey: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{8,64}$/),
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
  const c = JSON.parse(openFromText(row.credentials, sealedIn.webhookCredentials(row))) as Credentials;
  const hint = row.kind === 'http' ? tail(c.secret) : row.kind === 'telegram' ? `${c.chatId ?? ''} · ${tail(c.botToken)}` : tail(c.deviceKey);
  return { id: row.id, kind: row.kind, name: row.name, url: row.url, hint, events: row.events, enabled: row.enabled, createdAt: row.createdAt.toISOString() };
}

/** Adds an endpoint. For http, a signing secret is made and returned once (never shown again). */
export async function createEndpoint(db: DbOrTx, actor: Actor, input: unknown): Promise<{ endpoint: EndpointView; secret?: string }> {
  const merchantId = merchantOf(actor);
  const parsed = endpointInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const e = parsed.data;
  const secret = e.kind === 'http' ? newSigningSecret() : undefined;
  const credentials: Credentials =
    e.kind === 'http' ? { secret } : e.kind === 'telegram' ? { botToken: e.botToken, chatId: e.chatId } : { deviceKey: e.deviceKey };
  const events = e.events.length > 0 || e.kind === 'http' ? e.events : DEFAULT_PUSH_TOPICS;
  // The id is made here: the credentials are sealed bound to it.
  const id = randomUUID();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        id,
        merchantId,
        kind: e.kind,
        name: e.name,
        url: e.kind === 'telegram' ? null : e.url,
        credentials: sealToText(JSON.stringify(credentials), sealedIn.webhookCredentials({ id, merchantId })),
        events,
      })
      .returning();
    await recordAudit(tx, actor, { action: 'webhook.create', targetType: 'webhook_endpoint', targetId: row!.id, detail: { kind: e.kind, events } });
    return { endpoint: view(row!), secret };
  });
}

export async function listEndpoints(db: DbOrTx, merchantId: string): Promise<EndpointView[]> {
  const rows = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.merchantId, merchantId)).orderBy(webhookEndpoints.createdAt);
  return rows.map(view);
}

async function ownEndpoint(db: DbOrTx, merchantId: string, id: string, lock = false): Promise<WebhookEndpoint> {
  if (typeof id !== 'string' || !z.guid().safeParse(id).success) throw new AppError('not_found', 'No such endpoint.');
  const query = db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, merchantId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('not_found', 'No such endpoint.');
  return row;
}

/** Switches an endpoint on or off; a no-op is not audited. */
export async function setEndpointEnabled(db: DbOrTx, actor: Actor, input: { id: string; enabled: boolean }): Promise<void> {
  const merchantId = merchantOf(actor);
  if (typeof input.enabled !== 'boolean') throw new AppError('validation_failed', 'enabled is true or false.', { fields: { enabled: 'invalid' } });
  await db.transaction(async (tx) => {
    const row = await ownEndpoint(tx, merchantId, input.id, true);
    if (row.enabled === input.enabled) return;
    await tx
      .update(webhookEndpoints)
      .set({ enabled: input.enabled, updatedAt: sql`now()` })
      .where(eq(webhookEndpoints.id, row.id));
    await recordAudit(tx, actor, { action: input.enabled ? 'webhook.enable' : 'webhook.disable', targetType: 'webhook_endpoint', targetId: row.id });
  });
}

/** Chooses the events an endpoint receives (none chosen: all of them). */
export async function setEndpointEvents(db: DbOrTx, actor: Actor, input: { id: string; events: unknown }): Promise<void> {
  const merchantId = merchantOf(actor);
  const parsed = topicList.safeParse(input.events);
  if (!parsed.success) throw validationError(parsed.error.issues.map((i) => ({ ...i, path: ['events'] })));
  await db.transaction(async (tx) => {
    const row = await ownEndpoint(tx, merchantId, input.id, true);
    await tx
      .update(webhookEndpoints)
      .set({ events: parsed.data, updatedAt: sql`now()` })
      .where(eq(webhookEndpoints.id, row.id));
    await recordAudit(tx, actor, { action: 'webhook.update', targetType: 'webhook_endpoint', targetId: row.id, detail: { events: parsed.data } });
  });
}

/** Deletes an endpoint; its queued sends find it gone and are dropped. */
export async function deleteEndpoint(db: DbOrTx, actor: Actor, input: { id: string }): Promise<void> {
  const merchantId = merchantOf(actor);
  await db.transaction(async (tx) => {
    const row = await ownEndpoint(tx, merchantId, input.id, true);
    await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, row.id));
    await recordAudit(tx, actor, { action: 'webhook.delete', targetType: 'webhook_endpoint', targetId: row.id, detail: { kind: row.kind } });
  });
}

/**
 * Queues a test event to one endpoint (through the outbox, like any other), at most
 * `RULES.webhookTest` a minute per merchant: each one is a request to an address the
 * merchant chose.
 */
export async function sendTestEvent(db: DbOrTx, actor: Actor, input: { id: string }): Promise<void> {
  const merchantId = merchantOf(actor);
  const row = await ownEndpoint(db, merchantId, input.id);
  const limit = await getLimiter(db).hit(RULES.webhookTest, merchantId);
  if (!limit.ok) throw new AppError('rate_limited', 'Too many test events.', { retryAfter: limit.retryAfter });
  const eventId = `test-${randomBytes(6).toString('hex')}`;
  await db.transaction(async (tx) => {
    await enqueueFor(tx, {
      merchantId,
      topic: 'webhook.test',
      consumer: 'webhook.send',
      dedupeKey: `webhook.send:${row.id}:${eventId}`,
      payload: { endpointId: row.id, eventId, topic: 'webhook.test', createdAt: new Date().toISOString(), data: { message: 'OpenFaka test event' } },
    });
    await recordAudit(tx, actor, { action: 'webhook.test', targetType: 'webhook_endpoint', targetId: row.id, detail: { eventId } });
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

/** The latest sends to this merchant's endpoints (outbox rows of `webhook.send`). */
export async function listDeliveries(db: DbOrTx, merchantId: string, limit = 50): Promise<DeliveryView[]> {
  const rows = await db
    .select()
    .from(outbox)
    .where(and(eq(outbox.merchantId, merchantId), eq(outbox.consumer, 'webhook.send')))
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

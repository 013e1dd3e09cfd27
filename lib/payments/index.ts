// Payment channels: the registry of channel drivers (one file each under channels/) and the
// merchant's configured channels, with credentials sealed at rest.
import 'server-only';
import { guardedFetch } from '@/lib/notify/outbound';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { paymentChannels, type PaymentChannelRow } from '@/db/schema';
import { getConfig } from '@/lib/config';
import { openFromText, sealToText } from '@/lib/crypto';
import { recordAudit } from '@/lib/audit';
import { AppError, validationError } from '@/lib/errors';
import type { ChannelDriver, ConnectionTest, PaymentAction, PaymentRequest } from './channel';
import { demo } from './channels/demo';
import { epay } from './channels/epay';

export type { ChannelDriver, ConnectionTest, NotificationInput, PaymentAction, VerifiedNotification } from './channel';
export { formatMoney, parseMoney } from './channel';
export { demoNotification } from './channels/demo';
export { epaySign } from './channels/epay';

const drivers: Record<string, ChannelDriver<any>> = { demo, epay };

export const channelKinds = Object.keys(drivers);

export function getDriver(kind: string): ChannelDriver<unknown> {
  const driver = drivers[kind];
  if (!driver) throw new AppError('validation_failed', `Unknown channel kind "${kind}".`, { fields: { kind: `one of ${channelKinds.join(', ')}` } });
  return driver;
}

export type LoadedChannel = { row: PaymentChannelRow; driver: ChannelDriver<unknown>; config: unknown };

function isUsable(row: PaymentChannelRow): boolean {
  return row.enabled && (row.kind !== 'demo' || getConfig().demoChannelEnabled);
}

export async function createChannel(
  db: DbOrTx,
  input: {
    merchantId: string;
    kind: string;
    name: string;
    config?: unknown;
    enabled?: boolean;
    priority?: number;
    minAmount?: number | null;
    maxAmount?: number | null;
    feeBps?: number;
  },
): Promise<PaymentChannelRow> {
  const driver = getDriver(input.kind);
  const parsed = driver.configSchema.safeParse(input.config ?? {});
  if (!parsed.success) {
    throw validationError(parsed.error.issues.map((i) => ({ ...i, path: ['config', ...i.path] })));
  }
  const config = driver.prepareConfig ? driver.prepareConfig(parsed.data) : parsed.data;
  const [row] = await db
    .insert(paymentChannels)
    .values({
      merchantId: input.merchantId,
      kind: input.kind,
      name: input.name,
      config: sealToText(JSON.stringify(config)),
      enabled: input.enabled ?? true,
      priority: input.priority ?? 0,
      minAmount: input.minAmount ?? null,
      maxAmount: input.maxAmount ?? null,
      feeBps: input.feeBps ?? 0,
    })
    .returning();
  return row!;
}

export function openChannel(row: PaymentChannelRow): LoadedChannel {
  const driver = getDriver(row.kind);
  return { row, driver, config: JSON.parse(openFromText(row.config)) };
}

export async function loadChannel(db: DbOrTx, channelId: string): Promise<LoadedChannel | null> {
  const [row] = await db.select().from(paymentChannels).where(eq(paymentChannels.id, channelId)).limit(1);
  return row ? openChannel(row) : null;
}

/** The channel an order may be created on, or `channel_unavailable`. */
export async function channelForOrder(
  db: DbOrTx,
  input: { merchantId: string; channelId: string; amount: number; currency: string },
): Promise<PaymentChannelRow> {
  const [row] = await db
    .select()
    .from(paymentChannels)
    .where(and(eq(paymentChannels.id, input.channelId), eq(paymentChannels.merchantId, input.merchantId)))
    .limit(1);
  if (!row || !isUsable(row)) throw new AppError('channel_unavailable', 'This payment channel is not available.');
  if (!getDriver(row.kind).currencies.includes(input.currency)) {
    throw new AppError('channel_unavailable', `This payment channel does not accept ${input.currency}.`);
  }
  if ((row.minAmount != null && input.amount < row.minAmount) || (row.maxAmount != null && input.amount > row.maxAmount)) {
    throw new AppError('channel_unavailable', 'The amount is outside the limits of this payment channel.');
  }
  return row;
}

/** Enabled channels a buyer may choose, highest priority first. */
export async function listStoreChannels(db: DbOrTx, merchantId: string): Promise<{ id: string; kind: string; name: string }[]> {
  const rows = await db
    .select()
    .from(paymentChannels)
    .where(and(eq(paymentChannels.merchantId, merchantId), eq(paymentChannels.enabled, true)))
    .orderBy(desc(paymentChannels.priority), asc(paymentChannels.createdAt));
  return rows.filter(isUsable).map((r) => ({ id: r.id, kind: r.kind, name: r.name }));
}

export function paymentActionFor(channel: LoadedChannel, request: Omit<PaymentRequest, 'channelId'>): PaymentAction {
  return channel.driver.createPayment(channel.config, { ...request, channelId: channel.row.id });
}

export function notifyUrlFor(channelId: string): string {
  return `${getConfig().appUrl}/api/pay/${channelId}/notify`;
}

// ---------------------------------------------------------------------------------------
// The merchant console's view of channels: lists and forms see masked hints, never a
// credential; edits are scoped by merchant, audited by field name, and a blank secret
// keeps the stored one (the form cannot show it, so it cannot send it back).

export type ChannelActor = { userId: string; ip: string | null };

/** One config field as a form may show it: non-secret values in full, secrets as a last-four hint. */
export type ConfigFieldHint = { name: string; secret: boolean; set: boolean; hint: string };

export type ChannelSummary = {
  id: string;
  kind: string;
  name: string;
  enabled: boolean;
  /** Enabled and allowed here (the demo channel is off in production unless configured). */
  usable: boolean;
  priority: number;
  minAmount: number | null;
  maxAmount: number | null;
  feeBps: number;
  config: ConfigFieldHint[];
  testable: boolean;
  createdAt: Date;
  updatedAt: Date;
};

/** "••••••1234"; a short secret shows no characters at all (four of eight would be half of it). */
export function secretHint(secret: string): string {
  return secret.length >= 12 ? `••••••${secret.slice(-4)}` : '••••••';
}

function summarize(row: PaymentChannelRow): ChannelSummary {
  const { driver, config } = openChannel(row);
  const values = (config ?? {}) as Record<string, unknown>;
  const secrets = new Set(driver.secretFields ?? []);
  const names = [...new Set([...Object.keys(values), ...secrets])];
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    enabled: row.enabled,
    usable: isUsable(row),
    priority: row.priority,
    minAmount: row.minAmount,
    maxAmount: row.maxAmount,
    feeBps: row.feeBps,
    config: names.map((name) => {
      const v = values[name];
      const set = typeof v === 'string' ? v !== '' : v != null;
      return { name, secret: secrets.has(name), set, hint: !set ? '' : secrets.has(name) ? secretHint(String(v)) : String(v) };
    }),
    testable: typeof driver.testConnection === 'function',
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const channelIdSchema = z.string().uuid();

async function ownChannel(db: DbOrTx, merchantId: string, channelId: string, lock = false): Promise<PaymentChannelRow> {
  if (!channelIdSchema.safeParse(channelId).success) throw new AppError('not_found', 'No such payment channel.');
  const query = db
    .select()
    .from(paymentChannels)
    .where(and(eq(paymentChannels.id, channelId), eq(paymentChannels.merchantId, merchantId)))
    .limit(1);
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('not_found', 'No such payment channel.');
  return row;
}

/** The merchant's channels for the console, highest priority first; credentials only as hints. */
export async function listMerchantChannels(db: DbOrTx, merchantId: string): Promise<ChannelSummary[]> {
  const rows = await db
    .select()
    .from(paymentChannels)
    .where(eq(paymentChannels.merchantId, merchantId))
    .orderBy(desc(paymentChannels.priority), asc(paymentChannels.createdAt));
  return rows.map(summarize);
}

export async function getMerchantChannel(db: DbOrTx, merchantId: string, channelId: string): Promise<ChannelSummary> {
  return summarize(await ownChannel(db, merchantId, channelId));
}

const MAX_AMOUNT = 1_000_000_000_00; // 1 billion in minor units: far above any card-key order

const channelFieldsSchema = z
  .object({
    name: z.string().trim().min(1).max(60),
    enabled: z.boolean(),
    priority: z.number().int().min(-1000).max(1000),
    minAmount: z.number().int().min(0).max(MAX_AMOUNT).nullable(),
    maxAmount: z.number().int().min(1).max(MAX_AMOUNT).nullable(),
    /** Basis points: 60 = 0.6 %. */
    feeBps: z.number().int().min(0).max(10_000),
  })
  .partial();

function checkRange(v: { minAmount?: number | null; maxAmount?: number | null }) {
  if (v.minAmount != null && v.maxAmount != null && v.minAmount > v.maxAmount) {
    throw new AppError('validation_failed', 'The minimum is above the maximum.', { fields: { maxAmount: 'below minimum' } });
  }
}

function parseFields(input: unknown) {
  const parsed = channelFieldsSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  return parsed.data;
}

/**
 * Every field error of a channel form at once, without writing anything: the console calls
 * it when some fields did not even parse, so the merchant sees all problems in one round.
 * `keptSecrets` names secrets a blank value keeps (an edit), which are then not required.
 */
export function channelInputErrors(
  kind: string,
  input: z.input<typeof channelFieldsSchema> & { config?: Record<string, unknown> },
  keptSecrets: readonly string[] = [],
): Record<string, string> {
  const fields: Record<string, string> = {};
  const driver = drivers[kind];
  if (!driver) fields.kind = 'unknown';
  const parsed = channelFieldsSchema.safeParse({ ...input, config: undefined });
  if (!parsed.success) Object.assign(fields, validationError(parsed.error.issues).fields);
  if (input.minAmount != null && input.maxAmount != null && input.minAmount > input.maxAmount) fields.maxAmount ??= 'below minimum';
  if (driver && input.config) {
    const config = Object.fromEntries(Object.entries(input.config).filter(([, v]) => !(typeof v === 'string' && v.trim() === '')));
    const result = driver.configSchema.safeParse(config);
    if (!result.success) {
      const issues = result.error.issues.filter((i) => !(keptSecrets.includes(String(i.path[0])) && config[String(i.path[0])] === undefined));
      for (const [k, v] of Object.entries(validationError(issues.map((i) => ({ ...i, path: ['config', ...i.path] }))).fields ?? {})) fields[k] ??= v;
    }
  }
  return fields;
}

/**
 * Adds a channel from the console: validates its settings and the driver's config, refuses
 * a second demo channel (each merchant has one from the start), audits the kind only.
 */
export async function createMerchantChannel(
  db: DbOrTx,
  merchantId: string,
  input: { kind: string; config?: unknown } & z.input<typeof channelFieldsSchema>,
  actor: ChannelActor,
): Promise<ChannelSummary> {
  getDriver(input.kind);
  const fields = parseFields({ ...input, kind: undefined, config: undefined });
  if (fields.name === undefined) throw new AppError('validation_failed', 'A name is required.', { fields: { name: 'required' } });
  checkRange(fields);
  return db.transaction(async (tx) => {
    if (input.kind === 'demo') {
      // Serialise concurrent "add demo" requests of one merchant on its row.
      await tx.execute(sql`SELECT 1 FROM merchants WHERE id = ${merchantId} FOR UPDATE`);
      const [existing] = await tx
        .select({ id: paymentChannels.id })
        .from(paymentChannels)
        .where(and(eq(paymentChannels.merchantId, merchantId), eq(paymentChannels.kind, 'demo')))
        .limit(1);
      if (existing) throw new AppError('conflict', 'This shop has a demo channel already.', { fields: { kind: 'taken' } });
    }
    const row = await createChannel(tx, { merchantId, kind: input.kind, name: fields.name!, config: input.config, ...fields });
    await recordAudit(tx, {
      merchantId,
      actorType: 'user',
      actorId: actor.userId,
      action: 'channel.create',
      targetType: 'channel',
      targetId: row.id,
      ip: actor.ip,
      detail: { kind: row.kind },
    });
    return summarize(row);
  });
}

/** A config edit: blank or missing secrets keep the stored value; blank optional fields are cleared. */
function mergeConfig(driver: ChannelDriver<unknown>, current: Record<string, unknown>, given: Record<string, unknown>): Record<string, unknown> {
  const secrets = new Set(driver.secretFields ?? []);
  const next: Record<string, unknown> = { ...current };
  // A stored secret stays only with the destination it was given for: when a field that
  // decides where secrets are sent (epay's gateway) changes, the secrets must be typed again,
  // so a console session cannot send the stored key to a host of its choosing.
  const norm = (v: unknown) =>
    String(v ?? '')
      .trim()
      .replace(/\/+$/, '');
  const moved = (driver.destinationFields ?? []).some((f) => f in given && norm(given[f]) !== norm(current[f]));
  if (moved) for (const name of secrets) delete next[name];
  for (const [name, value] of Object.entries(given)) {
    const blank = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
    if (secrets.has(name)) {
      if (!blank) next[name] = typeof value === 'string' ? value.trim() : value;
    } else if (blank) {
      delete next[name];
    } else {
      next[name] = typeof value === 'string' ? value.trim() : value;
    }
  }
  return next;
}

/**
 * Edits a channel of this merchant (another merchant's id → `not_found`, nothing changed).
 * `config` is partial: fields left out or blank secrets keep their stored values. The audit
 * entry names the changed fields, never their values.
 */
export async function updateChannel(
  db: DbOrTx,
  merchantId: string,
  channelId: string,
  input: z.input<typeof channelFieldsSchema> & { config?: Record<string, unknown> },
  actor: ChannelActor,
): Promise<{ channel: ChannelSummary; changed: string[] }> {
  const fields = parseFields({ ...input, config: undefined });
  return db.transaction(async (tx) => {
    const row = await ownChannel(tx, merchantId, channelId, true);
    checkRange({
      minAmount: fields.minAmount !== undefined ? fields.minAmount : row.minAmount,
      maxAmount: fields.maxAmount !== undefined ? fields.maxAmount : row.maxAmount,
    });
    const changed: string[] = [];
    const set: Partial<typeof paymentChannels.$inferInsert> = {};
    for (const name of ['name', 'enabled', 'priority', 'minAmount', 'maxAmount', 'feeBps'] as const) {
      const value = fields[name];
      if (value !== undefined && value !== row[name]) {
        (set as Record<string, unknown>)[name] = value;
        changed.push(name);
      }
    }
    if (input.config) {
      const { driver, config } = openChannel(row);
      const current = (config ?? {}) as Record<string, unknown>;
      const merged = mergeConfig(driver, current, input.config);
      const parsed = driver.configSchema.safeParse(merged);
      if (!parsed.success) throw validationError(parsed.error.issues.map((i) => ({ ...i, path: ['config', ...i.path] })));
      const next = (driver.prepareConfig ? driver.prepareConfig(parsed.data) : parsed.data) as Record<string, unknown>;
      const configChanged = [...new Set([...Object.keys(current), ...Object.keys(next)])].filter((k) => JSON.stringify(current[k]) !== JSON.stringify(next[k]));
      if (configChanged.length > 0) {
        set.config = sealToText(JSON.stringify(next));
        changed.push(...configChanged.sort().map((k) => `config.${k}`));
      }
    }
    if (changed.length === 0) return { channel: summarize(row), changed };
    const [updated] = await tx
      .update(paymentChannels)
      .set({ ...set, updatedAt: sql`now()` })
      .where(and(eq(paymentChannels.id, row.id), eq(paymentChannels.merchantId, merchantId)))
      .returning();
    await recordAudit(tx, {
      merchantId,
      actorType: 'user',
      actorId: actor.userId,
      action: 'channel.update',
      targetType: 'channel',
      targetId: row.id,
      ip: actor.ip,
      detail: { fields: changed },
    });
    return { channel: summarize(updated!), changed };
  });
}

/** Turns a channel on or off (audited as channel.enable / channel.disable); a no-op is not audited. */
export async function setChannelEnabled(db: DbOrTx, merchantId: string, channelId: string, enabled: boolean, actor: ChannelActor): Promise<ChannelSummary> {
  return db.transaction(async (tx) => {
    const row = await ownChannel(tx, merchantId, channelId, true);
    if (row.enabled === enabled) return summarize(row);
    const [updated] = await tx
      .update(paymentChannels)
      .set({ enabled, updatedAt: sql`now()` })
      .where(and(eq(paymentChannels.id, row.id), eq(paymentChannels.merchantId, merchantId)))
      .returning();
    await recordAudit(tx, {
      merchantId,
      actorType: 'user',
      actorId: actor.userId,
      action: enabled ? 'channel.enable' : 'channel.disable',
      targetType: 'channel',
      targetId: row.id,
      ip: actor.ip,
    });
    return summarize(updated!);
  });
}

/**
 * Asks the provider whether it accepts this channel's credentials. The row is read first and
 * the network call happens after, outside any transaction; `null` when the protocol has no
 * way to ask (the demo channel).
 */
export async function testChannel(db: DbOrTx, merchantId: string, channelId: string, fetchImpl: typeof fetch = guardedFetch): Promise<ConnectionTest | null> {
  const { driver, config } = openChannel(await ownChannel(db, merchantId, channelId));
  if (!driver.testConnection) return null;
  return driver.testConnection(config, fetchImpl);
}

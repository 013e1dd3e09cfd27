// The merchant's side of payment channels: lists and forms see masked hints, never a
// credential; every change is one use case (db, actor, input) that validates, owns its
// transaction and writes its audit row (field names, never values). The console and the
// merchant API both come through here, so a rule exists once.
import 'server-only';
import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { paymentChannels, type PaymentChannelRow } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { sealedIn, sealToText } from '@/lib/crypto';
import { AppError, fieldsFromZod, validationError, type FieldErrors } from '@/lib/errors';
import { guardedFetch } from '@/lib/outbound';
import { getLimiter, RULES } from '@/lib/risk';
import { healthOf, type ChannelHealthView } from './health';
import { secretFieldsOf, type ChannelDriver, type ConnectionTest, type PaymentMethod } from './channel';
import { forgetChannel, isUsable, openChannel } from './checkout';
import { findDriver, getDriver } from './registry';

/** One config field as a form may show it: non-secret values in full, secrets as a last-four hint. */
export type ConfigFieldHint = { name: string; secret: boolean; set: boolean; hint: string };

export type ChannelSummary = {
  id: string;
  kind: string;
  /** What the buyer pays with (alipay, wxpay, usdt, card, qqpay, other). */
  method: PaymentMethod;
  name: string;
  enabled: boolean;
  /** Enabled and allowed here (the demo channel is off in production unless configured). */
  usable: boolean;
  priority: number;
  minAmount: number | null;
  maxAmount: number | null;
  feeBps: number;
  /** The share of buyers it takes (gradual rollout). */
  rolloutPercent: number;
  config: ConfigFieldHint[];
  testable: boolean;
  /** What the merchant should fix (e.g. `weak_key`), from the driver. */
  warnings: string[];
  /** The circuit breaker and the provider calls of the last hour (listings and single reads). */
  health?: ChannelHealthView | null;
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
  const secrets = new Set(secretFieldsOf(driver));
  const names = [...new Set([...driver.fields.map((f) => f.name), ...Object.keys(values), ...secrets])];
  return {
    id: row.id,
    kind: row.kind,
    method: driver.method(config),
    name: row.name,
    enabled: row.enabled,
    usable: isUsable(row),
    priority: row.priority,
    minAmount: row.minAmount,
    maxAmount: row.maxAmount,
    feeBps: row.feeBps,
    rolloutPercent: row.rolloutPercent,
    config: names.map((name) => {
      const v = values[name];
      const set = typeof v === 'string' ? v !== '' : v != null;
      return { name, secret: secrets.has(name), set, hint: !set ? '' : secrets.has(name) ? secretHint(String(v)) : String(v) };
    }),
    testable: typeof driver.testConnection === 'function',
    warnings: driver.warnings?.(config) ?? [],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const channelIdSchema = z.guid();

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

/** The merchant's channels for the console and the API, highest priority first; credentials only as hints. */
export async function listMerchantChannels(db: DbOrTx, merchantId: string): Promise<ChannelSummary[]> {
  const rows = await db
    .select()
    .from(paymentChannels)
    .where(eq(paymentChannels.merchantId, merchantId))
    .orderBy(desc(paymentChannels.priority), asc(paymentChannels.createdAt));
  const health = await healthOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...summarize(r), health: health.get(r.id) ?? null }));
}

export async function getMerchantChannel(db: DbOrTx, merchantId: string, channelId: string): Promise<ChannelSummary> {
  const row = await ownChannel(db, merchantId, channelId);
  return { ...summarize(row), health: (await healthOf(db, [row.id])).get(row.id) ?? null };
}

const MAX_AMOUNT = 1_000_000_000_00; // 1 billion in minor units: far above any card-key order

const settingsSchema = z.object({
  name: z.string().trim().min(1).max(60),
  enabled: z.boolean(),
  priority: z.number().int().min(-1000).max(1000),
  minAmount: z.number().int().min(0).max(MAX_AMOUNT).nullable(),
  maxAmount: z.number().int().min(1).max(MAX_AMOUNT).nullable(),
  /** Basis points: 60 = 0.6 %. */
  feeBps: z.number().int().min(0).max(10_000),
  /** The share of buyers this channel takes (gradual rollout); 100 = all. */
  rolloutPercent: z.number().int().min(0).max(100),
});
export type ChannelSettings = z.input<typeof settingsSchema>;

const createSchema = settingsSchema.partial().extend({
  kind: z.string().min(1),
  name: settingsSchema.shape.name,
  config: z.record(z.string(), z.unknown()).optional(),
});
export type CreateChannelInput = z.input<typeof createSchema>;

const updateSchema = settingsSchema.partial().extend({
  channelId: z.string(),
  config: z.record(z.string(), z.unknown()).optional(),
});
export type UpdateChannelInput = z.input<typeof updateSchema>;

function rangeErrors(min: number | null | undefined, max: number | null | undefined): FieldErrors {
  return min != null && max != null && min > max ? { maxAmount: { code: 'below_minimum' } } : {};
}

function configErrors(driver: ChannelDriver<unknown>, config: unknown): { ok: true; config: Record<string, unknown> } | { ok: false; fields: FieldErrors } {
  const parsed = driver.configSchema.safeParse(config ?? {});
  if (!parsed.success) return { ok: false, fields: fieldsFromZod(parsed.error.issues, ['config']) };
  return { ok: true, config: (driver.prepareConfig ? driver.prepareConfig(parsed.data) : parsed.data) as Record<string, unknown> };
}

/**
 * Every field error of a channel form at once, without writing anything: the console calls
 * it when some fields did not even parse, so the merchant sees all problems in one round.
 * `keptSecrets` names secrets a blank value keeps (an edit), which are then not required.
 */
export function channelInputErrors(
  kind: string,
  input: Partial<ChannelSettings> & { config?: Record<string, unknown> },
  keptSecrets: readonly string[] = [],
): FieldErrors {
  const driver = findDriver(kind);
  const fields: FieldErrors = driver ? {} : { kind: { code: 'invalid_choice' } };
  const parsed = settingsSchema.partial().safeParse({ ...input, config: undefined });
  if (!parsed.success) Object.assign(fields, fieldsFromZod(parsed.error.issues));
  Object.assign(fields, { ...rangeErrors(input.minAmount, input.maxAmount), ...fields });
  if (driver && input.config) {
    const config = Object.fromEntries(Object.entries(input.config).filter(([, v]) => !(typeof v === 'string' && v.trim() === '')));
    const result = driver.configSchema.safeParse(config);
    if (!result.success) {
      const issues = result.error.issues.filter((i) => !(keptSecrets.includes(String(i.path[0])) && config[String(i.path[0])] === undefined));
      for (const [k, v] of Object.entries(fieldsFromZod(issues, ['config']))) fields[k] ??= v;
    }
  }
  return fields;
}

/**
 * Adds a channel (console, merchant API, a new merchant's demo channel): validates its
 * settings and the driver's config, refuses a second demo channel and an inverted amount
 * range, seals the credentials and audits the kind only.
 */
export async function createChannel(db: DbOrTx, actor: Actor, raw: CreateChannelInput): Promise<ChannelSummary> {
  const merchantId = merchantOf(actor);
  const parsed = createSchema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const input = parsed.data;
  const driver = getDriver(input.kind);
  // Every problem at once: the amount range and the driver's config.
  const config = configErrors(driver, input.config);
  const problems = { ...rangeErrors(input.minAmount, input.maxAmount), ...(config.ok ? {} : config.fields) };
  if (Object.keys(problems).length || !config.ok) throw new AppError('validation_failed', 'The channel settings are not valid.', { fields: problems });
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
    // The id is made here: the config is sealed bound to it.
    const id = randomUUID();
    const [row] = await tx
      .insert(paymentChannels)
      .values({
        id,
        merchantId,
        kind: input.kind,
        name: input.name,
        config: sealToText(JSON.stringify(config.config), sealedIn.channelConfig({ id, merchantId })),
        enabled: input.enabled ?? true,
        priority: input.priority ?? 0,
        minAmount: input.minAmount ?? null,
        maxAmount: input.maxAmount ?? null,
        feeBps: input.feeBps ?? 0,
        rolloutPercent: input.rolloutPercent ?? 100,
        rolloutStartedAt: (input.rolloutPercent ?? 100) < 100 ? new Date() : null,
      })
      .returning();
    // Credentials are never written to the audit log; only what kind of channel it is.
    await recordAudit(tx, actor, { action: 'channel.create', targetType: 'channel', targetId: row!.id, detail: { kind: row!.kind } });
    return summarize(row!);
  });
}

/** A config edit: blank or missing secrets keep the stored value; blank optional fields are cleared. */
function mergeConfig(driver: ChannelDriver<unknown>, current: Record<string, unknown>, given: Record<string, unknown>): Record<string, unknown> {
  const secrets = new Set(secretFieldsOf(driver));
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
 * Edits a channel of the actor's merchant (another merchant's id → `not_found`, nothing
 * changed). `config` is partial: fields left out or blank secrets keep their stored values.
 * The audit entry names the changed fields, never their values; a no-op is not audited.
 */
export async function updateChannel(db: DbOrTx, actor: Actor, raw: UpdateChannelInput): Promise<{ channel: ChannelSummary; changed: string[] }> {
  const merchantId = merchantOf(actor);
  const parsed = updateSchema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { channelId, config: givenConfig, ...fields } = parsed.data;
  const result = await db.transaction(async (tx) => {
    const row = await ownChannel(tx, merchantId, channelId, true);
    const range = rangeErrors(
      fields.minAmount !== undefined ? fields.minAmount : row.minAmount,
      fields.maxAmount !== undefined ? fields.maxAmount : row.maxAmount,
    );
    if (Object.keys(range).length) throw new AppError('validation_failed', 'The minimum is above the maximum.', { fields: range });
    const changed: string[] = [];
    const set: Partial<typeof paymentChannels.$inferInsert> = {};
    for (const name of ['name', 'enabled', 'priority', 'minAmount', 'maxAmount', 'feeBps', 'rolloutPercent'] as const) {
      const value = fields[name];
      if (value !== undefined && value !== row[name]) {
        (set as Record<string, unknown>)[name] = value;
        changed.push(name);
      }
    }
    if (givenConfig) {
      const { driver, config } = openChannel(row);
      const current = (config ?? {}) as Record<string, unknown>;
      const next = configErrors(driver, mergeConfig(driver, current, givenConfig));
      if (!next.ok) throw new AppError('validation_failed', 'The channel settings are not valid.', { fields: next.fields });
      const configChanged = [...new Set([...Object.keys(current), ...Object.keys(next.config)])].filter(
        (k) => JSON.stringify(current[k]) !== JSON.stringify(next.config[k]),
      );
      if (configChanged.length > 0) {
        set.config = sealToText(JSON.stringify(next.config), sealedIn.channelConfig(row));
        changed.push(...configChanged.sort().map((k) => `config.${k}`));
      }
    }
    if (changed.length === 0) return { channel: summarize(row), changed };
    // A new rollout: a new sample of buyers, counted from now.
    if (set.rolloutPercent !== undefined) {
      set.rolloutSalt = randomBytes(16).toString('hex');
      set.rolloutStartedAt = set.rolloutPercent < 100 ? new Date() : null;
    }
    const [updated] = await tx
      .update(paymentChannels)
      .set({ ...set, updatedAt: sql`now()` })
      .where(and(eq(paymentChannels.id, row.id), eq(paymentChannels.merchantId, merchantId)))
      .returning();
    await recordAudit(tx, actor, { action: 'channel.update', targetType: 'channel', targetId: row.id, detail: { fields: changed } });
    return { channel: summarize(updated!), changed };
  });
  forgetChannel(channelId);
  return result;
}

/** Turns a channel on or off (audited as channel.enable / channel.disable); a no-op is not audited. */
export async function setChannelEnabled(db: DbOrTx, actor: Actor, input: { channelId: string; enabled: boolean }): Promise<ChannelSummary> {
  const merchantId = merchantOf(actor);
  if (typeof input.enabled !== 'boolean') throw new AppError('validation_failed', 'enabled is true or false.', { fields: { enabled: 'invalid' } });
  const result = await db.transaction(async (tx) => {
    const row = await ownChannel(tx, merchantId, input.channelId, true);
    if (row.enabled === input.enabled) return summarize(row);
    const [updated] = await tx
      .update(paymentChannels)
      .set({ enabled: input.enabled, updatedAt: sql`now()` })
      .where(and(eq(paymentChannels.id, row.id), eq(paymentChannels.merchantId, merchantId)))
      .returning();
    await recordAudit(tx, actor, { action: input.enabled ? 'channel.enable' : 'channel.disable', targetType: 'channel', targetId: row.id });
    return summarize(updated!);
  });
  forgetChannel(input.channelId);
  return result;
}

/**
 * Asks the provider whether it accepts this channel's credentials. The row is read first and
 * the network call happens after, outside any transaction; `null` when the protocol has no
 * way to ask (the demo channel). At most `RULES.channelTest` a minute per merchant: each is
 * a request, with the credentials, to a host the merchant chose. Changes nothing, so it is
 * not audited.
 */
export async function testChannel(
  db: DbOrTx,
  actor: Actor,
  input: { channelId: string },
  fetchImpl: typeof fetch = guardedFetch,
): Promise<ConnectionTest | null> {
  const merchantId = merchantOf(actor);
  const { driver, config } = openChannel(await ownChannel(db, merchantId, input.channelId));
  if (!driver.testConnection) return null;
  const limit = await getLimiter(db).hit(RULES.channelTest, merchantId);
  if (!limit.ok) throw new AppError('rate_limited', 'Too many connection tests.', { retryAfter: limit.retryAfter });
  return driver.testConnection(config, fetchImpl);
}

// Merchants and platform accounts: opening a shop (CLI, seed, the platform admin) with its
// owner, first API key and demo channel; the admin account; the default merchant served at `/`.
import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '@/db/client';
import { merchants, platformSettings, users, type Merchant, type MerchantSettings } from '@/db/schema';
import { assertPlatformOperator, recordAudit, type Actor } from '@/lib/audit';
import { createApiKey, hashPassword } from '@/lib/auth';
import { AppError, validationError } from '@/lib/errors';
import { readThrough } from '@/lib/cache';
import { getConfig } from '@/lib/config';
import { createChannel } from '@/lib/payments';

const DEFAULT_MERCHANT_KEY = 'default_merchant_id';
export const DEFAULT_ORDER_EXPIRY_MINUTES = 15;

const accountSchema = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(10).max(200),
});

const merchantSchema = accountSchema.extend({
  slug: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,40}$/)
    .optional(),
  name: z.string().trim().min(1).max(80).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  /**
   * Whether the demo channel starts enabled. Default: only in development. It pays without
   * money, so on a real platform a merchant turns it on deliberately (and only where
   * DEMO_CHANNEL_ENABLED allows demo payments at all); the demo shop, tests and benches ask.
   */
  demoChannelEnabled: z.boolean().optional(),
});

async function emailTaken(db: DbOrTx, email: string): Promise<boolean> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return rows.length > 0;
}

/**
 * Opens a shop: a merchant with its owner account, a first API key and the demo channel, in
 * one transaction. Only the platform admin or the system (CLI, seed) may. The first merchant
 * of a database becomes the default shop. Audited as `merchant.create`; the key and the
 * channel are audited as made by the same actor, on the new merchant. The API key is
 * returned once, never stored.
 */
export async function createMerchant(
  db: Db,
  actor: Actor,
  input: z.input<typeof merchantSchema>,
): Promise<{ merchantId: string; userId: string; apiKey: string }> {
  assertPlatformOperator(actor);
  const parsed = merchantSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { email, password, name } = parsed.data;
  const slug =
    parsed.data.slug ??
    email
      .split('@')[0]!
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .slice(0, 30)
      .padEnd(2, '0');
  const passwordHash = await hashPassword(password);
  const created = await db.transaction(async (tx) => {
    if (await emailTaken(tx, email)) throw new AppError('conflict', 'An account with this e-mail exists already.', { fields: { email: 'taken' } });
    const inserted = await tx
      .insert(merchants)
      .values({
        slug,
        name: name ?? slug,
        settings: { contactEmail: email, orderExpiryMinutes: DEFAULT_ORDER_EXPIRY_MINUTES, ...(parsed.data.settings as MerchantSettings) },
      })
      .onConflictDoNothing()
      .returning({ id: merchants.id });
    if (inserted.length === 0) throw new AppError('conflict', 'A merchant with this slug exists already.', { fields: { slug: 'taken' } });
    const merchantId = inserted[0]!.id;
    const [user] = await tx.insert(users).values({ email, passwordHash, role: 'merchant', merchantId }).returning({ id: users.id });
    const onShop: Actor = { ...actor, merchantId };
    const key = await createApiKey(tx, onShop, { name: 'default' });
    await createChannel(tx, onShop, {
      kind: 'demo',
      name: '演示支付 / Demo pay',
      priority: -100,
      enabled: parsed.data.demoChannelEnabled ?? getConfig().env === 'development',
    });
    // The first merchant becomes the default shop; ON CONFLICT keeps an existing choice.
    await tx.insert(platformSettings).values({ key: DEFAULT_MERCHANT_KEY, value: merchantId }).onConflictDoNothing();
    await recordAudit(tx, actor, { merchantId, action: 'merchant.create', targetType: 'merchant', targetId: merchantId, detail: { slug } });
    return { merchantId, userId: user!.id, apiKey: key.key };
  });
  forgetDefaultMerchant(); // the first merchant becomes the default shop
  return created;
}

/** The platform admin's account (CLI, seed). Audited as `admin.create`. */
export async function createAdmin(db: Db, actor: Actor, input: z.input<typeof accountSchema>): Promise<{ userId: string }> {
  assertPlatformOperator(actor);
  const parsed = accountSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const passwordHash = await hashPassword(parsed.data.password);
  return db.transaction(async (tx) => {
    if (await emailTaken(tx, parsed.data.email)) throw new AppError('conflict', 'An account with this e-mail exists already.', { fields: { email: 'taken' } });
    const [user] = await tx.insert(users).values({ email: parsed.data.email, passwordHash, role: 'admin' }).returning({ id: users.id });
    await recordAudit(tx, actor, { merchantId: null, action: 'admin.create', targetType: 'user', targetId: user!.id });
    return { userId: user!.id };
  });
}

/** The merchant whose shop is served at `/`, or null before any exists. */
// Every storefront request asks for the shop; the use cases that change it drop the entry.
const defaultShop = readThrough<Merchant | null>(1);

/** After a change to a merchant or to which one is the default shop has committed. */
export function forgetDefaultMerchant(): void {
  defaultShop.drop();
}

/** The shop served at `/` and by the storefront API (cached CACHE_TTL_MS outside transactions). */
export async function getDefaultMerchant(db: DbOrTx): Promise<Merchant | null> {
  // A transaction may see its own uncommitted change: it reads for itself.
  if ('rollback' in db) return loadDefaultMerchant(db);
  return defaultShop.get('default', () => loadDefaultMerchant(db));
}

async function loadDefaultMerchant(db: DbOrTx): Promise<Merchant | null> {
  const rows = await db
    .select({ merchant: merchants })
    .from(platformSettings)
    .innerJoin(merchants, sql`${merchants.id} = (${platformSettings.value} #>> '{}')::uuid`)
    .where(eq(platformSettings.key, DEFAULT_MERCHANT_KEY));
  const m = rows[0]?.merchant;
  return m && m.status === 'active' ? m : null;
}

/** Inside the caller's transaction; the caller drops the cached shop after its commit. */
export async function setDefaultMerchant(db: DbOrTx, merchantId: string): Promise<void> {
  await db
    .insert(platformSettings)
    .values({ key: DEFAULT_MERCHANT_KEY, value: merchantId })
    .onConflictDoUpdate({ target: platformSettings.key, set: { value: merchantId, updatedAt: sql`now()` } });
}

export async function getMerchant(db: DbOrTx, merchantId: string): Promise<Merchant | null> {
  const [m] = await db.select().from(merchants).where(eq(merchants.id, merchantId));
  return m ?? null;
}

export function orderExpiryMinutes(m: Pick<Merchant, 'settings'>): number {
  const v = m.settings.orderExpiryMinutes;
  return typeof v === 'number' && v >= 1 && v <= 24 * 60 ? v : DEFAULT_ORDER_EXPIRY_MINUTES;
}

export const DEFAULT_MANUAL_QUEUE_HOURS = 24;

/** How long an order left for manual payment keeps its reserved keys, in hours. */
export function manualQueueHours(m: Pick<Merchant, 'settings'>): number {
  const v = m.settings.manualQueueHours;
  return typeof v === 'number' && v >= 1 && v <= 168 ? v : DEFAULT_MANUAL_QUEUE_HOURS;
}

/** ¥0.01: no discount takes an order below the merchant's minimum charge (a free order needs a coupon that allows it). */
export const DEFAULT_MIN_CHARGE = 1;

/** The merchant's minimum charge in minor units. */
export function minChargeOf(m: Pick<Merchant, 'settings'>): number {
  const v = m.settings.minCharge;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : DEFAULT_MIN_CHARGE;
}

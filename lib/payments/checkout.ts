// The engine's side of payment channels: the channel an order may be created on, the
// channels a buyer may choose, the payment action the pay page shows, and a channel opened
// (credentials unsealed) for a notification or an order query.
import 'server-only';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { compiled } from '@/db/compiled';
import { paymentChannels, type PaymentChannelRow } from '@/db/schema';
import { readThrough } from '@/lib/cache';
import { getConfig } from '@/lib/config';
import { openFromText, sealedIn } from '@/lib/crypto';
import { AppError } from '@/lib/errors';
import type { ChannelDriver, PaymentMethod } from './channel';
import { getDriver } from './registry';

export type LoadedChannel = { row: PaymentChannelRow; driver: ChannelDriver<unknown>; config: unknown };

/** Enabled, and allowed here (the demo channel is off in production unless configured). */
export function isUsable(row: Pick<PaymentChannelRow, 'enabled' | 'kind'>): boolean {
  return row.enabled && (row.kind !== 'demo' || getConfig().demoChannelEnabled);
}

export function openChannel(row: PaymentChannelRow): LoadedChannel {
  return { row, driver: getDriver(row.kind), config: JSON.parse(openFromText(row.config, sealedIn.channelConfig(row))) };
}

// The pay page (reloaded by every waiting buyer) and the checkout's sold-out shortcut open
// channels often: the row and its decrypted config are kept CACHE_TTL_MS (lib/cache);
// console.ts drops an entry when the channel changes. Orders read the channel in their
// transaction, notifications and reconciliation read it fresh: no money decision uses a
// stale copy.
const channels = readThrough<LoadedChannel | null>();

/** After a change to the channel has committed. */
export function forgetChannel(channelId: string): void {
  channels.drop(channelId);
}

// Every notification reads its channel (built once: db/compiled.ts).
const channelById = compiled<{ id: string }>()((db) =>
  db
    .select()
    .from(paymentChannels)
    .where(eq(paymentChannels.id, sql.placeholder('id')))
    .limit(1),
);

/**
 * The channel with its credentials unsealed, or null. The result is shared: do not change it.
 * `fresh` reads the database whatever the cache holds: a payment notification is verified with
 * the credentials of this moment (after a leaked key is replaced, not one more forged
 * notification is accepted by any instance).
 */
export async function loadChannel(db: DbOrTx, channelId: string, options: { fresh?: boolean } = {}): Promise<LoadedChannel | null> {
  const load = async () => {
    const [row] = await channelById(db, { id: channelId });
    return row ? openChannel(row) : null;
  };
  // A transaction may see its own uncommitted change: it reads for itself.
  return 'rollback' in db || options.fresh ? load() : channels.get(channelId, load);
}

/**
 * The channel an order may be created on, or `channel_unavailable`. Takes the channel's row as
 * the checkout read it in its transaction (null: no such channel of this merchant) and checks
 * it once the amount is known. Not through `loadChannel`: a load through the pool while the
 * transaction holds a connection waits on the pool (a busy pool waits for ever), and the
 * process cache may be seconds old.
 */
export function channelForOrder(
  row: PaymentChannelRow | null,
  input: {
    merchantId: string;
    amount: number;
    currency: string;
    /** A free order (a coupon that allows it): nothing goes to the provider, so its limits do not apply. */ free?: boolean;
  },
): PaymentChannelRow {
  const refusal = channelRefusal(row, input);
  if (refusal) throw new AppError('channel_unavailable', refusal);
  return row!;
}

/** Why a channel cannot take an order (checkout's and failover's one rule), or null when it can. */
export function channelRefusal(row: PaymentChannelRow | null, input: { merchantId: string; amount: number; currency: string; free?: boolean }): string | null {
  if (!row || row.merchantId !== input.merchantId || !isUsable(row)) return 'This payment channel is not available.';
  if (!getDriver(row.kind).currencies.includes(input.currency)) return `This payment channel does not accept ${input.currency}.`;
  if (!input.free && ((row.minAmount != null && input.amount < row.minAmount) || (row.maxAmount != null && input.amount > row.maxAmount))) {
    return 'The amount is outside the limits of this payment channel.';
  }
  return null;
}

/** One channel per way of paying, the first (highest priority) of each method; channels of no particular method each stay. */
export function onePerMethod<C extends { method: PaymentMethod }>(channels: C[]): C[] {
  return channels.filter((c, i) => c.method === 'other' || channels.findIndex((o) => o.method === c.method) === i);
}

/** The merchant's usable channels of one payment method, highest priority first, credentials unsealed (failover candidates). */
export async function sameMethodChannels(db: DbOrTx, merchantId: string, method: PaymentMethod): Promise<LoadedChannel[]> {
  const rows = await db
    .select()
    .from(paymentChannels)
    .where(and(eq(paymentChannels.merchantId, merchantId), eq(paymentChannels.enabled, true)))
    .orderBy(desc(paymentChannels.priority), asc(paymentChannels.createdAt));
  return rows
    .filter(isUsable)
    .map(openChannel)
    .filter((c) => c.driver.method(c.config) === method);
}

export type StoreChannel = { id: string; kind: string; name: string; method: PaymentMethod };

/** Enabled channels a buyer may choose, highest priority first. */
export async function listStoreChannels(db: DbOrTx, merchantId: string): Promise<StoreChannel[]> {
  const rows = await db
    .select()
    .from(paymentChannels)
    .where(and(eq(paymentChannels.merchantId, merchantId), eq(paymentChannels.enabled, true)))
    .orderBy(desc(paymentChannels.priority), asc(paymentChannels.createdAt));
  return rows.filter(isUsable).map((r) => {
    const { driver, config } = openChannel(r);
    return { id: r.id, kind: r.kind, name: r.name, method: driver.method(config) };
  });
}

/** Where the provider sends its payment notifications for this channel. */
export function notifyUrlFor(channelId: string): string {
  return `${getConfig().appUrl}/api/pay/${channelId}/notify`;
}

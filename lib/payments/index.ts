// Payment channels: the registry of channel drivers (one file each under channels/) and the
// merchant's configured channels, with credentials sealed at rest.
import 'server-only';
import { and, asc, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { paymentChannels, type PaymentChannelRow } from '@/db/schema';
import { getConfig } from '@/lib/config';
import { openFromText, sealToText } from '@/lib/crypto';
import { AppError, validationError } from '@/lib/errors';
import type { ChannelDriver, PaymentAction, PaymentRequest } from './channel';
import { demo } from './channels/demo';
import { epay } from './channels/epay';

export type { ChannelDriver, NotificationInput, PaymentAction, VerifiedNotification } from './channel';
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
  input: { merchantId: string; kind: string; name: string; config?: unknown; enabled?: boolean; priority?: number; minAmount?: number | null; maxAmount?: number | null; feeBps?: number },
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
export async function channelForOrder(db: DbOrTx, input: { merchantId: string; channelId: string; amount: number; currency: string }): Promise<PaymentChannelRow> {
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

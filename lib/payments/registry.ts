// The channel drivers, one file each under channels/. Adding a provider is a driver file
// and a line here; the console form and the pay page render from what the driver declares.
import { AppError } from '@/lib/errors';
import { secretFieldsOf, type ChannelDriver, type ConfigField, type PaymentActionType } from './channel';
import { alipay } from './channels/alipay';
import { demo } from './channels/demo';
import { epay } from './channels/epay';
import { stripe } from './channels/stripe';
import { usdt } from './channels/usdt';
import { wechat } from './channels/wechat';

const drivers: Record<string, ChannelDriver<never>> = { demo, epay, alipay, wechat, usdt, stripe } as unknown as Record<string, ChannelDriver<never>>;

export const channelKinds: readonly string[] = Object.keys(drivers);

export function findDriver(kind: string): ChannelDriver<unknown> | null {
  return Object.hasOwn(drivers, kind) ? (drivers[kind] as unknown as ChannelDriver<unknown>) : null;
}

export function getDriver(kind: string): ChannelDriver<unknown> {
  const driver = findDriver(kind);
  if (!driver) throw new AppError('validation_failed', `Unknown channel kind "${kind}".`, { fields: { kind: 'invalid_choice' } });
  return driver;
}

/** What a form needs to render a driver's settings (plain data: it crosses to the browser). */
export type DriverInfo = { kind: string; action: PaymentActionType; fields: ConfigField[]; secrets: string[]; testable: boolean };

export function driverInfo(kind: string): DriverInfo {
  const d = getDriver(kind);
  return { kind: d.kind, action: d.action, fields: [...d.fields], secrets: secretFieldsOf(d), testable: typeof d.testConnection === 'function' };
}

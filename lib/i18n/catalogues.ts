// Message catalogues: zh-CN is the default, English the second. Pages use them through
// next-intl; server-side text (e-mails) through `translate`.
import { formatAmount } from '@/lib/money';
import apiKeys from './messages/console/apiKeys.json';
import admin from './messages/console/admin.json';
import agent from './messages/console/agent.json';
import agents from './messages/console/agents.json';
import audit from './messages/console/audit.json';
import auth from './messages/console/auth.json';
import channels from './messages/console/channels.json';
import common from './messages/console/common.json';
import coupons from './messages/console/coupons.json';
import dashboard from './messages/console/dashboard.json';
import keys from './messages/console/keys.json';
import orders from './messages/console/orders.json';
import outbox from './messages/console/outbox.json';
import products from './messages/console/products.json';
import risk from './messages/console/risk.json';
import settings from './messages/console/settings.json';
import webhooks from './messages/console/webhooks.json';
import en from './messages/en.json';
import zhCN from './messages/zh-CN.json';

export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'zh-CN';
export const LOCALE_COOKIE = 'NEXT_LOCALE';
/** The platform's business time zone: report days and hours, coupon windows, dates shown to buyers. */
export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

// The console's messages live in one file per area, both languages side by side, under
// `console.<area>` (`console.common` for what every page shares).
const consoleAreas = {
  common,
  auth,
  dashboard,
  products,
  keys,
  orders,
  channels,
  coupons,
  risk,
  settings,
  apiKeys,
  webhooks,
  outbox,
  audit,
  admin,
  agent,
  agents,
};

function consoleMessages(locale: Locale) {
  return Object.fromEntries(Object.entries(consoleAreas).map(([area, file]) => [area, (file as Record<Locale, unknown>)[locale]]));
}

type Catalogue = typeof zhCN & { console: Record<string, unknown> };

export const catalogues: Record<Locale, Catalogue> = {
  'zh-CN': { ...zhCN, console: consoleMessages('zh-CN') },
  en: { ...en, console: consoleMessages('en') },
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** Picks a locale from a cookie value, then Accept-Language, then the default. */
export function negotiateLocale(cookie: string | undefined, acceptLanguage: string | null | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return defaultLocale;
}

export function translate(locale: string, key: string, vars: Record<string, string | number> = {}): string {
  const value = lookup(locale, key);
  if (typeof value !== 'string') return key;
  return value.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

function lookup(locale: string, key: string): unknown {
  const catalogue = catalogues[isLocale(locale) ? locale : defaultLocale] as Record<string, unknown>;
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogue);
}

export function hasMessage(locale: string, key: string): boolean {
  return typeof lookup(locale, key) === 'string';
}

/**
 * The message for one field's error code, from the catalogue: a form's own wording first
 * (`<scope>.fieldErrors.<field>.<code>`, then `<scope>.fieldErrors.<field>.default`), else
 * the shared `fieldErrors.<code>`. A field path's list indexes are dropped and its dots
 * become underscores (`wholesaleTiers.0.minQty` → `wholesaleTiers_minQty`).
 */
export function fieldErrorMessage(
  locale: string,
  field: string,
  error: { code: string; min?: number; max?: number; currency?: string },
  scope?: string,
): string {
  const name = field.replace(/\.\d+(?=\.|$)/g, '').replace(/\./g, '_');
  // A bound with a currency is an amount in minor units ("minimum ¥50.00").
  const bound = (v: number | undefined) => (v === undefined ? '' : error.currency ? formatAmount(v, error.currency, locale) : v);
  const vars = { min: bound(error.min), max: bound(error.max) };
  const keys = [...(scope ? [`${scope}.fieldErrors.${name}.${error.code}`, `${scope}.fieldErrors.${name}.default`] : []), `fieldErrors.${error.code}`];
  const key = keys.find((k) => hasMessage(locale, k)) ?? 'fieldErrors.invalid';
  return translate(locale, key, vars);
}

// Configuration: the one place that reads process.env. Validated once with zod.
// Development and tests fill missing secrets from DATA_DIR/secrets.json (generated on
// first use, mode 600) so a first run needs nothing; production refuses to start without them.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseTrustedProxies, type TrustedProxies } from './proxies';

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const bool = (fallback: boolean) =>
  z.preprocess((v) => (emptyAsUndefined(v) === undefined ? fallback : ['1', 'true', 'yes', 'on'].includes(String(v).toLowerCase())), z.boolean());

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: optionalString,
  DATABASE_READ_URL: optionalString,
  DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  DB_PREPARE: bool(true),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('.data')),
  APP_URL: z.preprocess(emptyAsUndefined, z.string().url().default('http://localhost:3000')),
  AUTH_SECRET: optionalString,
  KEY_ENCRYPTION_KEY: optionalString,
  CRON_SECRET: optionalString,
  METRICS_TOKEN: optionalString,
  DEMO_CHANNEL_ENABLED: optionalString,
  REDIS_URL: optionalString,
  UPSTASH_REDIS_REST_URL: optionalString,
  UPSTASH_REDIS_REST_TOKEN: optionalString,
  SMTP_URL: optionalString,
  MAIL_FROM: z.preprocess(emptyAsUndefined, z.string().default('OpenFaka <no-reply@openfaka.local>')),
  TRUSTED_PROXIES: optionalString,
  VERCEL: optionalString,
  TELEGRAM_API_BASE: z.preprocess(emptyAsUndefined, z.string().url().default('https://api.telegram.org')),
  OUTBOUND_ALLOW_PRIVATE: optionalString,
  DRAIN_AFTER_RESPONSE: bool(true),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info')),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  isProduction: boolean;
  databaseUrl: string | undefined;
  databaseReadUrl: string | undefined;
  dbPoolMax: number;
  /** Named prepared statements; turn off behind a transaction-mode pooler that cannot keep them. */
  dbPrepare: boolean;
  dataDir: string;
  appUrl: string;
  authSecret: string;
  /** base64 32-byte keys, newest first; the first encrypts, all decrypt. */
  keyEncryptionKeys: string[];
  cronSecret: string;
  metricsToken: string | undefined;
  demoChannelEnabled: boolean;
  redisUrl: string | undefined;
  upstash: { url: string; token: string } | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Who may name the client in X-Forwarded-For (see lib/config/proxies.ts and docs/deploy.md). */
  trustedProxies: TrustedProxies;
  /** Base URL of the Telegram Bot API (a local stand-in in tests). */
  telegramApiBase: string;
  /**
   * Whether merchant-given URLs (webhooks, dynamic delivery, Bark servers) may point at
   * loopback or private addresses. Off in production, so a merchant cannot make the shop
   * call its own internal services; on in development and tests (local endpoints).
   */
  outboundAllowPrivate: boolean;
  /**
   * Whether a request drains the outbox rows it wrote right after its response (`after()`):
   * e-mails and webhooks within a second with no worker. Off leaves them to the worker or cron.
   */
  drainAfterResponse: boolean;
  /** Running as Vercel Functions (VERCEL=1): processes are frozen between requests. */
  onVercel: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Secrets = { AUTH_SECRET: string; KEY_ENCRYPTION_KEY: string; CRON_SECRET: string };

/** Development secrets kept under DATA_DIR so restarts keep reading the same encrypted keys. */
export function loadOrCreateDevSecrets(dataDir: string): Secrets {
  const file = path.resolve(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  mkdirSync(path.dirname(file), { recursive: true });
  const secrets: Secrets = {
    AUTH_SECRET: randomBytes(32).toString('base64url'),
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CRON_SECRET: randomBytes(24).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}

function validKey(b64: string): boolean {
  try {
    return Buffer.from(b64, 'base64').length === 32;
  } catch {
    return false;
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * In production APP_URL is the shop's public address: set explicitly (payment notify URLs
 * and e-mail links are built from it), and https (the order cookie is `Secure` only then).
 * Plain http is accepted only for this machine's own address (a production build run
 * locally, the tests).
 */
function checkProductionAppUrl(raw: string | undefined): void {
  if (!raw?.trim())
    throw new ConfigError('Refusing to start in production without APP_URL, the public https:// address of the shop (e.g. https://shop.example.com).');
  const url = new URL(raw);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new ConfigError(`APP_URL must be an https:// address in production (got ${url.protocol}//${url.host}).`);
  }
}

export function parseConfig(source: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid environment: ${issues}`);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  let secrets: Partial<Secrets> = { AUTH_SECRET: e.AUTH_SECRET, KEY_ENCRYPTION_KEY: e.KEY_ENCRYPTION_KEY, CRON_SECRET: e.CRON_SECRET };
  const missing = (Object.keys(secrets) as (keyof Secrets)[]).filter((k) => !secrets[k]);
  if (missing.length > 0) {
    if (isProduction) {
      throw new ConfigError(
        `Refusing to start in production without ${missing.join(', ')}. ` +
          `Generate them with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))" and set them in the environment (see .env.example).`,
      );
    }
    const dev = loadOrCreateDevSecrets(e.DATA_DIR);
    secrets = { ...dev, ...Object.fromEntries(Object.entries(secrets).filter(([, v]) => v)) };
  }
  const keyEncryptionKeys = secrets
    .KEY_ENCRYPTION_KEY!.split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (keyEncryptionKeys.length === 0 || !keyEncryptionKeys.every(validKey)) {
    throw new ConfigError('KEY_ENCRYPTION_KEY must be a base64-encoded 32-byte key (or a comma-separated list, newest first).');
  }
  if (isProduction && e.AUTH_SECRET!.length < 32) throw new ConfigError('AUTH_SECRET must be at least 32 characters.');
  if (isProduction && secrets.CRON_SECRET!.length < 32) throw new ConfigError('CRON_SECRET must be at least 32 characters.');
  if (isProduction) checkProductionAppUrl(source.APP_URL);
  let trustedProxies: TrustedProxies;
  try {
    trustedProxies = parseTrustedProxies(e.TRUSTED_PROXIES, e.VERCEL === '1');
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const upstash = e.UPSTASH_REDIS_REST_URL && e.UPSTASH_REDIS_REST_TOKEN ? { url: e.UPSTASH_REDIS_REST_URL, token: e.UPSTASH_REDIS_REST_TOKEN } : undefined;
  const demo = e.DEMO_CHANNEL_ENABLED;
  return {
    env: e.NODE_ENV,
    isProduction,
    databaseUrl: e.DATABASE_URL,
    databaseReadUrl: e.DATABASE_READ_URL,
    dbPoolMax: e.DB_POOL_MAX,
    dbPrepare: e.DB_PREPARE,
    dataDir: path.resolve(e.DATA_DIR),
    appUrl: e.APP_URL.replace(/\/+$/, ''),
    authSecret: secrets.AUTH_SECRET!,
    keyEncryptionKeys,
    cronSecret: secrets.CRON_SECRET!,
    metricsToken: e.METRICS_TOKEN,
    // The demo channel pays without money: off in production unless asked for explicitly.
    demoChannelEnabled: demo === undefined ? !isProduction : ['1', 'true', 'yes', 'on'].includes(demo.toLowerCase()),
    redisUrl: e.REDIS_URL,
    upstash,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    trustedProxies,
    telegramApiBase: e.TELEGRAM_API_BASE.replace(/\/+$/, ''),
    drainAfterResponse: e.DRAIN_AFTER_RESPONSE,
    onVercel: e.VERCEL === '1',
    outboundAllowPrivate: e.OUTBOUND_ALLOW_PRIVATE === undefined ? !isProduction : ['1', 'true', 'yes', 'on'].includes(e.OUTBOUND_ALLOW_PRIVATE.toLowerCase()),
    logLevel: e.LOG_LEVEL,
  };
}

let cached: Config | undefined;

/** The validated configuration, read from process.env on first use. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** For tests and scripts that change the environment after start-up. */
export function resetConfig(): void {
  cached = undefined;
}

// Rate limits for the storefront (order creation, lookups). Without Redis the counters
// live in PostgreSQL (one upserted row per key and window); with UPSTASH_REDIS_REST_URL
// or REDIS_URL they go through @upstash/ratelimit. Nothing is kept in process memory, so
// limits hold across any number of app instances.
import 'server-only';
import net from 'node:net';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis as UpstashRedis } from '@upstash/redis';
import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import { rawClient, type DbOrTx } from '@/db/client';
import { getConfig } from '@/lib/config';
import { ipv6Groups } from '@/lib/ip';
import { ioredisAdapter } from './redis-adapter';

export type LimitRule = { name: string; limit: number; windowSeconds: number };
/** `count`: hits in the current window, this one included (for `peek`, those before it). */
export type LimitResult = { ok: boolean; remaining: number; retryAfter: number; count: number };

export const RULES = {
  /**
   * Order attempts per address: the merchant's policy decides on the count (challenge past 5,
   * block past 10 by default, lib/risk decide.ts); this limit is only the backstop above any policy.
   */
  createOrder: { name: 'order', limit: 120, windowSeconds: 60 },
  lookup: { name: 'lookup', limit: 10, windowSeconds: 60 },
  /** Lookups of one order number, from any address, whatever their outcome (a buyer needs one or two; guessing its e-mail or order password needs many). */
  lookupGuess: { name: 'lookup_guess', limit: 10, windowSeconds: 600 },
  /** Console sign-in attempts per address; per-account lockout is in lib/accounts/login. */
  login: { name: 'login', limit: 10, windowSeconds: 300 },
  /** Test events a merchant sends to its own endpoints (each is an outbound request). */
  webhookTest: { name: 'webhook_test', limit: 10, windowSeconds: 60 },
  /** Connection tests a merchant runs against its payment gateways (each is an outbound request carrying its credentials). */
  channelTest: { name: 'channel_test', limit: 10, windowSeconds: 60 },
  /** Payment notifications per address that fail verification (bad signature, unknown channel); valid ones never count. */
  notificationFailures: { name: 'notify_fail', limit: 30, windowSeconds: 300 },
  /** Coupon codes that did not apply, per address (apply button and order creation), so codes cannot be guessed by brute force. */
  couponTry: { name: 'coupon', limit: 20, windowSeconds: 60 },
  /** Sign-ups through agent invite links per address (each one creates a login and an application). */
  agentJoin: { name: 'agent_join', limit: 10, windowSeconds: 600 },
} satisfies Record<string, LimitRule>;

/**
 * A PostgreSQL limiter's counting statement, for a caller that sends it together with its own
 * statements (order creation sends it just before its transaction's BEGIN, in the same write).
 */
export type HitStatement = {
  send(client: postgres.Sql): { execute(): PromiseLike<readonly { count: number }[]> };
  read(rows: readonly { count: number }[]): LimitResult;
};

export interface Limiter {
  hit(rule: LimitRule, subject: string): Promise<LimitResult>;
  /** Present when the counters are in PostgreSQL. */
  hitStatement?(rule: LimitRule, subject: string): HitStatement;
  /** The subject's standing in the current window, without counting a hit. */
  peek(rule: LimitRule, subject: string): Promise<LimitResult>;
}

function windowOf(rule: LimitRule, nowMs: number): { start: Date; retryAfter: number } {
  const windowMs = rule.windowSeconds * 1000;
  const start = new Date(Math.floor(nowMs / windowMs) * windowMs);
  return { start, retryAfter: Math.max(1, Math.ceil((start.getTime() + windowMs - nowMs) / 1000)) };
}

// rate_limits is UNLOGGED (migration 0020): a counter costs no WAL flush, and a crash only
// forgets the current windows.
function hitStatement(rule: LimitRule, subject: string): HitStatement {
  const { start, retryAfter } = windowOf(rule, Date.now());
  return {
    send: (client) => client<{ count: number }[]>`
      INSERT INTO rate_limits (key, window_start, count) VALUES (${`${rule.name}:${subject}`}, ${start.toISOString()}, 1)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN rate_limits.window_start = EXCLUDED.window_start THEN rate_limits.count + 1 ELSE 1 END,
        window_start = EXCLUDED.window_start
      RETURNING count`,
    read(rows) {
      const count = Number(rows[0]?.count ?? 1);
      return { ok: count <= rule.limit, remaining: Math.max(0, rule.limit - count), retryAfter, count };
    },
  };
}

export function postgresLimiter(db: DbOrTx): Limiter {
  return {
    async hit(rule, subject) {
      const statement = hitStatement(rule, subject);
      return statement.read(await statement.send(rawClient(db)).execute());
    },
    hitStatement,
    async peek(rule, subject) {
      const { start, retryAfter } = windowOf(rule, Date.now());
      const [row] = await db.execute<{ count: number }>(
        sql`SELECT count FROM rate_limits WHERE key = ${`${rule.name}:${subject}`} AND window_start = ${start.toISOString()}`,
      );
      const count = Number(row?.count ?? 0);
      // Blocked once the limit is used up: the next hit would be over it.
      return { ok: count < rule.limit, remaining: Math.max(0, rule.limit - count), retryAfter, count };
    },
  };
}

type RedisLike = ConstructorParameters<typeof Ratelimit>[0]['redis'];

export function redisLimiter(redis: RedisLike, prefix = 'openfaka:rl'): Limiter {
  const limiters = new Map<string, Ratelimit>();
  const limiterFor = (rule: LimitRule): Ratelimit => {
    let limiter = limiters.get(rule.name);
    if (!limiter) {
      limiter = new Ratelimit({
        redis,
        limiter: Ratelimit.fixedWindow(rule.limit, `${rule.windowSeconds} s`),
        prefix: `${prefix}:${rule.name}`,
        analytics: false,
      });
      limiters.set(rule.name, limiter);
    }
    return limiter;
  };
  const retryAfter = (reset: number) => Math.max(1, Math.ceil((reset - Date.now()) / 1000));
  return {
    async hit(rule, subject) {
      const r = await limiterFor(rule).limit(subject);
      // Past the limit Upstash stops counting; the count is then at least limit + 1.
      return { ok: r.success, remaining: r.remaining, retryAfter: retryAfter(r.reset), count: r.success ? rule.limit - r.remaining : rule.limit + 1 };
    },
    async peek(rule, subject) {
      const r = await limiterFor(rule).getRemaining(subject);
      return { ok: r.remaining > 0, remaining: r.remaining, retryAfter: retryAfter(r.reset), count: rule.limit - r.remaining };
    },
  };
}

/** Counters of windows long past (one row per address and rule otherwise stays forever). */
export async function purgeRateLimits(db: DbOrTx): Promise<number> {
  const rows = await db.execute(sql`DELETE FROM rate_limits WHERE window_start < now() - interval '1 hour' RETURNING 1`);
  return rows.length;
}

let shared: Limiter | undefined;

/** The limiter the configuration asks for: Upstash, then REDIS_URL, then PostgreSQL. */
export function getLimiter(db: DbOrTx): Limiter {
  const config = getConfig();
  if (config.upstash) {
    shared ??= redisLimiter(new UpstashRedis({ url: config.upstash.url, token: config.upstash.token }));
    return shared;
  }
  if (config.redisUrl) {
    shared ??= redisLimiter(ioredisAdapter(config.redisUrl));
    return shared;
  }
  return postgresLimiter(db);
}

/**
 * The subject a per-address limit counts: the address itself for IPv4, its /64 for IPv6
 * (one subscriber gets a whole /64 and can pick any of its 2^64 addresses).
 */
export function addressKey(ip: string): string {
  if (net.isIPv4(ip)) return ip;
  const groups = ipv6Groups(ip);
  if (!groups) return ip;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

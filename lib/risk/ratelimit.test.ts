import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dropTestDatabase, type TestDb } from '@/test/db';
import { postgresLimiter, redisLimiter, type Limiter } from './ratelimit';
import { ioredisAdapter } from './redis-adapter';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => dropTestDatabase(t));

async function behavesAsALimiter(limiter: Limiter) {
  const rule = { name: `t${randomBytes(3).toString('hex')}`, limit: 5, windowSeconds: 60 };
  // A peek counts nothing.
  for (let i = 0; i < 3; i++) expect(await limiter.peek(rule, '198.51.100.7')).toMatchObject({ ok: true, remaining: 5 });
  // Concurrent hits from one address: exactly `limit` pass.
  const results = await Promise.all(Array.from({ length: 12 }, () => limiter.hit(rule, '198.51.100.7')));
  expect(results.filter((r) => r.ok)).toHaveLength(5);
  const refused = results.find((r) => !r.ok)!;
  expect(refused.retryAfter).toBeGreaterThan(0);
  expect(refused.retryAfter).toBeLessThanOrEqual(60);
  // Used up: a peek says so, without a hit.
  expect(await limiter.peek(rule, '198.51.100.7')).toMatchObject({ ok: false, remaining: 0 });
  // Another address has its own budget.
  expect((await limiter.peek(rule, '198.51.100.8')).ok).toBe(true);
  expect((await limiter.hit(rule, '198.51.100.8')).ok).toBe(true);
  expect(await limiter.peek(rule, '198.51.100.8')).toMatchObject({ ok: true, remaining: 4 });
}

describe('rate limits', () => {
  it('PostgreSQL limiter: exactly the limit passes under concurrency, per subject', async () => {
    await behavesAsALimiter(postgresLimiter(t.db));
  });

  it('a new window starts a new count', async () => {
    const limiter = postgresLimiter(t.db);
    const rule = { name: 'window', limit: 1, windowSeconds: 2 };
    // Start right after a window boundary so that the first two hits share a window.
    await new Promise((r) => setTimeout(r, 2000 - (Date.now() % 2000) + 20));
    expect((await limiter.hit(rule, 'x')).ok).toBe(true);
    expect((await limiter.hit(rule, 'x')).ok).toBe(false);
    await new Promise((r) => setTimeout(r, 2000));
    expect((await limiter.hit(rule, 'x')).ok).toBe(true);
  });

  // The Redis path needs a Redis: set TEST_REDIS_URL (CI does when one runs on the machine).
  it.runIf(!!process.env.TEST_REDIS_URL)('Redis limiter (@upstash/ratelimit over ioredis): same behaviour', async () => {
    const redis = ioredisAdapter(process.env.TEST_REDIS_URL!);
    try {
      await behavesAsALimiter(redisLimiter(redis, `openfaka-test:${randomBytes(3).toString('hex')}`));
    } finally {
      await (redis as unknown as { quit: () => Promise<unknown> }).quit();
    }
  });
});

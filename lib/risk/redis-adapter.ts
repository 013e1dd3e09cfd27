import 'server-only';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

// @upstash/ratelimit's scripts open with `#!lua flags=allow-key-locking`, a flag that
// Upstash accepts and Redis 7.0 refuses ("Unexpected flag in script shebang"). Without the
// shebang line they run as classic scripts, on any Redis.
const portable = (script: string) => script.replace(/^#!lua[^\n]*\n/, '');

/**
 * @upstash/ratelimit talks to Redis through the @upstash/redis client's method shapes.
 * This maps the calls its algorithms make (scripts, sets, hashes) onto a plain TCP Redis
 * through ioredis, for self-hosted deployments.
 */
export function ioredisAdapter(url: string) {
  const io = new Redis(url, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  // The library calls EVALSHA with the hash of its own text; we load a portable text, whose hash differs.
  const loaded = new Map<string, string>();
  const adapter = {
    async eval(script: string, keys: string[], args: unknown[]) {
      const text = portable(script);
      const result = await io.eval(text, keys.length, ...keys, ...(args as string[]));
      loaded.set(sha1(script), sha1(text));
      return result;
    },
    // An unknown hash gets Redis's NOSCRIPT, on which the library falls back to EVAL.
    evalsha: (sha: string, keys: string[], args: unknown[]) => io.evalsha(loaded.get(sha) ?? sha, keys.length, ...keys, ...(args as string[])),
    async scriptLoad(script: string) {
      const sha = (await io.script('LOAD', portable(script))) as string;
      loaded.set(sha1(script), sha);
      return sha1(script);
    },
    sadd: (key: string, ...members: unknown[]) => io.sadd(key, ...(members.flat() as string[])),
    hset: (key: string, values: Record<string, unknown>) => io.hset(key, values as Record<string, string>),
    smismember: (key: string, members: unknown[]) => io.smismember(key, ...(members as string[])),
    multi: () => {
      const m = io.multi();
      const chain = {
        hincrby: (k: string, f: string, n: number) => (m.hincrby(k, f, n), chain),
        expire: (k: string, s: number) => (m.expire(k, s), chain),
        exec: async () => ((await m.exec()) ?? []).map(([, v]) => v),
      };
      return chain;
    },
    quit: () => io.quit(),
  };
  return adapter as unknown as ConstructorParameters<typeof import('@upstash/ratelimit').Ratelimit>[0]['redis'];
}

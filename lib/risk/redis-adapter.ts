import 'server-only';
import { Redis } from 'ioredis';

/**
 * @upstash/ratelimit talks to Redis through the @upstash/redis client's method shapes.
 * This maps the calls its algorithms make (scripts, sets, hashes) onto a plain TCP Redis
 * through ioredis, for self-hosted deployments.
 */
export function ioredisAdapter(url: string) {
  const io = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableAutoPipelining: true });
  const adapter = {
    eval: (script: string, keys: string[], args: unknown[]) => io.eval(script, keys.length, ...keys, ...(args as string[])),
    evalsha: (sha: string, keys: string[], args: unknown[]) => io.evalsha(sha, keys.length, ...keys, ...(args as string[])),
    scriptLoad: (script: string) => io.script('LOAD', script) as Promise<string>,
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

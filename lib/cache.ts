// Short-lived in-process caches for rows the hot paths read on every request and merchants
// change rarely: the default shop and payment channels (with their decrypted config). An
// entry lives CACHE_TTL_MS; the use case that changes the row drops it in this process
// after its commit, and other processes (instances, workers) see the change within the
// TTL. Caches hold promises, so concurrent misses share one load. lru-cache bounds them.
import { LRUCache } from 'lru-cache';

export const CACHE_TTL_MS = 5_000;

export type ReadThrough<V> = {
  get(key: string, load: () => Promise<V>): Promise<V>;
  /** Drops one entry (or all): call after the change has committed. */
  drop(key?: string): void;
};

const all: ReadThrough<unknown>[] = [];

export function readThrough<V>(max = 10_000, ttlMs = CACHE_TTL_MS): ReadThrough<V> {
  const lru = new LRUCache<string, Promise<{ value: V }>>({ max, ttl: ttlMs });
  const cache: ReadThrough<V> = {
    get(key, load) {
      let entry = lru.get(key);
      if (!entry) {
        entry = load().then((value) => ({ value }));
        lru.set(key, entry);
        // A failed load is not remembered.
        entry.catch(() => lru.get(key) === entry && lru.delete(key));
      }
      return entry.then((e) => e.value);
    },
    drop(key) {
      if (key === undefined) lru.clear();
      else lru.delete(key);
    },
  };
  all.push(cache as ReadThrough<unknown>);
  return cache;
}

/** Empties every cache of this process (tests that change rows behind the use cases' back). */
export function forgetCaches(): void {
  for (const c of all) c.drop();
}

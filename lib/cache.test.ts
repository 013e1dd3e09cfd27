import { describe, expect, it } from 'vitest';
import { readThrough } from '@/lib/cache';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('readThrough', () => {
  it('concurrent misses share one load; a hit does not load', async () => {
    const cache = readThrough<number>();
    let loads = 0;
    const load = async () => {
      loads++;
      await sleep(20);
      return 42;
    };
    expect(await Promise.all(Array.from({ length: 10 }, () => cache.get('k', load)))).toEqual(Array(10).fill(42));
    expect(await cache.get('k', load)).toBe(42);
    expect(loads).toBe(1);
  });

  it('a failed load is not remembered: the next read loads again', async () => {
    const cache = readThrough<string>();
    let n = 0;
    const load = async () => {
      if (n++ === 0) throw new Error('database down');
      return 'up';
    };
    await expect(cache.get('k', load)).rejects.toThrow('database down');
    expect(await cache.get('k', load)).toBe('up');
  });

  it('an entry lives its TTL; drop(key) and drop() forget at once', async () => {
    const cache = readThrough<number>(10, 40);
    let v = 1;
    const load = async () => v;
    expect(await cache.get('a', load)).toBe(1);
    v = 2;
    expect(await cache.get('a', load)).toBe(1);
    cache.drop('a');
    expect(await cache.get('a', load)).toBe(2);
    v = 3;
    await sleep(60);
    expect(await cache.get('a', load)).toBe(3);
    v = 4;
    expect(await cache.get('b', load)).toBe(4);
    v = 5;
    cache.drop();
    expect([await cache.get('a', load), await cache.get('b', load)]).toEqual([5, 5]);
  });
});

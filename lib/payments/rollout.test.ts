import { describe, expect, it } from 'vitest';
import { inRollout, rolloutBucket } from './rollout';

describe('rollout buckets', () => {
  const buyers = Array.from({ length: 2000 }, (_, i) => `buyer${i}@example.test`);

  it('a 10 % rollout takes 10 % ± 3 of 2,000 distinct buyers, and each buyer always the same way', () => {
    const channel = { rolloutPercent: 10, rolloutSalt: 'salt-of-this-rollout' };
    const taken = buyers.filter((b) => inRollout(channel, b));
    expect(taken.length).toBeGreaterThanOrEqual(140);
    expect(taken.length).toBeLessThanOrEqual(260);
    expect(buyers.filter((b) => inRollout(channel, b))).toEqual(taken);
  });

  it('a new rollout (a new salt) draws another sample; 0 % takes nobody, 100 % everybody', () => {
    const a = buyers.filter((b) => inRollout({ rolloutPercent: 10, rolloutSalt: 'first' }, b));
    const b = buyers.filter((x) => inRollout({ rolloutPercent: 10, rolloutSalt: 'second' }, x));
    const both = a.filter((x) => b.includes(x));
    // Independent 10 % samples overlap by about 1 %, not 10 %.
    expect(both.length).toBeLessThan(60);
    expect(buyers.some((x) => inRollout({ rolloutPercent: 0, rolloutSalt: 'first' }, x))).toBe(false);
    expect(buyers.every((x) => inRollout({ rolloutPercent: 100, rolloutSalt: 'first' }, x))).toBe(true);
    expect(rolloutBucket('first', 'x@example.test')).toBeLessThan(10_000);
  });
});

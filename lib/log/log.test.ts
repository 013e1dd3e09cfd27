import { afterEach, describe, expect, it } from 'vitest';
import { aggregatedLog, childLog, log, requestIdFrom, setLogger, withLogContext } from '@/lib/log';
import { captureLog } from '@/test/log-capture';

const capture = captureLog;

afterEach(() => setLogger(undefined));

describe('log', () => {
  it('writes one JSON object per line with time, level and msg', () => {
    const out = capture();
    log('info', 'order created', { orderNo: '2026010100000012345', amount: 990 });
    log('error', 'it broke', { error: 'boom' });
    const [a, b] = out.parsed();
    expect(a).toMatchObject({ level: 'info', msg: 'order created', orderNo: '2026010100000012345', amount: 990 });
    expect(new Date(String(a!.time)).toISOString()).toBe(a!.time);
    expect(b).toMatchObject({ level: 'error', msg: 'it broke', error: 'boom' });
  });

  it('respects the level: debug dropped at info, everything dropped at silent', () => {
    const info = capture('info');
    log('debug', 'noise');
    log('warn', 'kept');
    expect(info.parsed().map((l) => l.msg)).toEqual(['kept']);
    const silent = capture('silent');
    log('error', 'dropped');
    expect(silent.lines).toEqual([]);
  });

  it('a secret passed by mistake is not printed, at the top level or nested', () => {
    const out = capture();
    const cardKey = 'CARD-KEY-PLAINTEXT-9f8e7d';
    log('info', 'oops', {
      orderNo: 'N1',
      keys: [cardKey],
      key: cardKey,
      token: 'tok-secret-123',
      password: 'hunter2-secret',
      apiKey: 'ofk_live_secret',
      config: { gateway: 'https://pay.example', key: 'epay-merchant-key' },
      channel: { secret: 'demo-secret-abc', name: 'Demo' },
      request: { headers: { authorization: 'Bearer very-secret', cookie: 'sid=secret-cookie' } },
    });
    const line = out.lines.join('\n');
    for (const secret of [
      cardKey,
      'tok-secret-123',
      'hunter2-secret',
      'ofk_live_secret',
      'epay-merchant-key',
      'demo-secret-abc',
      'very-secret',
      'secret-cookie',
    ]) {
      expect(line).not.toContain(secret);
    }
    const [parsed] = out.parsed();
    expect(parsed).toMatchObject({
      orderNo: 'N1',
      keys: '[redacted]',
      token: '[redacted]',
      config: '[redacted]',
      channel: { name: 'Demo', secret: '[redacted]' },
    });
  });

  it('lines inside a context carry its fields (request id, order number), nested contexts add up', async () => {
    const out = capture();
    await withLogContext({ requestId: 'req-1' }, async () => {
      log('info', 'first');
      await new Promise((r) => setTimeout(r, 5));
      await withLogContext({ orderNo: 'N42' }, async () => log('info', 'deep'));
      log('info', 'after');
    });
    log('info', 'outside');
    // A line's own fields never leak into the context's later lines.
    await withLogContext({ worker: 'W' }, async () => {
      log('info', 'one', { claimed: 3 });
      log('info', 'two');
    });
    const lines = out.parsed();
    expect(lines[0]).toMatchObject({ msg: 'first', requestId: 'req-1' });
    expect(lines[1]).toMatchObject({ msg: 'deep', requestId: 'req-1', orderNo: 'N42' });
    expect(lines[2]).toMatchObject({ msg: 'after', requestId: 'req-1' });
    expect(lines[2]).not.toHaveProperty('orderNo');
    expect(lines[3]).not.toHaveProperty('requestId');
    expect(lines[4]).toMatchObject({ msg: 'one', worker: 'W', claimed: 3 });
    expect(lines[5]).toMatchObject({ msg: 'two', worker: 'W' });
    expect(lines[5]).not.toHaveProperty('claimed');
  });

  it('childLog binds fields; the call can add more', () => {
    const out = capture();
    childLog({ orderNo: 'N7' })('warn', 'late', { reason: 'x' });
    expect(out.parsed()[0]).toMatchObject({ level: 'warn', msg: 'late', orderNo: 'N7', reason: 'x' });
  });

  it('request ids: a short token from the header is kept, anything else is replaced by a UUID', () => {
    expect(requestIdFrom('abc-123_X.y:z')).toBe('abc-123_X.y:z');
    const uuid = /^[0-9a-f-]{36}$/;
    expect(requestIdFrom(null)).toMatch(uuid);
    expect(requestIdFrom('')).toMatch(uuid);
    expect(requestIdFrom('has spaces and "quotes"')).toMatch(uuid);
    expect(requestIdFrom('x'.repeat(200))).toMatch(uuid);
  });
});

describe('aggregatedLog', () => {
  it('writes the first occurrence of each key at once and the repeats as one counted line when the window ends', () => {
    const out = capture();
    const refused = aggregatedLog('warn', 'refused', 60_000);
    for (let i = 0; i < 500; i++) refused({ address: '198.51.100.7', reason: 'bad_signature' });
    refused({ address: '203.0.113.1', reason: 'bad_signature' });
    expect(out.parsed().map((l) => [l.msg, l.address, l.repeats])).toEqual([
      ['refused', '198.51.100.7', undefined],
      ['refused', '203.0.113.1', undefined],
    ]);
    refused.flush();
    expect(out.parsed().slice(2)).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'refused', address: '198.51.100.7', repeats: 499, windowSeconds: 60 }),
    ]);
    // A new window starts from nothing.
    refused({ address: '198.51.100.7', reason: 'bad_signature' });
    expect(out.lines).toHaveLength(4);
    refused.flush();
    expect(out.lines).toHaveLength(4);
  });

  it('past 1,000 distinct keys in a window, the rest are only counted', () => {
    const out = capture();
    const refused = aggregatedLog('warn', 'refused');
    for (let i = 0; i < 1500; i++) refused({ address: `2001:db8:${i.toString(16)}::/64` });
    expect(out.lines).toHaveLength(1000);
    refused.flush();
    expect(out.parsed().at(-1)).toMatchObject({ msg: 'refused', overflow: 500 });
    expect(out.lines).toHaveLength(1001);
  });
});

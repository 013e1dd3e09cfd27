import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '@/lib/config';
import { guardedFetch, postOutbound, validateOutboundUrl } from '@/lib/outbound';
import { startRecorder } from '@/test/http-recorder';
import { stubProduction } from '@/test/production';

// A name whose DNS answer is a loopback address: what a rebinding attacker serves after the check.
vi.mock('node:dns', async (importOriginal) => {
  const real = (await importOriginal()) as typeof import('node:dns') & { default: typeof import('node:dns') };
  const lookup = (host: string, options: object, callback: (...args: unknown[]) => void) =>
    host === 'rebind.example'
      ? callback(null, [{ address: '127.0.0.1', family: 4 }])
      : host === 'ten.example'
        ? callback(null, [{ address: '10.0.0.1', family: 4 }])
        : host === 'mapped.example'
          ? callback(null, [{ address: '::ffff:7f00:1', family: 6 }])
          : real.default.lookup(host, options as never, callback as never);
  return { ...real, default: { ...real.default, lookup } };
});

let recorder: Awaited<ReturnType<typeof startRecorder>>;
beforeAll(async () => {
  recorder = await startRecorder(() => ({ body: '{"ok":true}' }));
});
afterAll(async () => recorder.close());

const port = () => new URL(recorder.url).port;

describe('outbound calls to merchant-given URLs', () => {
  it('outside production, a local endpoint is reached through the checked resolver', async () => {
    const res = await postOutbound(`http://rebind.example:${port()}/hook`, '{}', { 'Content-Type': 'application/json' });
    expect(res).toEqual({ status: 200, body: '{"ok":true}' });
    expect(recorder.requests.at(-1)!.path).toBe('/hook');
  });

  it('in production, a name that resolves to a private address is refused when connecting, for posts and for gateway queries', async () => {
    stubProduction();
    const before = recorder.requests.length;
    try {
      await expect(postOutbound(`https://rebind.example:${port()}/hook`, '{}', {})).rejects.toThrow('the host resolves to a private address');
      await expect(guardedFetch(`https://rebind.example:${port()}/api.php?act=order&key=secret`)).rejects.toThrow('the host resolves to a private address');
      await expect(postOutbound(`https://127.0.0.1:${port()}/hook`, '{}', {})).rejects.toThrow('not allowed (private_address)');
    } finally {
      vi.unstubAllEnvs();
      resetConfig();
    }
    expect(recorder.requests.length).toBe(before); // nothing reached the local server
  });

  it('a slow answer times out, a large one is cut off, and errors never carry the URL', async () => {
    recorder.setReply(() => ({ delayMs: 500, body: '{}' }));
    const slow = await postOutbound(`${recorder.url}/slow?token=abc`, '{}', {}, { timeoutMs: 100 }).catch((e: Error) => e);
    expect(String(slow)).toBe('OutboundError: timed out');
    recorder.setReply(() => ({ body: 'x'.repeat(5000) }));
    const big = await postOutbound(`${recorder.url}/big`, '{}', {}, { maxResponseBytes: 1000 }).catch((e: Error) => e);
    expect(String(big)).toBe('OutboundError: the answer is too large');
    recorder.setReply(() => ({ status: 503 }));
    const down = await postOutbound(`${recorder.url}/down?token=abc`, '{}', {}).catch((e: Error) => e);
    expect(String(down)).toBe('OutboundError: answered HTTP 503');
  });

  it('in production, every spelling of a private address is refused when saved, and public IPv4 and IPv6 addresses are allowed', () => {
    stubProduction();
    try {
      for (const url of [
        'https://[::ffff:7f00:1]/hook',
        'https://[::ffff:127.0.0.1]/hook',
        'https://[::127.0.0.1]/hook',
        'https://[64:ff9b::a00:1]/hook',
        'https://[fec0::1]/hook',
        'https://169.254.169.254/latest/meta-data',
        'https://2130706433/hook', // decimal 127.0.0.1
        'https://0177.0.0.1/hook', // octal
        'https://0x7f.1/hook', // hex, short form
        'https://10.1/hook',
        'https://192.0.2.1/hook', // TEST-NET-1
        'https://localhost/hook',
        'https://printer.local/hook',
      ]) {
        expect(validateOutboundUrl(url), url).toEqual({ ok: false, reason: 'private_address' });
      }
      for (const url of ['https://8.8.8.8/hook', 'https://[2606:4700:4700::1111]/hook', 'https://[::ffff:8.8.8.8]/hook', 'https://hooks.example.com/x']) {
        expect(validateOutboundUrl(url).ok, url).toBe(true);
      }
    } finally {
      vi.unstubAllEnvs();
      resetConfig();
    }
  });

  it('in production, names that resolve to 10.0.0.1 or a mapped loopback are refused when connecting', async () => {
    stubProduction();
    try {
      await expect(postOutbound('https://ten.example/hook', '{}', {})).rejects.toThrow('the host resolves to a private address');
      await expect(postOutbound('https://mapped.example/hook', '{}', {})).rejects.toThrow('the host resolves to a private address');
    } finally {
      vi.unstubAllEnvs();
      resetConfig();
    }
  });
});

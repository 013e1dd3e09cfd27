// The client's address cannot be chosen by the client: X-Forwarded-For is believed only from
// a trusted proxy, and the peer is the socket's own address, recorded by the server itself.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, getConfig, resetConfig } from '@/lib/config';
import { addressKey } from '@/lib/risk';
import { clientIpFrom, PEER_HEADER } from './http';

function withEnv(env: Record<string, string>) {
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  resetConfig();
}
afterEach(() => {
  vi.unstubAllEnvs();
  resetConfig();
});
const h = (headers: Record<string, string>) => new Headers(headers);

describe('the client address', () => {
  it('without trusted proxies it is the socket peer; a client-sent X-Forwarded-For changes nothing', () => {
    withEnv({ TRUSTED_PROXIES: '' });
    expect(clientIpFrom(h({ [PEER_HEADER]: '203.0.113.5', 'x-forwarded-for': '1.2.3.4' }))).toBe('203.0.113.5');
    expect(clientIpFrom(h({ [PEER_HEADER]: '::ffff:203.0.113.5' }))).toBe('203.0.113.5');
    // No peer recorded (a server started without the start script): one bucket, never the header.
    expect(clientIpFrom(h({ 'x-forwarded-for': '1.2.3.4', 'x-real-ip': '5.6.7.8' }))).toBe('unknown');
  });

  it('behind trusted proxies it is the rightmost X-Forwarded-For entry that is not a proxy', () => {
    withEnv({ TRUSTED_PROXIES: '127.0.0.1/32, ::1/128, 10.0.0.0/8' });
    // nginx on this host appended the buyer's address to what the buyer sent.
    expect(clientIpFrom(h({ [PEER_HEADER]: '127.0.0.1', 'x-forwarded-for': '1.2.3.4, 198.51.100.20' }))).toBe('198.51.100.20');
    // A CDN, then a load balancer inside 10/8, then nginx: still the buyer.
    expect(clientIpFrom(h({ [PEER_HEADER]: '::1', 'x-forwarded-for': '6.6.6.6, 198.51.100.21, 10.1.2.3' }))).toBe('198.51.100.21');
    // A peer that is not a proxy is the client, whatever it sends.
    expect(clientIpFrom(h({ [PEER_HEADER]: '198.51.100.22', 'x-forwarded-for': '1.2.3.4' }))).toBe('198.51.100.22');
    // A proxy that sent no header: the proxy itself.
    expect(clientIpFrom(h({ [PEER_HEADER]: '127.0.0.1' }))).toBe('127.0.0.1');
    // Garbage entries are skipped, not believed.
    expect(clientIpFrom(h({ [PEER_HEADER]: '127.0.0.1', 'x-forwarded-for': '198.51.100.23, not-an-ip' }))).toBe('198.51.100.23');
  });

  it('on Vercel it is the address the platform writes', () => {
    withEnv({ TRUSTED_PROXIES: 'vercel' });
    expect(clientIpFrom(h({ 'x-vercel-forwarded-for': '198.51.100.30', 'x-forwarded-for': '198.51.100.31' }))).toBe('198.51.100.30');
    expect(clientIpFrom(h({ 'x-forwarded-for': '198.51.100.31' }))).toBe('198.51.100.31');
    withEnv({ TRUSTED_PROXIES: '', VERCEL: '1' });
    expect(getConfig().trustedProxies.vercel).toBe(true);
  });

  it('a TRUSTED_PROXIES entry that is not an address or a range stops the start with its name', () => {
    withEnv({ TRUSTED_PROXIES: '127.0.0.1, nginx.local' });
    expect(() => getConfig()).toThrow(ConfigError);
    expect(() => getConfig()).toThrow('"nginx.local"');
  });

  it('limits count IPv4 addresses one by one and IPv6 by /64', () => {
    expect(addressKey('198.51.100.7')).toBe('198.51.100.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(addressKey('2001:db8:1:2::9'));
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
  });

  it("the server records the socket's address over any client-sent value (scripts/peer-address.mjs)", async () => {
    // @ts-expect-error: a plain ES module without types
    await import('@/scripts/peer-address.mjs');
    const server = http.createServer((req, res) => res.end(String(req.headers[PEER_HEADER])));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const seen = await new Promise<string>((resolve, reject) =>
      http
        .get({ host: '127.0.0.1', port, path: '/', headers: { [PEER_HEADER]: '6.6.6.6' } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c));
          res.on('end', () => resolve(body));
        })
        .on('error', reject),
    );
    server.close();
    expect(seen).toBe('127.0.0.1');
  });
});

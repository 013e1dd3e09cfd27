import { NextRequest } from 'next/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '@/lib/config';
import { proxy } from '@/proxy';
import { stubProduction } from '@/test/production';
import { contentSecurityPolicy } from './security-headers';

const directive = (policy: string, name: string) => policy.split('; ').find((d) => d.startsWith(`${name} `) || d === name);

describe('security headers on pages (proxy.ts)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetConfig();
  });

  it('every page gets a policy with its own nonce, handed to Next on the request, and no framing', async () => {
    const a = await proxy(new NextRequest('http://shop.test/p/steam-50'));
    const b = await proxy(new NextRequest('http://shop.test/p/steam-50'));
    const policy = a.headers.get('content-security-policy')!;
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)![1]!;
    expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
    expect(b.headers.get('content-security-policy')).not.toContain(nonce);
    expect(directive(policy, 'script-src')).toBe(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(directive(policy, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive(policy, 'form-action')).toBe("form-action 'self'");
    expect(directive(policy, 'object-src')).toBe("object-src 'none'");
    expect(directive(policy, 'base-uri')).toBe("base-uri 'self'");
    // Next reads the nonce from the request's copy (the override header of NextResponse.next).
    expect(a.headers.get('x-middleware-request-content-security-policy')).toBe(policy);
    // Served over http (APP_URL http://shop.test in tests): no HSTS, no upgrade.
    expect(a.headers.get('strict-transport-security')).toBeNull();
    expect(directive(policy, 'upgrade-insecure-requests')).toBeUndefined();
  });

  it('over https the shop pins browsers to https (HSTS, one year, this host) and upgrades stray http loads', async () => {
    stubProduction();
    const res = await proxy(new NextRequest('https://shop.test/'));
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect(directive(res.headers.get('content-security-policy')!, 'upgrade-insecure-requests')).toBe('upgrade-insecure-requests');
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-eval');
  });

  // (The console's redirect reads the session through next/headers, so it is tested in a real server: e2e/http.spec.ts.)
  it('an order link carries the policy too', async () => {
    const link = await proxy(new NextRequest('http://shop.test/order/2026010112000012345678?token=abc'));
    // Rewritten to the route that checks the token before it keeps it.
    expect(new URL(link.headers.get('x-middleware-rewrite')!).pathname).toBe('/order/2026010112000012345678/open');
    expect(link.headers.get('set-cookie')).toBeNull();
    expect(link.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('development allows eval for Next’s dev tools; a form target is added only where given', () => {
    const dev = contentSecurityPolicy({ nonce: 'n', development: true, https: false, formTargets: ['https://openapi.alipay.com'] });
    expect(directive(dev, 'script-src')).toBe("script-src 'self' 'nonce-n' 'strict-dynamic' 'unsafe-eval'");
    expect(directive(dev, 'form-action')).toBe("form-action 'self' https://openapi.alipay.com");
  });
});

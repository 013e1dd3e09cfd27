import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

// Debian's Chromium where it is installed (this project's CI); Playwright's own otherwise.
const systemChromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const executablePath = existsSync(systemChromium) ? systemChromium : undefined;
const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    // A Chinese-speaking buyer by default; the language test switches.
    locale: 'zh-CN',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 } }, testIgnore: /phone\.spec\.ts/ },
    { name: 'phone', use: { ...devices['Pixel 7'], viewport: { width: 360, height: 780 } }, testMatch: /phone\.spec\.ts/ },
  ],
  webServer: {
    // The production build, started the way `npm run dev` starts the shop (embedded
    // PostgreSQL, demo data) on its own data directory, fresh each run. A production server
    // has no dev-time recompiles or Fast Refresh reloads to race the tests.
    command: `npm run build && rm -rf .data/e2e && npm run start:local`,
    // 127.0.0.1 is trusted as a proxy: each test is its own buyer address (e2e/fixtures.ts `test`).
    // The payment-provider simulators (test/simulators) serve HTTPS with the tests' own CA,
    // on 127.0.0.1, which a production server calls only when OUTBOUND_ALLOW_PRIVATE says so.
    env: {
      NODE_EXTRA_CA_CERTS: 'test/certs/ca.pem',
      OUTBOUND_ALLOW_PRIVATE: 'true',
      DATA_DIR: '.data/e2e',
      PORT: String(port),
      PG_PORT: '0',
      NEXT_TELEMETRY_DISABLED: '1',
      DEMO_CHANNEL_ENABLED: 'true',
      TRUSTED_PROXIES: '127.0.0.1',
    },
    url: `http://localhost:${port}/api/health`,
    timeout: 300_000,
    reuseExistingServer: !process.env.CI,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});

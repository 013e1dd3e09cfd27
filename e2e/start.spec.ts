// The production server refuses to start without its secrets, and says why: it exits (so a
// process manager or a health check sees it) instead of listening and failing every request.
import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';

test('npm start without its secrets exits with the reason instead of listening', async () => {
  test.setTimeout(60_000);
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    PORT: '3197',
    HOSTNAME: '127.0.0.1',
    WEB_CONCURRENCY: '2',
    APP_URL: 'https://shop.example.com',
    DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
  } as NodeJS.ProcessEnv;
  const child = spawn(process.execPath, ['scripts/start.mjs'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += String(d)));
  child.stderr.on('data', (d: Buffer) => (output += String(d)));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, 45_000);
    child.on('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  expect(code, output).toBe(1);
  expect(output).toContain('OpenFaka cannot start: Refusing to start in production without AUTH_SECRET, KEY_ENCRYPTION_KEY, CRON_SECRET');
  expect(output).toContain('it cannot start: giving up');
  // Nothing is left listening.
  await expect(fetch('http://127.0.0.1:3197/api/health/live')).rejects.toThrow();
});

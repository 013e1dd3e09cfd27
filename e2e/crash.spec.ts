// The crash test (issue 5), on the production build the e2e web server has just made:
// scripts/crash-test.ts starts its own standalone server on its own database, kills it with
// SIGKILL while 200 orders are being paid, restarts it, re-sends the unanswered
// notifications, runs the worker and checks every order delivered and e-mailed exactly once.
import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';

test('SIGKILL while 200 orders are paid: after restart and the worker, each order is delivered and e-mailed exactly once', async () => {
  test.setTimeout(300_000);
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=react-server', 'scripts/crash-test.ts'], {
    env: { ...process.env, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const last = out.trim().split('\n').pop() ?? '{}';
  const figures = JSON.parse(last.startsWith('{') ? last : '{}') as Record<string, unknown>;
  // The figures go into the test output (and the note).
  console.log(`crash test figures: ${last}`);
  expect(code, `crash test failed:\n${err.slice(-4000)}`).toBe(0);
  expect(figures).toMatchObject({
    ok: true,
    orders: 200,
    delivered: 200,
    payments: 200,
    keysSold: 200,
    emails: 200,
    distinctMessageIds: 200,
    ordersEmailed: 200,
  });
  expect(Number(figures.inFlightAtKill)).toBeGreaterThan(0);
});

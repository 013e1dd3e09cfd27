// The crash test (issue 5), on the production build the e2e web server has just made:
// scripts/crash-test.ts starts its own standalone server on its own database, kills it with
// SIGKILL while 200 orders are being paid, restarts it, re-sends the unanswered
// notifications, runs the worker and checks every order delivered and e-mailed exactly once.
import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';

test('no worker: each paid order e-mailed by the server itself; SIGKILL while 200 more are paid: after restart and the worker, each delivered once and e-mailed with one Message-ID', async () => {
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
  // 20 orders paid with no worker running (their e-mails sent after the response), then 200
  // paid while the server is killed.
  expect(figures).toMatchObject({
    ok: true,
    orders: 200,
    soloEmailed: 20,
    delivered: 220,
    payments: 220,
    keysSold: 220,
    distinctMessageIds: 220,
    ordersEmailed: 220,
  });
  expect(Number(figures.inFlightAtKill)).toBeGreaterThan(0);
  // Only a row the dead server held can be sent twice, and then with the same Message-ID.
  expect(Number(figures.resentSameMessageId)).toBeLessThanOrEqual(Number(figures.rowsHeldByDeadServer));
});

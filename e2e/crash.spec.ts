// The crash test (issues 5 and 16), on the production build the e2e web server has just made:
// scripts/crash-test.ts starts its own standalone server on its own database, pays 20 orders
// with no worker (the server e-mails them itself), kills it with SIGKILL while 200 more are
// being paid, restarts it, re-sends the unanswered notifications, runs the worker and checks
// every order delivered once and e-mailed with one Message-ID.
import { expect, test } from '@playwright/test';
import { runScenario } from './scenario';

test('no worker: each paid order e-mailed by the server itself; SIGKILL while 200 more are paid: after restart and the worker, each delivered once and e-mailed with one Message-ID', async () => {
  test.setTimeout(300_000);
  const { code, figures, err, last } = await runScenario('scripts/crash-test.ts');
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

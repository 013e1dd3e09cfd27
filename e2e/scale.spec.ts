// Two app processes on one database (issue 15), on the production build the e2e web server
// has just made: scripts/scale-test.ts starts two standalone servers on their own database,
// runs a flash sale across both and sends every payment notification three times across
// both, and checks that nothing is oversold, paid, delivered or e-mailed twice.
import { expect, test } from '@playwright/test';
import { runScenario } from './scenario';

test('two server processes on one database: a flash sale and a notification storm across both, nothing oversold or doubled', async () => {
  test.setTimeout(300_000);
  const { code, figures, err, last } = await runScenario('scripts/scale-test.ts');
  console.log(`scale test figures: ${last}`);
  expect(code, `scale test failed:\n${err.slice(-4000)}`).toBe(0);
  expect(figures).toMatchObject({
    ok: true,
    ordersCreated: 200,
    outOfStock: 1800,
    otherAnswers: 0,
    orders: 200,
    payments: 200,
    paidTwice: 0,
    delivered: 200,
    keysSold: 200,
    notificationSuccesses: 600,
    emails: 200,
    ordersEmailed: 200,
  });
});

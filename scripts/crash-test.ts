// The crash test (issues 5 and 16). First, with no worker and no cron running, 20 orders are
// paid one by one: the server sends each delivery e-mail right after answering the
// notification (after()), and the time from the notification to the SMTP server's acceptance
// is measured. Then the production server is killed with SIGKILL while 200 orders are being
// paid (and their e-mails sent); after a restart the provider's retries and the worker must
// leave every paid order delivered exactly once, every order e-mailed, with one Message-ID
// per order. A row the dead server had claimed comes back to the worker when its lease ends:
// an e-mail the SMTP server had accepted in the instant before the kill (before the row was
// marked done) is sent again with the same Message-ID, so mail systems show it once; such
// re-sends are counted, and only rows the dead server held may cause them.
//
//   npm run build && node --import tsx --conditions=react-server scripts/crash-test.ts
//
// Runs against the standalone build (scripts/start.mjs) on its own database and SMTP server
// (test/standalone-shop.ts). Prints the figures as JSON on the last line; exits 1 if any
// invariant fails. e2e/crash.spec.ts runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { finishScenario, startStandaloneShop, type Created } from '../test/standalone-shop';

const ORDERS = Number(process.env.CRASH_ORDERS ?? 200);
/** Orders paid one by one before the crash, with no worker: the after-response e-mail. */
const SOLO = Number(process.env.CRASH_SOLO_ORDERS ?? 20);
/** Kill the server once this many notifications have had their reply. */
const KILL_AFTER_REPLIES = Number(process.env.CRASH_KILL_AFTER ?? Math.floor(ORDERS / 4));
const t0 = Date.now();
const say = (line: string) => process.stderr.write(`[crash ${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);

const shop = await startStandaloneShop({ name: 'crash', keys: ORDERS + SOLO });
const { root, sql } = shop;
const mails = shop.smtp.received;
let server: ChildProcess | undefined;
let worker: ChildProcess | undefined;
const failures: string[] = [];
const figures: Record<string, number | string> = { orders: ORDERS };
try {
  const first = await shop.startServer();
  server = first.child;
  // The restarted server listens on the same port: the provider's retries go to the same URL.
  const { base, port } = first;
  say(`server up on ${base}`);

  // ── 1. ORDERS orders through the storefront API (distinct buyer addresses: the per-address limit) ──
  const created: Created[] = [];
  const solo: Created[] = [];
  const createOne = async (i: number, into = created) => {
    const res = await shop.order(base, i);
    if (res.status !== 201) throw new Error(`order ${i}: ${res.status} ${JSON.stringify(res.body)}`);
    into.push(res.body);
  };
  for (let i = 0; i < SOLO; i++) await createOne(ORDERS + i, solo);
  for (let i = 0; i < ORDERS; i += 20) await Promise.all(Array.from({ length: Math.min(20, ORDERS - i) }, (_, j) => createOne(i + j)));
  say(`${created.length} orders created`);

  const notify = (o: Created) => shop.notify(base, o);

  // ── 2. No worker, no cron: SOLO orders paid one at a time; each e-mail must arrive by itself ──
  const latencies: number[] = [];
  for (const o of solo) {
    const sent = performance.now();
    const r = await notify(o);
    if (r.status !== 200 || r.body !== 'success') failures.push(`solo notification ${o.orderNo}: ${r.status} ${r.body}`);
    const until = Date.now() + 30_000;
    let mail: (typeof mails)[number] | undefined;
    while (!(mail = mails.find((m) => m.orderNo === o.orderNo)) && Date.now() < until) await new Promise((res) => setTimeout(res, 5));
    if (mail) latencies.push(mail.at - sent);
    else failures.push(`no e-mail for ${o.orderNo} within 30 s with no worker running`);
    await new Promise((res) => setTimeout(res, 50));
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN);
  figures.soloEmailed = latencies.length;
  figures.soloMsP50 = pct(50);
  figures.soloMsP99 = pct(99);
  figures.soloMsMax = Math.round(latencies.at(-1) ?? NaN);
  say(`no worker: ${latencies.length}/${SOLO} e-mails accepted by SMTP, notification → accepted p50 ${figures.soloMsP50} ms, max ${figures.soloMsMax} ms`);

  // ── 3. All payment notifications at once; SIGKILL the server after KILL_AFTER_REPLIES replies ──
  const mailsBeforeCrash = mails.length;
  const replied = new Set<string>();
  let killedAt = -1;
  let inFlightAtKill = 0;
  const firstRound = created.map((o) =>
    notify(o).then(
      (r) => {
        if (r.status === 200 && r.body === 'success') replied.add(o.orderNo);
        if (replied.size >= KILL_AFTER_REPLIES && killedAt < 0) {
          killedAt = replied.size;
          inFlightAtKill = ORDERS - replied.size;
          server!.kill('SIGKILL');
        }
      },
      () => undefined, // connection reset by the kill: no reply, the provider will retry
    ),
  );
  await Promise.all(firstRound);
  await shop.exited(server);
  const [afterKill] = await sql<{ paid: string; payments: string; delivered: string; held: string }[]>`
    SELECT (SELECT count(*) FROM payments) AS payments,
           (SELECT count(*) FROM orders WHERE paid_at IS NOT NULL) AS paid,
           (SELECT count(*) FROM orders WHERE status = 'delivered') AS delivered,
           -- Rows the dead server had claimed and not finished: they wait for their lease to end.
           (SELECT count(*) FROM outbox WHERE status = 'pending' AND leased_until > now()) AS held`;
  const heldAtKill = Number(afterKill!.held);
  figures.rowsHeldByDeadServer = heldAtKill;
  figures.emailsSentBeforeKill = mails.length - mailsBeforeCrash;
  figures.notificationsSent = ORDERS;
  figures.inFlightAtKill = inFlightAtKill;
  figures.repliedBeforeKill = replied.size;
  figures.paymentsCommittedAtKill = Number(afterKill!.payments);
  figures.deliveredAtKill = Number(afterKill!.delivered);
  say(`killed the server after ${killedAt} replies; ${replied.size} replied, ${afterKill!.payments} payments committed`);
  if (killedAt < 0) failures.push('the server was never killed (every notification answered first)');

  // ── 4. Restart; the provider retries every notification that got no reply (until it does) ──
  server = (await shop.startServer({}, port)).child;
  const unanswered = created.filter((o) => !replied.has(o.orderNo));
  figures.retried = unanswered.length;
  let retryRounds = 0;
  let pending = unanswered;
  while (pending.length > 0 && retryRounds < 5) {
    retryRounds++;
    const results = await Promise.all(pending.map(async (o) => ({ o, r: await notify(o).catch(() => ({ status: 0, body: '' })) })));
    pending = results.filter(({ r }) => !(r.status === 200 && r.body === 'success')).map(({ o }) => o);
  }
  figures.retryRounds = retryRounds;
  if (pending.length > 0) failures.push(`${pending.length} notifications never got "success" after ${retryRounds} retries`);
  // Providers also re-send notifications that were answered (a lost reply): replay 20 of them.
  const replays = created.filter((o) => replied.has(o.orderNo)).slice(0, 20);
  const replayResults = await Promise.all(replays.map(notify));
  figures.replayedAnswered = replays.length;
  if (!replayResults.every((r) => r.status === 200 && r.body === 'success')) failures.push('a replayed notification did not get "success"');

  // ── 5. The worker drains what is left (rows the dead server held come back after their lease); then SIGTERM ──
  // First let the restarted server's own after-response drains settle (the count stops falling).
  let left = -1;
  for (let settle = Date.now() + 15_000; Date.now() < settle;) {
    await new Promise((res) => setTimeout(res, 1000));
    const [r] = await sql<{ n: string }[]>`SELECT count(*) AS n FROM outbox WHERE status <> 'done'`;
    if (Number(r!.n) === left) break;
    left = Number(r!.n);
  }
  figures.rowsLeftForWorker = left;
  worker = spawn(process.execPath, ['--import', 'tsx', '--conditions=react-server', path.join(root, 'scripts/worker.ts')], {
    cwd: root,
    env: shop.envFor(port),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let workerErr = '';
  worker.stderr?.on('data', (c: Buffer) => (workerErr += c.toString()));
  // Rows the dead server held come back when their lease (120 s) ends.
  const drainUntil = Date.now() + 200_000;
  for (;;) {
    const [r] = await sql<{ n: string }[]>`SELECT count(*) AS n FROM outbox WHERE status <> 'done'`;
    if (Number(r!.n) === 0) break;
    if (Date.now() > drainUntil) {
      failures.push(`outbox not drained in 200 s (${r!.n} rows left); worker said: ${workerErr.slice(-2000)}`);
      break;
    }
    await new Promise((res) => setTimeout(res, 250));
  }
  const w = worker;
  w.kill('SIGTERM');
  const workerCode = await new Promise<number | null>((resolve) => (w.exitCode !== null ? resolve(w.exitCode) : w.once('exit', (c) => resolve(c))));
  figures.workerExitCode = String(workerCode);
  if (workerCode !== 0) failures.push(`worker exited ${workerCode} on SIGTERM`);

  // ── 6. The invariants ──
  const [state] = await sql<
    {
      delivered: string;
      other: string;
      payments: string;
      orders_with_one_payment: string;
      sold: string;
      keyed_orders: string;
      keys_held: string;
      outbox_delivery: string;
      outbox_done: string;
    }[]
  >`
    SELECT (SELECT count(*) FROM orders WHERE status = 'delivered') AS delivered,
           (SELECT count(*) FROM orders WHERE status <> 'delivered') AS other,
           (SELECT count(*) FROM payments) AS payments,
           (SELECT count(*) FROM (SELECT order_id FROM payments GROUP BY order_id HAVING count(*) = 1) x) AS orders_with_one_payment,
           (SELECT count(*) FROM card_keys WHERE status = 'sold') AS sold,
           (SELECT count(DISTINCT order_id) FROM card_keys WHERE status = 'sold') AS keyed_orders,
           (SELECT count(*) FROM card_keys WHERE order_id IS NOT NULL) AS keys_held,
           (SELECT count(*) FROM outbox WHERE consumer = 'mail.delivery') AS outbox_delivery,
           (SELECT count(*) FROM outbox WHERE consumer = 'mail.delivery' AND status = 'done') AS outbox_done`;
  const n = (k: keyof NonNullable<typeof state>) => Number(state![k]);
  figures.delivered = n('delivered');
  figures.payments = n('payments');
  figures.keysSold = n('sold');
  const all = [...solo, ...created];
  const total = all.length;
  figures.emails = mails.length;
  figures.distinctMessageIds = new Set(mails.map((m) => m.messageId)).size;
  const perOrder = new Map<string, Set<string>>();
  for (const m of mails) if (m.orderNo) perOrder.set(m.orderNo, (perOrder.get(m.orderNo) ?? new Set()).add(m.messageId));
  figures.ordersEmailed = perOrder.size;
  figures.resentSameMessageId = mails.length - figures.distinctMessageIds;
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  check(n('delivered') === total && n('other') === 0, `delivered ${n('delivered')} of ${total}, ${n('other')} in another state`);
  check(
    n('payments') === total && n('orders_with_one_payment') === total,
    `payments ${n('payments')}, orders with exactly one payment ${n('orders_with_one_payment')}`,
  );
  check(
    n('sold') === total && n('keyed_orders') === total && n('keys_held') === total,
    `keys sold ${n('sold')}, orders holding keys ${n('keyed_orders')}, keys held ${n('keys_held')}`,
  );
  check(n('outbox_delivery') === total && n('outbox_done') === total, `delivery outbox rows ${n('outbox_delivery')}, done ${n('outbox_done')}`);
  check(figures.distinctMessageIds === total, `${figures.distinctMessageIds} distinct Message-IDs for ${total} orders`);
  check(
    all.every((o) => perOrder.get(o.orderNo)?.size === 1),
    'an order did not get exactly one message (one Message-ID)',
  );
  // A message sent twice can only be one the dead server had claimed (sent, then killed
  // before it could mark the row done); any other repeat is a double send.
  check(figures.resentSameMessageId <= heldAtKill, `${figures.resentSameMessageId} messages sent twice, more than the ${heldAtKill} rows the dead server held`);
  check(mails.length - mailsBeforeCrash >= ORDERS, `${mails.length - mailsBeforeCrash} e-mails for ${ORDERS} orders paid in the crash`);
} catch (err) {
  failures.push(err instanceof Error ? err.message : String(err));
} finally {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await shop.close();
}

finishScenario(t0, failures, figures, say, 'every paid order delivered exactly once; every order e-mailed with one Message-ID');

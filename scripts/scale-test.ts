// Two app processes on one database (issue 15): two production servers (`npm start`, one
// process each) on two ports, one PostgreSQL, no worker. A flash sale of BUYERS buyers for KEYS
// keys is sent to both servers alternately, then every order's payment notification is sent
// three times at once, twice to one server and once to the other. Nothing may be oversold,
// paid twice, delivered twice or e-mailed twice: each process's own caches (the shop, the
// channel, the sold-out hint) and its after-response e-mail drains must agree with the other's.
//
//   npm run build && node --import tsx --conditions=react-server scripts/scale-test.ts
//
// Prints the figures as JSON on the last line; exits 1 if any invariant fails.
// e2e/scale.spec.ts runs it.
import { finishScenario, startStandaloneShop, type Created } from '../test/standalone-shop';

const BUYERS = Number(process.env.SCALE_BUYERS ?? 2000);
const KEYS = Number(process.env.SCALE_KEYS ?? 200);
const AT_ONCE = Number(process.env.SCALE_CONCURRENCY ?? 100);
const t0 = Date.now();
const say = (line: string) => process.stderr.write(`[scale ${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);

/** Runs `n` tasks, `atOnce` at a time. */
async function pool<T>(n: number, atOnce: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(atOnce, n) }, async () => {
      while (next < n) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

const shop = await startStandaloneShop({ name: 'scale', keys: KEYS });
const failures: string[] = [];
const figures: Record<string, number | string> = { buyers: BUYERS, keys: KEYS };
try {
  // WEB_CONCURRENCY=1: two separate instances, as two hosts behind a balancer would be.
  const [a, b] = [await shop.startServer({ WEB_CONCURRENCY: '1' }), await shop.startServer({ WEB_CONCURRENCY: '1' })];
  const servers = [a!, b!];
  say(`two servers up: ${servers.map((s) => s.base).join(', ')}`);

  // ── 1. The flash sale, alternating between the two processes ──
  const answers = await pool(BUYERS, AT_ONCE, (i) =>
    shop.order(servers[i % 2]!.base, i).catch((e: unknown) => ({ status: 0, body: { error: { code: String(e) } } as never })),
  );
  const created = answers.filter((r) => r.status === 201).map((r) => r.body as Created);
  const soldOut = answers.filter((r) => r.status === 409 && (r.body as { error?: { code: string } }).error?.code === 'out_of_stock').length;
  figures.ordersCreated = created.length;
  figures.outOfStock = soldOut;
  figures.otherAnswers = answers.length - created.length - soldOut;
  figures.byServer = servers.map((_, k) => answers.filter((r, i) => i % 2 === k && r.status === 201).length).join('/');
  say(`flash sale: ${created.length} orders, ${soldOut} out_of_stock, ${figures.otherAnswers} other (orders per server ${figures.byServer})`);
  if (created.length !== KEYS || soldOut !== BUYERS - KEYS)
    failures.push(`flash sale: ${created.length} orders and ${soldOut} out_of_stock for ${KEYS} keys and ${BUYERS} buyers`);

  // ── 2. The notification storm: each order's notification 3× at once, across both processes ──
  const replies = await pool(created.length * 3, AT_ONCE, (i) => shop.notify(servers[i % 3 === 2 ? 1 : 0]!.base, created[Math.floor(i / 3)]!));
  const successes = replies.filter((r) => r.status === 200 && r.body === 'success').length;
  figures.notifications = replies.length;
  figures.notificationSuccesses = successes;
  if (successes !== replies.length) failures.push(`${replies.length - successes} notifications not answered "success"`);

  // No worker: the e-mails leave from the two servers' after-response drains. Wait for them.
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const [r] = await shop.sql<{ n: string }[]>`SELECT count(*) AS n FROM outbox WHERE status <> 'done'`;
    if (Number(r!.n) === 0) break;
    await new Promise((res) => setTimeout(res, 250));
  }

  // ── 3. The invariants ──
  const [s] = await shop.sql<
    { orders: string; delivered: string; payments: string; doubled: string; sold: string; keyed: string; reserved_or_sold: string; outbox_left: string }[]
  >`
    SELECT (SELECT count(*) FROM orders) AS orders,
           (SELECT count(*) FROM orders WHERE status = 'delivered') AS delivered,
           (SELECT count(*) FROM payments) AS payments,
           (SELECT count(*) FROM (SELECT order_id FROM payments GROUP BY order_id HAVING count(*) > 1) d) AS doubled,
           (SELECT count(*) FROM card_keys WHERE status = 'sold') AS sold,
           (SELECT count(DISTINCT order_id) FROM card_keys WHERE status = 'sold') AS keyed,
           (SELECT count(*) FROM card_keys WHERE order_id IS NOT NULL) AS reserved_or_sold,
           (SELECT count(*) FROM outbox WHERE status <> 'done') AS outbox_left`;
  const n = (k: keyof NonNullable<typeof s>) => Number(s![k]);
  Object.assign(figures, { orders: n('orders'), delivered: n('delivered'), payments: n('payments'), paidTwice: n('doubled'), keysSold: n('sold') });
  const perOrder = new Map<string, number>();
  for (const m of shop.smtp.received) if (m.orderNo) perOrder.set(m.orderNo, (perOrder.get(m.orderNo) ?? 0) + 1);
  figures.emails = shop.smtp.received.length;
  figures.ordersEmailed = perOrder.size;
  const check = (ok: boolean, what: string) => void (ok || failures.push(what));
  check(n('orders') === KEYS && n('reserved_or_sold') === KEYS, `oversold: ${n('orders')} orders, ${n('reserved_or_sold')} keys held, ${KEYS} keys`);
  check(n('payments') === KEYS && n('doubled') === 0, `payments ${n('payments')}, orders paid twice ${n('doubled')}`);
  check(
    n('delivered') === KEYS && n('sold') === KEYS && n('keyed') === KEYS,
    `delivered ${n('delivered')}, keys sold ${n('sold')}, orders with keys ${n('keyed')}`,
  );
  check(n('outbox_left') === 0, `${n('outbox_left')} outbox rows not done with no worker running`);
  check(
    shop.smtp.received.length === KEYS && perOrder.size === KEYS && [...perOrder.values()].every((c) => c === 1),
    `${shop.smtp.received.length} e-mails for ${perOrder.size} orders (each must get exactly one)`,
  );
} catch (err) {
  failures.push(err instanceof Error ? err.message : String(err));
} finally {
  await shop.close();
}

finishScenario(t0, failures, figures, say, 'two processes: nothing oversold, paid, delivered or e-mailed twice');

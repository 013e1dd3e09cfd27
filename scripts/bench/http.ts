// npm run bench:http: the production build over HTTP, one server process on its own
// embedded PostgreSQL (or BENCH_DATABASE_URL, a database this may fill), load only on
// 127.0.0.1, bounded in requests and time, stopping by itself.
//
//   trivial        GET /api/health/live          a route handler with nothing in it: the ceiling
//   products       GET /api/store/products       the storefront's listing (cached)
//   lookup         GET /api/store/orders/{no}    a buyer reading a delivered order with its token
//   create order   POST /api/store/orders        a new buyer each request (its own address)
//   notify         GET /api/pay/{channel}/notify a signed epay notification of a pending order: paid and delivered in the answer
//   flash sale     10,000 buyers, 500 at a time, for 1,000 keys
//   scale          the server again as 2 processes (WEB_CONCURRENCY=2): trivial, create order,
//                  notify and a second flash sale, closed loop, to show the figures grow
//   mail           notifications at half the notify maximum: time from each notification's
//                  send to the SMTP server's acceptance of its delivery e-mail, sent by the
//                  server right after its answer (after()), with no worker and then with one;
//                  first it waits until the notify phase's own e-mails are all sent
//
// Closed loop (autocannon, 50 keep-alive connections): the maximum rate, median of rounds.
// Then open loop at half of that maximum (requests sent on a fixed schedule whatever the
// answers, latency measured from the scheduled time, so a slow answer is not hidden by the
// load backing off). The results are checked against the database after each phase; a wrong
// count fails the run. Every simulated buyer has its own address in 198.18.0.0/15 (the
// benchmarking range), sent as X-Forwarded-For as a proxy on 127.0.0.1 would.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { closeDb, createDb } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { createMerchant } from '@/lib/accounts';
import { systemActor } from '@/lib/audit';
import { createProduct } from '@/lib/catalog';
import { resetConfig } from '@/lib/config';
import { importKeys } from '@/lib/inventory';
import { amountToInput } from '@/lib/money';
import { createOrder } from '@/lib/orders';
import { createChannel, epaySign } from '@/lib/payments';
import { startSmtpSink } from '../../test/smtp-sink';
import { freePort, startEmbeddedPostgres } from '../embedded-postgres';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WRITES_PER_ROUND = Number(process.env.BENCH_WRITES ?? 3000);
const FLASH_BUYERS = Number(process.env.BENCH_FLASH_BUYERS ?? 10_000);
const FLASH_KEYS = Number(process.env.BENCH_FLASH_KEYS ?? 1000);
const FLASH_CONNECTIONS = Number(process.env.BENCH_FLASH_CONNECTIONS ?? 500);
const WRITE_DOCS = process.env.BENCH_WRITE_DOCS !== '0';
// Profiling: extra node flags for the server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`),
// and only some phases (trivial, products, lookup, orders, notify, flash; the table is
// then not written).
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
// BENCH_PG_STATEMENTS=1 (embedded PostgreSQL only): after each write phase, the statements
// that took the database's time (pg_stat_statements), to read beside the server's --cpu-prof.
const PG_STATEMENTS = process.env.BENCH_PG_STATEMENTS === '1' && !process.env.BENCH_DATABASE_URL;
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const runs = (phase: string) => !ONLY || ONLY.has(phase);
const EPAY_KEY = 'bench-epay-key-0123456789abcdef';
const EPAY_PID = '1001';

const log = (s: string) => process.stderr.write(s + '\n');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

// The shared secrets: the server must open what this process sealed.
const secrets = {
  AUTH_SECRET: randomBytes(32).toString('base64url'),
  KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  CRON_SECRET: randomBytes(24).toString('base64url'),
};
Object.assign(process.env, secrets, { NODE_ENV: 'test', LOG_LEVEL: 'silent' });
resetConfig();

/** Buyer number n → an address of its own in 198.18.0.0/15. */
function buyerIp(n: number): string {
  const x = n % 131_072;
  return `198.${18 + (x >> 16)}.${(x >> 8) & 255}.${x & 255}`;
}

type Closed = { rps: number; p50: number; p99: number; non2xx: number; errors: number };

async function closedLoop(opts: {
  url: string;
  connections?: number;
  duration?: number;
  amount?: number;
  method?: 'GET' | 'POST';
  next?: () => { path?: string; body?: string; headers?: Record<string, string> };
  path: string;
}): Promise<Closed> {
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections ?? CONNECTIONS,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration ?? SECONDS }),
    timeout: 30,
    requests: [
      {
        method: opts.method ?? 'GET',
        path: opts.path,
        setupRequest: (req) => {
          if (!opts.next) return req;
          const n = opts.next();
          return {
            ...req,
            ...(n.path ? { path: n.path } : {}),
            ...(n.body !== undefined ? { body: n.body } : {}),
            headers: { ...req.headers, ...(n.headers ?? {}) },
          };
        },
      },
    ],
  });
  const seconds = result.duration;
  return {
    rps: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

type Open = { rate: number; sent: number; p50: number; p99: number; failed: number };

/**
 * Open loop: `rate` requests a second for `seconds`, each sent at its scheduled time on a
 * keep-alive pool whatever the earlier ones are doing; latency from the scheduled time.
 */
async function openLoop(opts: {
  port: number;
  rate: number;
  seconds?: number;
  make: () => { method: string; path: string; body?: string; headers?: Record<string, string> };
}): Promise<Open> {
  const seconds = opts.seconds ?? SECONDS;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.floor(opts.rate * seconds);
  const latencies: number[] = [];
  let failed = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / opts.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const r = opts.make();
    inflight.push(
      new Promise<void>((resolve) => {
        const req = http.request(
          { host: '127.0.0.1', port: opts.port, method: r.method, path: r.path, agent, headers: { 'content-type': 'application/json', ...(r.headers ?? {}) } },
          (res) => {
            res.resume();
            res.on('end', () => {
              latencies.push(performance.now() - due);
              if ((res.statusCode ?? 500) >= 300) failed++;
              resolve();
            });
          },
        );
        req.on('error', () => {
          failed++;
          resolve();
        });
        req.end(r.body);
      }),
    );
  }
  await Promise.all(inflight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rate: opts.rate, sent: total, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed };
}

/** The environment of the server and of the worker: production mode on the bench's database. */
function appEnv(port: number, databaseUrl: string, smtpUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...secrets,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOSTNAME: '127.0.0.1',
    APP_URL: `http://127.0.0.1:${port}`,
    SMTP_URL: smtpUrl,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    // The bench stands in for a reverse proxy on this machine that names each buyer.
    TRUSTED_PROXIES: '127.0.0.1',
    NEXT_TELEMETRY_DISABLED: '1',
  };
}

function startServer(port: number, databaseUrl: string, smtpUrl: string, processes = 1): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, 'scripts/start.mjs'], {
    env: { ...appEnv(port, databaseUrl, smtpUrl), WEB_CONCURRENCY: String(processes) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const poll = () => {
      http
        .get({ host: '127.0.0.1', port, path: '/api/health' }, (res) => {
          res.resume();
          if (res.statusCode === 200) resolve(child);
          else setTimeout(poll, 250);
        })
        .on('error', () => (Date.now() > deadline ? reject(new Error('the server did not start')) : setTimeout(poll, 250)));
    };
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    poll();
  });
}

function check(what: string, ok: boolean, detail: string) {
  if (!ok) throw new Error(`bench check failed: ${what} (${detail})`);
  log(`  ✓ ${what}: ${detail}`);
}

async function main() {
  let tmp: string | undefined;
  let stopPg = async () => {};
  let url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'openfaka-bench-http-'));
    const pg = await startEmbeddedPostgres({
      dir: path.join(tmp, 'pg'),
      persistent: false,
      maxConnections: 300,
      ...(PG_STATEMENTS ? { settings: { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' } } : {}),
    });
    url = pg.url('postgres');
    stopPg = pg.stop;
  }
  await runMigrations(url);
  const raw = postgres(url, { max: 4, onnotice: () => {} });
  const [{ version }] = (await raw`SELECT version()`) as unknown as [{ version: string }];
  const { db } = createDb(url, { max: 16 });
  if (PG_STATEMENTS) await raw`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`;
  /** Prints the statements that took most of the database's time since the last call, and starts counting again. */
  const statements = async (phase: string, per: number) => {
    if (!PG_STATEMENTS) return;
    const top = await raw<{ query: string; calls: string; total: number; mean: number }[]>`
      SELECT left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 110) AS query, calls, total_exec_time AS total, mean_exec_time AS mean
        FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 12`;
    const [sum] = await raw<{ total: number }[]>`SELECT coalesce(sum(total_exec_time), 0) AS total FROM pg_stat_statements`;
    const total = sum!.total;
    log(`  database time of ${phase}: ${(total / per).toFixed(2)} ms of statements per request (${per} requests)`);
    for (const t of top)
      log(`    ${(t.total / per).toFixed(3).padStart(7)} ms/req  ${String(t.calls).padStart(7)} calls  ${t.mean.toFixed(3).padStart(7)} ms  ${t.query}`);
    await raw`SELECT pg_stat_statements_reset()`;
  };

  // ── The shop ──────────────────────────────────────────────────────────────────────────
  log('setting up the shop…');
  const m = await createMerchant(db, systemActor(), {
    email: `bench-${Date.now()}@example.test`,
    password: 'bench-password-1',
    slug: `bench-${Date.now()}`,
    settings: { orderExpiryMinutes: 1440 },
  });
  const shop = systemActor(m.merchantId);
  const channel = await createChannel(db, shop, {
    kind: 'epay',
    name: 'Epay',
    config: { gateway: 'http://127.0.0.1:9', pid: EPAY_PID, key: EPAY_KEY, type: 'alipay' },
  });
  const writes = WRITES_PER_ROUND * ROUNDS;
  const stockedProduct = async (title: string, keys: number, price = 1000) => {
    const p = await createProduct(db, shop, { title, price, maxQty: 10 });
    for (let i = 0; i < keys; i += 20_000) {
      const n = Math.min(20_000, keys - i);
      await importKeys(db, shop, { productId: p.id, keys: Array.from({ length: n }, (_, j) => `${title}-${i + j}-${randomBytes(6).toString('hex')}`) });
    }
    return p;
  };
  const orderProduct = await stockedProduct('order', writes + Math.ceil(writes / 2) + 2000);
  const payProduct = await stockedProduct('pay', writes * 2 + 2000);
  const flashProduct = await stockedProduct('flash', FLASH_KEYS);
  const flashProduct2 = runs('scale') ? await stockedProduct('flash2', FLASH_KEYS) : flashProduct;
  // Pending orders whose notifications the bench sends, and delivered ones it reads.
  // Enough for the closed and open notify runs and the two e-mail runs.
  const total = writes * 2 + 200;
  log(`creating ${total.toLocaleString('en-US')} pending orders for the notification runs…`);
  const pending: { orderNo: string; amount: number }[] = [];
  let made = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (made < total) {
        const i = made++;
        const o = await createOrder(
          db,
          { productId: payProduct.id, quantity: 1, email: `payer${i}@example.test`, channel: channel.id },
          { merchantId: m.merchantId },
        );
        pending.push({ orderNo: o.orderNo, amount: o.amount });
      }
    }),
  );
  const lookups = pending.splice(0, 200);
  // Statistics, as a shop in service has them. The setup grows the tables from nothing in
  // seconds, faster than autovacuum's first ANALYZE; without statistics PostgreSQL took the
  // wrong index for the risk caps' count of a buyer's unpaid orders (every unpaid order of
  // the merchant walked per order: 7.8 ms of the database per order, found with
  // BENCH_PG_STATEMENTS=1; 0.2 ms once analysed).
  await raw`ANALYZE`;

  const port = await freePort();
  const smtp = await startSmtpSink();
  log(`starting the production server on 127.0.0.1:${port}…`);
  let server = await startServer(port, url, smtp.url);
  let base = `http://127.0.0.1:${port}`;
  const notifyPath = (o: { orderNo: string; amount: number }) => {
    const params: Record<string, string> = {
      pid: EPAY_PID,
      trade_no: `T${o.orderNo}`,
      out_trade_no: o.orderNo,
      type: 'alipay',
      name: 'pay',
      money: amountToInput(o.amount, 'CNY'),
      trade_status: 'TRADE_SUCCESS',
    };
    return `/api/pay/${channel.id}/notify?${new URLSearchParams({ ...params, sign: epaySign(params, EPAY_KEY), sign_type: 'MD5' })}`;
  };
  // Deliver the lookup orders (and warm the notify path) before any timing.
  for (const o of lookups) {
    await new Promise<void>((resolve, reject) =>
      http.get(`${base}${notifyPath(o)}`, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`warm-up notify ${res.statusCode}`))));
      }),
    );
  }
  const tokens = await raw<{ order_no: string; id: string }[]>`SELECT order_no, id FROM orders WHERE order_no IN ${raw(lookups.map((o) => o.orderNo))}`;
  const { orderAccessToken } = await import('@/lib/crypto');
  const lookupTargets = tokens.map((r) => ({ path: `/api/store/orders/${r.order_no}`, token: orderAccessToken(r.id) }));

  let buyer = 0;
  const orderBody = (productId: string) => {
    const n = buyer++;
    return {
      body: JSON.stringify({ productId, quantity: 1, email: `buyer${n}@example.test`, channel: channel.id }),
      headers: { 'content-type': 'application/json', 'x-forwarded-for': buyerIp(n) },
    };
  };
  let nextPay = 0;
  const payNext = () => {
    const o = pending[nextPay++];
    if (!o) throw new Error('the bench ran out of pending orders to pay');
    return notifyPath(o);
  };
  let nextLookup = 0;
  const lookupNext = () => {
    const t = lookupTargets[nextLookup++ % lookupTargets.length]!;
    return { path: t.path, headers: { authorization: `Bearer ${t.token}` } };
  };

  // Warm every route once (first compiles, caches, prepared statements).
  for (const p of ['/api/health/live', '/api/store/products']) await closedLoop({ url: base, path: p, duration: 1 });

  type Row = { route: string; closed: Closed[]; open?: Open };
  const rows: Row[] = [];
  const scenario = async (route: string, run: () => Promise<Closed>, open: (rate: number) => Promise<Open>) => {
    const closed: Closed[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      closed.push(await run());
      log(
        `${route} round ${r + 1}: ${closed.at(-1)!.rps.toFixed(0)}/s p50 ${closed.at(-1)!.p50} ms p99 ${closed.at(-1)!.p99} ms${closed.at(-1)!.non2xx ? ` non2xx ${closed.at(-1)!.non2xx}` : ''}`,
      );
    }
    const max = median(closed.map((c) => c.rps));
    const o = await open(Math.max(1, Math.floor(max / 2)));
    log(`${route} open loop at ${o.rate}/s: p50 ${o.p50.toFixed(1)} ms p99 ${o.p99.toFixed(1)} ms${o.failed ? ` failed ${o.failed}` : ''}`);
    rows.push({ route, closed, open: o });
  };

  if (runs('trivial')) {
    await scenario(
      'GET /api/health/live (trivial)',
      () => closedLoop({ url: base, path: '/api/health/live' }),
      (rate) => openLoop({ port, rate, make: () => ({ method: 'GET', path: '/api/health/live' }) }),
    );
  }
  if (runs('products')) {
    await scenario(
      'GET /api/store/products',
      () => closedLoop({ url: base, path: '/api/store/products' }),
      (rate) => openLoop({ port, rate, make: () => ({ method: 'GET', path: '/api/store/products' }) }),
    );
  }
  if (runs('lookup')) {
    await scenario(
      'GET /api/store/orders/{no}',
      () => closedLoop({ url: base, path: '/api/store/orders/x', next: lookupNext }),
      (rate) => openLoop({ port, rate, make: () => ({ method: 'GET', ...lookupNext() }) }),
    );
  }
  const ordersBefore = buyer;
  if (PG_STATEMENTS) await raw`SELECT pg_stat_statements_reset()`;
  if (runs('orders')) {
    await scenario(
      'POST /api/store/orders',
      () => closedLoop({ url: base, method: 'POST', path: '/api/store/orders', amount: WRITES_PER_ROUND, next: () => orderBody(orderProduct.id) }),
      (rate) => openLoop({ port, rate, make: () => ({ method: 'POST', path: '/api/store/orders', ...orderBody(orderProduct.id) }) }),
    );
  }
  const [counted] = await raw<{ orders: string; reserved: string }[]>`
    SELECT (SELECT count(*) FROM orders WHERE product_id = ${orderProduct.id}) AS orders,
           (SELECT count(*) FROM card_keys WHERE product_id = ${orderProduct.id} AND status = 'reserved') AS reserved`;
  const orderCount = Number(counted!.orders);
  if (runs('orders')) await statements('order creation', Math.max(1, buyer - ordersBefore));
  const reservedKeys = Number(counted!.reserved);
  check(
    'one order and one reserved key per accepted order request',
    orderCount === buyer - ordersBefore && reservedKeys === orderCount,
    `${orderCount} orders, ${reservedKeys} reserved keys, ${buyer - ordersBefore} requests`,
  );

  const paidBefore = nextPay;
  if (runs('notify')) {
    await scenario(
      'GET /api/pay/{channel}/notify (epay)',
      () => closedLoop({ url: base, path: '/x', amount: WRITES_PER_ROUND, next: () => ({ path: payNext() }) }),
      (rate) => openLoop({ port, rate, make: () => ({ method: 'GET', path: payNext() }) }),
    );
  }
  const [pay] = await raw<{ payments: string; delivered: string; sold: string; doubled: string }[]>`
    SELECT (SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.product_id = ${payProduct.id}) AS payments,
           (SELECT count(*) FROM orders WHERE product_id = ${payProduct.id} AND status = 'delivered') AS delivered,
           (SELECT count(*) FROM card_keys WHERE product_id = ${payProduct.id} AND status = 'sold') AS sold,
           (SELECT count(*) FROM (SELECT order_id FROM payments GROUP BY order_id HAVING count(*) > 1) d) AS doubled`;
  const notified = nextPay - paidBefore + lookups.length;
  if (runs('notify')) await statements('notifications', Math.max(1, nextPay - paidBefore));
  check(
    'each notified order paid once and delivered with its key',
    Number(pay!.payments) === notified && Number(pay!.delivered) === notified && Number(pay!.sold) === notified && Number(pay!.doubled) === 0,
    `${pay!.payments} payments, ${pay!.delivered} delivered, ${pay!.sold} keys sold, ${pay!.doubled} paid twice, ${notified} notifications`,
  );

  // ── E-mail latency: notification → the SMTP server's acceptance of the delivery e-mail ────
  type MailRun = { label: string; rate: number; sent: number; emailed: number; p50: number; p99: number; max: number };
  const mailRuns: MailRun[] = [];
  let mailBacklog: { size: number; seconds: number; left: number } | null = null;
  if (runs('mail')) {
    const notifyRow = rows.find((r) => r.route.includes('notify'));
    const rate = notifyRow ? Math.max(1, Math.floor(median(notifyRow.closed.map((c) => c.rps)) / 2)) : 50;
    const mailRun = async (label: string) => {
      const sentAt = new Map<string, number>();
      const o = await openLoop({
        port,
        rate,
        make: () => {
          const order = pending[nextPay++];
          if (!order) throw new Error('the bench ran out of pending orders to pay');
          sentAt.set(order.orderNo, performance.now());
          return { method: 'GET', path: notifyPath(order) };
        },
      });
      const acceptedAt = () => new Map(smtp.received.flatMap((m) => (m.orderNo ? [[m.orderNo, m.at] as const] : [])));
      const until = Date.now() + 60_000;
      while ([...sentAt.keys()].some((no) => !acceptedAt().has(no)) && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
      const accepted = acceptedAt();
      const latencies = [...sentAt].flatMap(([no, at]) => (accepted.has(no) ? [accepted.get(no)! - at] : [])).sort((a, b) => a - b);
      const run = {
        label,
        rate,
        sent: o.sent,
        emailed: latencies.length,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? NaN,
      };
      log(
        `mail ${label} at ${rate}/s: ${run.emailed}/${run.sent} e-mailed, p50 ${run.p50.toFixed(1)} ms p99 ${run.p99.toFixed(1)} ms max ${run.max.toFixed(0)} ms`,
      );
      check(
        `${label}: every notification answered and its e-mail accepted by SMTP`,
        o.failed === 0 && run.emailed === o.sent,
        `${run.emailed} of ${o.sent}, ${o.failed} failed`,
      );
      mailRuns.push(run);
    };
    // The notify phase, at its maximum, leaves e-mails still being sent after its answers; the
    // latency runs start once they are out, so that they measure half load, not that backlog.
    // How long the backlog took is a figure of its own.
    const unsent = async () =>
      Number((await raw<{ n: string }[]>`SELECT count(*) AS n FROM outbox WHERE consumer = 'mail.delivery' AND status = 'pending'`)[0]!.n);
    const backlogFrom = performance.now();
    const backlogSize = await unsent();
    for (let left = backlogSize; left > 0 && performance.now() - backlogFrom < 180_000; left = await unsent()) await new Promise((r) => setTimeout(r, 250));
    const backlogLeft = await unsent();
    mailBacklog = { size: backlogSize, seconds: (performance.now() - backlogFrom) / 1000, left: backlogLeft };
    log(
      `mail backlog after the notify phase: ${backlogSize} e-mails, ${backlogLeft === 0 ? 'sent' : `${backlogLeft} not sent`} in ${mailBacklog.seconds.toFixed(1)} s (no worker)`,
    );
    await mailRun('no worker');
    const worker = spawn(process.execPath, ['--import', 'tsx', '--conditions=react-server', 'scripts/worker.ts'], {
      // Its reconciliation of the bench's pending orders fails (the bench's gateway is not https): quietly.
      env: { ...appEnv(port, url, smtp.url), LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    try {
      await new Promise((r) => setTimeout(r, 3000)); // the worker's start-up
      await mailRun('worker running');
    } finally {
      await new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.kill('SIGTERM');
      });
    }
    const [mailRows] = await raw<{ done: string; other: string }[]>`
      SELECT count(*) FILTER (WHERE status = 'done') AS done, count(*) FILTER (WHERE status <> 'done') AS other FROM outbox WHERE consumer = 'mail.delivery'`;
    check(
      'every delivery e-mail sent once',
      Number(mailRows!.other) === 0 &&
        smtp.received.length === Number(mailRows!.done) &&
        new Set(smtp.received.map((m) => m.orderNo)).size === smtp.received.length,
      `${mailRows!.done} rows done, ${mailRows!.other} not, ${smtp.received.length} messages for ${new Set(smtp.received.map((m) => m.orderNo)).size} orders`,
    );
  }

  const shutdown = async () => {
    await smtp.close();
    // Wait for the server to exit: a --cpu-prof profile is written on the way out.
    await new Promise<void>((resolve) => {
      server.once('exit', () => resolve());
      server.kill('SIGTERM');
    });
    await raw.end({ timeout: 5 });
    await closeDb();
    await stopPg();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  };
  if (ONLY && !ONLY.has('flash')) {
    await shutdown();
    log('BENCH_ONLY: the chosen phases ran and checked out; no table written');
    return;
  }

  // ── Flash sale ────────────────────────────────────────────────────────────────────────
  const flashSale = async (productId: string, label: string) => {
    log(`${label}: ${FLASH_BUYERS.toLocaleString('en-US')} buyers, ${FLASH_CONNECTIONS} at a time, ${FLASH_KEYS.toLocaleString('en-US')} keys…`);
    const started = performance.now();
    const flash = await autocannon({
      url: base,
      connections: FLASH_CONNECTIONS,
      amount: FLASH_BUYERS,
      timeout: 60,
      requests: [{ method: 'POST', path: '/api/store/orders', setupRequest: (req) => ({ ...req, ...orderBody(productId) }) }],
    });
    const statuses = new Map(
      Object.entries((flash as unknown as { statusCodeStats: Record<string, { count: number }> }).statusCodeStats).map(([s, v]) => [Number(s), v.count]),
    );
    const seconds = (performance.now() - started) / 1000;
    const [fs] = await raw<{ orders: string; reserved: string; available: string }[]>`
      SELECT (SELECT count(*) FROM orders WHERE product_id = ${productId}) AS orders,
             (SELECT count(*) FROM card_keys WHERE product_id = ${productId} AND status = 'reserved') AS reserved,
             (SELECT count(*) FROM card_keys WHERE product_id = ${productId} AND status = 'available') AS available`;
    const created = statuses.get(201) ?? 0;
    const soldOut = statuses.get(409) ?? 0;
    const other = [...statuses.entries()].filter(([s]) => s !== 201 && s !== 409);
    check(
      `${label}: ${FLASH_KEYS} orders, the rest a clean out_of_stock, nothing else`,
      created === FLASH_KEYS &&
        soldOut === FLASH_BUYERS - FLASH_KEYS &&
        other.length === 0 &&
        flash.errors + flash.timeouts === 0 &&
        Number(fs!.orders) === FLASH_KEYS &&
        Number(fs!.reserved) === FLASH_KEYS &&
        Number(fs!.available) === 0,
      `201×${created}, 409×${soldOut}${other.map(([s, n]) => `, ${s}×${n}`).join('')}, errors ${flash.errors + flash.timeouts}; ${fs!.orders} orders, ${fs!.reserved} reserved, ${fs!.available} left`,
    );
    return { rate: FLASH_BUYERS / seconds, seconds, p50: flash.latency.p50, p99: flash.latency.p99 };
  };
  const flash = await flashSale(flashProduct.id, 'flash sale');
  const flashRate = flash.rate;
  const flashSeconds = flash.seconds;

  // ── Scale-out: the same server as 2 processes ───────────────────────────────────────────
  type ScaleRow = { route: string; rps: number };
  const scaleRows: ScaleRow[] = [];
  if (runs('scale')) {
    await new Promise<void>((resolve) => {
      server.once('exit', () => resolve());
      server.kill('SIGTERM');
    });
    const port2 = await freePort();
    log(`restarting the server as 2 processes (WEB_CONCURRENCY=2) on 127.0.0.1:${port2}…`);
    server = await startServer(port2, url, smtp.url, 2);
    base = `http://127.0.0.1:${port2}`;
    for (const p of ['/api/health/live', '/api/store/products']) await closedLoop({ url: base, path: p, duration: 1 });
    const scaled = async (route: string, run: () => Promise<Closed>) => {
      const rounds: Closed[] = [];
      for (let r = 0; r < ROUNDS; r++) rounds.push(await run());
      const rps = median(rounds.map((c) => c.rps));
      log(`2 processes: ${route} ${rps.toFixed(0)}/s`);
      scaleRows.push({ route, rps });
    };
    const ordersBefore2 = buyer;
    const paidBefore2 = nextPay;
    await scaled('GET /api/health/live (trivial)', () => closedLoop({ url: base, path: '/api/health/live' }));
    await scaled('POST /api/store/orders', () =>
      closedLoop({ url: base, method: 'POST', path: '/api/store/orders', amount: WRITES_PER_ROUND / 2, next: () => orderBody(orderProduct.id) }),
    );
    await scaled('GET /api/pay/{channel}/notify (epay)', () =>
      closedLoop({ url: base, path: '/x', amount: WRITES_PER_ROUND / 2, next: () => ({ path: payNext() }) }),
    );
    const f2 = await flashSale(flashProduct2.id, 'flash sale, 2 processes');
    scaleRows.push({ route: `flash sale: ${FLASH_BUYERS.toLocaleString('en-US')} buyers, ${FLASH_KEYS.toLocaleString('en-US')} keys`, rps: f2.rate });
    const [c2] = await raw<{ orders: string; reserved: string; payments: string; delivered: string; doubled: string }[]>`
      SELECT (SELECT count(*) FROM orders WHERE product_id = ${orderProduct.id}) AS orders,
             (SELECT count(*) FROM card_keys WHERE product_id = ${orderProduct.id} AND status = 'reserved') AS reserved,
             (SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.product_id = ${payProduct.id}) AS payments,
             (SELECT count(*) FROM orders WHERE product_id = ${payProduct.id} AND status = 'delivered') AS delivered,
             (SELECT count(*) FROM (SELECT order_id FROM payments GROUP BY order_id HAVING count(*) > 1) d) AS doubled`;
    check(
      '2 processes: one reserved key per order, one payment and one delivery per notification',
      Number(c2!.orders) === Number(c2!.reserved) &&
        Number(c2!.payments) === Number(c2!.delivered) &&
        Number(c2!.doubled) === 0 &&
        nextPay > paidBefore2 &&
        buyer > ordersBefore2,
      `${c2!.orders} orders, ${c2!.reserved} reserved; ${c2!.payments} payments, ${c2!.delivered} delivered, ${c2!.doubled} paid twice`,
    );
  }

  await shutdown();
  if (ONLY) {
    log(`BENCH_ONLY: flash sale ${flashRate.toFixed(0)} buyers/s; no table written`);
    return;
  }

  // ── The table ─────────────────────────────────────────────────────────────────────────
  const trivial = median(rows[0]!.closed.map((c) => c.rps));
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const ms = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(1) : Math.round(n).toString()) : '—');
  const table = [
    `| route | closed loop (req/s) | / trivial | closed p50 / p99 (ms) | open loop at half (req/s) | open p50 / p99 (ms) |`,
    `| --- | ---: | ---: | ---: | ---: | ---: |`,
    ...rows.map((r) => {
      const rps = median(r.closed.map((c) => c.rps));
      const mid = r.closed.find((c) => c.rps === rps) ?? r.closed[0]!;
      return `| ${r.route.replaceAll('|', '\\|')} | ${fmt(rps)} | ${(rps / trivial).toFixed(2)} | ${ms(mid.p50)} / ${ms(mid.p99)} | ${fmt(r.open!.rate)} | ${ms(r.open!.p50)} / ${ms(r.open!.p99)} |`;
    }),
    `| flash sale: ${fmt(FLASH_BUYERS)} buyers, ${FLASH_CONNECTIONS} at a time, ${fmt(FLASH_KEYS)} keys | ${fmt(flashRate)} | ${(flashRate / trivial).toFixed(2)} | ${ms(flash.p50)} / ${ms(flash.p99)} | — | ${flashSeconds.toFixed(1)} s in all |`,
    ...(scaleRows.length
      ? [
          '',
          `| 2 processes (WEB_CONCURRENCY=2), closed loop | req/s | / 1 process | / trivial of 1 process |`,
          `| --- | ---: | ---: | ---: |`,
          ...scaleRows.map((r) => {
            const one = r.route.startsWith('flash') ? flashRate : median(rows.find((x) => x.route === r.route)?.closed.map((c) => c.rps) ?? [NaN]);
            return `| ${r.route.replaceAll('|', '\\|')} | ${fmt(r.rps)} | ${(r.rps / one).toFixed(2)} | ${(r.rps / trivial).toFixed(2)} |`;
          }),
        ]
      : []),
    ...(mailRuns.length
      ? [
          '',
          `| payment notification → delivery e-mail accepted by SMTP | notifications/s | e-mailed | p50 (ms) | p99 (ms) | max (ms) |`,
          `| --- | ---: | ---: | ---: | ---: | ---: |`,
          ...mailRuns.map((r) => `| ${r.label} | ${fmt(r.rate)} | ${fmt(r.emailed)} of ${fmt(r.sent)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} |`),
          ...(mailBacklog
            ? [
                '',
                `Before these runs, the delivery e-mails still unsent after the notify phase (${fmt(mailBacklog.size)}) were ${
                  mailBacklog.left === 0 ? 'all sent' : `not all sent (${fmt(mailBacklog.left)} left)`
                } ${mailBacklog.seconds.toFixed(1)} s after it ended, by the server alone.`,
              ]
            : []),
        ]
      : []),
  ].join('\n');
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${version.split(',')[0]}, Node ${process.version}`;
  const command = `npm run bench:http (BENCH_ROUNDS=${ROUNDS} BENCH_SECONDS=${SECONDS} BENCH_CONNECTIONS=${CONNECTIONS} BENCH_WRITES=${WRITES_PER_ROUND})`;
  const when = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  console.log(`\n${machine}\n${command}, ${when}\n\n${table}\n`);

  if (WRITE_DOCS) {
    const file = path.resolve('docs/BENCHMARKS.md');
    const doc = readFileSync(file, 'utf8');
    const block = `<!-- bench:http -->\nMachine: ${machine}; one server process (\`npm start\`'s standalone server), the load generator on the same machine.\nCommand: \`${command}\`, ${when}.\n\n${table}\n<!-- /bench:http -->`;
    const next = /<!-- bench:http -->[\s\S]*<!-- \/bench:http -->/.test(doc)
      ? doc.replace(/<!-- bench:http -->[\s\S]*<!-- \/bench:http -->/, block)
      : `${doc.trimEnd()}\n\n## HTTP, latest run\n\n${block}\n`;
    writeFileSync(file, next);
    log(`written to ${path.relative(process.cwd(), file)}`);
  }
}

await main();
process.exit(0);

// npm run bench: the order engine against the raw ceiling of the same SQL, in one run, on
// one embedded PostgreSQL (or BENCH_DATABASE_URL, a database this may fill and drop).
//
//   reserve   engine: reserveKeys() in a transaction (finds a free key itself)
//             ceiling: the same UPDATE on a key id known in advance (no search at all)
//   pay       engine: applyPayment() (lock order, record payment, sell keys, events, outbox)
//             ceiling: the same statements as raw SQL, no domain code
//   coupon    createOrder() without a coupon, with a single-use code of a batch (each order
//             its own code row) and with one shared code (every order updates the same row)
//
//   risk      createOrder() for a merchant with no block rules and for one with 10,000 (e-mails,
//             domains, addresses, IPv4 and IPv6 ranges, 50 patterns), none of which matches
//
// Each at 1, 16 and 64 connections, on a product with 0 and with 1,000,000 sold keys (the
// coupon and risk phases on the product without history). BENCH_ONLY=reserve|coupon|risk
// runs one phase.
// Bounded: a fixed number of operations per cell; stops by itself.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { closeDb, createDb, type Db } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { createMerchant } from '@/lib/accounts';
import { systemActor } from '@/lib/audit';
import { createProduct } from '@/lib/catalog';
import { createCoupons } from '@/lib/coupons';
import { resetConfig } from '@/lib/config';
import { reserveKeys } from '@/lib/inventory';
import { applyPayment, createOrder } from '@/lib/orders';
import { startEmbeddedPostgres } from '../embedded-postgres';

const HISTORY = Number(process.env.BENCH_HISTORY ?? 1_000_000);
const RESERVE_OPS = Number(process.env.BENCH_RESERVE_OPS ?? 4000);
const PAY_OPS = Number(process.env.BENCH_PAY_OPS ?? 2000);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,16,64').split(',').map(Number);
const NAIVE = process.env.BENCH_NAIVE !== '0';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const NAIVE_OPS = Number(process.env.BENCH_NAIVE_OPS ?? 200);
const COUPON_OPS = Number(process.env.BENCH_COUPON_OPS ?? 1000);
const ONLY = process.env.BENCH_ONLY;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

(process.env as Record<string, string>).NODE_ENV = 'test';
process.env.AUTH_SECRET ??= randomBytes(32).toString('base64url');
process.env.KEY_ENCRYPTION_KEY ??= randomBytes(32).toString('base64');
process.env.CRON_SECRET ??= randomBytes(24).toString('base64url');
process.env.LOG_LEVEL = 'silent';
resetConfig();

const log = (s: string) => process.stderr.write(s + '\n');

async function timed(concurrency: number, ops: number, op: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < ops; i = next++) await op(i);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return ops / seconds;
}

async function main() {
  let tmp: string | undefined;
  let stop = async () => {};
  let url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'openfaka-bench-'));
    const pg = await startEmbeddedPostgres({ dir: path.join(tmp, 'pg'), persistent: false, maxConnections: 200 });
    url = pg.url('postgres');
    stop = pg.stop;
  }
  await runMigrations(url);
  const raw = postgres(url, { max: 70, onnotice: () => {} });
  const [{ version }] = (await raw`SELECT version()`) as unknown as [{ version: string }];
  const [{ synchronous_commit: sc }] = (await raw`SHOW synchronous_commit`) as unknown as [{ synchronous_commit: string }];
  log(`${version}; synchronous_commit=${sc}`);

  const setupDb = createDb(url, { max: 4 }).db;
  const setupPool = createDb(url, { max: 16 }).db;
  const m = await createMerchant(setupDb, systemActor(), {
    email: `bench-${Date.now()}@example.test`,
    password: 'bench-password-1',
    slug: `bench-${Date.now()}`,
    demoChannelEnabled: true,
  });
  const [{ id: channelId }] = (await raw`SELECT id FROM payment_channels WHERE merchant_id = ${m.merchantId}`) as unknown as [{ id: string }];

  const needed = Math.max(RESERVE_OPS + PAY_OPS * CONCURRENCY.length * 2 * ROUNDS, COUPON_OPS) + 1000;
  const products: Record<string, string> = {};
  for (const history of [0, HISTORY]) {
    const p = await createProduct(setupDb, systemActor(m.merchantId), { title: `bench ${history}`, price: 100, maxQty: 10 });
    products[history] = p.id;
    if (history > 0) {
      log(`inserting ${history.toLocaleString()} sold keys…`);
      await raw`
        INSERT INTO card_keys (merchant_id, product_id, status, secret, key_id, fingerprint, order_id, reserved_at, sold_at)
        SELECT ${m.merchantId}, ${p.id}, 'sold', decode(md5(g::text), 'hex'), 'bench', sha256(('h' || g)::bytea), gen_random_uuid(), now(), now()
          FROM generate_series(1, ${history}) g`;
    }
    // Stock for the run, after the history (higher ids, as in a shop that keeps restocking).
    await raw`
      INSERT INTO card_keys (merchant_id, product_id, status, secret, key_id, fingerprint)
      SELECT ${m.merchantId}, ${p.id}, 'available', decode(md5(g::text), 'hex'), 'bench', sha256(('a' || g)::bytea)
        FROM generate_series(1, ${needed}) g`;
  }
  await raw`VACUUM ANALYZE card_keys`;

  let buyers = 0;
  const resetReserved = async (productId: string) => {
    await raw`UPDATE card_keys SET status = 'available', order_id = NULL, reserved_at = NULL WHERE product_id = ${productId} AND status = 'reserved'`;
    await raw`VACUUM ANALYZE card_keys`;
  };

  type Row = { what: string; history: number; c: number; ceiling: number; engine: number };
  const rows: Row[] = [];

  for (const history of ONLY === 'coupon' || ONLY === 'risk' ? [] : [0, HISTORY]) {
    const productId = products[history]!;
    for (const c of CONCURRENCY) {
      const pool = createDb(url, { max: c });
      const db = pool.db as Db;
      const rawPool = pool.sql;
      // Rounds alternate ceiling and engine; the median of each is reported, so a checkpoint
      // or autovacuum landing in one measurement does not decide the ratio.
      const reserveCeiling: number[] = [];
      const reserveEngine: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Ceiling: the same UPDATE on key ids handed out in advance (no search at all).
        const ids = (await raw`SELECT id FROM card_keys WHERE product_id = ${productId} AND status = 'available' ORDER BY id LIMIT ${RESERVE_OPS}`).map(
          (r) => r.id,
        );
        reserveCeiling.push(
          await timed(c, RESERVE_OPS, async (i) => {
            await rawPool.begin(
              (tx) =>
                tx`UPDATE card_keys SET status = 'reserved', order_id = ${randomUUID()}, reserved_at = now() WHERE id = ${ids[i]!} AND status = 'available'`,
            );
          }),
        );
        await resetReserved(productId);
        reserveEngine.push(
          await timed(c, RESERVE_OPS, async () => {
            await db.transaction((tx) => reserveKeys(tx, { productId, orderId: randomUUID(), quantity: 1 }));
          }),
        );
        await resetReserved(productId);
      }
      const ceiling = median(reserveCeiling);
      const engine = median(reserveEngine);
      rows.push({ what: 'reserve a key', history, c, ceiling, engine });
      log(`reserve  history=${history} c=${c}: ceiling ${reserveCeiling.map((x) => x.toFixed(0))}/s, engine ${reserveEngine.map((x) => x.toFixed(0))}/s`);

      if (ONLY === 'reserve') {
        await pool.sql.end({ timeout: 5 });
        continue;
      }
      // Payment → delivery: orders created first (not timed), then paid.
      const makeOrders = async (n: number) => {
        const out: string[] = [];
        await timed(16, n, async () => {
          // A buyer each (the risk caps hold one buyer to a few unpaid orders).
          const o = await createOrder(
            setupPool,
            { productId, quantity: 1, email: `bench${buyers++}@example.test`, channel: channelId },
            { merchantId: m.merchantId },
          );
          out.push(o.orderNo);
        });
        return out;
      };
      const payCeilings: number[] = [];
      const payEngines: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const forCeiling = await makeOrders(PAY_OPS);
        payCeilings.push(
          await timed(c, PAY_OPS, async (i) => {
            const orderNo = forCeiling[i]!;
            await rawPool.begin(async (tx) => {
              const [o] = await tx`SELECT * FROM orders WHERE order_no = ${orderNo} FOR UPDATE`;
              const inserted = await tx`INSERT INTO payments (merchant_id, order_id, channel_id, trade_no, amount, currency, raw)
                                        VALUES (${o!.merchant_id}, ${o!.id}, ${channelId}, ${'C' + orderNo}, ${o!.amount}, 'CNY', '{}')
                                        ON CONFLICT (channel_id, trade_no) DO NOTHING RETURNING id`;
              if (inserted.length === 0) return;
              await tx`SELECT * FROM products WHERE id = ${o!.product_id}`;
              await tx`UPDATE orders SET status = 'paid', paid_at = now(), updated_at = now() WHERE id = ${o!.id}`;
              await tx`INSERT INTO order_events (order_id, merchant_id, type, from_status, to_status, detail) VALUES (${o!.id}, ${o!.merchant_id}, 'paid', 'pending', 'paid', '{}')`;
              await tx`UPDATE card_keys SET status = 'sold', sold_at = now() WHERE order_id = ${o!.id} AND status = 'reserved' RETURNING id`;
              await tx`UPDATE orders SET status = 'delivered', delivered_at = now(), updated_at = now() WHERE id = ${o!.id}`;
              await tx`INSERT INTO order_events (order_id, merchant_id, type, from_status, to_status, detail) VALUES (${o!.id}, ${o!.merchant_id}, 'delivered', 'paid', 'delivered', '{}')`;
              await tx`INSERT INTO outbox (merchant_id, topic, consumer, payload, dedupe_key) VALUES (${o!.merchant_id}, 'order.delivered', 'mail.delivery', ${JSON.stringify({ orderId: o!.id })}::jsonb, ${'mail.delivery:' + o!.id}) ON CONFLICT (dedupe_key) DO NOTHING`;
            });
          }),
        );
        const forEngine = await makeOrders(PAY_OPS);
        payEngines.push(
          await timed(c, PAY_OPS, async (i) => {
            const orderNo = forEngine[i]!;
            const r = await applyPayment(db, channelId, { outTradeNo: orderNo, tradeNo: 'E' + orderNo, amount: 100, currency: 'CNY', raw: {} });
            if (r.outcome !== 'delivered') throw new Error(`unexpected ${r.outcome}`);
          }),
        );
      }
      rows.push({ what: 'payment → delivery', history, c, ceiling: median(payCeilings), engine: median(payEngines) });
      log(`pay      history=${history} c=${c}: ceiling ${payCeilings.map((x) => x.toFixed(0))}/s, engine ${payEngines.map((x) => x.toFixed(0))}/s`);
      await pool.sql.end({ timeout: 5 });
    }
  }

  // What a coupon costs on order creation: the same order without a code, with its own
  // single-use code (a launch batch: each order updates a different coupon row) and with one
  // shared code (every order updates the same row, so they queue on its lock).
  type CouponRow = { c: number; none: number; single: number; shared: number };
  const couponRows: CouponRow[] = [];
  if (!ONLY || ONLY === 'coupon') {
    const productId = products[0]!;
    const actor = systemActor(m.merchantId);
    const batch = await createCoupons(setupDb, actor, {
      type: 'fixed',
      value: 10,
      count: COUPON_OPS * CONCURRENCY.length * ROUNDS,
      prefix: 'B',
      totalLimit: 1,
    });
    await createCoupons(setupDb, actor, { code: 'BENCHALL', type: 'percent', value: 10 });
    let nextCode = 0;
    const order = (db: Db, couponCode?: string) =>
      createOrder(
        db,
        { productId, quantity: 1, email: `c${buyers++}@example.test`, channel: channelId, ...(couponCode ? { couponCode } : {}) },
        { merchantId: m.merchantId },
      );
    for (const c of CONCURRENCY) {
      const pool = createDb(url, { max: c });
      const db = pool.db as Db;
      const runs: Record<'none' | 'single' | 'shared', number[]> = { none: [], single: [], shared: [] };
      for (let round = 0; round < ROUNDS; round++) {
        runs.none.push(await timed(c, COUPON_OPS, async () => void (await order(db))));
        await resetReserved(productId);
        runs.single.push(await timed(c, COUPON_OPS, async () => void (await order(db, batch.coupons[nextCode++]!.code))));
        await resetReserved(productId);
        runs.shared.push(await timed(c, COUPON_OPS, async () => void (await order(db, 'BENCHALL'))));
        await resetReserved(productId);
      }
      couponRows.push({ c, none: median(runs.none), single: median(runs.single), shared: median(runs.shared) });
      log(
        `coupon   c=${c}: none ${runs.none.map((x) => x.toFixed(0))}/s, single-use ${runs.single.map((x) => x.toFixed(0))}/s, shared ${runs.shared.map((x) => x.toFixed(0))}/s`,
      );
      await pool.sql.end({ timeout: 5 });
    }
  }

  // What a merchant's block list costs on order creation: the same orders for a merchant
  // without rules and for one with 10,000 that the buyers do not match (the common case:
  // every order is checked against all of them).
  type RiskRow = { c: number; none: number; rules: number };
  const riskRows: RiskRow[] = [];
  if (!ONLY || ONLY === 'risk') {
    const ruled = await createMerchant(setupDb, systemActor(), {
      email: `bench-rules-${Date.now()}@example.test`,
      password: 'bench-password-1',
      slug: `bench-rules-${Date.now()}`,
      demoChannelEnabled: true,
    });
    const [{ id: ruledChannel }] = (await raw`SELECT id FROM payment_channels WHERE merchant_id = ${ruled.merchantId}`) as unknown as [{ id: string }];
    const ruledProduct = await createProduct(setupDb, systemActor(ruled.merchantId), { title: 'bench rules', price: 100, maxQty: 10 });
    await raw`
      INSERT INTO card_keys (merchant_id, product_id, status, secret, key_id, fingerprint)
      SELECT ${ruled.merchantId}, ${ruledProduct.id}, 'available', decode(md5(g::text), 'hex'), 'bench', sha256(('r' || g)::bytea)
        FROM generate_series(1, ${COUPON_OPS * CONCURRENCY.length * ROUNDS + 1000}) g`;
    // 10,000 rules: 4,000 e-mails, 2,000 domains, 2,000 addresses, 1,950 ranges (v4 and v6), 50 patterns.
    await raw`
      INSERT INTO risk_rules (merchant_id, kind, pattern, net)
      SELECT ${ruled.merchantId}::uuid, 'email'::risk_rule_kind, 'blocked' || g || '@example.org', NULL::cidr FROM generate_series(1, 4000) g
      UNION ALL SELECT ${ruled.merchantId}, 'email_domain', 'spam' || g || '.example', NULL FROM generate_series(1, 2000) g
      UNION ALL SELECT ${ruled.merchantId}, 'ip', host(a), a::cidr FROM (SELECT ('10.' || (g / 256) || '.' || (g % 256) || '.1')::inet AS a FROM generate_series(1, 2000) g) x
      UNION ALL SELECT ${ruled.merchantId}, 'cidr', n::text, n FROM (SELECT ('172.' || (16 + g / 256) || '.' || (g % 256) || '.0/24')::cidr AS n FROM generate_series(0, 974) g) x
      UNION ALL SELECT ${ruled.merchantId}, 'cidr', n::text, n FROM (SELECT ('2001:db8:' || to_hex(g) || '::/48')::cidr AS n FROM generate_series(1, 975) g) x
      UNION ALL SELECT ${ruled.merchantId}, 'email_regex', '^bot' || g || '[0-9]+@', NULL FROM generate_series(1, 50) g`;
    await raw`ANALYZE risk_rules`;
    const buy = (db: Db, merchantId: string, productId: string, channel: string) =>
      createOrder(
        db,
        { productId, quantity: 1, email: `r${buyers}@example.test`, channel },
        { merchantId, buyerIp: `203.0.${(buyers >> 8) & 255}.${buyers++ & 255}` },
      );
    for (const c of CONCURRENCY) {
      const pool = createDb(url, { max: c });
      const db = pool.db as Db;
      const runs: Record<'none' | 'rules', number[]> = { none: [], rules: [] };
      for (let round = 0; round < ROUNDS; round++) {
        runs.none.push(await timed(c, COUPON_OPS, async () => void (await buy(db, m.merchantId, products[0]!, channelId))));
        await resetReserved(products[0]!);
        runs.rules.push(await timed(c, COUPON_OPS, async () => void (await buy(db, ruled.merchantId, ruledProduct.id, ruledChannel))));
        await resetReserved(ruledProduct.id);
      }
      riskRows.push({ c, none: median(runs.none), rules: median(runs.rules) });
      log(`risk     c=${c}: no rules ${runs.none.map((x) => x.toFixed(0))}/s, 10,000 rules ${runs.rules.map((x) => x.toFixed(0))}/s`);
      await pool.sql.end({ timeout: 5 });
    }
  }

  // For the record: the obvious query without card_keys_available_idx, on the product with
  // history (the lane index stays; it cannot serve ORDER BY id across lanes).
  const naive: { c: number; rate: number }[] = [];
  if (NAIVE && HISTORY > 0 && !ONLY) {
    await raw`DROP INDEX card_keys_available_idx`;
    await raw`ANALYZE card_keys`;
    const productId = products[HISTORY]!;
    for (const c of CONCURRENCY) {
      const pool = postgres(url, { max: c, onnotice: () => {} });
      const rate = await timed(c, NAIVE_OPS, async () => {
        await pool.begin(async (tx) => {
          const [k] = await tx`SELECT id FROM card_keys WHERE product_id = ${productId} AND status = 'available' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`;
          await tx`UPDATE card_keys SET status = 'reserved', order_id = ${randomUUID()}, reserved_at = now() WHERE id = ${k!.id}`;
        });
      });
      naive.push({ c, rate });
      log(`naive    history=${HISTORY} c=${c}: ${rate.toFixed(0)}/s`);
      await pool.end({ timeout: 5 });
    }
  }

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const lines = rows.length
    ? [
        `| operation | sold keys | connections | ceiling (ops/s) | engine (ops/s) | engine / ceiling |`,
        `| --- | ---: | ---: | ---: | ---: | ---: |`,
        ...rows.map((r) => `| ${r.what} | ${fmt(r.history)} | ${r.c} | ${fmt(r.ceiling)} | ${fmt(r.engine)} | ${(r.engine / r.ceiling).toFixed(2)} |`),
      ]
    : [];
  if (naive.length) {
    lines.push('', `Without card_keys_available_idx (the obvious \`ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED\`), ${fmt(HISTORY)} sold keys:`, '');
    lines.push('| connections | naive reserve (ops/s) |', '| ---: | ---: |', ...naive.map((n) => `| ${n.c} | ${fmt(n.rate)} |`));
  }
  if (couponRows.length) {
    lines.push('', `Order creation (\`createOrder\`, one key, in process), with and without a coupon:`, '');
    lines.push(
      '| connections | no coupon (orders/s) | own single-use code | / no coupon | one shared code | / no coupon |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      ...couponRows.map(
        (r) => `| ${r.c} | ${fmt(r.none)} | ${fmt(r.single)} | ${(r.single / r.none).toFixed(2)} | ${fmt(r.shared)} | ${(r.shared / r.none).toFixed(2)} |`,
      ),
    );
  }
  if (riskRows.length) {
    lines.push('', `Order creation (\`createOrder\`, one key, in process) for a merchant without block rules and one with 10,000 that do not match:`, '');
    lines.push(
      '| connections | no rules (orders/s) | 10,000 rules | / no rules |',
      '| ---: | ---: | ---: | ---: |',
      ...riskRows.map((r) => `| ${r.c} | ${fmt(r.none)} | ${fmt(r.rules)} | ${(r.rules / r.none).toFixed(2)} |`),
    );
  }
  console.log(`\n${version.split(',')[0]}, synchronous_commit=${sc}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), Node ${process.version}\n`);
  console.log(lines.join('\n'));

  await raw.end({ timeout: 5 });
  await closeDb();
  await stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}

await main();
process.exit(0);

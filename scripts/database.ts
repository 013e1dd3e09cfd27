// Which database a command uses: DATABASE_URL when set; otherwise the embedded PostgreSQL
// under DATA_DIR, the one `npm run dev` is running (found through DATA_DIR/pg.json) or,
// when none runs, one started for this command and stopped after it.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { runMigrations } from '../db/migrate';
import { ensureDatabase, freePort, startEmbeddedPostgres } from './embedded-postgres';

export const DEV_DATABASE = 'openfaka';

async function reachable(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined);
  }
}

export type ResolvedDatabase = { url: string; embedded: boolean; stop: () => Promise<void> };

export async function resolveDatabase(options: { log?: (line: string) => void } = {}): Promise<ResolvedDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  const dataDir = path.resolve(process.env.DATA_DIR || '.data');
  const stateFile = path.join(dataDir, 'pg.json');
  if (existsSync(stateFile)) {
    const { url } = JSON.parse(readFileSync(stateFile, 'utf8')) as { url: string };
    if (await reachable(url)) return { url, embedded: true, stop: async () => {} };
    rmSync(stateFile, { force: true });
  }
  // PG_PORT=0 asks for any free port.
  const preferred = Number(process.env.PG_PORT ?? 54329);
  const port = preferred > 0 && (await portFree(preferred)) ? preferred : await freePort();
  options.log?.(`Starting embedded PostgreSQL (data in ${path.join(dataDir, 'pg')}, port ${port})…`);
  const pg = await startEmbeddedPostgres({ dir: path.join(dataDir, 'pg'), port, persistent: true });
  await ensureDatabase(pg.url('postgres'), DEV_DATABASE);
  const url = pg.url(DEV_DATABASE);
  writeFileSync(stateFile, JSON.stringify({ url, port, pid: process.pid }) + '\n', { mode: 0o600 });
  return {
    url,
    embedded: true,
    stop: async () => {
      rmSync(stateFile, { force: true });
      await pg.stop();
    },
  };
}

async function portFree(port: number): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export async function migrateDatabase(url: string): Promise<void> {
  await runMigrations(url);
}

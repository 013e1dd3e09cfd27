// The one place that creates the postgres.js/drizzle client. The URL comes from
// lib/config: DATABASE_URL, which `npm run dev` points at the embedded PostgreSQL it starts.
import 'server-only';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { getConfig } from '@/lib/config';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Domain functions accept either the pool or a transaction. */
export type DbOrTx = Db | Tx;

export type DbHandle = { db: Db; sql: postgres.Sql };

export function createDb(url: string, options: { max?: number; idleTimeout?: number; prepare?: boolean } = {}): DbHandle {
  const sql = postgres(url, {
    prepare: options.prepare ?? true,
    max: options.max ?? 10,
    idle_timeout: options.idleTimeout ?? 30,
    connect_timeout: 10,
    onnotice: () => {},
    // The app sets its own statement timeout so a stuck query fails instead of piling up.
    connection: { application_name: 'openfaka', statement_timeout: 15000 },
  });
  return { db: drizzle(sql, { schema }), sql };
}

// Cached on globalThis so that hot reload in development does not open a new pool each time.
const globalForDb = globalThis as unknown as { __openfakaDb?: DbHandle; __openfakaReadDb?: DbHandle };

export function getDbHandle(): DbHandle {
  if (!globalForDb.__openfakaDb) {
    const config = getConfig();
    if (!config.databaseUrl) {
      throw new Error('DATABASE_URL is not set. Start the shop with `npm run dev`, which starts an embedded PostgreSQL, or set DATABASE_URL.');
    }
    globalForDb.__openfakaDb = createDb(config.databaseUrl, { max: config.dbPoolMax, prepare: config.dbPrepare });
  }
  return globalForDb.__openfakaDb;
}

/**
 * The postgres.js client under a drizzle handle or transaction, for the few hot statements
 * kept as fixed, prepared SQL (key allocation), where the query builder's per-call cost shows.
 */
export function rawClient(db: DbOrTx): postgres.Sql {
  const client = (db as unknown as { session?: { client?: postgres.Sql } }).session?.client;
  if (!client || typeof client.unsafe !== 'function') throw new Error('rawClient: not a drizzle postgres-js handle');
  return client;
}

export function getDb(): Db {
  return getDbHandle().db;
}

/**
 * The handle for read-only report queries (the console dashboard): a read replica when
 * DATABASE_READ_URL is set, so heavy aggregates stay off the primary that takes orders;
 * the primary otherwise. A replica lags by its replication delay; reports tolerate that,
 * order pages and checkout never read from it.
 */
export function getReadDb(): Db {
  const config = getConfig();
  if (!config.databaseReadUrl) return getDb();
  globalForDb.__openfakaReadDb ??= createDb(config.databaseReadUrl, { max: Math.max(2, Math.ceil(config.dbPoolMax / 2)), prepare: config.dbPrepare });
  return globalForDb.__openfakaReadDb.db;
}

export async function closeDb(): Promise<void> {
  const handles = [globalForDb.__openfakaDb, globalForDb.__openfakaReadDb];
  globalForDb.__openfakaDb = undefined;
  globalForDb.__openfakaReadDb = undefined;
  await Promise.all(handles.map((h) => h?.sql.end({ timeout: 5 })));
}

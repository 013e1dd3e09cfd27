// npm start: the production web server on a Node host, i.e. Next's standalone server
// (`output: 'standalone'`, built by `npm run build`, static files copied by postbuild).
// `next start` does not serve a standalone build as deployed. The server reads its whole
// configuration from the environment (see .env.example and docs/deploy.md); it listens on
// PORT (default 3000) and HOSTNAME (default 0.0.0.0).
//
// WEB_CONCURRENCY=N runs N server processes sharing the port (node:cluster; default: the
// number of cores, `1` for a single process). Nothing one process keeps is needed by another
// (orders, payments and the outbox live in PostgreSQL; per-process caches last seconds), so
// N processes are N instances behind a balancer. The primary only forks, replaces a process
// that dies, and passes SIGTERM/SIGINT on; each process has its own database pool
// (DB_POOL_MAX connections each).
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const server = path.resolve('.next/standalone/server.js');
if (!existsSync(server)) {
  console.error('No production build found (.next/standalone/server.js). Run `npm run build` first.');
  process.exit(1);
}
if (!existsSync(path.resolve('.next/standalone/.next/static'))) {
  console.error('The build has no static files beside the server. Run `node scripts/standalone-assets.mjs` (npm run build does it).');
  process.exit(1);
}
process.env.NODE_ENV = 'production';
// server.js changes into its own directory: keep a relative DATA_DIR pointing where it was meant.
if (process.env.DATA_DIR) process.env.DATA_DIR = path.resolve(process.env.DATA_DIR);

/** WEB_CONCURRENCY: a whole number ≥ 1, or unset / `auto` for the number of cores. */
function processCount(raw) {
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'auto') return os.availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    console.error(`WEB_CONCURRENCY must be a whole number from 1 to 256, or auto (got "${raw}").`);
    process.exit(1);
  }
  return n;
}

const count = cluster.isPrimary ? processCount(process.env.WEB_CONCURRENCY) : 1;

if (cluster.isPrimary && count > 1) {
  let stopping = false;
  // A process that dies within 10 s of starting, three times in a row, means the server cannot
  // start (a configuration error it has printed): stop instead of forking for ever.
  let earlyDeaths = 0;
  const fork = () => {
    const started = Date.now();
    const child = cluster.fork();
    child.on('exit', (code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
        return;
      }
      earlyDeaths = Date.now() - started < 10_000 ? earlyDeaths + 1 : 0;
      console.error(`web process ${child.process.pid} exited (${signal ?? code}); ${earlyDeaths >= 3 ? 'giving up' : 'starting another'}`);
      if (earlyDeaths >= 3) process.exit(1);
      setTimeout(fork, 500 * earlyDeaths);
    });
  };
  for (let i = 0; i < count; i++) fork();
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    // Whatever has not exited in 30 s is ended.
    setTimeout(() => process.exit(1), 30_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} else {
  // A process whose primary is gone (killed) stops too, so nothing keeps the port.
  if (cluster.isWorker) process.on('disconnect', () => process.exit(1));
  // The socket's address on every request, before Next.js sees it (scripts/peer-address.mjs).
  await import('./peer-address.mjs');
  await import(pathToFileURL(server).href);
}

// npm start: the production web server on a Node host, i.e. Next's standalone server
// (`output: 'standalone'`, built by `npm run build`, static files copied by postbuild).
// `next start` does not serve a standalone build as deployed. The server reads its whole
// configuration from the environment (see .env.example and docs/deploy.md); it listens on
// PORT (default 3000) and HOSTNAME (default 0.0.0.0).
//
// WEB_CONCURRENCY=N runs N server processes sharing the port (node:cluster; default: the
// CPUs this process may use — the container's CPU quota where one is set — at most 8; `1`
// for a single process). Nothing one process keeps is needed by another
// (orders, payments and the outbox live in PostgreSQL; per-process caches last seconds), so
// N processes are N instances behind a balancer. The primary only forks, replaces a process
// that dies, and passes SIGTERM/SIGINT on; each process has its own database pool
// (DB_POOL_MAX connections each).
import cluster from 'node:cluster';
import { existsSync, readFileSync } from 'node:fs';
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

/**
 * The CPUs this process may use: the cgroup v2 CPU quota when one is set (a container limited
 * to 2 CPUs on a 64-core host gets 2), otherwise the cores Node reports.
 */
function cpuBudget() {
  const cores = os.availableParallelism();
  try {
    const [quota, period] = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(/\s+/);
    if (quota !== 'max' && Number(quota) > 0 && Number(period) > 0) return Math.max(1, Math.min(cores, Math.floor(Number(quota) / Number(period))));
  } catch {
    // no cgroup v2 file: not in a limited container
  }
  return cores;
}

/**
 * WEB_CONCURRENCY: a whole number ≥ 1, or unset / `auto`: the CPU budget, at most 8 (each
 * process opens its own DB_POOL_MAX connections; past 8 set the number deliberately).
 */
function processCount(raw) {
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'auto') return Math.min(8, cpuBudget());
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
  // A process that dies within 30 s of starting has failed to start (a configuration error
  // it has printed: Next listens before it runs the instrumentation that checks the
  // configuration). Three failed starts in a row while no process has lived past 30 s mean
  // the server cannot start: stop instead of forking for ever. A process that lived past 30 s
  // clears the count, and one that was serving and died (out of memory, a crash) is always
  // replaced; so is one that died young while others serve.
  const HEALTHY_AFTER_MS = 30_000;
  let failedStarts = 0;
  const healthy = new Set();
  const pending = new Set();
  const fork = () => {
    if (stopping) return;
    const child = cluster.fork();
    const timer = setTimeout(() => {
      healthy.add(child.id);
      failedStarts = 0;
    }, HEALTHY_AFTER_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const wasHealthy = healthy.delete(child.id);
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
        return;
      }
      if (!wasHealthy) failedStarts++;
      const givingUp = failedStarts >= 3 && healthy.size === 0;
      console.error(`web process ${child.process.pid} exited (${signal ?? code}); ${givingUp ? 'it cannot start: giving up' : 'starting another'}`);
      if (givingUp) process.exit(1);
      const retry = setTimeout(
        () => {
          pending.delete(retry);
          fork();
        },
        500 * Math.min(failedStarts, 10),
      );
      pending.add(retry);
    });
  };
  for (let i = 0; i < count; i++) fork();
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    for (const timer of pending) clearTimeout(timer);
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
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

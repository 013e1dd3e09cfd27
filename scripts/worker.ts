// npm run worker: the outbox, expiry and reconciliation loops on a Node host.
import { closeDb, getDb } from '@/db/client';
import { resetConfig } from '@/lib/config';
import { log } from '@/lib/log';
import { startWorker } from '@/lib/worker';
import { resolveDatabase } from './database';

const database = await resolveDatabase({ log: (l) => console.log(l) });
process.env.DATABASE_URL = database.url;
resetConfig();
const worker = startWorker(getDb());
log('info', 'worker started', { pid: process.pid });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log('info', 'worker stopping', { signal });
  await worker.stop();
  await closeDb();
  await database.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

// Drains the outbox once, as the worker or the cron route would, in whatever mode the
// environment says (the network-namespace test runs it with NODE_ENV=production). Prints
// what happened as one JSON line.
import { closeDb, getDb } from '@/db/client';
import { runJob } from '@/lib/jobs';

const result = await runJob(getDb(), 'outbox');
console.log(JSON.stringify(result));
await closeDb();
process.exit(0);

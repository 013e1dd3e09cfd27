// The background loops of `npm run worker` (and of `npm run dev`): the same jobs as the
// cron routes, run continuously. Several workers at once are safe: every job claims its
// rows under SKIP LOCKED.
import 'server-only';
import type { Db } from '@/db/client';
import { runJob, type Job } from '@/lib/jobs';
import { errorSummary } from '@/lib/errors';
import { log } from '@/lib/log';

const intervals: Record<Job, number> = { outbox: 1_000, expire: 30_000, reconcile: 60_000 };

export function startWorker(db: Db, options: { intervals?: Partial<Record<Job, number>> } = {}) {
  let stopping = false;
  const wake = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake.delete(done);
        resolve();
      }
      wake.add(done);
    });

  const loop = async (job: Job) => {
    const every = options.intervals?.[job] ?? intervals[job];
    while (!stopping) {
      try {
        const result = await runJob(db, job);
        if (Object.values(result).some((v) => v > 0)) log('info', `worker ${job}`, result);
      } catch (err) {
        log('error', `worker ${job} failed`, { error: errorSummary(err) });
      }
      if (!stopping) await sleep(every);
    }
  };
  const running = Promise.all((Object.keys(intervals) as Job[]).map(loop));
  return {
    /** Finishes the jobs in progress, then resolves. */
    async stop() {
      stopping = true;
      for (const w of [...wake]) w();
      await running;
    },
  };
}

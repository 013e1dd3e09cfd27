// The background loops of `npm run worker` (and of `npm run dev`): the same jobs as the
// cron routes, run continuously. Several workers at once are safe: the outbox is claimed
// under SKIP LOCKED with a lease (a row is handled by one drainer; a crashed drainer's rows
// come back when the lease ends), expiry and reconciliation lock their rows the same way.
import 'server-only';
import type { Db } from '@/db/client';
import { runJob, type Job } from '@/lib/jobs';
import { errorSummary } from '@/lib/errors';
import { log, withLogContext } from '@/lib/log';

const DEFAULT_INTERVALS: Record<Job, number> = { outbox: 1_000, expire: 30_000, reconcile: 60_000, agents: 60_000 };

export type WorkerOptions = {
  /** Milliseconds between runs of each job (after a run that found nothing to do). */
  intervals?: Partial<Record<Job, number>>;
  /** Which loops to run; all of them by default. */
  jobs?: Job[];
  /** Put on every log line of this worker's loops (default: pid), to tell several workers apart. */
  name?: string;
};

export type Worker = {
  /**
   * Stops claiming work, lets the batch in hand finish, then resolves `true`; resolves
   * `false` if that takes longer than `deadlineMs` (the loops keep going in the
   * background: the caller decides whether to exit anyway; their rows' leases run out).
   */
  stop(deadlineMs?: number): Promise<boolean>;
  /** Resolves when every loop has ended. */
  done: Promise<void>;
};

export function startWorker(db: Db, options: WorkerOptions = {}): Worker {
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
    const every = options.intervals?.[job] ?? DEFAULT_INTERVALS[job];
    while (!stopping) {
      let busy = false;
      try {
        const result = await runJob(db, job, { shouldStop: () => stopping });
        busy = Object.values(result).some((v) => v > 0);
        if (busy) log('info', `worker ${job}`, { job, ...result });
      } catch (err) {
        log('error', `worker ${job} failed`, { job, error: errorSummary(err) });
      }
      // The outbox goes straight on while there was work; otherwise wait for the next round.
      if (!stopping && !(busy && job === 'outbox')) await sleep(every);
    }
  };
  const jobs = options.jobs ?? (Object.keys(DEFAULT_INTERVALS) as Job[]);
  const name = options.name ?? `pid-${process.pid}`;
  const done = withLogContext({ worker: name }, () => Promise.all(jobs.map(loop))).then(() => undefined);
  return {
    done,
    async stop(deadlineMs = 30_000) {
      stopping = true;
      for (const w of [...wake]) w();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), deadlineMs);
      });
      const finished = await Promise.race([done.then(() => true as const), timeout]);
      clearTimeout(timer);
      return finished;
    },
  };
}

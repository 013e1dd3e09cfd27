import { getDb } from '@/db/client';
import { getConfig } from '@/lib/config';
import { safeEqual } from '@/lib/crypto';
import { AppError } from '@/lib/errors';
import { checkBalancesOnNextRun, JOBS, runJob, type Job } from '@/lib/jobs';
import { handle, json } from '@/app/_lib/http';

export const maxDuration = 60;

// Vercel Cron sends `Authorization: Bearer $CRON_SECRET`; compared in constant time.
const run = handle(async (req: Request, ctx: { params: Promise<{ job: string }> }) => {
  const given = /^Bearer\s+(.+)$/.exec(req.headers.get('authorization') ?? '')?.[1] ?? '';
  if (!safeEqual(given, getConfig().cronSecret)) throw new AppError('unauthorized', 'Cron secret required.');
  const { job } = await ctx.params;
  if (!(JOBS as readonly string[]).includes(job)) throw new AppError('not_found', 'No such job.');
  const started = Date.now();
  if (job === 'agents') checkBalancesOnNextRun(); // the daily cron always recomputes the balances
  const result = await runJob(getDb(), job as Job);
  return json({ job, ...result, ms: Date.now() - started });
});

export const GET = run;
export const POST = run;

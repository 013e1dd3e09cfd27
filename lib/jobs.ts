// The background jobs, shared by the cron routes and `npm run worker`.
import 'server-only';
import type { Db } from '@/db/client';
import { notificationConsumers } from '@/lib/notify';
import { expireOrders, reconcilePayments } from '@/lib/orders';
import { drainOutbox } from '@/lib/outbox';
import { purgeRateLimits } from '@/lib/risk/ratelimit';

export const JOBS = ['outbox', 'expire', 'reconcile'] as const;
export type Job = (typeof JOBS)[number];

export async function runJob(db: Db, job: Job): Promise<Record<string, number>> {
  switch (job) {
    case 'outbox': {
      // Drain for a bounded time so a cron invocation ends well within its limit.
      const total = { claimed: 0, done: 0, failed: 0, dead: 0 };
      const until = Date.now() + 20_000;
      for (;;) {
        const r = await drainOutbox(db, { consumers: notificationConsumers(db) });
        total.claimed += r.claimed;
        total.done += r.done;
        total.failed += r.failed;
        total.dead += r.dead;
        if (r.claimed === 0 || Date.now() > until) return total;
      }
    }
    case 'expire':
      return { expired: await expireOrders(db), rateLimitRowsPurged: await purgeRateLimits(db) };
    case 'reconcile':
      return { ...(await reconcilePayments(db)) };
  }
}

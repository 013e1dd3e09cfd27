// The background jobs, shared by the cron routes and `npm run worker`.
import 'server-only';
import type { Db } from '@/db/client';
import { deliveryConsumers } from '@/lib/dynamic-delivery';
import { mailConsumers } from '@/lib/mail';
import { expireOrders, reconcilePayments } from '@/lib/orders';
import { log, withLogContext } from '@/lib/log';
import { drainOutbox, type Consumer } from '@/lib/outbox';
import { errorSummary } from '@/lib/errors';
import { purgeRateLimits } from '@/lib/risk';
import { webhookConsumers } from '@/lib/webhooks';

export const JOBS = ['outbox', 'expire', 'reconcile'] as const;
export type Job = (typeof JOBS)[number];

/** Every outbox consumer, by name (see `subscriptions` in lib/outbox). */
export function outboxConsumers(db: Db) {
  return { ...mailConsumers(db), ...webhookConsumers(db), ...deliveryConsumers(db) };
}

export type RunOptions = {
  /** Checked between batches: a worker shutting down finishes the batch in hand and claims no more. */
  shouldStop?: () => boolean;
};

export async function runJob(db: Db, job: Job, options: RunOptions = {}): Promise<Record<string, number>> {
  switch (job) {
    case 'outbox': {
      // Drain for a bounded time so a cron invocation ends well within its limit.
      const total = { claimed: 0, done: 0, failed: 0, dead: 0 };
      const until = Date.now() + 20_000;
      for (;;) {
        if (options.shouldStop?.()) return total;
        const r = await drainOutbox(db, { consumers: withOrderLogs(outboxConsumers(db)) });
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

/**
 * Every line a consumer writes carries its row and the order number (SPEC: the order number
 * on every line of an order's life); a failure is logged here, once, with the attempt number.
 */
function withOrderLogs(consumers: Record<string, Consumer>): Record<string, Consumer> {
  return Object.fromEntries(
    Object.entries(consumers).map(([name, consume]) => [
      name,
      (row) => {
        const orderNo = typeof row.payload.orderNo === 'string' ? row.payload.orderNo : undefined;
        return withLogContext({ outboxId: row.id, consumer: name, ...(orderNo ? { orderNo } : {}) }, async () => {
          try {
            await consume(row);
            log('info', 'outbox row handled', { topic: row.topic, attempt: row.attempts });
          } catch (err) {
            log('warn', 'outbox row failed', { topic: row.topic, attempt: row.attempts, error: errorSummary(err) });
            throw err;
          }
        });
      },
    ]),
  );
}

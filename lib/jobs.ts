// The background jobs, shared by the cron routes and `npm run worker`.
import 'server-only';
import type { Db } from '@/db/client';
import { analyseFreshTables } from '@/db/statistics';
import { checkBalances, releaseDueCommissions } from '@/lib/agents';
import { deliveryConsumers } from '@/lib/dynamic-delivery';
import { mailConsumers } from '@/lib/mail';
import { expireOrders, reconcilePayments, resumeRefunds } from '@/lib/orders';
import { reviewRollouts } from '@/lib/payments';
import { log, withLogContext } from '@/lib/log';
import { drainOutbox, drainRows, trackOutbox, type Consumer, type DrainResult } from '@/lib/outbox';
import { errorSummary } from '@/lib/errors';
import { purgeChallengeUses, purgeRateLimits } from '@/lib/risk';
import { webhookConsumers } from '@/lib/webhooks';

export const JOBS = ['outbox', 'expire', 'reconcile', 'agents'] as const;
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
      return {
        expired: await expireOrders(db),
        rateLimitRowsPurged: await purgeRateLimits(db),
        challengeUsesPurged: await purgeChallengeUses(db),
        tablesAnalysed: await firstStatistics(db),
      };
    case 'reconcile':
      // Rollouts converting clearly worse than their method's others are rolled back here too.
      // …and refunds interrupted between the provider's answer and their record are finished.
      return { ...(await reconcilePayments(db)), rolledBack: (await reviewRollouts(db)).rolledBack.length, refundsResumed: await resumeRefunds(db) };
    case 'agents': {
      // Commission whose hold has passed becomes available; at most once an hour per process
      // (and on every cron call) every balance is recomputed from the ledger and compared.
      const released = await releaseDueCommissions(db);
      if (Date.now() - lastBalanceCheck < BALANCE_CHECK_MS) return { released };
      lastBalanceCheck = Date.now();
      const { agents, drift } = await checkBalances(db);
      return { released, balancesChecked: agents, balanceDrift: drift.length };
    }
  }
}

/** A new shop's hot tables get their first statistics here, not only at autovacuum's first pass (db/statistics.ts). */
async function firstStatistics(db: Db): Promise<number> {
  // The expiry's work is done by now: a failure here is logged, not the job's.
  const outcome = await analyseFreshTables(db).catch((err: unknown) => {
    log('warn', 'could not look for tables without statistics', { error: errorSummary(err) });
    return null;
  });
  if (!outcome) return 0;
  const { analysed, refused } = outcome;
  if (analysed.length) log('info', 'analysed tables that had no statistics', { tables: analysed });
  for (const { table, error } of refused) log('warn', 'could not analyse a table without statistics', { table, error: errorSummary(error) });
  return analysed.length;
}

const BALANCE_CHECK_MS = 60 * 60_000;
let lastBalanceCheck = -Infinity;

/** The next `agents` run recomputes the balances whatever the time (a cron call, a test). */
export function checkBalancesOnNextRun(): void {
  lastBalanceCheck = -Infinity;
}

/**
 * A row claimed after a response waits this long before a worker may take it again: the
 * worker's own lease, longer than a consumer can run (SMTP's connect, greeting and idle
 * timeouts in turn, a wait for a pooled SMTP connection, a wait for a database connection in a
 * storm); a shorter lease would let the worker send an e-mail the first drainer is still sending.
 */
export const FOLLOW_UP_LEASE_SECONDS = 120;

/**
 * Drains the outbox rows a request has just written (`ids`, collected by `trackOutbox`), right
 * after its response: the delivery e-mail and the merchant's webhooks leave within the second,
 * with no worker or cron running. Rows those consumers write in turn (a webhook fan-out's
 * sends, dynamic delivery's `order.delivered`) are drained in the next round, up to `rounds`
 * rounds and `budgetMs`. Same claim and lease as the worker: a row is handled by one drainer;
 * if this process dies, the row's lease runs out and the worker or cron takes it.
 */
export async function drainFollowUps(db: Db, ids: readonly number[], options: { rounds?: number; budgetMs?: number } = {}): Promise<DrainResult> {
  const total: DrainResult = { claimed: 0, done: 0, failed: 0, dead: 0 };
  const until = Date.now() + (options.budgetMs ?? 10_000);
  const consumers = withOrderLogs(outboxConsumers(db));
  let next = [...ids];
  for (let round = 0; round < (options.rounds ?? 4) && next.length > 0 && Date.now() < until; round++) {
    const these = next;
    next = [];
    const r = await trackOutbox(
      () => drainRows(db, these, { consumers, leaseSeconds: FOLLOW_UP_LEASE_SECONDS }),
      (written) => (next = written),
    );
    total.claimed += r.claimed;
    total.done += r.done;
    total.failed += r.failed;
    total.dead += r.dead;
  }
  return total;
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

// Side effects within a second on any host: a request that wrote outbox rows drains exactly
// those rows once its response has been sent (Next's `after()`, which Vercel Functions keep
// alive through `waitUntil` and the Node server simply runs). The worker or cron stays the
// safety net: rows are claimed with the same lease, so a row is run once, and a process that
// dies mid-drain leaves its rows to them when the lease runs out.
import 'server-only';
import { after } from 'next/server';
import { getDb } from '@/db/client';
import { getConfig } from '@/lib/config';
import { errorSummary } from '@/lib/errors';
import { drainFollowUps } from '@/lib/jobs';
import { log } from '@/lib/log';
import { reconcileOrder } from '@/lib/orders';
import { trackOutbox } from '@/lib/outbox';

/** Runs `task` after the response; outside a request (a script, a test calling a handler) it is skipped. */
function afterResponse(what: string, task: () => Promise<unknown>): void {
  try {
    after(() =>
      task().catch((err: unknown) =>
        // Nothing is lost: rows stay pending (or leased) for the worker or cron.
        log('warn', `${what} after the response failed`, { error: errorSummary(err) }),
      ),
    );
  } catch {
    // No request scope: the worker or cron does it, as with DRAIN_AFTER_RESPONSE=false.
  }
}

/** Runs an adapter's work; the outbox rows it wrote are drained after the response. */
export function withFollowUps<T>(fn: () => Promise<T>): Promise<T> {
  if (!getConfig().drainAfterResponse) return fn();
  return trackOutbox(fn, (ids) => afterResponse('draining', () => drainFollowUps(getDb(), ids)));
}

/**
 * A buyer is waiting on a pending order's page: after the page is sent, ask the provider
 * about it (at most once a minute per order, lib/orders reconcileOrder), and deliver what
 * that finds at once. This keeps lost notifications from waiting for the periodic job, which
 * runs once a day on Vercel's Hobby plan.
 */
export function reconcileAfterResponse(orderNo: string): void {
  if (!getConfig().drainAfterResponse) return;
  afterResponse('reconciling', async () => {
    const db = getDb();
    let written: number[] = [];
    await trackOutbox(
      () => reconcileOrder(db, orderNo),
      (ids) => (written = ids),
    );
    if (written.length > 0) await drainFollowUps(db, written);
  });
}

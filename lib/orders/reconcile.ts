import 'server-only';
import { guardedFetch } from '@/lib/notify/outbound';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { errorSummary } from '@/lib/errors';
import { log } from '@/lib/log';
import { loadChannel } from '@/lib/payments';
import { applyPayment } from './notify';

export type ReconcileResult = { checked: number; recovered: number; errors: number };

/**
 * Lost notifications: asks the provider about unpaid orders old enough for a notification to
 * have arrived, and applies the payments it reports. Expired orders stay in view for three
 * days (a shop whose notify URL was down longer than the provider's retry hour must still
 * find its paid orders), asked less often as they age: every 5 minutes in the first hour,
 * every 30 minutes in the first day, every 2 hours after. Provider calls run outside any
 * transaction, a few at a time, until the time budget is spent.
 */
export async function reconcilePayments(
  db: Db,
  options: { batchSize?: number; minAgeSeconds?: number; budgetMs?: number; parallel?: number; fetchImpl?: typeof fetch } = {},
): Promise<ReconcileResult> {
  // Gateways are merchant-configured addresses: public ones only in production.
  const fetchImpl = options.fetchImpl ?? guardedFetch;
  const until = Date.now() + (options.budgetMs ?? 40_000);
  const parallel = options.parallel ?? 5;
  const result: ReconcileResult = { checked: 0, recovered: 0, errors: 0 };
  while (Date.now() < until) {
    const claimed = await db.execute<{ order_no: string; channel_id: string }>(sql`
      UPDATE orders o SET checked_at = now()
        FROM (SELECT id FROM orders
               WHERE (status = 'pending' OR (status = 'expired' AND expires_at > now() - interval '3 days'))
                 AND created_at < now() - make_interval(secs => ${options.minAgeSeconds ?? 120})
                 AND (checked_at IS NULL OR checked_at < now() - CASE
                        WHEN expires_at > now() - interval '1 hour' THEN interval '5 minutes'
                        WHEN expires_at > now() - interval '1 day' THEN interval '30 minutes'
                        ELSE interval '2 hours' END)
               ORDER BY checked_at NULLS FIRST, created_at
               LIMIT ${options.batchSize ?? 50}
               FOR UPDATE SKIP LOCKED) due
       WHERE o.id = due.id
   RETURNING o.order_no, o.channel_id`);
    if (claimed.length === 0) break;
    for (let i = 0; i < claimed.length; i += parallel) {
      await Promise.all(claimed.slice(i, i + parallel).map((row) => checkOne(db, row, fetchImpl, result)));
    }
  }
  return result;
}

async function checkOne(db: Db, row: { order_no: string; channel_id: string }, fetchImpl: typeof fetch, result: ReconcileResult) {
  const channel = await loadChannel(db, row.channel_id);
  if (!channel?.driver.queryPayment) return;
  result.checked++;
  try {
    const found = await channel.driver.queryPayment(channel.config, row.order_no, fetchImpl);
    if (!found?.paid || !found.tradeNo) return;
    const applied = await applyPayment(db, row.channel_id, {
      outTradeNo: row.order_no,
      tradeNo: found.tradeNo,
      amount: found.amount ?? -1,
      currency: found.currency ?? '',
      raw: { source: 'order_query' },
    });
    if (applied.outcome === 'delivered' || applied.outcome === 'paid' || applied.outcome === 'awaiting_fulfillment') result.recovered++;
    log('info', 'reconciled payment', { orderNo: row.order_no, outcome: applied.outcome, reason: applied.reason });
  } catch (err) {
    result.errors++;
    log('warn', 'payment query failed', { orderNo: row.order_no, channelId: row.channel_id, error: errorSummary(err) });
  }
}

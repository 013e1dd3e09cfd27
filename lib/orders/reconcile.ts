import 'server-only';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { errorSummary } from '@/lib/errors';
import { log } from '@/lib/log';
import { loadChannel } from '@/lib/payments';
import { applyPayment } from './notify';

export type ReconcileResult = { checked: number; recovered: number; errors: number };

/**
 * Lost notifications: asks the provider about unpaid orders that are old enough for a
 * notification to have arrived (and expired orders within the hour a provider keeps
 * retrying), and applies the payments it reports. Each order is asked at most every five
 * minutes; provider calls happen outside any transaction.
 */
export async function reconcilePayments(
  db: Db,
  options: { limit?: number; minAgeSeconds?: number; fetchImpl?: typeof fetch } = {},
): Promise<ReconcileResult> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const claimed = await db.execute<{ order_no: string; channel_id: string; amount: string; currency: string }>(sql`
    UPDATE orders o SET checked_at = now()
      FROM (SELECT id FROM orders
             WHERE (status = 'pending' OR (status = 'expired' AND expires_at > now() - interval '1 hour'))
               AND created_at < now() - make_interval(secs => ${options.minAgeSeconds ?? 120})
               AND (checked_at IS NULL OR checked_at < now() - interval '5 minutes')
             ORDER BY created_at
             LIMIT ${options.limit ?? 50}
             FOR UPDATE SKIP LOCKED) due
     WHERE o.id = due.id
 RETURNING o.order_no, o.channel_id, o.amount, o.currency`);
  const result: ReconcileResult = { checked: 0, recovered: 0, errors: 0 };
  for (const row of claimed) {
    const channel = await loadChannel(db, row.channel_id);
    if (!channel?.driver.queryPayment) continue;
    result.checked++;
    try {
      const found = await channel.driver.queryPayment(channel.config, row.order_no, fetchImpl);
      if (!found?.paid || !found.tradeNo) continue;
      const applied = await applyPayment(db, row.channel_id, {
        outTradeNo: row.order_no,
        tradeNo: found.tradeNo,
        amount: found.amount ?? -1,
        currency: found.currency ?? '',
        raw: { source: 'order_query' },
      });
      if (applied.outcome === 'delivered' || applied.outcome === 'awaiting_fulfillment') result.recovered++;
      log('info', 'reconciled payment', { orderNo: row.order_no, outcome: applied.outcome, reason: applied.reason });
    } catch (err) {
      result.errors++;
      log('warn', 'payment query failed', { orderNo: row.order_no, channelId: row.channel_id, error: errorSummary(err) });
    }
  }
  return result;
}

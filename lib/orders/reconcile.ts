import 'server-only';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { errorSummary } from '@/lib/errors';
import { log } from '@/lib/log';
import { guardedFetch } from '@/lib/outbound';
import { loadChannel, type AttemptRef } from '@/lib/payments';
import { openAttemptsOfOrder } from './payment-attempt';
import { recordMismatch, verifyRecordedPayments } from './mismatches';
import { applyPayment } from './payment-notification';

export type ReconcileResult = { checked: number; recovered: number; errors: number; verified?: number; mismatches?: number };

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
  // Payments recorded from notifications are confirmed with their provider once.
  Object.assign(result, await verifyRecordedPayments(db, fetchImpl, { minAgeSeconds: options.minAgeSeconds ?? 120 }));
  // The last run's figures, for the console (one row, whichever instance ran it).
  await db.execute(sql`
    INSERT INTO platform_settings (key, value, updated_at)
    VALUES ('reconcile.last', ${JSON.stringify({ ...result, at: new Date().toISOString() })}::jsonb, now())
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`);
  return result;
}

/**
 * One order, asked about because its buyer is waiting on the pay or order page: where the
 * periodic job runs rarely (once a day on Vercel's Hobby plan), a lost notification is still
 * found while the buyer watches. At most once per `everySeconds` per order, however many
 * pages poll (the claim is one guarded UPDATE), and only once the order is `minAgeSeconds` old.
 */
export async function reconcileOrder(
  db: Db,
  orderNo: string,
  options: { minAgeSeconds?: number; everySeconds?: number; fetchImpl?: typeof fetch } = {},
): Promise<ReconcileResult> {
  const result: ReconcileResult = { checked: 0, recovered: 0, errors: 0 };
  const [row] = await db.execute<{ order_no: string; channel_id: string }>(sql`
    UPDATE orders SET checked_at = now()
     WHERE order_no = ${orderNo}
       AND (status = 'pending' OR (status = 'expired' AND expires_at > now() - interval '1 hour'))
       AND created_at < now() - make_interval(secs => ${options.minAgeSeconds ?? 60})
       AND (checked_at IS NULL OR checked_at < now() - make_interval(secs => ${options.everySeconds ?? 60}))
 RETURNING order_no, channel_id`);
  if (row) await checkOne(db, row, options.fetchImpl ?? guardedFetch, result);
  return result;
}

export type ReconcileStats = {
  /** The last run of the job, across the platform; null before the first. */
  lastRun: (ReconcileResult & { at: string }) | null;
  /** This merchant's payments found by asking the provider, in the last 7 days. */
  recoveredLast7Days: number;
  /** This merchant's unpaid orders still being asked about (pending, or expired within 3 days). */
  watched: number;
};

export async function reconcileStats(db: Db, merchantId: string): Promise<ReconcileStats> {
  const [row] = await db.execute<{ last: (ReconcileResult & { at: string }) | null; recovered: string; watched: string }>(sql`
    SELECT (SELECT value FROM platform_settings WHERE key = 'reconcile.last') AS last,
           -- Through the orders paid this week (orders_merchant_paid_idx), not a scan of payments.
           (SELECT count(*) FROM orders o JOIN payments p ON p.order_id = o.id
             WHERE o.merchant_id = ${merchantId} AND o.paid_at > now() - interval '7 days' AND p.raw->>'source' = 'order_query') AS recovered,
           -- An order expires at most a day after it is created: expired within 3 days means created within 4.
           (SELECT count(*) FROM orders WHERE merchant_id = ${merchantId} AND status = 'pending') +
           (SELECT count(*) FROM orders WHERE merchant_id = ${merchantId} AND status = 'expired'
               AND created_at > now() - interval '4 days' AND expires_at > now() - interval '3 days') AS watched`);
  return { lastRun: row?.last ?? null, recoveredLast7Days: Number(row?.recovered ?? 0), watched: Number(row?.watched ?? 0) };
}

async function checkOne(db: Db, row: { order_no: string; channel_id: string }, fetchImpl: typeof fetch, result: ReconcileResult) {
  // Each open attempt is asked of the channel it was created on (a failover's backup too);
  // an order on a local channel (epay) is asked about by its order number.
  const attempts: { channelId: string; ref: AttemptRef }[] = (await openAttemptsOfOrder(db, row.order_no)).map((a) => ({
    channelId: a.channelId,
    ref: { outTradeNo: a.outTradeNo, providerRef: a.providerRef, amount: a.amount, currency: a.currency },
  }));
  const asks = [...attempts];
  const own = await loadChannel(db, row.channel_id, { fresh: true });
  if (own?.driver.creates === 'local') asks.push({ channelId: row.channel_id, ref: { outTradeNo: row.order_no, providerRef: null, amount: -1, currency: '' } });
  for (const ask of asks) {
    // Fresh, not the process cache: a payment found here is applied with the credentials of this moment.
    const channel = ask.channelId === row.channel_id ? own : await loadChannel(db, ask.channelId, { fresh: true });
    if (!channel?.driver.queryPayment) continue;
    result.checked++;
    try {
      const found = await channel.driver.queryPayment(channel.config, ask.ref, fetchImpl);
      if (!found?.paid || !found.tradeNo) continue;
      const applied = await applyPayment(
        db,
        ask.channelId,
        { outTradeNo: ask.ref.outTradeNo, tradeNo: found.tradeNo, amount: found.amount ?? -1, currency: found.currency ?? '', raw: { source: 'order_query' } },
        channel.driver.creates,
      );
      if (applied.outcome === 'delivered' || applied.outcome === 'paid' || applied.outcome === 'awaiting_fulfillment') {
        result.recovered++;
        const [o] = await db.execute<{ id: string; merchant_id: string; amount: string; currency: string }>(
          sql`SELECT id, merchant_id, amount, currency FROM orders WHERE order_no = ${row.order_no}`,
        );
        if (o) {
          await recordMismatch(db, {
            merchantId: o.merchant_id,
            orderId: o.id,
            orderNo: row.order_no,
            channelId: ask.channelId,
            outTradeNo: ask.ref.outTradeNo,
            kind: 'paid_not_recorded',
            resolution: 'recovered',
            expectedAmount: Number(o.amount),
            providerAmount: found.amount ?? null,
            currency: o.currency,
          });
        }
      }
      // Paid there with another amount: held, not delivered, and listed.
      if (applied.mismatch)
        await recordMismatch(db, { ...applied.mismatch, kind: 'amount_different', resolution: 'held', providerAmount: found.amount ?? null });
      log('info', 'reconciled payment', { orderNo: row.order_no, outTradeNo: ask.ref.outTradeNo, outcome: applied.outcome, reason: applied.reason });
    } catch (err) {
      result.errors++;
      log('warn', 'payment query failed', { orderNo: row.order_no, channelId: ask.channelId, error: errorSummary(err) });
    }
  }
}

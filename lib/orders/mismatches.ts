// Reconciliation you can see (SPEC §5 "Reconciliation"): every difference found between a
// provider and the shop is kept, once per (channel, out_trade_no, kind), with what was done
// about it: a payment the provider has and the shop had not (recovered and delivered), a
// payment of another amount (held: not delivered; the merchant alerted), a payment the shop
// recorded that the provider does not know (the merchant alerted). The console shows the
// last 30 days with the mismatch rate per day; /api/metrics the counts.
import 'server-only';
import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/db/client';
import { paymentMismatches } from '@/db/schema';
import { errorSummary } from '@/lib/errors';
import { log } from '@/lib/log';
import { enqueue } from '@/lib/outbox';
import { loadChannel } from '@/lib/payments';

export type MismatchKind = 'paid_not_recorded' | 'amount_different' | 'unknown_there';
export type MismatchResolution = 'recovered' | 'held' | 'alerted';

export type Mismatch = {
  merchantId: string;
  orderId: string;
  orderNo: string;
  channelId: string;
  outTradeNo: string;
  kind: MismatchKind;
  resolution: MismatchResolution;
  expectedAmount: number;
  providerAmount: number | null;
  currency: string;
};

/** Keeps a mismatch (once); one that needs the merchant (held, alerted) is sent to them. */
export async function recordMismatch(db: DbOrTx, m: Mismatch): Promise<void> {
  const [row] = await db
    .insert(paymentMismatches)
    .values({
      merchantId: m.merchantId,
      orderId: m.orderId,
      channelId: m.channelId,
      outTradeNo: m.outTradeNo,
      kind: m.kind,
      resolution: m.resolution,
      expectedAmount: m.expectedAmount,
      providerAmount: m.providerAmount,
      currency: m.currency,
    })
    .onConflictDoNothing()
    .returning({ id: paymentMismatches.id });
  if (!row) return;
  log('warn', 'payment mismatch', { orderNo: m.orderNo, outTradeNo: m.outTradeNo, kind: m.kind, resolution: m.resolution });
  if (m.resolution === 'recovered') return;
  await enqueue(db, {
    merchantId: m.merchantId,
    topic: 'payment.mismatch',
    eventKey: `mismatch:${row.id}`,
    payload: {
      orderId: m.orderId,
      orderNo: m.orderNo,
      outTradeNo: m.outTradeNo,
      kind: m.kind,
      amount: m.expectedAmount,
      providerAmount: m.providerAmount,
      currency: m.currency,
    },
  });
}

/**
 * Confirms with the provider, once, each payment recorded from a notification a few minutes
 * ago (paid here; is it paid there?). One the provider does not know as paid, or knows with
 * another amount, is a mismatch the merchant hears of.
 */
export async function verifyRecordedPayments(
  db: Db,
  fetchImpl: typeof fetch,
  options: { minAgeSeconds?: number; limit?: number } = {},
): Promise<{ verified: number; mismatches: number }> {
  const due = await db.execute<{
    id: string;
    order_id: string;
    order_no: string;
    merchant_id: string;
    channel_id: string;
    out_trade_no: string;
    provider_ref: string | null;
    amount: string;
    currency: string;
  }>(sql`
    UPDATE payment_attempts a SET verified_at = now()
      FROM (SELECT id FROM payment_attempts
             WHERE status = 'paid' AND verified_at IS NULL
               AND paid_at < now() - make_interval(secs => ${options.minAgeSeconds ?? 120}) AND paid_at > now() - interval '3 days'
             ORDER BY paid_at LIMIT ${options.limit ?? 50} FOR UPDATE SKIP LOCKED) d, orders o
     WHERE a.id = d.id AND o.id = a.order_id
 RETURNING a.id, a.order_id, o.order_no, a.merchant_id, a.channel_id, a.out_trade_no, a.provider_ref, a.amount, a.currency`);
  let mismatches = 0;
  for (const a of due) {
    const channel = await loadChannel(db, a.channel_id, { fresh: true });
    if (!channel?.driver.queryPayment) continue;
    const amount = Number(a.amount);
    try {
      const found = await channel.driver.queryPayment(
        channel.config,
        { outTradeNo: a.out_trade_no, providerRef: a.provider_ref, amount, currency: a.currency },
        fetchImpl,
      );
      if (found === null) continue;
      const base = {
        merchantId: a.merchant_id,
        orderId: a.order_id,
        orderNo: a.order_no,
        channelId: a.channel_id,
        outTradeNo: a.out_trade_no,
        expectedAmount: amount,
        currency: a.currency,
      };
      if (!found.paid) {
        mismatches++;
        await recordMismatch(db, { ...base, kind: 'unknown_there', resolution: 'alerted', providerAmount: null });
      } else if (found.amount !== undefined && found.amount !== amount) {
        mismatches++;
        await recordMismatch(db, { ...base, kind: 'amount_different', resolution: 'alerted', providerAmount: found.amount });
      }
    } catch (err) {
      // Asked once: a provider that cannot answer now is asked by the next payment's check, not this one's.
      log('warn', 'payment verification failed', { orderNo: a.order_no, channelId: a.channel_id, error: errorSummary(err) });
    }
  }
  return { verified: due.length, mismatches };
}

export type MismatchRow = Omit<Mismatch, 'merchantId' | 'orderId'> & { id: number; channelName: string; createdAt: string };
export type MismatchDay = { day: string; payments: number; mismatches: number };

/** The merchant's mismatches of the last 30 days, newest first, and per day: payments, mismatches. */
export async function mismatchReport(db: DbOrTx, merchantId: string): Promise<{ rows: MismatchRow[]; days: MismatchDay[]; rate: number }> {
  const [rows, days] = await Promise.all([
    db.execute<{
      id: string;
      order_no: string;
      channel_id: string;
      channel_name: string;
      out_trade_no: string;
      kind: MismatchKind;
      resolution: MismatchResolution;
      expected_amount: string;
      provider_amount: string | null;
      currency: string;
      created_at: Date;
    }>(sql`
      SELECT m.id, o.order_no, m.channel_id, c.name AS channel_name, m.out_trade_no, m.kind, m.resolution, m.expected_amount, m.provider_amount, m.currency, m.created_at
        FROM payment_mismatches m JOIN orders o ON o.id = m.order_id JOIN payment_channels c ON c.id = m.channel_id
       WHERE m.merchant_id = ${merchantId} AND m.created_at > now() - interval '30 days'
       ORDER BY m.created_at DESC LIMIT 200`),
    db.execute<{ day: string; payments: string; mismatches: string }>(sql`
      WITH p AS (SELECT date_trunc('day', created_at)::date AS day, count(*) AS n FROM payments
                  WHERE merchant_id = ${merchantId} AND created_at > now() - interval '30 days' GROUP BY 1),
           m AS (SELECT date_trunc('day', created_at)::date AS day, count(*) AS n FROM payment_mismatches
                  WHERE merchant_id = ${merchantId} AND created_at > now() - interval '30 days' GROUP BY 1)
      SELECT coalesce(p.day, m.day)::text AS day, coalesce(p.n, 0) AS payments, coalesce(m.n, 0) AS mismatches
        FROM p FULL JOIN m ON m.day = p.day ORDER BY 1 DESC`),
  ]);
  const payments = days.reduce((s, d) => s + Number(d.payments), 0);
  const mismatches = days.reduce((s, d) => s + Number(d.mismatches), 0);
  return {
    rows: rows.map((r) => ({
      id: Number(r.id),
      orderNo: r.order_no,
      channelId: r.channel_id,
      channelName: r.channel_name,
      outTradeNo: r.out_trade_no,
      kind: r.kind,
      resolution: r.resolution,
      expectedAmount: Number(r.expected_amount),
      providerAmount: r.provider_amount == null ? null : Number(r.provider_amount),
      currency: r.currency,
      createdAt: new Date(r.created_at).toISOString(),
    })),
    days: days.map((d) => ({ day: d.day, payments: Number(d.payments), mismatches: Number(d.mismatches) })),
    rate: payments === 0 ? 0 : mismatches / payments,
  };
}

// Merchant reports for the console home: period figures, the revenue series, the
// weekday × hour heat map and low stock. Each report is one SQL statement scoped by merchant,
// walking the orders indexes (merchant_id, created_at, id) / (merchant_id, status, created_at, id).
// Days and hours are those of Asia/Shanghai, the platform's business time zone.
import 'server-only';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { BUSINESS_TIME_ZONE } from '@/lib/i18n';

export const REPORT_TIME_ZONE = BUSINESS_TIME_ZONE;
// China has kept UTC+8 without daylight saving since 1991, so a fixed offset gives the same
// day boundaries as the zone database; SQL uses the zone name for the same result.
const TZ_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

export const PERIODS = ['today', '7d', '30d'] as const;
export type Period = (typeof PERIODS)[number];
export type Range = { from: Date; to: Date };
export type Bucket = 'hour' | 'day';

/** Orders that were paid and kept their money: refunded ones are not revenue. */
const KEPT_PAID = sql.raw(`('paid', 'delivered', 'awaiting_fulfillment')`);

export function parsePeriod(raw: unknown): Period {
  return typeof raw === 'string' && (PERIODS as readonly string[]).includes(raw) ? (raw as Period) : 'today';
}

/** Midnight in Shanghai of the day `now` falls on there, `daysBack` days earlier. */
export function shanghaiDayStart(now: Date, daysBack = 0): Date {
  const local = now.getTime() + TZ_OFFSET_MS;
  return new Date(Math.floor(local / DAY_MS) * DAY_MS - daysBack * DAY_MS - TZ_OFFSET_MS);
}

/** today: since midnight, by hour; 7d / 30d: the last 7 / 30 calendar days including today, by day. */
export function periodRange(period: Period, now = new Date()): Range & { bucket: Bucket } {
  const days = period === 'today' ? 1 : period === '7d' ? 7 : 30;
  return { from: shanghaiDayStart(now, days - 1), to: now, bucket: period === 'today' ? 'hour' : 'day' };
}

const iso = (d: Date) => d.toISOString();
const num = (v: unknown) => (v == null ? 0 : Number(v));

export type AwaitingOrder = { orderNo: string; productTitle: string; amount: number; currency: string; paidAt: string | null; createdAt: string };
export type DashboardSummary = {
  /** Amount of orders paid in the range (refunded excluded), per currency, largest first. */
  revenue: { currency: string; amount: number; orders: number }[];
  /** Orders created in the range. */
  created: number;
  /** Of those, how many reached paid (paid, awaiting fulfilment, delivered or refunded later). */
  paid: number;
  /** paid / created, or null with no orders. */
  conversion: number | null;
  /** Mean seconds from payment to delivery over orders paid in the range and delivered; null if none. */
  avgDeliverySeconds: number | null;
  awaiting: { count: number; oldest: AwaitingOrder[] };
  outbox: { pending: number; oldestPendingSeconds: number | null; dead: number };
};

/**
 * The dashboard's figures for one merchant and range in one statement. The created and
 * reached-paid counts are index-only scans; the paid-in-range part (revenue, delivery time) reads
 * paid_at, which no index holds, so it scans the merchant's rows: ~100-300 ms for a 30-day month
 * of a shop with 10,000 orders a day. A partial index on (merchant_id, paid_at) INCLUDE (status,
 * amount, currency, delivered_at) would make it an index-only range scan (not in the schema yet).
 */
export async function dashboardSummary(db: DbOrTx, merchantId: string, range: Range, opts: { oldest?: number } = {}): Promise<DashboardSummary> {
  const from = iso(range.from);
  const to = iso(range.to);
  const oldest = Math.min(Math.max(opts.oldest ?? 5, 1), 20);
  const [row] = await db.execute<{
    created: string;
    paid: string;
    revenue: { currency: string; amount: string; orders: string }[] | null;
    avg_delivery: string | null;
    awaiting_count: string;
    awaiting_oldest: { order_no: string; title: string; amount: string; currency: string; paid_at: string | null; created_at: string }[] | null;
    outbox_pending: string;
    outbox_oldest: string | null;
    outbox_dead: string;
  }>(sql`
    WITH paid AS (
      -- One pass over the orders paid in the range: revenue per currency and delivery-time sums.
      SELECT currency, sum(amount) AS amount, count(*) AS orders,
             sum(extract(epoch FROM delivered_at - paid_at)) AS delivery_seconds, count(delivered_at) AS delivered
        FROM orders
       WHERE merchant_id = ${merchantId} AND status IN ${KEPT_PAID}
         AND paid_at >= ${from}::timestamptz AND paid_at < ${to}::timestamptz
       GROUP BY currency
    )
    SELECT
      -- Index-only counts: created from (merchant_id, created_at, id), reached-paid from
      -- (merchant_id, status, created_at, id); every status but pending/expired has been paid.
      (SELECT count(*) FROM orders
        WHERE merchant_id = ${merchantId} AND created_at >= ${from}::timestamptz AND created_at < ${to}::timestamptz) AS created,
      (SELECT count(*) FROM orders
        WHERE merchant_id = ${merchantId} AND status IN ('paid', 'delivered', 'awaiting_fulfillment', 'refunded')
          AND created_at >= ${from}::timestamptz AND created_at < ${to}::timestamptz) AS paid,
      (SELECT json_agg(json_build_object('currency', currency, 'amount', amount, 'orders', orders) ORDER BY amount DESC) FROM paid) AS revenue,
      (SELECT sum(delivery_seconds) / nullif(sum(delivered), 0) FROM paid) AS avg_delivery,
      (SELECT count(*) FROM orders WHERE merchant_id = ${merchantId} AND status = 'awaiting_fulfillment') AS awaiting_count,
      (SELECT json_agg(a ORDER BY a.created_at, a.id)
         FROM (SELECT o.id, o.order_no, o.amount, o.currency, o.paid_at, o.created_at, p.title
                 FROM (SELECT * FROM orders
                        WHERE merchant_id = ${merchantId} AND status = 'awaiting_fulfillment'
                        ORDER BY created_at, id LIMIT ${oldest}) o
                 JOIN products p ON p.id = o.product_id) a) AS awaiting_oldest,
      (SELECT count(*) FROM outbox WHERE merchant_id = ${merchantId} AND status = 'pending') AS outbox_pending,
      (SELECT extract(epoch FROM now() - min(created_at)) FROM outbox WHERE merchant_id = ${merchantId} AND status = 'pending') AS outbox_oldest,
      (SELECT count(*) FROM outbox WHERE merchant_id = ${merchantId} AND status = 'dead') AS outbox_dead`);
  const created = num(row?.created);
  const paid = num(row?.paid);
  return {
    revenue: (row?.revenue ?? []).map((r) => ({ currency: r.currency, amount: num(r.amount), orders: num(r.orders) })),
    created,
    paid,
    conversion: created > 0 ? paid / created : null,
    avgDeliverySeconds: row?.avg_delivery == null ? null : Number(row.avg_delivery),
    awaiting: {
      count: num(row?.awaiting_count),
      oldest: (row?.awaiting_oldest ?? []).map((a) => ({
        orderNo: a.order_no,
        productTitle: a.title,
        amount: num(a.amount),
        currency: a.currency,
        paidAt: a.paid_at ? new Date(a.paid_at).toISOString() : null,
        createdAt: new Date(a.created_at).toISOString(),
      })),
    },
    outbox: {
      pending: num(row?.outbox_pending),
      oldestPendingSeconds: row?.outbox_oldest == null ? null : Math.max(0, Math.round(Number(row.outbox_oldest))),
      dead: num(row?.outbox_dead),
    },
  };
}

export type SeriesPoint = {
  /** Shanghai local time of the bucket: `YYYY-MM-DD` (day) or `YYYY-MM-DD HH:00` (hour). */
  bucket: string;
  orders: number;
  /** Revenue per currency in the bucket (only currencies with sales). */
  amounts: Record<string, number>;
};

/** Paid revenue per hour or day over the range, every bucket present (zeros included). */
export async function revenueSeries(db: DbOrTx, merchantId: string, range: Range & { bucket: Bucket }): Promise<SeriesPoint[]> {
  const unit = range.bucket === 'hour' ? 'hour' : 'day';
  const step = sql.raw(`interval '1 ${unit}'`);
  const label = sql.raw(unit === 'hour' ? `'YYYY-MM-DD HH24:00'` : `'YYYY-MM-DD'`);
  const from = iso(range.from);
  const to = iso(range.to);
  const rows = await db.execute<{ bucket: string; currency: string | null; amount: string | null; orders: string | null }>(sql`
    WITH buckets AS (
      SELECT generate_series(
               date_trunc(${unit}, ${from}::timestamptz AT TIME ZONE ${REPORT_TIME_ZONE}),
               date_trunc(${unit}, (${to}::timestamptz - interval '1 microsecond') AT TIME ZONE ${REPORT_TIME_ZONE}),
               ${step}) AS t
    ), sales AS (
      SELECT date_trunc(${unit}, paid_at AT TIME ZONE ${REPORT_TIME_ZONE}) AS t, currency, sum(amount) AS amount, count(*) AS orders
        FROM orders
       WHERE merchant_id = ${merchantId} AND status IN ${KEPT_PAID}
         AND paid_at >= ${from}::timestamptz AND paid_at < ${to}::timestamptz
       GROUP BY 1, 2
    )
    SELECT to_char(b.t, ${label}) AS bucket, s.currency, s.amount, s.orders
      FROM buckets b LEFT JOIN sales s ON s.t = b.t
     ORDER BY b.t, s.currency`);
  const points: SeriesPoint[] = [];
  for (const r of rows) {
    let p = points[points.length - 1];
    if (!p || p.bucket !== r.bucket) {
      p = { bucket: r.bucket, orders: 0, amounts: {} };
      points.push(p);
    }
    if (r.currency) {
      p.amounts[r.currency] = num(r.amount);
      p.orders += num(r.orders);
    }
  }
  return points;
}

export type Heatmap = {
  /** cells[weekday][hour]: paid orders; weekday 0 = Monday … 6 = Sunday, Shanghai time. */
  cells: number[][];
  max: number;
  total: number;
};

/** Paid orders (refunded excluded) by weekday and hour of payment, Shanghai time. */
export async function salesHeatmap(db: DbOrTx, merchantId: string, range: Range): Promise<Heatmap> {
  const from = iso(range.from);
  const to = iso(range.to);
  // The zone conversion is done once per row, in the inner query; the outer one only groups.
  const rows = await db.execute<{ dow: number; hour: number; n: string }>(sql`
    SELECT extract(isodow FROM local)::int - 1 AS dow, extract(hour FROM local)::int AS hour, count(*) AS n
      FROM (SELECT date_trunc('hour', paid_at AT TIME ZONE ${REPORT_TIME_ZONE}) AS local
              FROM orders
             WHERE merchant_id = ${merchantId} AND status IN ${KEPT_PAID}
               AND paid_at >= ${from}::timestamptz AND paid_at < ${to}::timestamptz) paid
     GROUP BY local`);
  const cells = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  let max = 0;
  let total = 0;
  for (const r of rows) {
    // Grouped by local hour, so a weekday/hour cell gathers several dates: add them up.
    const row = cells[Number(r.dow)]!;
    const n = (row[Number(r.hour)] ?? 0) + num(r.n);
    row[Number(r.hour)] = n;
    max = Math.max(max, n);
    total += num(r.n);
  }
  return { cells, max, total };
}

export type LowStockProduct = { id: string; title: string; available: number; stockAlert: number; active: boolean };

/**
 * Auto-delivery products whose available keys are at or below their alert threshold, emptiest
 * first. The count is capped just above the threshold, so a product with deep stock costs a few
 * index entries, not its whole stock (card_keys_available_idx is partial on status = 'available').
 */
export async function lowStockProducts(db: DbOrTx, merchantId: string, opts: { limit?: number } = {}): Promise<LowStockProduct[]> {
  const limit = Math.min(Math.max(opts.limit ?? 10, 1), 100);
  const rows = await db.execute<{ id: string; title: string; available: string; stock_alert: number; active: boolean }>(sql`
    SELECT p.id, p.title, k.available, p.stock_alert, p.active
      FROM products p
     CROSS JOIN LATERAL (
       SELECT count(*) AS available
         FROM (SELECT 1 FROM card_keys c
                WHERE c.product_id = p.id AND c.status = 'available'
                LIMIT p.stock_alert + 1) capped
     ) k
     WHERE p.merchant_id = ${merchantId} AND p.delivery_type = 'auto' AND p.active
       AND k.available <= p.stock_alert
     ORDER BY k.available, p.sort, p.created_at
     LIMIT ${limit}`);
  return rows.map((r) => ({ id: r.id, title: r.title, available: num(r.available), stockAlert: Number(r.stock_alert), active: r.active }));
}

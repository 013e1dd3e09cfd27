// Operational metrics for /api/metrics, in the Prometheus text exposition format (0.0.4).
// Every figure is read from PostgreSQL at scrape time, not counted in process memory: the
// shop runs as many stateless instances (Vercel functions, several Node processes), and an
// in-process registry (prom-client's) would give each scrape one instance's share. So the
// gauges are SQL aggregates, rendered by hand, and any instance answers for the whole shop.
import 'server-only';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { orderStatus } from '@/db/schema';
import { subscriptions } from '@/lib/outbox';

export type Sample = { labels?: Record<string, string>; value: number; suffix?: string };
export type Metric = { name: string; help: string; type: 'gauge' | 'counter' | 'histogram'; samples: Sample[] };

/** Upper bounds (seconds) of the payment→delivery histogram: auto delivery is sub-second; retries and manual fulfilment are minutes. */
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] as const;

/** The topic whose consumers deliver to the buyer (the e-mail today; more subscribe in lib/outbox). */
const DELIVERY_TOPIC = 'order.delivered';

export async function collectMetrics(db: DbOrTx): Promise<Metric[]> {
  const [orderRows, latency, outboxRows, lag, mismatchRows] = await Promise.all([
    // One pass over the orders (an index-only scan where the visibility map allows).
    db.execute<{ status: string; n: string }>(sql`SELECT status::text AS status, count(*) AS n FROM orders GROUP BY status`),
    // Orders delivered in the last hour, per merchant through the (merchant_id, status,
    // created_at) index: an order is delivered within a day of its creation (expiry is
    // minutes; a late payment arrives within the provider's retry hour), so the created_at
    // bound loses nothing real and keeps the scan to recent rows.
    db.execute<Record<string, string | number | null>>(sql`
      SELECT count(*) AS n,
             coalesce(sum(x.s), 0)::float8 AS sum,
             ${sql.join(
               LATENCY_BUCKETS.map((le, i) => sql`count(*) FILTER (WHERE x.s <= ${le}::float8) AS ${sql.identifier(`b${i}`)}`),
               sql`, `,
             )}
        FROM merchants m
        CROSS JOIN LATERAL (
          SELECT greatest(0, EXTRACT(EPOCH FROM o.delivered_at - o.paid_at))::float8 AS s
            FROM orders o
           WHERE o.merchant_id = m.id
             AND o.status IN ('delivered', 'refunded')
             AND o.created_at > now() - interval '1 day'
             AND o.delivered_at > now() - interval '1 hour'
             AND o.paid_at IS NOT NULL) x`),
    db.execute<{
      consumer: string;
      pending: string;
      retrying: string;
      dead: string;
      oldest: number | null;
      delivery_retrying: string;
      delivery_dead: string;
    }>(sql`
      SELECT consumer,
             count(*) FILTER (WHERE status = 'pending') AS pending,
             count(*) FILTER (WHERE status = 'pending' AND last_error IS NOT NULL) AS retrying,
             count(*) FILTER (WHERE status = 'dead') AS dead,
             EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE status = 'pending'))::float8 AS oldest,
             count(*) FILTER (WHERE status = 'pending' AND last_error IS NOT NULL AND topic = ${DELIVERY_TOPIC}) AS delivery_retrying,
             count(*) FILTER (WHERE status = 'dead' AND topic = ${DELIVERY_TOPIC}) AS delivery_dead
        FROM outbox
       WHERE status IN ('pending', 'dead')
       GROUP BY consumer
       ORDER BY consumer`),
    db.execute<{ lag: number | null }>(
      sql`SELECT EXTRACT(EPOCH FROM now() - min(available_at))::float8 AS lag FROM outbox WHERE status = 'pending' AND available_at <= now()`,
    ),
    // Reconciliation over the last 24 hours: mismatches by kind and resolution, and the payments they are a share of.
    db.execute<{ kind: string; resolution: string; n: string; payments: string }>(sql`
      SELECT k.kind, k.resolution, coalesce(m.n, 0) AS n,
             (SELECT count(*) FROM payments WHERE created_at > now() - interval '24 hours') AS payments
        FROM (VALUES ('paid_not_recorded', 'recovered'), ('amount_different', 'held'), ('amount_different', 'alerted'), ('unknown_there', 'alerted')) k(kind, resolution)
        LEFT JOIN (SELECT kind, resolution, count(*) AS n FROM payment_mismatches WHERE created_at > now() - interval '24 hours' GROUP BY 1, 2) m
          ON m.kind = k.kind AND m.resolution = k.resolution`),
  ]);

  const byStatus = new Map(orderRows.map((r) => [r.status, Number(r.n)]));
  const l = latency[0] ?? {};
  const num = (v: unknown) => Number(v ?? 0);
  const deliveryConsumers = [
    ...new Set([
      ...(subscriptions[DELIVERY_TOPIC] ?? []),
      ...outboxRows.filter((r) => Number(r.delivery_retrying) + Number(r.delivery_dead) > 0).map((r) => r.consumer),
    ]),
  ].sort();
  const oldest = Math.max(0, ...outboxRows.map((r) => (r.oldest == null ? 0 : Number(r.oldest))));

  return [
    {
      name: 'openfaka_orders',
      help: 'Orders by status (all merchants).',
      type: 'gauge',
      samples: orderStatus.enumValues.map((status) => ({ labels: { status }, value: byStatus.get(status) ?? 0 })),
    },
    {
      name: 'openfaka_payment_to_delivery_seconds',
      help: 'Seconds from payment to delivery of the orders delivered in the last hour (a sliding window recomputed at each scrape: use histogram_quantile on it directly, not on rate()).',
      type: 'histogram',
      samples: [
        ...LATENCY_BUCKETS.map((le, i) => ({ suffix: '_bucket', labels: { le: String(le) }, value: num(l[`b${i}`]) })),
        { suffix: '_bucket', labels: { le: '+Inf' }, value: num(l.n) },
        { suffix: '_sum', value: num(l.sum) },
        { suffix: '_count', value: num(l.n) },
      ],
    },
    {
      name: 'openfaka_outbox_pending',
      help: 'Outbox rows waiting to be handled, by consumer.',
      type: 'gauge',
      samples: outboxRows.map((r) => ({ labels: { consumer: r.consumer }, value: Number(r.pending) })),
    },
    {
      name: 'openfaka_outbox_retrying',
      help: 'Pending outbox rows that have failed at least once, by consumer.',
      type: 'gauge',
      samples: outboxRows.map((r) => ({ labels: { consumer: r.consumer }, value: Number(r.retrying) })),
    },
    {
      name: 'openfaka_outbox_dead',
      help: 'Outbox rows dead-lettered after their last attempt, by consumer.',
      type: 'gauge',
      samples: outboxRows.map((r) => ({ labels: { consumer: r.consumer }, value: Number(r.dead) })),
    },
    {
      name: 'openfaka_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest pending outbox row since it was written (0 when none).',
      type: 'gauge',
      samples: [{ value: Math.round(oldest * 1000) / 1000 }],
    },
    {
      name: 'openfaka_outbox_lag_seconds',
      help: 'How long the oldest due outbox row has waited for a worker (0 when none is due).',
      type: 'gauge',
      samples: [{ value: Math.max(0, Math.round(num(lag[0]?.lag) * 1000) / 1000) }],
    },
    {
      name: 'openfaka_payment_mismatches_24h',
      help: 'Differences reconciliation found between providers and the shop in the last 24 hours, by kind and what was done (recovered, held, alerted).',
      type: 'gauge',
      samples: mismatchRows.map((r) => ({ labels: { kind: r.kind, resolution: r.resolution }, value: Number(r.n) })),
    },
    {
      name: 'openfaka_payment_mismatch_ratio_24h',
      help: 'Mismatches of the last 24 hours per payment recorded in them (the seeds watch for 0.001 %).',
      type: 'gauge',
      samples: [
        {
          value: (() => {
            const payments = Number(mismatchRows[0]?.payments ?? 0);
            const n = mismatchRows.reduce((s, r) => s + Number(r.n), 0);
            return payments === 0 ? 0 : n / payments;
          })(),
        },
      ],
    },
    {
      name: 'openfaka_deliveries_failed',
      help: 'Buyer deliveries (consumers of order.delivered) that failed: state="retrying" failed at least once and will be tried again, state="dead" gave up.',
      type: 'gauge',
      // Every delivery consumer gets both series, 0 included, so an alert always has a series to watch.
      samples: deliveryConsumers.flatMap((consumer) => {
        const r = outboxRows.find((row) => row.consumer === consumer);
        return [
          { labels: { consumer, state: 'retrying' }, value: Number(r?.delivery_retrying ?? 0) },
          { labels: { consumer, state: 'dead' }, value: Number(r?.delivery_dead ?? 0) },
        ];
      }),
    },
  ];
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** The text exposition format: HELP and TYPE once per metric, then `name{labels} value` lines. */
export function renderPrometheus(metrics: Metric[]): string {
  const out: string[] = [];
  for (const m of metrics) {
    out.push(`# HELP ${m.name} ${m.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    out.push(`# TYPE ${m.name} ${m.type}`);
    for (const s of m.samples) {
      const labels = Object.entries(s.labels ?? {});
      const l = labels.length ? `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
      out.push(`${m.name}${s.suffix ?? ''}${l} ${formatValue(s.value)}`);
    }
  }
  return out.join('\n') + '\n';
}

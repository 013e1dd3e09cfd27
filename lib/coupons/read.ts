// What the merchant reads about its coupons: the list, one code with its redemptions, the
// batches with their report (reserved → paid, discount given), and the codes for export.
// Every query is scoped by the merchant.
import 'server-only';
import { and, desc, eq, ilike, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { couponBatches, couponRedemptions, coupons, type Coupon, type CouponBatch } from '@/db/schema';
import { decodeCursor, keysetPage, pageSize } from '@/lib/cursor';
import { AppError } from '@/lib/errors';

export type CouponReport = {
  /** Orders that reserved a use, ever. */
  reservations: number;
  /** Of them, paid (uses committed), and of those, later refunded. */
  paid: number;
  refunded: number;
  /** Released when their order expired unpaid. */
  released: number;
  /** Reserved now: unpaid orders that may still be paid. */
  pending: number;
  /** Payments honoured after their use was released, with no use left on the code. */
  overLimit: number;
  /** Discount given on paid orders, and what those orders paid. */
  discountGiven: number;
  revenue: number;
  /** Distinct buyers (normalised e-mail) among the paid orders. */
  buyers: number;
};

const EMPTY_REPORT: CouponReport = { reservations: 0, paid: 0, refunded: 0, released: 0, pending: 0, overLimit: 0, discountGiven: 0, revenue: 0, buyers: 0 };

/** The reports of the coupons `couponFilter` selects, one per value of `per` (a column of coupons `c`: its id, or its batch), in one query. */
async function reportsBy(db: DbOrTx, couponFilter: SQL, per: 'id' | 'batch_id'): Promise<Map<string, CouponReport>> {
  const rows = await db.execute<Record<keyof CouponReport | 'key', string | number>>(sql`
    SELECT c.${sql.raw(per)}::text AS key,
           count(*)::int AS reservations,
           count(*) FILTER (WHERE r.status = 'committed')::int AS paid,
           count(*) FILTER (WHERE r.status = 'committed' AND o.status = 'refunded')::int AS refunded,
           count(*) FILTER (WHERE r.status = 'released')::int AS released,
           count(*) FILTER (WHERE r.status = 'reserved')::int AS pending,
           count(*) FILTER (WHERE r.over_limit)::int AS "overLimit",
           coalesce(sum(r.discount) FILTER (WHERE r.status = 'committed'), 0)::bigint AS "discountGiven",
           coalesce(sum(o.amount) FILTER (WHERE r.status = 'committed'), 0)::bigint AS revenue,
           count(DISTINCT r.email_norm) FILTER (WHERE r.status = 'committed')::int AS buyers
      FROM coupon_redemptions r JOIN orders o ON o.id = r.order_id JOIN coupons c ON c.id = r.coupon_id
     WHERE ${couponFilter}
     GROUP BY c.${sql.raw(per)}`);
  return new Map(rows.map(({ key, ...r }) => [String(key), Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])) as CouponReport]));
}

export type CouponState = 'active' | 'disabled' | 'expired' | 'scheduled';

/** Where the code stands now, by the database's clock (the one the reservation uses). */
const stateColumn = sql<CouponState>`CASE WHEN NOT ${coupons.enabled} THEN 'disabled'
  WHEN ${coupons.endsAt} IS NOT NULL AND ${coupons.endsAt} <= now() THEN 'expired'
  WHEN ${coupons.startsAt} IS NOT NULL AND ${coupons.startsAt} > now() THEN 'scheduled' ELSE 'active' END`;

export type CouponListRow = { state: CouponState } & Pick<
  Coupon,
  | 'id'
  | 'code'
  | 'type'
  | 'value'
  | 'currency'
  | 'maxDiscount'
  | 'minAmount'
  | 'scope'
  | 'enabled'
  | 'usedCount'
  | 'reservedCount'
  | 'overLimitCount'
  | 'totalLimit'
  | 'perEmailLimit'
  | 'startsAt'
  | 'endsAt'
  | 'batchId'
  | 'createdAt'
>;

const listColumns = {
  id: coupons.id,
  code: coupons.code,
  type: coupons.type,
  value: coupons.value,
  currency: coupons.currency,
  maxDiscount: coupons.maxDiscount,
  minAmount: coupons.minAmount,
  scope: coupons.scope,
  enabled: coupons.enabled,
  usedCount: coupons.usedCount,
  reservedCount: coupons.reservedCount,
  overLimitCount: coupons.overLimitCount,
  totalLimit: coupons.totalLimit,
  perEmailLimit: coupons.perEmailLimit,
  startsAt: coupons.startsAt,
  endsAt: coupons.endsAt,
  batchId: coupons.batchId,
  createdAt: coupons.createdAt,
  state: stateColumn,
};

const cursorSchema = z.object({ id: z.guid() });

/**
 * The merchant's coupons, newest first, a keyset page at a time. `batchId` lists one batch's
 * codes; without it, only codes made one at a time (batches are listed on their own). `q`
 * finds codes by their beginning.
 */
export async function listCoupons(
  db: DbOrTx,
  merchantId: string,
  opts: { batchId?: string | null; q?: string; cursor?: string | null; limit?: number } = {},
): Promise<{ coupons: CouponListRow[]; nextCursor: string | null }> {
  const limit = pageSize(opts.limit, 50, 200);
  const after = decodeCursor(opts.cursor, cursorSchema);
  if (opts.batchId && !z.guid().safeParse(opts.batchId).success)
    throw new AppError('validation_failed', 'Invalid batch id.', { fields: { batchId: 'invalid' } });
  const q = opts.q?.replace(/\s+/g, '').toUpperCase();
  const rows = await db
    .select(listColumns)
    .from(coupons)
    .where(
      and(
        eq(coupons.merchantId, merchantId),
        q ? ilike(coupons.codeNorm, `${q.replace(/[\\%_]/g, '\\$&')}%`) : opts.batchId ? eq(coupons.batchId, opts.batchId) : isNull(coupons.batchId),
        // Compared with the cursor row itself: timestamps keep their microseconds, which a
        // JavaScript date would drop (a batch's codes all share one created_at).
        after
          ? sql`(${coupons.createdAt}, ${coupons.id}) < (SELECT c.created_at, c.id FROM coupons c WHERE c.id = ${after.id} AND c.merchant_id = ${merchantId})`
          : undefined,
      ),
    )
    .orderBy(desc(coupons.createdAt), desc(coupons.id))
    .limit(limit + 1);
  const { page, nextCursor } = keysetPage(rows, limit, (r) => ({ id: r.id }));
  return { coupons: page, nextCursor };
}

export type RedemptionRow = {
  id: string;
  orderNo: string;
  orderStatus: string;
  email: string;
  status: 'reserved' | 'committed' | 'released';
  overLimit: boolean;
  discount: number;
  amount: number;
  currency: string;
  reservedAt: Date;
  committedAt: Date | null;
  releasedAt: Date | null;
};

/** A redemption with its order, as both the coupon's page and the batch's export read it (`r` redemptions, `o` orders). */
const redemptionColumns = sql.raw(`r.id, o.order_no AS "orderNo", o.status AS "orderStatus", o.email, r.status, r.over_limit AS "overLimit",
  r.discount::float8 AS discount, o.amount::float8 AS amount, r.currency,
  r.reserved_at AS "reservedAt", r.committed_at AS "committedAt", r.released_at AS "releasedAt"`);

/** Timestamps as dates (raw rows carry them as text). */
function withDates<R extends RedemptionRow>(r: R): R {
  return {
    ...r,
    reservedAt: new Date(r.reservedAt),
    committedAt: r.committedAt ? new Date(r.committedAt) : null,
    releasedAt: r.releasedAt ? new Date(r.releasedAt) : null,
  };
}

export type CouponDetail = { coupon: Coupon; state: CouponState; batch: CouponBatch | null; report: CouponReport; redemptions: RedemptionRow[] };

/** One coupon with its report and its latest redemptions (with their orders), or null when it is not the merchant's. */
export async function getCoupon(db: DbOrTx, merchantId: string, id: string, redemptionLimit = 200): Promise<CouponDetail | null> {
  if (!z.guid().safeParse(id).success) return null;
  const [row] = await db
    .select({ coupon: coupons, state: stateColumn })
    .from(coupons)
    .where(and(eq(coupons.merchantId, merchantId), eq(coupons.id, id)));
  if (!row) return null;
  const { coupon, state } = row;
  const [batch] = coupon.batchId ? await db.select().from(couponBatches).where(eq(couponBatches.id, coupon.batchId)) : [];
  const [report, redemptions] = await Promise.all([
    reportsBy(db, sql`c.id = ${coupon.id}`, 'id').then((m) => m.get(coupon.id) ?? EMPTY_REPORT),
    db.execute<RedemptionRow>(sql`
      SELECT ${redemptionColumns}
        FROM coupon_redemptions r JOIN orders o ON o.id = r.order_id
       WHERE r.coupon_id = ${coupon.id}
       ORDER BY r.reserved_at DESC, r.id DESC
       LIMIT ${redemptionLimit}`),
  ]);
  return { coupon, state, batch: batch ?? null, report, redemptions: [...redemptions].map(withDates) };
}

export type BatchRow = CouponBatch & { codes: number; codesUsed: number; enabledCodes: number; template: CouponListRow | null; report: CouponReport };

/** The merchant's batches, newest first, each with its codes' use and its report. */
export async function listBatches(db: DbOrTx, merchantId: string, limit = 50): Promise<BatchRow[]> {
  const batches = await db.select().from(couponBatches).where(eq(couponBatches.merchantId, merchantId)).orderBy(desc(couponBatches.createdAt)).limit(limit);
  return withReports(db, merchantId, batches);
}

/** The batches' counts, first codes and reports: three queries for any number of batches. */
async function withReports(db: DbOrTx, merchantId: string, batches: CouponBatch[]): Promise<BatchRow[]> {
  if (batches.length === 0) return [];
  const ids = batches.map((b) => b.id);
  const [counts, templates, reports] = await Promise.all([
    db.execute<{ batch_id: string; codes: number; used: number; enabled: number }>(sql`
      SELECT batch_id, count(*)::int AS codes, count(*) FILTER (WHERE used_count + over_limit_count > 0)::int AS used, count(*) FILTER (WHERE enabled)::int AS enabled
        FROM coupons WHERE merchant_id = ${merchantId} AND batch_id IN ${ids} GROUP BY batch_id`),
    // A batch's first code stands for its terms (the ones a batch-wide edit last wrote, unless
    // that code was edited on its own since).
    db
      .selectDistinctOn([coupons.batchId], listColumns)
      .from(coupons)
      .where(and(eq(coupons.merchantId, merchantId), inArray(coupons.batchId, ids)))
      .orderBy(coupons.batchId, coupons.createdAt, coupons.id),
    reportsBy(db, sql`c.merchant_id = ${merchantId} AND c.batch_id IN ${ids}`, 'batch_id'),
  ]);
  return batches.map((b) => {
    const n = counts.find((c) => c.batch_id === b.id);
    return {
      ...b,
      codes: n?.codes ?? 0,
      codesUsed: n?.used ?? 0,
      enabledCodes: n?.enabled ?? 0,
      template: templates.find((t) => t.batchId === b.id) ?? null,
      report: reports.get(b.id) ?? EMPTY_REPORT,
    };
  });
}

/** One batch of the merchant's with its report, or null. */
export async function getBatch(db: DbOrTx, merchantId: string, batchId: string): Promise<BatchRow | null> {
  if (!z.guid().safeParse(batchId).success) return null;
  const [b] = await db
    .select()
    .from(couponBatches)
    .where(and(eq(couponBatches.merchantId, merchantId), eq(couponBatches.id, batchId)));
  return b ? ((await withReports(db, merchantId, [b]))[0] ?? null) : null;
}

/** Every code of a batch (or the merchant's single codes), in creation order, for the CSV export, a page at a time. */
export async function* couponsForExport(db: DbOrTx, merchantId: string, batchId: string | null): AsyncGenerator<CouponListRow[]> {
  let cursor: string | null = null;
  do {
    const page = await listCoupons(db, merchantId, { batchId, cursor, limit: 200 });
    yield page.coupons;
    cursor = page.nextCursor;
  } while (cursor);
}

/** The coupon an order used and its redemption's state (for the order's page in the console). */
export async function couponOfOrder(
  db: DbOrTx,
  orderId: string,
): Promise<{ id: string; code: string; status: 'reserved' | 'committed' | 'released'; overLimit: boolean }[]> {
  return db
    .select({ id: coupons.id, code: coupons.code, status: couponRedemptions.status, overLimit: couponRedemptions.overLimit })
    .from(couponRedemptions)
    .innerJoin(coupons, eq(coupons.id, couponRedemptions.couponId))
    .where(eq(couponRedemptions.orderId, orderId));
}

export type RedemptionExportRow = RedemptionRow & { code: string };

/** Every redemption of a batch's codes (who used which code, on which order, for what), oldest first, a page at a time. */
export async function* redemptionsForExport(db: DbOrTx, merchantId: string, batchId: string): AsyncGenerator<RedemptionExportRow[]> {
  let after: string | null = null;
  for (;;) {
    const rows: RedemptionExportRow[] = [
      ...(await db.execute<RedemptionExportRow>(sql`
        SELECT c.code, ${redemptionColumns}
          FROM coupons c
          JOIN coupon_redemptions r ON r.coupon_id = c.id
          JOIN orders o ON o.id = r.order_id
         WHERE c.merchant_id = ${merchantId} AND c.batch_id = ${batchId}
           ${after ? sql`AND (r.reserved_at, r.id) > (SELECT x.reserved_at, x.id FROM coupon_redemptions x WHERE x.id = ${after})` : sql``}
         ORDER BY r.reserved_at, r.id
         LIMIT 500`)),
    ];
    if (rows.length === 0) return;
    yield rows.map(withDates);
    if (rows.length < 500) return;
    after = rows[rows.length - 1]!.id;
  }
}

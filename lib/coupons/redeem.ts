// A coupon's uses over an order's life (SPEC invariant 9): reserved in the order's
// transaction with one guarded UPDATE, committed when the order is paid, released exactly
// once when it expires. The counters on the coupon row and the redemption rows move
// together, each move guarded by the redemption's status, so no path can count twice.
import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '@/db/client';
import { couponRedemptions, coupons, type Coupon } from '@/db/schema';
import { AppError, type FieldError } from '@/lib/errors';
import { normaliseEmail } from '@/lib/risk';
import { judgeCoupon, normaliseCode, type CouponCheck } from './terms';

/** The merchant's coupon with this code (as a buyer typed it), or null. */
export async function findCoupon(db: DbOrTx, merchantId: string, code: string): Promise<Coupon | null> {
  const norm = normaliseCode(code);
  if (norm === '') return null;
  const [row] = await db
    .select()
    .from(coupons)
    .where(and(eq(coupons.merchantId, merchantId), eq(coupons.codeNorm, norm)))
    .limit(1);
  return row ?? null;
}

/** The error a buyer sees for a code that does not apply: a field error on `couponCode`, or 409 when its uses are all taken. */
export function couponError(error: FieldError): AppError {
  if (error.code === 'exhausted') {
    return new AppError('coupon_unavailable', 'Every use of this coupon code is taken.', { fields: { couponCode: error } });
  }
  const why: Partial<Record<FieldError['code'], string>> = {
    unknown: 'This coupon code is not valid.',
    disabled: 'This coupon code is no longer active.',
    not_started: 'This coupon code is not valid yet.',
    expired: 'This coupon code has expired.',
    not_applicable: 'This coupon code is not valid for this product.',
    agent_shop: 'This coupon code is not valid in this shop.',
    wholesale: 'This coupon code cannot be combined with bulk pricing.',
    min_amount: 'The order does not reach the minimum amount of this coupon code.',
    used_by_email: 'This coupon code was already used with this e-mail address.',
  };
  return new AppError('validation_failed', why[error.code] ?? 'This coupon code is not valid.', { fields: { couponCode: error } });
}

export type AppliedCoupon = { coupon: Coupon; discount: number; subtotal: number; amount: number };

/** A coupon row (or none, for a code that does not exist) judged against the order, or the reason it does not apply (thrown). */
export function judgeFound(coupon: Coupon | null, check: CouponCheck): AppliedCoupon {
  if (!coupon) throw couponError({ code: 'unknown' });
  const verdict = judgeCoupon(coupon, check);
  if (!verdict.ok) throw couponError(verdict.error);
  return { coupon, discount: verdict.discount, subtotal: verdict.subtotal, amount: verdict.amount };
}

/** The coupon for `code` judged against the order, or the reason it does not apply (thrown). Reads only. */
export async function applyCoupon(db: DbOrTx, merchantId: string, code: string, check: CouponCheck): Promise<AppliedCoupon> {
  return judgeFound(await findCoupon(db, merchantId, code), check);
}

/** Uses of the coupon by this (normalised) buyer that count against its per-e-mail limit. */
export async function usesByEmail(db: DbOrTx, couponId: string, email: string): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM coupon_redemptions
     WHERE coupon_id = ${couponId} AND email_norm = ${normaliseEmail(email)} AND status <> 'released'`);
  return row?.n ?? 0;
}

/** Serialises the counting of one buyer's uses of one code (held to the end of the transaction). */
function lockBuyerUses(tx: Tx, couponId: string, emailNorm: string) {
  return tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`coupon:${couponId}:${emailNorm}`}))`);
}

/**
 * The per-e-mail limit, inside the order's transaction: the buyer's uses are counted under
 * an advisory lock on (coupon, buyer), held to the end of the transaction, so two parallel
 * orders of one guest cannot both pass. A no-op for a code without that limit.
 */
export async function checkEmailUses(tx: Tx, applied: AppliedCoupon, email: string): Promise<void> {
  const { coupon } = applied;
  if (coupon.perEmailLimit === null) return;
  const buyer = normaliseEmail(email);
  await lockBuyerUses(tx, coupon.id, buyer);
  if ((await usesByEmail(tx, coupon.id, buyer)) >= coupon.perEmailLimit) throw couponError({ code: 'used_by_email' });
}

/**
 * Takes one use of the coupon: one guarded UPDATE that re-checks enabled, window and uses
 * left (never read-then-write). Returns the query unstarted (drizzle runs it when awaited),
 * so order creation can send it last, pipelined behind the order's inserts: a popular code's
 * row is then locked only from this statement to the commit. No row back means no use taken;
 * the caller throws `couponRefusal`.
 */
export function couponUseQuery(tx: Tx, applied: AppliedCoupon) {
  return tx.execute<{ id: string }>(sql`
    UPDATE coupons SET reserved_count = reserved_count + 1
     WHERE id = ${applied.coupon.id} AND enabled
       AND (starts_at IS NULL OR starts_at <= now()) AND (ends_at IS NULL OR now() < ends_at)
       AND (total_limit IS NULL OR used_count + reserved_count < total_limit)
 RETURNING id`);
}

/** Why the use could not be taken: the coupon changed since it was read (disabled, out of its window, or its last use taken meanwhile). */
export async function couponRefusal(db: DbOrTx, applied: AppliedCoupon, check: CouponCheck): Promise<AppError> {
  const [now] = await db.select().from(coupons).where(eq(coupons.id, applied.coupon.id));
  const verdict = now ? judgeCoupon(now, { ...check, now: new Date() }) : null;
  return couponError(verdict && !verdict.ok ? verdict.error : { code: 'exhausted' });
}

/** The redemption row of an order created with a coupon (inserted after, or pipelined behind, the order's own insert). */
export function redemptionOf(applied: AppliedCoupon, order: { id: string; merchantId: string; email: string; currency: string }) {
  return {
    couponId: applied.coupon.id,
    merchantId: order.merchantId,
    orderId: order.id,
    emailNorm: normaliseEmail(order.email),
    discount: applied.discount,
    currency: order.currency,
  } satisfies typeof couponRedemptions.$inferInsert;
}

export type CouponCommit = 'committed' | 'reclaimed' | 'over_limit' | 'none';

/**
 * The order was paid: its reserved use becomes used. A payment that arrives after the use
 * was released (the order had expired) is honoured at the price the buyer saw: the use is
 * taken again if the code has one left for the code and for this buyer (`reclaimed`), else
 * counted apart and flagged (`over_limit`), never silently repriced. Runs under the order's lock, in the payment's
 * transaction; a second call finds nothing to move.
 */
export async function commitCouponUse(tx: Tx, orderId: string): Promise<CouponCommit> {
  const [row] = await tx.execute<{ outcome: 'committed' | 'late' | 'none' }>(sql`
    WITH committed AS (
      UPDATE coupon_redemptions SET status = 'committed', committed_at = now()
       WHERE order_id = ${orderId} AND status = 'reserved'
   RETURNING coupon_id
    ), moved AS (
      UPDATE coupons c SET reserved_count = reserved_count - 1, used_count = used_count + 1
        FROM committed WHERE c.id = committed.coupon_id
   RETURNING c.id
    )
    SELECT CASE WHEN EXISTS (SELECT 1 FROM moved) THEN 'committed'
                WHEN EXISTS (SELECT 1 FROM coupon_redemptions WHERE order_id = ${orderId} AND status = 'released') THEN 'late'
                ELSE 'none' END AS outcome`);
  if (row?.outcome !== 'late') return row?.outcome ?? 'none';
  const [late] = await tx
    .update(couponRedemptions)
    .set({ status: 'committed', committedAt: sql`now()` })
    .where(and(eq(couponRedemptions.orderId, orderId), eq(couponRedemptions.status, 'released')))
    .returning({ couponId: couponRedemptions.couponId, emailNorm: couponRedemptions.emailNorm });
  if (!late) return 'none';
  // Within the per-e-mail limit too: the buyer may have used the code again after this
  // order lapsed (the other uses are counted under the same advisory lock as at creation).
  await lockBuyerUses(tx, late.couponId, late.emailNorm);
  const reclaimed = await tx.execute(sql`
    UPDATE coupons SET used_count = used_count + 1
     WHERE id = ${late.couponId} AND (total_limit IS NULL OR used_count + reserved_count < total_limit)
       AND (per_email_limit IS NULL OR per_email_limit > (
             SELECT count(*) FROM coupon_redemptions
              WHERE coupon_id = ${late.couponId} AND email_norm = ${late.emailNorm} AND status <> 'released' AND order_id <> ${orderId}))
 RETURNING id`);
  if (reclaimed.length > 0) return 'reclaimed';
  await tx.execute(sql`UPDATE coupons SET over_limit_count = over_limit_count + 1 WHERE id = ${late.couponId}`);
  await tx.update(couponRedemptions).set({ overLimit: true }).where(eq(couponRedemptions.orderId, orderId));
  return 'over_limit';
}

/**
 * The orders expired unpaid: their reserved uses go back to their codes, exactly once (the
 * status guard), in the expiry's transaction. Coupon rows are locked in id order, so two
 * sweepers releasing overlapping codes cannot deadlock.
 */
export async function releaseCouponUses(tx: Tx, orderIds: string[]): Promise<number> {
  if (orderIds.length === 0) return 0;
  const released = await tx
    .update(couponRedemptions)
    .set({ status: 'released', releasedAt: sql`now()` })
    .where(and(inArray(couponRedemptions.orderId, orderIds), eq(couponRedemptions.status, 'reserved')))
    .returning({ couponId: couponRedemptions.couponId });
  if (released.length === 0) return 0;
  const perCoupon = new Map<string, number>();
  for (const r of released) perCoupon.set(r.couponId, (perCoupon.get(r.couponId) ?? 0) + 1);
  const ids = [...perCoupon.keys()].sort();
  await tx.execute(sql`SELECT 1 FROM coupons WHERE id IN ${ids} ORDER BY id FOR UPDATE`);
  const rows = sql.join(
    ids.map((id) => sql`(${id}::uuid, ${perCoupon.get(id)!}::int)`),
    sql`, `,
  );
  await tx.execute(sql`UPDATE coupons c SET reserved_count = c.reserved_count - v.n FROM (VALUES ${rows}) AS v(id, n) WHERE c.id = v.id`);
  return released.length;
}

/**
 * A paid order was refused by the merchant before anything was delivered (a rejected
 * review): its used coupon use goes back to the code, exactly once (the status guard), in the
 * rejection's transaction. A use that was counted over the limit goes back to that count.
 */
export async function returnCouponUse(tx: Tx, orderId: string): Promise<boolean> {
  const [returned] = await tx
    .update(couponRedemptions)
    .set({ status: 'released', releasedAt: sql`now()` })
    .where(and(eq(couponRedemptions.orderId, orderId), eq(couponRedemptions.status, 'committed')))
    .returning({ couponId: couponRedemptions.couponId, overLimit: couponRedemptions.overLimit });
  if (!returned) return false;
  await tx.execute(
    returned.overLimit
      ? sql`UPDATE coupons SET over_limit_count = over_limit_count - 1 WHERE id = ${returned.couponId}`
      : sql`UPDATE coupons SET used_count = used_count - 1 WHERE id = ${returned.couponId}`,
  );
  return true;
}

// The merchant's coupons: create one code or a batch of up to 10,000, change their terms,
// turn them on and off. Use cases (db, actor, input), each in one transaction with its audit row.
import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx, Tx } from '@/db/client';
import { categories, couponBatches, coupons, products, type Coupon } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { AppError, isUniqueViolation, pgError, validationError } from '@/lib/errors';
import { BUSINESS_TIME_ZONE } from '@/lib/i18n';
import { MAX_BATCH, randomCode, randomCodes } from './codes';
import { couponTermsObject, normaliseCode, refineTerms, type CouponTerms } from './terms';

const CODE = /^[A-Za-z0-9_-]+$/;

export const createCouponsSchema = couponTermsObject
  .extend({
    /** A code of the merchant's choosing, for one coupon; otherwise codes are generated. */
    code: z.string().trim().min(3).max(32).regex(CODE, 'invalid_format').optional(),
    count: z.number().int().min(1).max(MAX_BATCH).default(1),
    prefix: z
      .string()
      .trim()
      .toUpperCase()
      .max(16)
      .regex(/^[A-Z0-9_-]*$/, 'invalid_format')
      .default(''),
    /** The batch's name in the console (generated codes only). */
    name: z.string().trim().max(80).optional(),
  })
  .superRefine((v, ctx) => {
    refineTerms(v, ctx);
    if (v.code !== undefined && v.count > 1) ctx.addIssue({ code: 'custom', path: ['code'], message: 'invalid' });
  });
export type CreateCouponsInput = z.input<typeof createCouponsSchema>;

export type CreatedCoupons = { batchId: string | null; coupons: { id: string; code: string }[] };

/** Window bounds as instants: a date is a whole day in the business time zone (an end date includes its day). */
async function resolveWindow(tx: Tx, terms: Pick<CouponTerms, 'startsAt' | 'endsAt'>): Promise<{ startsAt: Date | null; endsAt: Date | null }> {
  const instant = (value: string | null | undefined, end: boolean) => {
    if (value == null) return sql`NULL::timestamptz`;
    if (/(Z|[+-]\d{2}:\d{2})$/.test(value)) return sql`${value}::timestamptz`;
    if (value.length === 10)
      return end
        ? sql`((${value}::date + 1)::timestamp AT TIME ZONE ${BUSINESS_TIME_ZONE})`
        : sql`(${value}::date::timestamp AT TIME ZONE ${BUSINESS_TIME_ZONE})`;
    return sql`(${value}::timestamp AT TIME ZONE ${BUSINESS_TIME_ZONE})`;
  };
  // Each bound alone, in a savepoint: an impossible date (2026-02-30) fails its own
  // statement, names its own field, and leaves the caller's transaction usable.
  const resolve = async (field: 'startsAt' | 'endsAt'): Promise<Date | null> => {
    const value = terms[field];
    if (value == null) return null;
    try {
      const [row] = await tx.transaction((sp) => sp.execute<{ at: Date | string }>(sql`SELECT ${instant(value, field === 'endsAt')} AS at`));
      return new Date(row!.at);
    } catch (err) {
      if (pgError(err).code?.startsWith('22')) throw new AppError('validation_failed', 'Not a valid date.', { fields: { [field]: 'invalid_date' } });
      throw err;
    }
  };
  const startsAt = await resolve('startsAt');
  const endsAt = await resolve('endsAt');
  if (startsAt && endsAt && endsAt <= startsAt) throw new AppError('validation_failed', 'The end is before the start.', { fields: { endsAt: 'invalid' } });
  return { startsAt, endsAt };
}

/** Products and categories named in a scope must be the merchant's own. */
async function checkScope(tx: Tx, merchantId: string, terms: Pick<CouponTerms, 'productIds' | 'categoryIds'>): Promise<void> {
  const mine = async (table: typeof products | typeof categories, ids: string[]) => {
    if (ids.length === 0) return true;
    const [row] = await tx.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM ${table} WHERE merchant_id = ${merchantId} AND id IN ${[...new Set(ids)]}`,
    );
    return row?.n === new Set(ids).size;
  };
  if (!(await mine(products, terms.productIds))) throw new AppError('validation_failed', 'Unknown product.', { fields: { productIds: 'unknown' } });
  if (!(await mine(categories, terms.categoryIds))) throw new AppError('validation_failed', 'Unknown category.', { fields: { categoryIds: 'unknown' } });
}

function termsRow(terms: CouponTerms, window: { startsAt: Date | null; endsAt: Date | null }) {
  return {
    type: terms.type,
    value: terms.value,
    currency: terms.currency,
    maxDiscount: terms.maxDiscount ?? null,
    minAmount: terms.minAmount,
    scope: terms.productIds.length > 0 ? ('products' as const) : terms.categoryIds.length > 0 ? ('categories' as const) : ('all' as const),
    productIds: [...new Set(terms.productIds)],
    categoryIds: [...new Set(terms.categoryIds)],
    agentShops: terms.agentShops,
    stackWholesale: terms.stackWholesale,
    allowFree: terms.allowFree,
    startsAt: window.startsAt,
    endsAt: window.endsAt,
    totalLimit: terms.totalLimit ?? null,
    perEmailLimit: terms.perEmailLimit ?? null,
    enabled: terms.enabled,
    note: terms.note,
  };
}

/**
 * Creates one coupon (with the merchant's code or a generated one) or a batch of `count`
 * generated codes sharing the terms: the first row through the ORM, the rest copied from it
 * in one INSERT … SELECT over the codes, in one transaction. Codes that collide with existing
 * ones are drawn again. Audited as `coupon.create` (never with the batch's codes).
 */
export async function createCoupons(db: DbOrTx, actor: Actor, input: unknown): Promise<CreatedCoupons> {
  const merchantId = merchantOf(actor);
  const parsed = createCouponsSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const data = parsed.data;
  return db.transaction(async (tx) => {
    await checkScope(tx, merchantId, data);
    const window = await resolveWindow(tx, data);
    const terms = termsRow(data, window);
    const batch =
      data.count > 1
        ? (
            await tx
              .insert(couponBatches)
              .values({ merchantId, name: data.name || `${data.prefix ? `${data.prefix} ` : ''}× ${data.count}`, prefix: data.prefix, count: data.count })
              .returning({ id: couponBatches.id })
          )[0]!
        : null;
    let template: Coupon | undefined;
    for (let round = 0; !template; round++) {
      const code = data.code ?? randomCode(data.prefix);
      try {
        // In a savepoint, so a taken code can be drawn again in the same transaction.
        [template] = await tx.transaction((sp) =>
          sp
            .insert(coupons)
            .values({ merchantId, batchId: batch?.id ?? null, code, codeNorm: normaliseCode(code), ...terms })
            .returning(),
        );
      } catch (err) {
        if (!isUniqueViolation(err, 'coupons_merchant_code_key')) throw err;
        if (data.code !== undefined) throw new AppError('validation_failed', 'This code exists already.', { fields: { code: 'taken' } });
        if (round >= 4) throw new AppError('conflict', 'Could not draw a free code; try another prefix.');
      }
    }
    const created = [{ id: template.id, code: template.code }];
    let missing = data.count - 1;
    for (let round = 0; missing > 0 && round < 5; round++) {
      const codes = randomCodes(missing, data.prefix).filter((c) => c !== template.code);
      const rows = await tx.execute<{ id: string; code: string }>(sql`
        INSERT INTO coupons (merchant_id, batch_id, code, code_norm, type, value, currency, max_discount, min_amount, scope,
                             product_ids, category_ids, agent_shops, stack_wholesale, allow_free, starts_at, ends_at,
                             total_limit, per_email_limit, enabled, note)
        SELECT t.merchant_id, t.batch_id, c.code, c.code, t.type, t.value, t.currency, t.max_discount, t.min_amount, t.scope,
               t.product_ids, t.category_ids, t.agent_shops, t.stack_wholesale, t.allow_free, t.starts_at, t.ends_at,
               t.total_limit, t.per_email_limit, t.enabled, t.note
          FROM coupons t, unnest(string_to_array(${codes.join(',')}, ',')) AS c(code)
         WHERE t.id = ${template.id}
        ON CONFLICT (merchant_id, code_norm) DO NOTHING
     RETURNING id, code`);
      for (const r of rows) created.push({ id: r.id, code: r.code });
      missing -= rows.length;
    }
    if (missing > 0) throw new AppError('conflict', 'Could not draw enough distinct codes; try a longer prefix or a smaller batch.');
    await recordAudit(tx, actor, {
      action: 'coupon.create',
      targetType: batch ? 'coupon_batch' : 'coupon',
      targetId: batch?.id ?? template.id,
      detail: { count: data.count, type: data.type, value: data.value, ...(batch ? { prefix: data.prefix } : { code: template.code }) },
    });
    return { batchId: batch?.id ?? null, coupons: created };
  });
}

export type CouponTarget = { couponId: string } | { batchId: string };

const targetSchema = z.union([z.object({ couponId: z.guid() }), z.object({ batchId: z.guid() })]);

function parseTarget(target: unknown): CouponTarget {
  const parsed = targetSchema.safeParse(target);
  if (!parsed.success) throw new AppError('not_found', 'No such coupon.');
  return parsed.data;
}

function targetWhere(merchantId: string, target: CouponTarget) {
  return 'couponId' in target
    ? and(eq(coupons.merchantId, merchantId), eq(coupons.id, target.couponId))
    : and(eq(coupons.merchantId, merchantId), eq(coupons.batchId, target.batchId));
}

/**
 * New terms for one coupon or every code of a batch. Uses already reserved keep the discount
 * they were given. A total limit below the uses already taken is refused (with that number).
 * Audited as `coupon.update` with the changed fields.
 */
export async function updateCouponTerms(db: DbOrTx, actor: Actor, target: unknown, input: unknown): Promise<{ updated: number }> {
  const merchantId = merchantOf(actor);
  const where = targetWhere(merchantId, parseTarget(target));
  const parsed = couponTermsObject.superRefine(refineTerms).safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const data = parsed.data;
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: coupons.id, taken: sql<number>`${coupons.usedCount} + ${coupons.reservedCount}`.mapWith(Number), before: coupons })
      .from(coupons)
      .where(where)
      .orderBy(coupons.id)
      .for('update');
    if (rows.length === 0) throw new AppError('not_found', 'No such coupon.');
    const taken = Math.max(...rows.map((r) => r.taken));
    if (data.totalLimit != null && data.totalLimit < taken) {
      throw new AppError('validation_failed', `${taken} uses are already taken.`, { fields: { totalLimit: { code: 'too_small', min: taken } } });
    }
    await checkScope(tx, merchantId, data);
    const terms = termsRow(data, await resolveWindow(tx, data));
    await tx
      .update(coupons)
      .set({ ...terms, updatedAt: sql`now()` })
      .where(where);
    const before = rows[0]!.before as unknown as Record<string, unknown>;
    const changed = Object.keys(terms).filter((k) => JSON.stringify(before[k]) !== JSON.stringify((terms as Record<string, unknown>)[k]));
    const first = rows[0]!;
    await recordAudit(tx, actor, {
      action: 'coupon.update',
      targetType: 'couponId' in (target as object) ? 'coupon' : 'coupon_batch',
      targetId: 'couponId' in (target as object) ? first.id : (target as { batchId: string }).batchId,
      detail: { fields: changed, codes: rows.length },
    });
    return { updated: rows.length };
  });
}

/** Turns one coupon or a whole batch on or off. Reserved uses stay reserved (their orders may still be paid). */
export async function setCouponsEnabled(db: DbOrTx, actor: Actor, target: unknown, enabled: boolean): Promise<{ updated: number }> {
  const merchantId = merchantOf(actor);
  const t = parseTarget(target);
  return db.transaction(async (tx) => {
    // Locked in id order first, as the expiry sweep and a batch edit lock them: no deadlock.
    await tx.select({ id: coupons.id }).from(coupons).where(targetWhere(merchantId, t)).orderBy(coupons.id).for('update');
    const rows = await tx
      .update(coupons)
      .set({ enabled, updatedAt: sql`now()` })
      .where(targetWhere(merchantId, t))
      .returning({ id: coupons.id });
    if (rows.length === 0) throw new AppError('not_found', 'No such coupon.');
    await recordAudit(tx, actor, {
      action: enabled ? 'coupon.enable' : 'coupon.disable',
      targetType: 'couponId' in t ? 'coupon' : 'coupon_batch',
      targetId: 'couponId' in t ? t.couponId : t.batchId,
      detail: { codes: rows.length },
    });
    return { updated: rows.length };
  });
}

/**
 * The merchant API's PATCH: `{enabled}` alone turns the coupon on or off; any other field
 * changes its terms, the fields left out keeping their values. Returns the coupon as it is now.
 */
export async function patchCoupon(db: DbOrTx, actor: Actor, couponId: string, body: unknown): Promise<Coupon> {
  const merchantId = merchantOf(actor);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('validation_failed', 'Send a JSON object.');
  const target = parseTarget({ couponId });
  const [current] = await db.select().from(coupons).where(targetWhere(merchantId, target));
  if (!current) throw new AppError('not_found', 'No such coupon.');
  const patch = body as Record<string, unknown>;
  const keys = Object.keys(patch);
  if (keys.length === 1 && keys[0] === 'enabled') {
    if (typeof patch.enabled !== 'boolean') throw new AppError('validation_failed', 'enabled must be true or false.', { fields: { enabled: 'invalid' } });
    await setCouponsEnabled(db, actor, target, patch.enabled);
  } else {
    const stored = {
      type: current.type,
      value: current.value,
      currency: current.currency,
      maxDiscount: current.maxDiscount,
      minAmount: current.minAmount,
      productIds: current.productIds,
      categoryIds: current.categoryIds,
      startsAt: current.startsAt?.toISOString() ?? null,
      endsAt: current.endsAt?.toISOString() ?? null,
      totalLimit: current.totalLimit,
      perEmailLimit: current.perEmailLimit,
      agentShops: current.agentShops,
      stackWholesale: current.stackWholesale,
      allowFree: current.allowFree,
      enabled: current.enabled,
      note: current.note,
    };
    await updateCouponTerms(db, actor, target, { ...stored, ...patch });
  }
  const [now] = await db.select().from(coupons).where(eq(coupons.id, current.id));
  return now!;
}

/** A batch's codes or redemptions (or the single codes) were exported to CSV: audited before the first byte. */
export async function recordCouponExport(db: DbOrTx, actor: Actor, input: { batchId: string | null; rows: 'codes' | 'redemptions' }): Promise<void> {
  merchantOf(actor);
  await recordAudit(db, actor, {
    action: 'coupon.export',
    targetType: input.batchId ? 'coupon_batch' : 'coupon',
    targetId: input.batchId ?? undefined,
    detail: { rows: input.rows },
  });
}

// Reading the audit log (console): filters, keyset pages, actors named by e-mail or key prefix.
import 'server-only';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { decodeCursor, keysetPage, pageSize } from '@/lib/cursor';
import { AppError, validationError } from '@/lib/errors';

/** The actions the console offers as a filter; other names still show (under their raw name). */
export const AUDIT_ACTIONS = [
  'auth.sign_in',
  'auth.sign_out',
  'auth.password_change',
  'key.reveal',
  'key.export',
  'key.void',
  'key.import',
  'product.create',
  'product.update',
  'product.price_change',
  'product.delivery_secret_reveal',
  'product.delivery_secret_rotate',
  'channel.create',
  'channel.update',
  'channel.enable',
  'channel.disable',
  'order.refund',
  'order.manual_delivery',
  'order.resend_mail',
  'order.keys_reveal',
  'order.export',
  'coupon.create',
  'coupon.update',
  'coupon.enable',
  'coupon.disable',
  'coupon.export',
  'category.create',
  'category.update',
  'category.delete',
  'settings.update',
  'risk.policy_update',
  'risk.rule_create',
  'risk.rule_delete',
  'webhook.create',
  'webhook.update',
  'webhook.enable',
  'webhook.disable',
  'webhook.delete',
  'webhook.test',
  'api_key.create',
  'api_key.revoke',
  'outbox.retry',
  'agent.create',
  'agent.login_create',
  'merchant.create',
  'merchant.suspend',
  'merchant.reactivate',
  'platform.default_merchant',
  'admin.create',
] as const;

export type AuditFilters = {
  action?: string;
  /** A user's e-mail, an API key prefix (`ofk_…`) or `system`. */
  actor?: string;
  /** Calendar days in Asia/Shanghai, `YYYY-MM-DD`, both inclusive. */
  from?: string;
  to?: string;
  result?: 'success' | 'failure' | '';
  limit?: number;
};

export type AuditListItem = {
  id: number;
  createdAt: string;
  actorType: string;
  actorId: string | null;
  /** The user's e-mail, the key prefix, or null (system, or a user since deleted). */
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
  success: boolean;
};

// Years 1970-9999: year 0000 parses in JavaScript but not in PostgreSQL.
const day = z
  .string()
  .regex(/^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}$/, 'invalid_date')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'invalid_date');

const filtersSchema = z.object({
  action: z
    .string()
    .trim()
    .max(64)
    .regex(/^[a-z0-9_.]*$/, 'invalid')
    .optional(),
  actor: z
    .string()
    .trim()
    .max(254)
    .regex(/^$|^system$|^ofk_[0-9a-f]{8}$|^[^@\s]+@[^@\s]+$/i, 'invalid')
    .optional(),
  from: day.optional().or(z.literal('')),
  to: day.optional().or(z.literal('')),
  result: z.enum(['success', 'failure', '']).optional(),
  limit: z.number().int().min(1).max(200).optional(),
});

const cursorSchema = z.object({ id: z.number().int().positive() });

/**
 * The merchant's audit log, newest first, keyset-paginated on (created_at, id) so a page
 * costs the same at any depth (indexes on (merchant_id, created_at) and (merchant_id,
 * action, created_at)). Bad filters or cursors → `validation_failed` with the field.
 */
export async function listAudit(
  db: DbOrTx,
  merchantId: string,
  filters: AuditFilters = {},
  cursor?: string | null,
): Promise<{ rows: AuditListItem[]; nextCursor: string | null }> {
  const parsed = filtersSchema.safeParse(filters);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const f = parsed.data;
  const limit = pageSize(f.limit);
  const c = decodeCursor(cursor, cursorSchema);
  const where = [sql`a.merchant_id = ${merchantId}`];
  if (f.action) where.push(sql`a.action = ${f.action}`);
  if (f.result === 'success') where.push(sql`a.success`);
  if (f.result === 'failure') where.push(sql`NOT a.success`);
  // Days are Shanghai days: the log is read in that time zone.
  if (f.from) where.push(sql`a.created_at >= (${f.from}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  if (f.to) where.push(sql`a.created_at < ((${f.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  if (f.actor) {
    const actor = f.actor;
    if (actor.toLowerCase() === 'system') where.push(sql`a.actor_type = 'system'`);
    else if (/^ofk_[0-9a-f]{8}$/i.test(actor)) where.push(sql`a.actor_type = 'api_key' AND a.actor_id = ${actor.toLowerCase()}`);
    else if (actor.includes('@'))
      where.push(sql`a.actor_type IN ('user', 'agent') AND a.actor_id IN (SELECT u.id::text FROM users u WHERE lower(u.email) = lower(${actor}))`);
    else throw new AppError('validation_failed', 'Unknown actor.', { fields: { actor: 'invalid_format' } });
  }
  if (c) {
    // Compared with the cursor row itself, not a JavaScript Date: timestamps keep their
    // microseconds, and rows written in the same millisecond must not be skipped.
    where.push(sql`(a.created_at, a.id) < (SELECT c.created_at, c.id FROM audit_log c WHERE c.id = ${c.id} AND c.merchant_id = ${merchantId})`);
  }
  const rows = await db.execute<{
    id: string;
    created_at: Date | string;
    actor_type: string;
    actor_id: string | null;
    email: string | null;
    action: string;
    target_type: string | null;
    target_id: string | null;
    ip: string | null;
    detail: Record<string, unknown> | null;
    success: boolean;
  }>(sql`
    SELECT a.id, a.created_at, a.actor_type, a.actor_id, u.email, a.action, a.target_type, a.target_id, a.ip, a.detail, a.success
      FROM audit_log a
      LEFT JOIN users u ON a.actor_type IN ('user', 'agent') AND u.id::text = a.actor_id
     WHERE ${sql.join(where, sql` AND `)}
     ORDER BY a.created_at DESC, a.id DESC
     LIMIT ${limit + 1}`);
  const { page, nextCursor } = keysetPage(rows, limit, (last) => ({ id: Number(last.id) }));
  return {
    nextCursor,
    rows: page.map((r) => ({
      id: Number(r.id),
      createdAt: new Date(r.created_at).toISOString(),
      actorType: r.actor_type,
      actorId: r.actor_id,
      actorLabel: r.actor_type === 'user' || r.actor_type === 'agent' ? r.email : r.actor_type === 'api_key' ? r.actor_id : null,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      ip: r.ip,
      detail: r.detail ?? {},
      success: r.success,
    })),
  };
}

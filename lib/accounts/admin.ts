// Platform administration: the merchants list, creating and suspending merchants, choosing the
// shop served at `/`, and agent logins. Each change is audited with the admin who made it.
import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '@/db/client';
import { agents, merchants, platformSettings, users } from '@/db/schema';
import { assertPlatformOperator, merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { hashPassword } from '@/lib/auth';
import { decodeCursor, keysetPage, pageSize } from '@/lib/cursor';
import { AppError, validationError } from '@/lib/errors';
import { forgetDefaultMerchant, setDefaultMerchant } from './merchants';

export type MerchantListRow = {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended';
  ownerEmail: string | null;
  createdAt: string;
  products: number;
  orders: number;
  isDefault: boolean;
};

const merchantCursorSchema = z.object({ id: z.guid() });

/**
 * Merchants, newest first, with their owner and product/order counts in one statement. The
 * order count is an index-only count on orders_merchant_created_idx per merchant on the page.
 */
export async function listMerchants(
  db: DbOrTx,
  params: { limit?: number; cursor?: string | null } = {},
): Promise<{ merchants: MerchantListRow[]; nextCursor: string | null }> {
  const limit = pageSize(params.limit);
  const c = decodeCursor(params.cursor, merchantCursorSchema);
  const after = c ? sql`AND (m.created_at, m.id) < (SELECT c.created_at, c.id FROM merchants c WHERE c.id = ${c.id})` : sql``;
  const rows = await db.execute<{
    id: string;
    slug: string;
    name: string;
    status: 'active' | 'suspended';
    owner_email: string | null;
    created_at: Date;
    products: string;
    orders: string;
    is_default: boolean;
  }>(sql`
    SELECT m.id, m.slug, m.name, m.status, m.created_at,
           (SELECT u.email FROM users u WHERE u.merchant_id = m.id AND u.role = 'merchant' ORDER BY u.created_at LIMIT 1) AS owner_email,
           (SELECT count(*) FROM products p WHERE p.merchant_id = m.id) AS products,
           (SELECT count(*) FROM orders o WHERE o.merchant_id = m.id) AS orders,
           coalesce(m.id = (SELECT (s.value #>> '{}')::uuid FROM platform_settings s WHERE s.key = 'default_merchant_id'), false) AS is_default
      FROM merchants m
     WHERE true ${after}
     ORDER BY m.created_at DESC, m.id DESC
     LIMIT ${limit + 1}`);
  const { page, nextCursor } = keysetPage(rows, limit, (last) => ({ id: last.id }));
  return {
    nextCursor,
    merchants: page.map((r) => ({
      id: r.id,
      slug: r.slug,
      name: r.name,
      status: r.status,
      ownerEmail: r.owner_email,
      createdAt: new Date(r.created_at).toISOString(),
      products: Number(r.products),
      orders: Number(r.orders),
      isDefault: r.is_default,
    })),
  };
}

async function existingMerchant(db: DbOrTx, merchantId: string) {
  if (!z.string().uuid().safeParse(merchantId).success) throw new AppError('not_found', 'No such merchant.');
  const [m] = await db.select().from(merchants).where(eq(merchants.id, merchantId));
  if (!m) throw new AppError('not_found', 'No such merchant.');
  return m;
}

/**
 * Suspends or reactivates a merchant. Suspension closes its shop (getDefaultMerchant, order
 * creation and API keys refuse a suspended merchant) and ends its users' sessions: the session
 * check refuses them at their next request, and the version bump keeps those sessions dead
 * after a later reactivation.
 */
export async function setMerchantStatus(db: Db, actor: Actor, input: { merchantId: string; status: 'active' | 'suspended' }): Promise<void> {
  assertPlatformOperator(actor);
  const { merchantId, status } = input;
  if (status !== 'active' && status !== 'suspended') throw new AppError('validation_failed', 'Unknown status.', { fields: { status: 'invalid_choice' } });
  await db.transaction(async (tx) => {
    const m = await existingMerchant(tx, merchantId);
    if (m.status === status) return;
    await tx.update(merchants).set({ status }).where(eq(merchants.id, merchantId));
    if (status === 'suspended') {
      await tx
        .update(users)
        .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
        .where(eq(users.merchantId, merchantId));
    }
    await recordAudit(tx, actor, {
      merchantId,
      action: status === 'suspended' ? 'merchant.suspend' : 'merchant.reactivate',
      targetType: 'merchant',
      targetId: merchantId,
    });
  });
  forgetDefaultMerchant();
}

/** Makes an active merchant's shop the one served at `/`. */
export async function chooseDefaultMerchant(db: Db, actor: Actor, input: { merchantId: string }): Promise<void> {
  assertPlatformOperator(actor);
  const { merchantId } = input;
  await db.transaction(async (tx) => {
    const m = await existingMerchant(tx, merchantId);
    if (m.status !== 'active') throw new AppError('conflict', 'A suspended merchant cannot be the default shop.');
    const [previous] = await tx
      .select({ id: sql<string | null>`${platformSettings.value} #>> '{}'` })
      .from(platformSettings)
      .where(eq(platformSettings.key, 'default_merchant_id'));
    await setDefaultMerchant(tx, merchantId);
    await recordAudit(tx, actor, {
      merchantId: null,
      action: 'platform.default_merchant',
      targetType: 'merchant',
      targetId: merchantId,
      detail: { previous: previous?.id ?? null },
    });
  });
  forgetDefaultMerchant();
}

const agentUserSchema = z.object({
  agentId: z.guid(),
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(10).max(200),
});

/**
 * A console login for an agent of the actor's merchant: a user with role 'agent', linked from
 * agents.user_id. The agent must belong to that merchant and have no login yet. Audited.
 */
export async function createAgentUser(db: Db, actor: Actor, input: z.input<typeof agentUserSchema>): Promise<{ userId: string }> {
  const merchantId = merchantOf(actor);
  const parsed = agentUserSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { agentId, email, password } = parsed.data;
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [agent] = await tx
      .select({ id: agents.id, userId: agents.userId })
      .from(agents)
      .where(and(eq(agents.id, agentId), eq(agents.merchantId, merchantId)))
      .for('update');
    if (!agent) throw new AppError('not_found', 'No such agent.');
    if (agent.userId) throw new AppError('conflict', 'This agent has a login already.', { fields: { agentId: 'taken' } });
    const inserted = await tx.insert(users).values({ email, passwordHash, role: 'agent', merchantId }).onConflictDoNothing().returning({ id: users.id });
    if (inserted.length === 0) throw new AppError('conflict', 'An account with this e-mail exists already.', { fields: { email: 'taken' } });
    await tx.update(agents).set({ userId: inserted[0]!.id }).where(eq(agents.id, agentId));
    await recordAudit(tx, actor, { action: 'agent.login_create', targetType: 'agent', targetId: agentId, detail: { userId: inserted[0]!.id } });
    return { userId: inserted[0]!.id };
  });
}

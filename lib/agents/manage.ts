// What a merchant does with its agents (create one directly, change its level, parent or
// status, review applications, adjust a balance) and what an agent does with its shop (name,
// notice, contact, logo, which products at what markup, invites for sub-agents, API keys).
// Each is one use case (db, actor, input): parsed, checked, one transaction, audited.
import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { agentLevels, agentProducts, agents, products, users, type Agent } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { AGENT_SCOPE, hashPassword, issueApiKey } from '@/lib/auth';
import { AppError, pgError, validationError } from '@/lib/errors';
import { enqueue } from '@/lib/outbox';
import { lockBalances, debitLegs, offsetDebt, postTxn } from './ledger';
import { markupRefusal, MAX_AGENT_LEVEL, unitCostFor, visibleAtRank } from './pricing';
import { actingAgent } from './session';

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,40}$/;
const optionalText = (max: number) => z.string().trim().max(max).optional();
const httpsUrl = z
  .string()
  .trim()
  .max(500)
  .refine((v) => v === '' || (URL.canParse(v) && new URL(v).protocol === 'https:'), 'not_https');

const createSchema = z
  .object({
    slug: z.string().trim().toLowerCase().regex(SLUG_PATTERN),
    name: z.string().trim().min(1).max(60),
    rank: z.number().int().min(1).max(MAX_AGENT_LEVEL).default(1),
    parentId: z.guid().nullish(),
    email: z.string().trim().toLowerCase().max(254).email().optional(),
    password: z.string().min(10).max(200).optional(),
    contact: optionalText(200),
  })
  .refine((v) => !v.email === !v.password, { message: 'required', path: ['password'] });
export type CreateAgentInput = z.input<typeof createSchema>;

async function requireLevel(tx: Tx, merchantId: string, rank: number): Promise<void> {
  const [level] = await tx
    .select({ id: agentLevels.id })
    .from(agentLevels)
    .where(and(eq(agentLevels.merchantId, merchantId), eq(agentLevels.rank, rank)));
  if (!level) throw new AppError('validation_failed', 'Set up this level first.', { fields: { rank: 'level_missing' } });
}

/** A parent must be an active agent of the same merchant at or above the child's rank. */
async function checkParent(tx: Tx, merchantId: string, parentId: string, rank: number, childId?: string): Promise<void> {
  const [parent] = await tx
    .select({ level: agents.level, status: agents.status, parentId: agents.parentId })
    .from(agents)
    .where(and(eq(agents.id, parentId), eq(agents.merchantId, merchantId)));
  if (!parent || parent.status !== 'active' || parentId === childId)
    throw new AppError('validation_failed', 'No such parent agent.', { fields: { parentId: 'unknown' } });
  if (parent.level < rank)
    throw new AppError('validation_failed', 'A parent must be at or above the agent’s level.', { fields: { parentId: 'rank_too_high' } });
  if (childId) {
    // No cycles: the child may not be an ancestor of its new parent.
    const [cycle] = await tx.execute(sql`
      WITH RECURSIVE up(id, depth) AS (
        SELECT parent_id, 1 FROM agents WHERE id = ${parentId}
        UNION ALL SELECT a.parent_id, up.depth + 1 FROM agents a JOIN up ON a.id = up.id WHERE up.depth < 50)
      SELECT 1 FROM up WHERE id = ${childId} LIMIT 1`);
    if (cycle) throw new AppError('validation_failed', 'This agent is above the chosen parent.', { fields: { parentId: 'invalid' } });
  }
}

async function insertAgentUser(tx: Tx, merchantId: string, email: string, password: string): Promise<string> {
  const passwordHash = await hashPassword(password);
  const inserted = await tx.insert(users).values({ email, passwordHash, role: 'agent', merchantId }).onConflictDoNothing().returning({ id: users.id });
  if (inserted.length === 0) throw new AppError('conflict', 'An account with this e-mail exists already.', { fields: { email: 'taken' } });
  return inserted[0]!.id;
}

/** The merchant creates an agent, active at once (its shop is live), optionally with its console login. Audited. */
export async function createAgent(db: Db, actor: Actor, input: CreateAgentInput): Promise<Agent> {
  const merchantId = merchantOf(actor);
  const parsed = createSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const v = parsed.data;
  try {
    return await db.transaction(async (tx) => {
      await requireLevel(tx, merchantId, v.rank);
      if (v.parentId) await checkParent(tx, merchantId, v.parentId, v.rank);
      const userId = v.email && v.password ? await insertAgentUser(tx, merchantId, v.email, v.password) : null;
      const [agent] = await tx
        .insert(agents)
        .values({
          merchantId,
          slug: v.slug,
          name: v.name,
          level: v.rank,
          parentId: v.parentId ?? null,
          userId,
          contact: v.contact ?? '',
          approvedAt: sql`now()`,
        })
        .returning();
      await lockBalances(tx, merchantId, [agent!.id]);
      await recordAudit(tx, actor, {
        action: 'agent.create',
        targetType: 'agent',
        targetId: agent!.id,
        detail: { slug: v.slug, rank: v.rank, parentId: v.parentId ?? null, login: Boolean(userId) },
      });
      return agent!;
    });
  } catch (err) {
    if (pgError(err).constraint === 'agents_merchant_slug_key')
      throw new AppError('conflict', 'An agent with this shop address exists already.', { fields: { slug: 'taken' } });
    throw err;
  }
}

const updateSchema = z.object({
  id: z.guid(),
  rank: z.number().int().min(1).max(MAX_AGENT_LEVEL).optional(),
  status: z.enum(['active', 'suspended']).optional(),
  parentId: z.guid().nullable().optional(),
});

/** The merchant changes an agent's level, parent or status (an application is reviewed instead). Audited with the old values. */
export async function updateAgent(db: Db, actor: Actor, input: z.input<typeof updateSchema>): Promise<Agent> {
  const merchantId = merchantOf(actor);
  const parsed = updateSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const v = parsed.data;
  return db.transaction(async (tx) => {
    const [agent] = await tx
      .select()
      .from(agents)
      .where(and(eq(agents.id, v.id), eq(agents.merchantId, merchantId)))
      .for('update');
    if (!agent) throw new AppError('not_found', 'No such agent.');
    if (agent.status === 'pending' || agent.status === 'rejected') throw new AppError('conflict', 'Review the application first.');
    const rank = v.rank ?? agent.level;
    if (v.rank !== undefined) await requireLevel(tx, merchantId, rank);
    const parentId = v.parentId === undefined ? agent.parentId : v.parentId;
    const reactivated = v.status === 'active' && agent.status !== 'active';
    if (parentId && (v.parentId !== undefined || v.rank !== undefined || reactivated)) await checkParent(tx, merchantId, parentId, rank, agent.id);
    if (v.rank !== undefined && v.rank < agent.level) {
      // A sub-agent may not outrank its parent: demoting a parent below any of its children
      // (suspended ones too: they may come back) is refused.
      const [child] = await tx
        .select({ id: agents.id })
        .from(agents)
        .where(and(eq(agents.parentId, agent.id), sql`${agents.level} > ${v.rank}`, inArray(agents.status, ['active', 'suspended'])))
        .limit(1);
      if (child) throw new AppError('validation_failed', 'A sub-agent is above this level.', { fields: { rank: 'rank_too_high' } });
    }
    const [updated] = await tx
      .update(agents)
      .set({ level: rank, parentId, status: v.status ?? agent.status })
      .where(eq(agents.id, agent.id))
      .returning();
    await recordAudit(tx, actor, {
      action: 'agent.update',
      targetType: 'agent',
      targetId: agent.id,
      detail: { old: { rank: agent.level, status: agent.status, parentId: agent.parentId }, new: { rank, status: updated!.status, parentId } },
    });
    return updated!;
  });
}

const reviewSchema = z.object({
  id: z.guid(),
  decision: z.enum(['approve', 'reject']),
  rank: z.number().int().min(1).max(MAX_AGENT_LEVEL).optional(),
  reason: z.string().trim().max(500).optional(),
  /** null: approve without the inviting agent as parent (it was suspended, or now ranks below). */
  parentId: z.null().optional(),
});

/** Approves an application (optionally at another level: the shop is live at once) or rejects it with a reason. Audited; the applicant is told. */
export async function reviewApplication(db: Db, actor: Actor, input: z.input<typeof reviewSchema>): Promise<Agent> {
  const merchantId = merchantOf(actor);
  const parsed = reviewSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const v = parsed.data;
  if (v.decision === 'reject' && !v.reason) throw new AppError('validation_failed', 'Give a reason.', { fields: { reason: 'required' } });
  return db.transaction(async (tx) => {
    const [agent] = await tx
      .select()
      .from(agents)
      .where(and(eq(agents.id, v.id), eq(agents.merchantId, merchantId)))
      .for('update');
    if (!agent) throw new AppError('not_found', 'No such application.');
    if (agent.status !== 'pending') throw new AppError('conflict', 'This application was decided already.');
    const rank = v.rank ?? agent.level;
    const parentId = v.parentId === null ? null : agent.parentId;
    if (v.decision === 'approve') {
      await requireLevel(tx, merchantId, rank);
      // The inviting agent stays the parent only while it still outranks (or equals) the new
      // agent; otherwise the merchant approves without it (parentId: null) or at a lower level.
      if (parentId) await checkParent(tx, merchantId, parentId, rank, agent.id);
    }
    const [updated] = await tx
      .update(agents)
      .set(v.decision === 'approve' ? { status: 'active', level: rank, parentId, approvedAt: sql`now()` } : { status: 'rejected', reviewReason: v.reason })
      .where(eq(agents.id, agent.id))
      .returning();
    if (v.decision === 'approve') await lockBalances(tx, merchantId, [agent.id]);
    await recordAudit(tx, actor, {
      action: `agent.${v.decision}`,
      targetType: 'agent',
      targetId: agent.id,
      detail: { rank, ...(v.reason ? { reason: v.reason } : {}) },
    });
    await enqueue(tx, {
      merchantId,
      topic: 'agent.application_decided',
      eventKey: agent.id,
      payload: { agentId: agent.id, decision: v.decision, rank, reason: v.reason ?? null },
    });
    return updated!;
  });
}

const shopSchema = z.object({
  name: z.string().trim().min(1).max(60),
  notice: optionalText(1000),
  contact: optionalText(200),
  logoUrl: httpsUrl.optional(),
});

/** The agent edits its shop's name, notice, contact and logo (https only). Audited. */
export async function updateAgentShop(db: Db, actor: Actor, input: z.input<typeof shopSchema>): Promise<Agent> {
  const parsed = shopSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const v = parsed.data;
  return db.transaction(async (tx) => {
    const agent = await actingAgent(tx, actor);
    // An applicant may set its shop up while it waits; a suspended or rejected agent may not.
    if (agent.status === 'suspended' || agent.status === 'rejected') throw new AppError('forbidden', 'Your agent account is not active.');
    const [updated] = await tx
      .update(agents)
      .set({ name: v.name, notice: v.notice ?? '', contact: v.contact ?? '', logoUrl: v.logoUrl || null })
      .where(eq(agents.id, agent.id))
      .returning();
    await recordAudit(tx, actor, { action: 'agent.shop_update', targetType: 'agent', targetId: agent.id, detail: { name: v.name } });
    return updated!;
  });
}

const listingSchema = z.object({
  productId: z.guid(),
  listed: z.boolean().optional(),
  /** Basis points on the agent's cost; null: back to retail. */
  markupBp: z.number().int().min(0).max(100000).nullable().optional(),
  /** A sale price instead of a markup (minor units): converted to the markup that gives it. */
  price: z.number().int().min(0).max(100_000_000).optional(),
});

/**
 * The agent lists or unlists a product its level may see and sets its markup, within the
 * level's bounds and not below retail unless the level allows it. Audited.
 */
export async function setAgentProduct(db: Db, actor: Actor, input: z.input<typeof listingSchema>): Promise<{ listed: boolean; markupBp: number | null }> {
  const parsed = listingSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const v = parsed.data;
  if (v.price !== undefined && v.markupBp !== undefined)
    throw new AppError('validation_failed', 'Give a markup or a price, not both.', { fields: { price: 'invalid' } });
  return db.transaction(async (tx) => {
    const agent = await actingAgent(tx, actor);
    if (agent.status !== 'active') throw new AppError('forbidden', 'Your agent account is not active.');
    const [[product], [level]] = await Promise.all([
      tx
        .select()
        .from(products)
        .where(and(eq(products.id, v.productId), eq(products.merchantId, agent.merchantId))),
      tx
        .select()
        .from(agentLevels)
        .where(and(eq(agentLevels.merchantId, agent.merchantId), eq(agentLevels.rank, agent.level))),
    ]);
    if (!product || !level || !visibleAtRank(product, level.rank)) throw new AppError('not_found', 'No such product.', { fields: { productId: 'unknown' } });
    const cost = unitCostFor(product, level);
    let markupBp = v.markupBp;
    if (v.price !== undefined) {
      if (v.price < cost)
        throw new AppError('validation_failed', 'Below your cost.', { fields: { price: { code: 'below_cost', min: cost, currency: product.currency } } });
      markupBp = cost === 0 ? 0 : Math.round(((v.price - cost) * 10000) / cost);
    }
    if (markupBp != null) {
      const refusal = markupRefusal(cost, product.price, level, markupBp);
      if (refusal) {
        const field = v.price !== undefined ? 'price' : 'markupBp';
        throw new AppError('validation_failed', refusal.code === 'below_retail' ? 'Below the retail price.' : 'Outside the markup your level allows.', {
          fields: {
            [field]:
              refusal.code === 'below_retail'
                ? { code: 'below_retail', min: product.price, currency: product.currency }
                : { code: 'out_of_range', min: refusal.min, max: refusal.max },
          },
        });
      }
    }
    const values = { listed: v.listed ?? true, markupBp: markupBp ?? null };
    const [row] = await tx
      .insert(agentProducts)
      .values({ merchantId: agent.merchantId, agentId: agent.id, productId: product.id, ...values })
      .onConflictDoUpdate({
        target: [agentProducts.agentId, agentProducts.productId],
        set: { ...(v.listed !== undefined ? { listed: v.listed } : {}), ...(markupBp !== undefined ? { markupBp } : {}), updatedAt: sql`now()` },
      })
      .returning();
    await recordAudit(tx, actor, {
      action: 'agent.product',
      targetType: 'product',
      targetId: product.id,
      detail: { listed: row!.listed, markupBp: row!.markupBp },
    });
    return { listed: row!.listed, markupBp: row!.markupBp };
  });
}

const adjustSchema = z.object({
  agentId: z.guid(),
  amount: z
    .number()
    .int()
    .refine((n) => n !== 0, 'required')
    .refine((n) => Math.abs(n) <= 100_000_000, 'too_large'),
  reason: z.string().trim().min(2).max(500),
});

/**
 * A manual adjustment of an agent's available balance (a bonus, a correction), with a reason,
 * audited: a credit repays a debt first; a debit beyond what is available becomes a debt.
 */
export async function adjustBalance(db: Db, actor: Actor, input: z.input<typeof adjustSchema>): Promise<void> {
  const merchantId = merchantOf(actor);
  const parsed = adjustSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { agentId, amount, reason } = parsed.data;
  await db.transaction(async (tx) => {
    const [agent] = await tx
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.id, agentId), eq(agents.merchantId, merchantId)));
    if (!agent) throw new AppError('not_found', 'No such agent.');
    const balances = await lockBalances(tx, merchantId, [agentId]);
    const key = `adjust:${crypto.randomUUID()}`;
    const head = { merchantId, agentId, kind: 'adjust' as const, key, amount: Math.abs(amount), actor: actor.id, memo: reason };
    const legs = amount > 0 ? [{ agentId, account: 'available' as const, amount }] : debitLegs(balances.get(agentId)!, agentId, 'available', -amount);
    await postTxn(tx, balances, head, [...legs, { agentId, account: 'commission_expense', amount: -amount }]);
    if (amount > 0) await offsetDebt(tx, balances, { merchantId, agentId, key: `offset:${key}` });
    await recordAudit(tx, actor, { action: 'agent.adjust', targetType: 'agent', targetId: agentId, detail: { amount, reason } });
  });
}

/**
 * An API key for an agent (scope `agent`: the agent API only), by the merchant for one of its
 * agents or by the agent for itself. The key is shown once. Audited.
 */
export async function createAgentApiKey(
  db: Db,
  actor: Actor,
  input: { agentId?: string; name?: string },
): Promise<{ id: string; key: string; prefix: string }> {
  return db.transaction(async (tx) => {
    let agentId: string;
    let merchantId: string;
    if (actor.kind === 'agent') {
      const agent = await actingAgent(tx, actor);
      if (agent.status !== 'active') throw new AppError('forbidden', 'Your agent account is not active.');
      [agentId, merchantId] = [agent.id, agent.merchantId];
    } else {
      merchantId = merchantOf(actor);
      if (!input.agentId || !z.guid().safeParse(input.agentId).success) throw new AppError('not_found', 'No such agent.');
      const [agent] = await tx
        .select({ id: agents.id, status: agents.status })
        .from(agents)
        .where(and(eq(agents.id, input.agentId), eq(agents.merchantId, merchantId)));
      if (!agent || agent.status === 'pending' || agent.status === 'rejected') throw new AppError('not_found', 'No such agent.');
      agentId = agent.id;
    }
    const name = (input.name ?? '').trim().slice(0, 60) || 'agent';
    const issued = await issueApiKey(tx, { merchantId, name, scopes: [AGENT_SCOPE], agentId, createdBy: actor.kind === 'user' ? actor.id : null });
    await recordAudit(tx, actor, {
      action: 'api_key.create',
      targetType: 'api_key',
      targetId: issued.id,
      detail: { prefix: issued.prefix, name, agentId, scopes: AGENT_SCOPE },
    });
    return issued;
  });
}

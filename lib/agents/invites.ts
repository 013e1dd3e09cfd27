// Joining the reseller programme by invite link: the merchant, or an agent for its own
// sub-agents (at or below its rank), creates a link with a level, an expiry, a number of
// uses and auto-approval; the applicant signs up through it and is either live at once or
// waits in the merchant's review queue. Only the token's hash is stored.
import 'server-only';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '@/db/client';
import { agentInvites, agentLevels, agents, merchants, users, type AgentInvite } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { hashPassword } from '@/lib/auth';
import { randomToken, sha256Hex } from '@/lib/crypto';
import { AppError, pgError, validationError } from '@/lib/errors';
import { enqueue } from '@/lib/outbox';
import { lockBalances } from './ledger';
import { SLUG_PATTERN } from './manage';
import { MAX_AGENT_LEVEL } from './pricing';
import { actingAgent } from './session';

const inviteSchema = z.object({
  rank: z.number().int().min(1).max(MAX_AGENT_LEVEL),
  maxUses: z.number().int().min(1).max(10_000).nullish(),
  expiresAt: z.coerce.date().nullish(),
  autoApprove: z.boolean().default(false),
});

/** The path of an invite link (`/join/{token}`); the whole URL is the app URL + this. */
export const invitePath = (token: string) => `/join/${token}`;

/** Creates an invite link; the token is returned once (only its hash is kept). Audited. */
export async function createInvite(db: Db, actor: Actor, input: z.input<typeof inviteSchema>): Promise<{ id: string; token: string; path: string }> {
  const parsed = inviteSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const v = parsed.data;
  if (v.expiresAt && v.expiresAt.getTime() <= Date.now())
    throw new AppError('validation_failed', 'The expiry is in the past.', { fields: { expiresAt: 'in_past' } });
  return db.transaction(async (tx) => {
    let merchantId: string;
    let issuerAgentId: string | null = null;
    if (actor.kind === 'agent') {
      const agent = await actingAgent(tx, actor);
      if (agent.status !== 'active') throw new AppError('forbidden', 'Your agent account is not active.');
      if (v.rank > agent.level) throw new AppError('validation_failed', 'Above your own level.', { fields: { rank: 'rank_too_high' } });
      [merchantId, issuerAgentId] = [agent.merchantId, agent.id];
    } else {
      merchantId = merchantOf(actor);
    }
    const [level] = await tx
      .select({ id: agentLevels.id })
      .from(agentLevels)
      .where(and(eq(agentLevels.merchantId, merchantId), eq(agentLevels.rank, v.rank)));
    if (!level) throw new AppError('validation_failed', 'Set up this level first.', { fields: { rank: 'level_missing' } });
    const token = randomToken();
    const [invite] = await tx
      .insert(agentInvites)
      .values({
        merchantId,
        issuerAgentId,
        rank: v.rank,
        tokenHash: sha256Hex(token),
        maxUses: v.maxUses ?? null,
        expiresAt: v.expiresAt ?? null,
        autoApprove: v.autoApprove,
      })
      .returning({ id: agentInvites.id });
    await recordAudit(tx, actor, {
      action: 'agent_invite.create',
      targetType: 'agent_invite',
      targetId: invite!.id,
      detail: { rank: v.rank, maxUses: v.maxUses ?? null, autoApprove: v.autoApprove },
    });
    return { id: invite!.id, token, path: invitePath(token) };
  });
}

/** Revokes an invite of the actor (the merchant's, or the agent's own). */
export async function revokeInvite(db: Db, actor: Actor, input: { id: string }): Promise<void> {
  if (!z.guid().safeParse(input.id).success) throw new AppError('not_found', 'No such invite.');
  await db.transaction(async (tx) => {
    const scope =
      actor.kind === 'agent'
        ? await actingAgent(tx, actor).then((a) => and(eq(agentInvites.merchantId, a.merchantId), eq(agentInvites.issuerAgentId, a.id)))
        : eq(agentInvites.merchantId, merchantOf(actor));
    const [row] = await tx
      .update(agentInvites)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(agentInvites.id, input.id), scope, isNull(agentInvites.revokedAt)))
      .returning({ id: agentInvites.id });
    if (!row) throw new AppError('not_found', 'No such invite.');
    await recordAudit(tx, actor, { action: 'agent_invite.revoke', targetType: 'agent_invite', targetId: row.id });
  });
}

export type InviteView = { merchantName: string; levelName: string; rank: number; autoApprove: boolean; inviter: string | null };

function usable(invite: AgentInvite): boolean {
  return !invite.revokedAt && (!invite.expiresAt || invite.expiresAt.getTime() > Date.now()) && (invite.maxUses == null || invite.usedCount < invite.maxUses);
}

/** What the join page shows for a token, or null when it is unknown, revoked, expired or used up. */
export async function inviteByToken(db: DbOrTx, token: string): Promise<InviteView | null> {
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) return null;
  const [row] = await db
    .select({ invite: agentInvites, merchantName: merchants.name, levelName: agentLevels.name, inviter: agents.name })
    .from(agentInvites)
    .innerJoin(merchants, eq(merchants.id, agentInvites.merchantId))
    .innerJoin(agentLevels, and(eq(agentLevels.merchantId, agentInvites.merchantId), eq(agentLevels.rank, agentInvites.rank)))
    .leftJoin(agents, eq(agents.id, agentInvites.issuerAgentId))
    .where(eq(agentInvites.tokenHash, sha256Hex(token)));
  if (!row || !usable(row.invite)) return null;
  return { merchantName: row.merchantName, levelName: row.levelName, rank: row.invite.rank, autoApprove: row.invite.autoApprove, inviter: row.inviter };
}

const joinSchema = z.object({
  token: z.string().min(16).max(128),
  email: z.string().trim().toLowerCase().max(254).email(),
  password: z.string().min(10).max(200),
  name: z.string().trim().min(1).max(60),
  slug: z.string().trim().toLowerCase().regex(SLUG_PATTERN),
  contact: z.string().trim().min(2).max(200),
  note: z.string().trim().max(500).optional(),
});
export type JoinInput = z.input<typeof joinSchema>;

/**
 * Signs an applicant up through an invite: its console login and its agent row, in one
 * transaction that takes one use of the invite (a guarded UPDATE: a link with one use left
 * admits one of two simultaneous applicants). Auto-approved invites make the shop live at
 * once; the others wait for the merchant, who is told.
 */
export async function joinByInvite(db: Db, input: JoinInput, ip: string | null): Promise<{ agentId: string; status: 'active' | 'pending'; slug: string }> {
  const parsed = joinSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const v = parsed.data;
  const passwordHash = await hashPassword(v.password);
  try {
    return await db.transaction(async (tx) => {
      const [invite] = await tx
        .update(agentInvites)
        .set({ usedCount: sql`${agentInvites.usedCount} + 1` })
        .where(
          and(
            eq(agentInvites.tokenHash, sha256Hex(v.token)),
            isNull(agentInvites.revokedAt),
            sql`(${agentInvites.expiresAt} IS NULL OR ${agentInvites.expiresAt} > now())`,
            sql`(${agentInvites.maxUses} IS NULL OR ${agentInvites.usedCount} < ${agentInvites.maxUses})`,
          ),
        )
        .returning();
      if (!invite) throw new AppError('not_found', 'This invite link is not valid any more.', { fields: { token: 'expired' } });
      // An agent's invite makes it the parent, while it is active.
      let parentId: string | null = null;
      if (invite.issuerAgentId) {
        const [issuer] = await tx.select({ status: agents.status, level: agents.level }).from(agents).where(eq(agents.id, invite.issuerAgentId));
        if (!issuer || issuer.status !== 'active' || issuer.level < invite.rank)
          throw new AppError('not_found', 'This invite link is not valid any more.', { fields: { token: 'expired' } });
        parentId = invite.issuerAgentId;
      }
      const insertedUser = await tx
        .insert(users)
        .values({ email: v.email, passwordHash, role: 'agent', merchantId: invite.merchantId })
        .onConflictDoNothing()
        .returning({ id: users.id });
      if (insertedUser.length === 0) throw new AppError('conflict', 'An account with this e-mail exists already.', { fields: { email: 'taken' } });
      const status = invite.autoApprove ? 'active' : 'pending';
      const [agent] = await tx
        .insert(agents)
        .values({
          merchantId: invite.merchantId,
          userId: insertedUser[0]!.id,
          slug: v.slug,
          name: v.name,
          level: invite.rank,
          parentId,
          status,
          contact: v.contact,
          inviteId: invite.id,
          applicationNote: v.note ?? null,
          approvedAt: status === 'active' ? sql`now()` : null,
        })
        .returning();
      if (status === 'active') await lockBalances(tx, invite.merchantId, [agent!.id]);
      await recordAudit(
        tx,
        { kind: 'agent', id: insertedUser[0]!.id, merchantId: invite.merchantId, ip, agentId: agent!.id },
        {
          action: 'agent.join',
          targetType: 'agent',
          targetId: agent!.id,
          detail: { inviteId: invite.id, rank: invite.rank, status },
        },
      );
      await enqueue(tx, {
        merchantId: invite.merchantId,
        topic: 'agent.joined',
        eventKey: agent!.id,
        payload: { agentId: agent!.id, name: v.name, slug: v.slug, rank: invite.rank, status },
      });
      return { agentId: agent!.id, status, slug: v.slug };
    });
  } catch (err) {
    if (pgError(err).constraint === 'agents_merchant_slug_key') throw new AppError('conflict', 'This shop address is taken.', { fields: { slug: 'taken' } });
    throw err;
  }
}

export type InviteRow = Pick<AgentInvite, 'id' | 'rank' | 'maxUses' | 'usedCount' | 'expiresAt' | 'autoApprove' | 'revokedAt' | 'createdAt'> & {
  issuer: string | null;
};

/** A merchant's invites (or one agent's), newest first. */
export async function listInvites(db: DbOrTx, scope: { merchantId: string; agentId?: string }): Promise<InviteRow[]> {
  return db
    .select({
      id: agentInvites.id,
      rank: agentInvites.rank,
      maxUses: agentInvites.maxUses,
      usedCount: agentInvites.usedCount,
      expiresAt: agentInvites.expiresAt,
      autoApprove: agentInvites.autoApprove,
      revokedAt: agentInvites.revokedAt,
      createdAt: agentInvites.createdAt,
      issuer: agents.name,
    })
    .from(agentInvites)
    .leftJoin(agents, eq(agents.id, agentInvites.issuerAgentId))
    .where(and(eq(agentInvites.merchantId, scope.merchantId), scope.agentId ? eq(agentInvites.issuerAgentId, scope.agentId) : undefined))
    .orderBy(desc(agentInvites.createdAt))
    .limit(200);
}

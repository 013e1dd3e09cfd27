// Console sign-in: password check with per-account lockout, the session's view of a user,
// and password change. Sessions are JWTs (Auth.js); `sessionVersion` lets a password change
// or a suspension end every older session at its next request.
import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { merchants, users } from '@/db/schema';
import { recordAudit, type Actor } from '@/lib/audit';
import { hashPassword, verifyPassword } from '@/lib/auth';
import { enqueue } from '@/lib/outbox';
import { AppError, validationError } from '@/lib/errors';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

export type SessionUser = {
  id: string;
  email: string;
  role: 'admin' | 'merchant' | 'agent';
  merchantId: string | null;
  sessionVersion: number;
};

export type LoginResult = { ok: true; user: SessionUser } | { ok: false; reason: 'invalid' | 'suspended' };

/** The actor a signed-in user acts as: an agent's login acts as the agent, everyone else as a user. */
export function actorForUser(user: Pick<SessionUser, 'id' | 'role' | 'merchantId'>, ip: string | null): Actor {
  return { kind: user.role === 'agent' ? 'agent' : 'user', id: user.id, merchantId: user.merchantId, ip };
}

// A real argon2 hash of a random string: unknown e-mails cost the same time as known ones.
let dummyHash: Promise<string> | undefined;

/**
 * Checks an e-mail and password. Wrong passwords are counted per account in a window of
 * LOCKOUT_MINUTES that starts at the first one (a row update, so it holds across app
 * instances); the MAX_FAILED_LOGINS-th in a window pauses sign-in for LOCKOUT_MINUTES and
 * e-mails the owner. Once the window is over the count starts again, so a single wrong
 * password now and then never keeps the owner out. A paused account, a wrong password and
 * an unknown e-mail get the same answer (`invalid`) after the same work (a password hash
 * is always checked), so neither the answer nor its timing tells whether an account exists
 * or is paused. Every attempt on an account is audited with its address.
 */
export async function verifyLogin(db: DbOrTx, input: { email: string; password: string; ip: string | null }): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  const [row] = await db
    .select({ user: users, merchantStatus: merchants.status })
    .from(users)
    .leftJoin(merchants, eq(merchants.id, users.merchantId))
    .where(sql`lower(${users.email}) = ${email}`);
  if (!row) {
    dummyHash ??= hashPassword(crypto.randomUUID());
    await verifyPassword(await dummyHash, input.password);
    return { ok: false, reason: 'invalid' };
  }
  const { user } = row;
  const actor = actorForUser(user, input.ip);
  const audit = (action: string, success: boolean, detail: Record<string, unknown> = {}) => recordAudit(db, actor, { action, success, detail });
  const passwordOk = await verifyPassword(user.passwordHash, input.password);
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    // Not counted: a pause is not lengthened by more attempts, right or wrong.
    await audit('auth.sign_in', false, { reason: 'locked' });
    return { ok: false, reason: 'invalid' };
  }
  if (!passwordOk) {
    const window = sql`make_interval(mins => ${LOCKOUT_MINUTES})`;
    const fresh = sql`(${users.failedSince} IS NULL OR ${users.failedSince} < now() - ${window})`;
    const count = sql`CASE WHEN ${fresh} THEN 1 ELSE ${users.failedLogins} + 1 END`;
    const locked = await db.transaction(async (tx) => {
      const [after] = await tx
        .update(users)
        .set({
          failedLogins: count,
          failedSince: sql`CASE WHEN ${fresh} THEN now() ELSE ${users.failedSince} END`,
          // Exactly at the limit: the pause starts once per window, not at every later failure.
          lockedUntil: sql`CASE WHEN ${count} = ${MAX_FAILED_LOGINS} THEN now() + ${window} ELSE ${users.lockedUntil} END`,
        })
        .where(eq(users.id, user.id))
        .returning({ failedLogins: users.failedLogins, lockedUntil: users.lockedUntil });
      const lockedNow = after?.failedLogins === MAX_FAILED_LOGINS;
      if (lockedNow) {
        await enqueue(tx, {
          merchantId: user.merchantId,
          topic: 'account.locked',
          eventKey: `${user.id}:${after!.lockedUntil!.toISOString()}`,
          payload: { userId: user.id, until: after!.lockedUntil!.toISOString(), attempts: MAX_FAILED_LOGINS, ip: input.ip },
        });
      }
      return lockedNow;
    });
    await audit('auth.sign_in', false, { reason: locked ? 'locked_now' : 'password' });
    return { ok: false, reason: 'invalid' };
  }
  if (row.merchantStatus === 'suspended') {
    await audit('auth.sign_in', false, { reason: 'suspended' });
    return { ok: false, reason: 'suspended' };
  }
  await db
    .update(users)
    .set({ failedLogins: 0, failedSince: null, lockedUntil: null, lastLoginAt: sql`now()` })
    .where(eq(users.id, user.id));
  await audit('auth.sign_in', true);
  return { ok: true, user: { id: user.id, email: user.email, role: user.role, merchantId: user.merchantId, sessionVersion: user.sessionVersion } };
}

/**
 * The user behind a session, re-read on every console request: a session whose user is
 * gone, whose password changed since (version), or whose merchant is suspended gets null.
 */
export async function sessionUser(db: DbOrTx, userId: string, sessionVersion: number): Promise<SessionUser | null> {
  if (!z.string().uuid().safeParse(userId).success) return null;
  const [row] = await db
    .select({ user: users, merchantStatus: merchants.status })
    .from(users)
    .leftJoin(merchants, eq(merchants.id, users.merchantId))
    .where(eq(users.id, userId));
  if (!row || row.user.sessionVersion !== sessionVersion) return null;
  if (row.user.merchantId && row.merchantStatus !== 'active') return null;
  const u = row.user;
  return { id: u.id, email: u.email, role: u.role, merchantId: u.merchantId, sessionVersion: u.sessionVersion };
}

const passwordChangeSchema = z
  .object({
    current: z.string().min(1),
    next: z.string().min(10).max(200),
    confirm: z.string(),
  })
  .refine((v) => v.next === v.confirm, { path: ['confirm'], message: 'mismatch' });

/** Changes the actor's own password after checking the current one; every other session ends. */
export async function changePassword(db: DbOrTx, actor: Actor, input: unknown): Promise<{ sessionVersion: number }> {
  const parsed = passwordChangeSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  if ((actor.kind !== 'user' && actor.kind !== 'agent') || !actor.id) throw new AppError('forbidden', 'Only a signed-in user changes a password.');
  const userId = actor.id;
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new AppError('not_found', 'No such user.');
  if (!(await verifyPassword(user.passwordHash, parsed.data.current))) {
    throw new AppError('validation_failed', 'The current password is wrong.', { fields: { current: 'wrong' } });
  }
  const [after] = await db
    .update(users)
    .set({ passwordHash: await hashPassword(parsed.data.next), sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId))
    .returning({ sessionVersion: users.sessionVersion });
  await recordAudit(db, actor, { action: 'auth.password_change' });
  return { sessionVersion: after!.sessionVersion };
}

/**
 * Signing out ends the session on the server too: the session version goes up, so the
 * signed cookie stops being accepted even if it was copied before (every session of the
 * account ends: sessions are signed cookies, not rows). Audited.
 */
export async function signOutEverywhere(db: DbOrTx, actor: Actor): Promise<void> {
  if (!actor.id) return;
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, actor.id!));
    await recordAudit(tx, actor, { action: 'auth.sign_out' });
  });
}

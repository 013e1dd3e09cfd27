// Who is asking, for every console page, server action and route handler. The proxy only
// checked that a signed cookie exists; here the user is re-read from the database (gone,
// password changed, merchant suspended → signed out) and the role is checked.
import 'server-only';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { auth } from '@/app/(auth)/auth';
import { clientIpFrom } from '@/app/_lib/http';
import { getDb, type Db } from '@/db/client';
import { actorForUser, sessionUser, type SessionUser } from '@/lib/accounts';
import type { Actor } from '@/lib/audit';
import { AppError } from '@/lib/errors';

export type Role = SessionUser['role'];
/** Who is asking: the user re-read from the database, and the Actor every use case takes. */
export type ConsoleContext = { user: SessionUser; actor: Actor; db: Db; ip: string };
export type MerchantContext = ConsoleContext & { merchantId: string };

/** The signed-in user, or null (no cookie, or a session that no longer holds). */
export async function currentUser(): Promise<SessionUser | null> {
  const claims = await auth();
  if (!claims) return null;
  return sessionUser(getDb(), claims.uid, claims.sv);
}

async function context(roles: readonly Role[], onRefusal: 'redirect' | 'throw'): Promise<ConsoleContext> {
  const user = await currentUser();
  if (!user) {
    if (onRefusal === 'throw') throw new AppError('unauthorized', 'Sign in first.');
    redirect('/login');
  }
  if (!roles.includes(user.role)) {
    if (onRefusal === 'throw') throw new AppError('forbidden', 'Not allowed for this account.');
    forbidden();
  }
  const ip = clientIpFrom(await headers());
  return { user, actor: actorForUser(user, ip), db: getDb(), ip };
}

/** For pages: redirects to /login when signed out, renders 403 for the wrong role. */
export async function requirePage(...roles: Role[]): Promise<ConsoleContext> {
  return context(roles, 'redirect');
}

/** For pages of a merchant's own data (merchant role). */
export async function requireMerchantPage(): Promise<MerchantContext> {
  const ctx = await context(['merchant'], 'redirect');
  return { ...ctx, merchantId: ctx.user.merchantId! };
}

/** For server actions and route handlers: throws `unauthorized` / `forbidden` (AppError). */
export async function requireRole(...roles: Role[]): Promise<ConsoleContext> {
  return context(roles, 'throw');
}

export async function requireMerchant(): Promise<MerchantContext> {
  const ctx = await context(['merchant'], 'throw');
  return { ...ctx, merchantId: ctx.user.merchantId! };
}

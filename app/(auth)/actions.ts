'use server';

import { headers } from 'next/headers';
import { AuthError, CredentialsSignin } from 'next-auth';
import { getTranslations } from 'next-intl/server';
import { currentUser } from '@/app/(console)/guard';
import { withFollowUps } from '@/app/_lib/after-response';
import { clientIpFrom } from '@/app/_lib/http';
import { getDb } from '@/db/client';
import { actorForUser, signOutEverywhere } from '@/lib/accounts';
import { signIn, signOut } from './auth';

export type SignInState = { error?: string; email?: string };

/** Only same-site console paths: never an open redirect to another host. */
function safeNext(value: FormDataEntryValue | null): string {
  const next = typeof value === 'string' ? value : '';
  return /^\/console(\/[\w\-/]*)?$/.test(next) ? next : '/console';
}

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const t = await getTranslations('console.auth');
  const email = String(form.get('email') ?? '').trim();
  try {
    // A pause after repeated wrong passwords e-mails the owner: sent after the response.
    await withFollowUps(() => signIn('credentials', { email, password: String(form.get('password') ?? ''), redirectTo: safeNext(form.get('next')) }));
  } catch (err) {
    if (err instanceof CredentialsSignin) {
      const code = ['suspended', 'rate_limited'].includes(err.code) ? err.code : 'invalid';
      return { error: t(code), email };
    }
    if (err instanceof AuthError) return { error: t('invalid'), email };
    throw err; // the redirect after a successful sign-in
  }
  return {};
}

export async function signOutAction(): Promise<void> {
  const user = await currentUser();
  if (user) await signOutEverywhere(getDb(), actorForUser(user, clientIpFrom(await headers())));
  await signOut({ redirectTo: '/login?signedOut=1' });
}

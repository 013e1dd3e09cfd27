// Auth.js for the console: e-mail + password (argon2id) against the users table, JWT
// sessions. Every console page, action and route calls requireUser() (app/(console)/guard.ts),
// which re-reads the user, so the proxy's cookie check is never the only guard.
import 'server-only';
import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { cache } from 'react';
import { clientIpFrom } from '@/app/_lib/http';
import { getDb } from '@/db/client';
import { verifyLogin } from '@/lib/accounts';
import { addressKey, getLimiter, RULES } from '@/lib/risk';
import { authConfig, type SessionClaims } from './auth.config';

class SignInRefused extends CredentialsSignin {
  constructor(code: 'invalid' | 'suspended' | 'rate_limited') {
    super();
    this.code = code;
  }
}

const nextAuth = NextAuth(() => {
  const base = authConfig();
  return {
    ...base,
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        async authorize(credentials, request) {
          const email = typeof credentials?.email === 'string' ? credentials.email : '';
          const password = typeof credentials?.password === 'string' ? credentials.password : '';
          if (!email || !password || email.length > 320 || password.length > 200) throw new SignInRefused('invalid');
          const db = getDb();
          const ip = clientIpFrom(request.headers);
          const limit = await getLimiter(db).hit(RULES.login, addressKey(ip));
          if (!limit.ok) throw new SignInRefused('rate_limited');
          const result = await verifyLogin(db, { email, password, ip });
          if (!result.ok) throw new SignInRefused(result.reason);
          const u = result.user;
          const claims: SessionClaims = { uid: u.id, role: u.role, mid: u.merchantId, sv: u.sessionVersion };
          return { id: u.id, email: u.email, claims } as never;
        },
      }),
    ],
  };
});

export const { handlers, signIn, signOut } = nextAuth;

/** The session's claims, once per request. */
export const auth = cache(async (): Promise<SessionClaims | null> => {
  const session = (await nextAuth.auth()) as { claims?: SessionClaims } | null;
  return session?.claims?.uid ? session.claims : null;
});

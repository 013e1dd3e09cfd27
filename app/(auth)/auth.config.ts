// The part of the Auth.js configuration the proxy needs: reading the session cookie. No
// database and no password hashing here; those are in auth.ts.
import type { NextAuthConfig } from 'next-auth';
import { getConfig } from '@/lib/config';
import { log } from '@/lib/log';

/** What the signed session cookie carries; the user row is re-read on every console request. */
export type SessionClaims = { uid: string; role: 'admin' | 'merchant' | 'agent'; mid: string | null; sv: number };

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export function authConfig(): NextAuthConfig {
  const config = getConfig();
  return {
    secret: config.authSecret,
    // The host comes from the request; APP_URL-independent so previews and proxies work.
    trustHost: true,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/login', error: '/login' },
    useSecureCookies: config.appUrl.startsWith('https://'),
    providers: [],
    // Auth.js logs a stack for every refused sign-in; refusals are audited already, so
    // only the error's name goes to our log (never the submitted credentials).
    logger: {
      // `type` survives minification (the production build renames error classes).
      error: (error) => {
        const type = (error as { type?: string }).type ?? error.name;
        log(type === 'CredentialsSignin' ? 'debug' : 'warn', 'auth', { error: type });
      },
      warn: (code) => log('warn', 'auth warning', { code }),
      debug: () => {},
    },
    callbacks: {
      jwt({ token, user }) {
        // On sign-in `user` is what authorize() returned; later calls keep the token's claims.
        if (user) Object.assign(token, (user as unknown as { claims: SessionClaims }).claims);
        return token;
      },
      session({ session, token }) {
        const t = token as unknown as SessionClaims;
        return { ...session, claims: { uid: t.uid, role: t.role, mid: t.mid, sv: t.sv } };
      },
    },
  };
}

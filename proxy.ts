import NextAuth from 'next-auth';
import { NextResponse, type NextRequest } from 'next/server';
import { authConfig } from '@/app/(auth)/auth.config';
import { STRICT_TRANSPORT_SECURITY, contentSecurityPolicy, newNonce } from '@/app/_lib/security-headers';
import { getConfig } from '@/lib/config';

let sessionReader: ReturnType<typeof NextAuth>['auth'] | undefined;

/**
 * The console's first gate: no session cookie, no console page (a redirect to /login).
 * It only reads the signed cookie; every page, action and route checks the user again
 * against the database (app/(console)/guard.ts).
 */
async function guardConsole(req: NextRequest, next: () => NextResponse): Promise<NextResponse> {
  sessionReader ??= NextAuth(authConfig()).auth;
  const session = (await sessionReader()) as { claims?: { uid?: string } } | null;
  if (session?.claims?.uid) return next();
  const url = req.nextUrl.clone();
  url.pathname = '/login';
  url.search = '';
  url.searchParams.set('next', req.nextUrl.pathname);
  return NextResponse.redirect(url, 303);
}

// An order link (`/order/{no}?token=…`) goes to order/[orderNo]/open, which checks the
// token before keeping it in the order's cookie and redirects to the clean URL.
function orderLink(req: NextRequest): NextResponse | null {
  const match = /^\/order\/(\d{16,32})$/.exec(req.nextUrl.pathname);
  if (!match || !req.nextUrl.searchParams.has('token')) return null;
  const url = req.nextUrl.clone();
  url.pathname = `/order/${match[1]}/open`;
  return NextResponse.rewrite(url);
}

async function route(req: NextRequest, next: () => NextResponse): Promise<NextResponse> {
  const path = req.nextUrl.pathname;
  if (path === '/console' || path.startsWith('/console/')) return guardConsole(req, next);
  return orderLink(req) ?? next();
}

export async function proxy(req: NextRequest) {
  const config = getConfig();
  const https = config.appUrl.startsWith('https://');
  const policy = contentSecurityPolicy({ nonce: newNonce(), development: config.env === 'development', https });
  // Next takes the nonce for its scripts from the request's copy of the policy.
  const forwarded = new Headers(req.headers);
  forwarded.set('content-security-policy', policy);
  const res = await route(req, () => NextResponse.next({ request: { headers: forwarded } }));
  res.headers.set('Content-Security-Policy', policy);
  if (https) res.headers.set('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
  return res;
}

// Every page; not route handlers (/api: JSON, own headers), build assets or the icon.
export const config = { matcher: ['/((?!api/|_next/static/|_next/image|icon\\.svg$|favicon\\.ico$).*)'] };

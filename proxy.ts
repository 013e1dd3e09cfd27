import NextAuth from 'next-auth';
import { NextResponse, type NextRequest } from 'next/server';
import { authConfig } from '@/app/(auth)/auth.config';
import { orderCookieName, orderCookieOptions } from '@/app/_lib/order-cookie';

let sessionReader: ReturnType<typeof NextAuth>['auth'] | undefined;

/**
 * The console's first gate: no session cookie, no console page (a redirect to /login).
 * It only reads the signed cookie; every page, action and route checks the user again
 * against the database (app/(console)/guard.ts).
 */
async function guardConsole(req: NextRequest): Promise<NextResponse> {
  sessionReader ??= NextAuth(authConfig()).auth;
  const session = (await sessionReader()) as { claims?: { uid?: string } } | null;
  if (session?.claims?.uid) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = '/login';
  url.search = '';
  url.searchParams.set('next', req.nextUrl.pathname);
  return NextResponse.redirect(url, 303);
}

// An order link (`/order/{no}?token=…`, from the API or the delivery e-mail) is turned into
// an HttpOnly cookie scoped to that order and a clean URL, so the token does not stay in
// the address bar, the history or later request logs.
function orderLink(req: NextRequest): NextResponse {
  const match = /^\/order\/(\d{16,32})$/.exec(req.nextUrl.pathname);
  const token = req.nextUrl.searchParams.get('token');
  if (!match || !token) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.searchParams.delete('token');
  const res = NextResponse.redirect(url, 303);
  res.headers.set('Referrer-Policy', 'no-referrer');
  res.cookies.set(orderCookieName(match[1]!), token, orderCookieOptions());
  return res;
}

export async function proxy(req: NextRequest) {
  if (req.nextUrl.pathname === '/console' || req.nextUrl.pathname.startsWith('/console/')) return guardConsole(req);
  return orderLink(req);
}

export const config = { matcher: ['/order/:path*', '/console', '/console/:path*'] };

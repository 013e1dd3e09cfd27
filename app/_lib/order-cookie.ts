// The buyer's browser keeps an order's access token in an HttpOnly cookie named after the
// order: set at checkout (server action or API), by a lookup, and by proxy.ts from an
// order link. One name, one set of attributes, one `Secure` rule (the public APP_URL is
// https), wherever it is written.
import { getConfig } from '@/lib/config';

const MAX_AGE_SECONDS = 60 * 60 * 24 * 30;

export const orderCookieName = (orderNo: string) => `ofk_o_${orderNo}`;

export function orderCookieOptions() {
  return { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: getConfig().appUrl.startsWith('https://'), maxAge: MAX_AGE_SECONDS };
}

/** The same cookie as a `Set-Cookie` header value, for route handlers that build their own response. */
export function orderCookieHeader(orderNo: string, token: string): string {
  const o = orderCookieOptions();
  return `${orderCookieName(orderNo)}=${token}; Path=${o.path}; HttpOnly; SameSite=Lax; Max-Age=${o.maxAge}${o.secure ? '; Secure' : ''}`;
}

// The buyer's browser keeps an order's access token in an HttpOnly cookie named after the
// order and sent only to that order's page (Path=/order/{no}): set at checkout (server
// action or API), by a lookup, and from an order link once its token is checked
// (order/[orderNo]/open). One name, one set of attributes, one `Secure` rule (the public
// APP_URL is https), wherever it is written.
import { getConfig } from '@/lib/config';

const MAX_AGE_SECONDS = 60 * 60 * 24 * 30;

export const orderCookieName = (orderNo: string) => `ofk_o_${orderNo}`;

export function orderCookieOptions(orderNo: string) {
  return { httpOnly: true, sameSite: 'lax' as const, path: `/order/${orderNo}`, secure: getConfig().appUrl.startsWith('https://'), maxAge: MAX_AGE_SECONDS };
}

/** The same cookie as a `Set-Cookie` header value, for route handlers that build their own response. */
export function orderCookieHeader(orderNo: string, token: string): string {
  const o = orderCookieOptions(orderNo);
  return `${orderCookieName(orderNo)}=${token}; Path=${o.path}; HttpOnly; SameSite=Lax; Max-Age=${o.maxAge}${o.secure ? '; Secure' : ''}`;
}

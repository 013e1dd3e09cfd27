import { getConfig } from '@/lib/config';

/** The buyer's browser keeps the order's access token in an HttpOnly cookie named after the order. */
export const orderCookieName = (orderNo: string) => `ofk_o_${orderNo}`;

export function orderCookie(orderNo: string, token: string): string {
  const secure = getConfig().appUrl.startsWith('https://') ? '; Secure' : '';
  return `${orderCookieName(orderNo)}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${60 * 60 * 24 * 30}${secure}`;
}

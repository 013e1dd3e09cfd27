import 'server-only';
import { cookies, headers } from 'next/headers';
import { clientIpFrom } from '@/app/_lib/http';
import { orderCookieName } from '@/app/_lib/order-cookie';
import { LOCALE_COOKIE, negotiateLocale, type Locale } from '@/lib/i18n';

/** The buyer's address, by the same rule as the API routes. */
export async function requestIp(): Promise<string> {
  return clientIpFrom(await headers());
}

export async function requestLocale(): Promise<Locale> {
  return negotiateLocale((await cookies()).get(LOCALE_COOKIE)?.value, (await headers()).get('accept-language'));
}

export async function orderToken(orderNo: string): Promise<string | undefined> {
  return (await cookies()).get(orderCookieName(orderNo))?.value;
}

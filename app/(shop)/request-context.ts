import 'server-only';
import { cookies, headers } from 'next/headers';
import { getConfig } from '@/lib/config';
import { LOCALE_COOKIE, negotiateLocale, type Locale } from '@/lib/i18n';

/** The buyer's address, by the same rule as the API routes (see app/api/_lib/http.ts). */
export async function requestIp(): Promise<string> {
  const h = await headers();
  const forwarded = (h.get('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (forwarded.length === 0) return h.get('x-real-ip') ?? 'unknown';
  return getConfig().trustProxy ? forwarded[0]! : forwarded[forwarded.length - 1]!;
}

export async function requestLocale(): Promise<Locale> {
  return negotiateLocale((await cookies()).get(LOCALE_COOKIE)?.value, (await headers()).get('accept-language'));
}

export async function orderToken(orderNo: string): Promise<string | undefined> {
  return (await cookies()).get(`ofk_o_${orderNo}`)?.value;
}

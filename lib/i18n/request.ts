import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { catalogues, LOCALE_COOKIE, negotiateLocale } from './index';

// No locale in the URL: the cookie decides, then Accept-Language, then zh-CN.
export default getRequestConfig(async () => {
  const locale = negotiateLocale((await cookies()).get(LOCALE_COOKIE)?.value, (await headers()).get('accept-language'));
  return { locale, messages: catalogues[locale], timeZone: 'Asia/Shanghai' };
});

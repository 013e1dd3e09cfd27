import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { LanguageSwitch } from '@/components/shop/language-switch';
import { currentShop } from './shop-data';

export default async function ShopLayout({ children }: { children: ReactNode }) {
  const t = await getTranslations('common');
  const shop = await currentShop();
  const logo = shop?.settings.logoUrl?.startsWith('https://') ? shop.settings.logoUrl : null;
  const contact = shop?.settings.contact || shop?.settings.contactEmail;
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="border-b border-zinc-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-3">
          <Link href="/" className="flex min-w-0 items-center gap-2 font-semibold text-zinc-900">
            {logo ? (
              // The merchant's own https logo (validated in settings); a plain img: any host, no optimizer config.
              // eslint-disable-next-line @next/next/no-img-element
              <img src={logo} alt="" className="size-8 shrink-0 rounded-lg object-cover" referrerPolicy="no-referrer" />
            ) : (
              <span aria-hidden className="grid size-8 shrink-0 place-items-center rounded-lg bg-brand-600 text-sm text-white">
                {(shop?.name ?? 'O').slice(0, 1)}
              </span>
            )}
            <span className="truncate">{shop?.name ?? t('shopTitle')}</span>
          </Link>
          <nav className="flex shrink-0 items-center gap-1 sm:gap-2">
            <Link
              href="/lookup"
              className="whitespace-nowrap rounded-lg px-2 py-1.5 text-sm sm:px-3 text-zinc-700 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-brand-500"
            >
              {t('lookup')}
            </Link>
            <LanguageSwitch />
          </nav>
        </div>
      </header>
      <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-6 sm:py-10">{children}</main>
      <footer className="border-t border-zinc-200 bg-white py-6 text-center text-xs text-zinc-500">
        {t('footer')} · {t('poweredBy')}
        {contact ? <p className="mt-1">{t('contact', { contact })}</p> : null}
      </footer>
    </div>
  );
}

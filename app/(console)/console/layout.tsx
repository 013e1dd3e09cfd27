import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { signOutAction } from '@/app/(auth)/actions';
import { ConsoleNav, type NavItem } from '@/components/console/nav';
import { LanguageSwitch } from '@/components/shop/language-switch';
import { SubmitButton } from '@/components/ui/submit-button';
import { agentForUser } from '@/lib/agents';
import { requirePage } from '../guard';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.common');
  return { title: { default: t('title'), template: `%s · ${t('title')}` }, robots: { index: false } };
}

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const { user, db } = await requirePage('admin', 'merchant', 'agent');
  // An agent's shop is its own page at agent prices, not the merchant's front page.
  const agent = user.role === 'agent' ? await agentForUser(db, user.id) : null;
  const shopHref = agent ? `/a/${agent.slug}` : '/';
  const t = await getTranslations('console.common');
  const sections: Record<typeof user.role, (keyof typeof hrefs)[]> = {
    merchant: ['dashboard', 'products', 'keys', 'orders', 'coupons', 'agents', 'channels', 'risk', 'webhooks', 'apiKeys', 'outbox', 'audit', 'settings'],
    agent: ['agent', 'agentShop', 'agentProducts', 'agentMoney', 'agentTeam', 'password'],
    admin: ['admin', 'password'],
  };
  const hrefs = {
    dashboard: '/console',
    products: '/console/products',
    keys: '/console/keys',
    orders: '/console/orders',
    coupons: '/console/coupons',
    risk: '/console/risk',
    channels: '/console/channels',
    apiKeys: '/console/api-keys',
    webhooks: '/console/webhooks',
    outbox: '/console/outbox',
    audit: '/console/audit',
    settings: '/console/settings',
    agent: '/console',
    agents: '/console/agents',
    agentShop: '/console/agent/shop',
    agentProducts: '/console/agent/products',
    agentMoney: '/console/agent/money',
    agentTeam: '/console/agent/team',
    admin: '/console/admin',
    password: '/console/settings/password',
  };
  const items: NavItem[] = sections[user.role].map((k) => ({ href: hrefs[k], label: t(`nav.${k}`) }));
  return (
    <div className="min-h-dvh md:grid md:grid-cols-[14rem_1fr]">
      {/* The aside spans the page's whole height (white to the bottom); its content stays in view. */}
      <aside className="border-b border-zinc-200 bg-white md:border-r md:border-b-0">
        <div className="md:sticky md:top-0 md:flex md:h-dvh md:flex-col">
          <div className="flex items-center justify-between gap-2 px-4 py-3 md:py-4">
            <Link href="/console" className="flex items-center gap-2 font-semibold text-zinc-900">
              <span aria-hidden className="grid size-8 place-items-center rounded-lg bg-brand-600 text-sm text-white">
                O
              </span>
              <span>{t('title')}</span>
            </Link>
          </div>
          <div className="px-3 pb-3 md:flex-1 md:overflow-y-auto">
            <ConsoleNav items={items} label={t('nav.menu')} />
          </div>
          <div className="hidden border-t border-zinc-200 p-4 text-xs text-zinc-500 md:block">
            <p>{t('nav.signedInAs')}</p>
            <p className="truncate font-medium text-zinc-800" title={user.email}>
              {user.email}
            </p>
            <p>{t(`roles.${user.role}`)}</p>
          </div>
        </div>
      </aside>
      <div className="min-w-0">
        <header className="flex items-center justify-end gap-2 border-b border-zinc-200 bg-white px-4 py-2.5 sm:px-6">
          {user.role !== 'admin' ? (
            <Link
              href={shopHref}
              target="_blank"
              className="rounded-lg px-3 py-1.5 text-sm text-zinc-700 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-brand-500"
            >
              {t('nav.viewShop')}
            </Link>
          ) : null}
          <LanguageSwitch />
          <form action={signOutAction}>
            <SubmitButton variant="ghost" size="sm" pendingLabel={t('actions.working')}>
              {t('nav.signOut')}
            </SubmitButton>
          </form>
        </header>
        <main className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6 sm:py-8">{children}</main>
      </div>
    </div>
  );
}

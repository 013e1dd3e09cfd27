import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { requireMerchantPage } from '@/app/(console)/guard';
import { ProgrammeTabs } from '@/components/console/agents/programme-tabs';
import { PageHeader } from '@/components/ui/page-header';
import { programmeQueue } from '@/lib/agents';

/** The reseller programme's frame: its title and the tabs of its sections, with what waits for the merchant. */
export default async function AgentsLayout({ children }: { children: ReactNode }) {
  const { db, merchantId } = await requireMerchantPage();
  const [t, queue] = await Promise.all([getTranslations('console.agents'), programmeQueue(db, merchantId)]);
  const tabs = [
    { href: '/console/agents', label: t('tabs.agents') },
    { href: '/console/agents/applications', label: t('tabs.applications'), count: queue.applications },
    { href: '/console/agents/levels', label: t('tabs.levels') },
    { href: '/console/agents/invites', label: t('tabs.invites') },
    { href: '/console/agents/withdrawals', label: t('tabs.withdrawals'), count: queue.withdrawals },
    { href: '/console/agents/report', label: t('tabs.report') },
  ];
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <ProgrammeTabs tabs={tabs} label={t('tabs.label')} />
      {children}
    </>
  );
}

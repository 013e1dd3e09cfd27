import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { AgentMissing, AgentStatusAlert } from '@/components/console/agent/agent-status';
import { ShopForm } from '@/components/console/agent/shop-form';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { getConfig } from '@/lib/config';
import { updateAgentShopAction } from '../actions';
import { requireAgentPage } from '../agent-page';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.agent.shopPage');
  return { title: t('title') };
}

/** The agent's shop profile: name, notice, contact and logo. */
export default async function AgentShopPage() {
  const { agent } = await requireAgentPage();
  const t = await getTranslations('console.agent.shopPage');
  if (!agent) return <AgentMissing title={t('title')} />;
  const shopUrl = `${getConfig().appUrl}/a/${agent.slug}`;
  return (
    <div className="space-y-6">
      <PageHeader
        title={t('title')}
        description={t.rich('description', {
          link: () => (
            <a href={shopUrl} target="_blank" rel="noreferrer" className="font-medium text-brand-700 underline-offset-4 hover:underline">
              /a/{agent.slug}
            </a>
          ),
        })}
      />
      <AgentStatusAlert agent={agent} />
      <Card>
        <ShopForm action={updateAgentShopAction} initial={{ name: agent.name, notice: agent.notice, contact: agent.contact, logoUrl: agent.logoUrl ?? '' }} />
      </Card>
      <p className="text-xs text-zinc-500">{t('addressNote', { slug: agent.slug })}</p>
    </div>
  );
}

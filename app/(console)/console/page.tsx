import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { AgentView } from '@/components/console/agent/agent-view';
import { getReadDb } from '@/db/client';
import { MerchantDashboard } from '@/components/console/dashboard/dashboard';
import { agentConsoleView, agentForUser, listAgentOrders } from '@/lib/agents';
import { getConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { parsePeriod } from '@/lib/reports';
import { requirePage } from '../guard';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.dashboard');
  return { title: t('title') };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The console home by role: admins go to the platform page, agents see their shop, merchants the dashboard. */
export default async function ConsoleHome({ searchParams }: { searchParams: SearchParams }) {
  const { user, db } = await requirePage('admin', 'merchant', 'agent');
  if (user.role === 'admin') redirect('/console/admin');
  const params = await searchParams;

  if (user.role === 'agent') {
    const agent = await agentForUser(db, user.id);
    // The agent row must be of the login's own merchant; anything else shows as "not linked".
    if (!agent || agent.merchantId !== user.merchantId)
      return <AgentView agent={null} view={null} shopUrl={null} orders={[]} nextCursor={null} paged={false} />;
    const cursor = first(params.cursor) ?? null;
    const [view, page] = await Promise.all([
      agentConsoleView(db, agent),
      listAgentOrders(db, { merchantId: agent.merchantId, agentId: agent.id }, { limit: 50, cursor }).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'validation_failed') redirect('/console'); // a mangled cursor: back to the newest
        throw err;
      }),
    ]);
    const shopUrl = `${getConfig().appUrl}/a/${agent.slug}`;
    return <AgentView agent={agent} view={view} shopUrl={shopUrl} orders={page.orders} nextCursor={page.nextCursor} paged={Boolean(cursor)} />;
  }

  // Reports read from the replica when DATABASE_READ_URL names one.
  return <MerchantDashboard db={getReadDb()} merchantId={user.merchantId!} period={parsePeriod(first(params.period))} />;
}

import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { FilterPills } from '@/components/console/agents/filter-pills';
import { WithdrawalTable } from '@/components/console/agents/withdrawal-table';
import { Card } from '@/components/ui/card';
import { listWithdrawals, withdrawalCounts, type WithdrawalRow } from '@/lib/agents';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.agents');
  return { title: `${t('tabs.withdrawals')} · ${t('title')}` };
}

const STATES = ['pending', 'approved', 'paid', 'rejected', 'cancelled'] as const satisfies readonly WithdrawalRow['status'][];

export default async function WithdrawalsPage({ searchParams }: { searchParams: Promise<{ status?: string | string[] }> }) {
  const { db, merchantId } = await requireMerchantPage();
  const [t, params] = await Promise.all([getTranslations('console.agents'), searchParams]);
  const raw = Array.isArray(params.status) ? params.status[0] : params.status;
  const status = STATES.find((s) => s === raw);
  const [rows, counts] = await Promise.all([listWithdrawals(db, { merchantId, status }, 200), withdrawalCounts(db, merchantId)]);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const tabs = [
    { href: '/console/agents/withdrawals', label: t('withdrawals.all'), count: total, current: !status },
    ...STATES.map((s) => ({ href: `/console/agents/withdrawals?status=${s}`, label: t(`withdrawals.states.${s}`), count: counts[s], current: status === s })),
  ];

  return (
    <Card>
      <div className="mb-3">
        <h2 className="text-base font-semibold text-zinc-900">{t('withdrawals.title')}</h2>
        <p className="mt-1 max-w-3xl text-sm text-zinc-500">{t('withdrawals.hint')}</p>
      </div>
      <FilterPills pills={tabs} label={t('withdrawals.filter')} />
      <WithdrawalTable rows={rows} empty={status ? t('withdrawals.noneInState') : t('withdrawals.empty')} />
    </Card>
  );
}

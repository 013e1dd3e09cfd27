import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { BalanceCards } from '@/components/console/agents/balance-cards';
import { levelLabel, withdrawalTone } from '@/components/console/agents/format';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { AGENT_CURRENCY, programmeReport, type ProgrammeRow, type WithdrawalRow } from '@/lib/agents';
import { getReadDb } from '@/db/client';
import { formatAmount } from '@/lib/money';
import { cn } from '@/lib/utils';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.agents');
  return { title: `${t('tabs.report')} · ${t('title')}` };
}

const STATES = ['pending', 'approved', 'paid', 'rejected', 'cancelled'] as const satisfies readonly WithdrawalRow['status'][];

export default async function ReportPage() {
  const { merchantId } = await requireMerchantPage();
  // Reports read from the replica when DATABASE_READ_URL names one.
  const [t, locale, format, report] = await Promise.all([
    getTranslations('console.agents'),
    getLocale(),
    getFormatter(),
    programmeReport(getReadDb(), merchantId),
  ]);
  const money = (v: number) => formatAmount(v, AGENT_CURRENCY, locale);
  const rate = (v: number) => format.number(v, { style: 'percent', maximumFractionDigits: 1 });
  const hours = (h: number) => t('report.hours', { n: format.number(h, { maximumFractionDigits: 1 }) });
  const byState = new Map(report.withdrawals.map((w) => [w.status, w]));

  const table = (rows: ProgrammeRow[], kind: 'agents' | 'levels') => {
    const sum = rows.reduce(
      (s, r) => ({
        orders: s.orders + r.orders,
        sales: s.sales + r.sales,
        commission: s.commission + r.commission,
        parentShare: s.parentShare + r.parentShare,
        refunded: s.refunded + r.refunded,
      }),
      { orders: 0, sales: 0, commission: 0, parentShare: 0, refunded: 0 },
    );
    return (
      <Table>
        <thead>
          <tr>
            <Th>{kind === 'agents' ? t('columns.agent') : t('columns.level')}</Th>
            {kind === 'agents' ? <Th>{t('columns.level')}</Th> : null}
            <Th className="text-right">{t('report.orders')}</Th>
            <Th className="text-right">{t('report.sales')}</Th>
            <Th className="text-right">{t('report.commission')}</Th>
            <Th className="text-right">{t('report.parentShare')}</Th>
            <Th className="text-right">{t('report.refunded')}</Th>
            <Th className="text-right">{t('report.refundRate')}</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.length === 0 ? <EmptyRow colSpan={kind === 'agents' ? 8 : 7}>{t('report.empty')}</EmptyRow> : null}
          {rows.map((r) => (
            <Tr key={r.key}>
              <Td className="font-medium">
                {kind === 'agents' ? (
                  <Link href={`/console/agents/${r.key}`} className="text-brand-700 hover:underline">
                    {r.name}
                  </Link>
                ) : (
                  levelLabel(r.rank, r.name)
                )}
              </Td>
              {kind === 'agents' ? <Td className="tabular-nums text-zinc-600">{r.rank}</Td> : null}
              <Td className="text-right tabular-nums">{format.number(r.orders)}</Td>
              <Td className="text-right tabular-nums">{money(r.sales)}</Td>
              <Td className="text-right tabular-nums">{money(r.commission)}</Td>
              <Td className="text-right tabular-nums">{money(r.parentShare)}</Td>
              <Td className="text-right tabular-nums">{r.refunded ? money(r.refunded) : <span className="text-zinc-400">—</span>}</Td>
              <Td className={cn('text-right tabular-nums', r.refundRate >= 0.1 ? 'font-medium text-red-600' : 'text-zinc-600')}>
                {r.sales ? rate(r.refundRate) : '—'}
              </Td>
            </Tr>
          ))}
        </tbody>
        {rows.length > 1 ? (
          <tfoot className="border-t border-zinc-200 font-medium">
            <tr>
              <Td>{t('report.total')}</Td>
              {kind === 'agents' ? <Td /> : null}
              <Td className="text-right tabular-nums">{format.number(sum.orders)}</Td>
              <Td className="text-right tabular-nums">{money(sum.sales)}</Td>
              <Td className="text-right tabular-nums">{money(sum.commission)}</Td>
              <Td className="text-right tabular-nums">{money(sum.parentShare)}</Td>
              <Td className="text-right tabular-nums">{money(sum.refunded)}</Td>
              <Td className="text-right tabular-nums">{sum.sales ? rate(sum.refunded / sum.sales) : '—'}</Td>
            </tr>
          </tfoot>
        ) : null}
      </Table>
    );
  };

  return (
    <div className="space-y-6">
      <section aria-labelledby="liability-title">
        <h2 id="liability-title" className="text-base font-semibold text-zinc-900">
          {t('report.liability')}
        </h2>
        <p className="mb-3 mt-1 text-sm text-zinc-500">{t('report.liabilityHint')}</p>
        <BalanceCards balance={report.liability} total />
      </section>

      <Card>
        <h2 className="mb-3 text-base font-semibold text-zinc-900">{t('report.withdrawals')}</h2>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
          {STATES.map((s) => {
            const w = byState.get(s);
            return (
              <div key={s} className="rounded-xl bg-zinc-50 p-3 ring-1 ring-inset ring-zinc-200">
                <dt>
                  <Badge tone={withdrawalTone[s]}>{t(`withdrawals.states.${s}`)}</Badge>
                </dt>
                <dd className="mt-2 text-lg font-semibold tabular-nums text-zinc-900">{money(w?.amount ?? 0)}</dd>
                <dd className="text-xs text-zinc-500">{t('report.count', { n: w?.count ?? 0 })}</dd>
              </div>
            );
          })}
        </dl>
      </Card>

      <Card>
        <h2 className="text-base font-semibold text-zinc-900">{t('report.byLevel')}</h2>
        <p className="mb-3 mt-1 text-sm text-zinc-500">{t('report.byHint')}</p>
        {table(report.levels, 'levels')}
      </Card>

      <Card>
        <h2 className="mb-3 text-base font-semibold text-zinc-900">{t('report.byAgent')}</h2>
        {table(report.agents, 'agents')}
      </Card>

      <Card>
        <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
          <div>
            <h2 className="text-base font-semibold text-zinc-900">{t('report.firstSale')}</h2>
            <p className="mt-1 text-sm text-zinc-500">{t('report.firstSaleHint')}</p>
          </div>
          <div className="text-right">
            <p className="text-xs text-zinc-500">{t('report.median')}</p>
            <p className="text-2xl font-semibold tabular-nums text-zinc-900">
              {report.inviteToFirstSale.medianHours === null ? '—' : hours(report.inviteToFirstSale.medianHours)}
            </p>
          </div>
        </div>
        <Table>
          <thead>
            <tr>
              <Th>{t('columns.agent')}</Th>
              <Th className="text-right">{t('report.timeToSale')}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {report.inviteToFirstSale.agents.length === 0 ? <EmptyRow colSpan={2}>{t('report.firstSaleEmpty')}</EmptyRow> : null}
            {report.inviteToFirstSale.agents.map((a, i) => (
              <Tr key={`${a.name}-${i}`}>
                <Td>{a.name}</Td>
                <Td className="text-right tabular-nums">{hours(a.hours)}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}

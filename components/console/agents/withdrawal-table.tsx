import Link from 'next/link';
import { Fragment } from 'react';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { Badge } from '@/components/ui/badge';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { AGENT_CURRENCY, type WithdrawalRow } from '@/lib/agents';
import { BUSINESS_TIME_ZONE } from '@/lib/i18n';
import { formatAmount } from '@/lib/money';
import { withdrawalTone } from './format';
import { WithdrawalActions } from './withdrawal-actions';

const day = { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: BUSINESS_TIME_ZONE } as const;
const time = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: BUSINESS_TIME_ZONE } as const;
const when = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: BUSINESS_TIME_ZONE } as const;

/** Withdrawals with what the merchant pays out (amount less fee) and, while open, the decision buttons under the status. */
export async function WithdrawalTable({ rows, showAgent = true, empty }: { rows: WithdrawalRow[]; showAgent?: boolean; empty: string }) {
  const [t, locale, format] = await Promise.all([getTranslations('console.agents.withdrawals'), getLocale(), getFormatter()]);
  const money = (v: number) => formatAmount(v, AGENT_CURRENCY, locale);
  const columns = showAgent ? 6 : 5;
  return (
    <Table>
      <thead>
        <tr>
          {showAgent ? <Th>{t('agent')}</Th> : null}
          <Th className="text-right">{t('amount')}</Th>
          <Th className="text-right">{t('net')}</Th>
          <Th>{t('account')}</Th>
          <Th>{t('requested')}</Th>
          <Th>{t('statusActions')}</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100">
        {rows.length === 0 ? <EmptyRow colSpan={columns}>{empty}</EmptyRow> : null}
        {rows.map((w) => {
          const open = w.status === 'pending' || w.status === 'approved';
          return (
            <Fragment key={w.id}>
              <Tr className={open && w.owed < 0 ? 'bg-red-50/40' : undefined}>
                {showAgent ? (
                  <Td>
                    <Link href={`/console/agents/${w.agentId}`} className="font-medium text-brand-700 hover:underline">
                      {w.agentName}
                    </Link>
                    <span className="block font-mono text-xs text-zinc-500">/a/{w.agentSlug}</span>
                  </Td>
                ) : null}
                <Td className="text-right tabular-nums">
                  {money(w.amount)}
                  {w.fee ? <span className="block text-xs text-zinc-500">{t('feeLine', { fee: money(w.fee) })}</span> : null}
                </Td>
                <Td className="text-right font-medium tabular-nums">{money(w.amount - w.fee)}</Td>
                <Td>
                  <span className="text-zinc-800">
                    {t(`methods.${w.method}`)}
                    {w.accountName ? ` · ${w.accountName}` : ''}
                  </span>
                  <span className="block max-w-44 truncate font-mono text-xs text-zinc-500" title={w.account}>
                    {w.account}
                  </span>
                </Td>
                <Td className="tabular-nums text-zinc-600">
                  {format.dateTime(w.createdAt, day)}
                  <span className="block text-xs text-zinc-500">{format.dateTime(w.createdAt, time)}</span>
                </Td>
                <Td className="whitespace-normal">
                  <Badge tone={withdrawalTone[w.status]}>{t(`states.${w.status}`)}</Badge>
                  {w.status === 'paid' && w.reference ? (
                    <span className="mt-1 block max-w-48 break-all text-xs text-zinc-500">{t('referenceLine', { reference: w.reference })}</span>
                  ) : null}
                  {w.paidAt ? <span className="block text-xs text-zinc-500 tabular-nums">{format.dateTime(w.paidAt, when)}</span> : null}
                  {w.status === 'rejected' && w.reason ? (
                    <span className="mt-1 block max-w-48 text-xs text-zinc-500">{t('reasonLine', { reason: w.reason })}</span>
                  ) : null}
                  {open ? (
                    <div className="mt-2">
                      <WithdrawalActions key={`${w.id}:${w.status}`} id={w.id} status={w.status as 'pending' | 'approved'} net={money(w.amount - w.fee)} />
                    </div>
                  ) : null}
                </Td>
              </Tr>
              {open && w.owed < 0 ? (
                <tr className="bg-red-50/40">
                  <td colSpan={columns} className="px-3 pb-2.5 text-xs text-red-700">
                    ⚠ {t('owes', { name: w.agentName, amount: money(-w.owed) })}
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </Table>
  );
}

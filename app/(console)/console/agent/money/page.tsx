import type { Metadata } from 'next';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { AgentMissing, AgentStatusAlert } from '@/components/console/agent/agent-status';
import { BalanceCards } from '@/components/console/agent/balance-cards';
import { currencySign } from '@/components/console/agent/currency';
import { WithdrawForm } from '@/components/console/agent/withdraw-form';
import { withdrawalTone } from '@/components/console/agents/format';
import { ConfirmActionButton } from '@/components/console/confirm-form';
import { LedgerTable } from '@/components/console/ledger-table';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { AGENT_CURRENCY, agentConsoleView, listLedger, listWithdrawals } from '@/lib/agents';
import { isAppError } from '@/lib/errors';
import { formatAmount } from '@/lib/money';
import { cancelWithdrawalAction, requestWithdrawalAction } from '../actions';
import { requireAgentPage } from '../agent-page';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.agent.money');
  return { title: t('title') };
}

const when = { dateStyle: 'short', timeStyle: 'short' } as const;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The agent's money: balances, a payout request, its withdrawals and the ledger of every movement. */
export default async function AgentMoneyPage({ searchParams }: { searchParams: SearchParams }) {
  const { db, agent } = await requireAgentPage();
  const [t, format, locale] = await Promise.all([getTranslations('console.agent.money'), getFormatter(), getLocale()]);
  if (!agent) return <AgentMissing title={t('title')} />;
  const raw = (await searchParams).cursor;
  const cursor = (Array.isArray(raw) ? raw[0] : raw) ?? null;
  const scope = { merchantId: agent.merchantId, agentId: agent.id };
  const [view, withdrawals, ledger] = await Promise.all([
    agentConsoleView(db, agent),
    listWithdrawals(db, scope, 50),
    listLedger(db, scope, { limit: 50, cursor }).catch((err: unknown) => {
      if (isAppError(err) && err.code === 'validation_failed') redirect('/console/agent/money'); // a mangled cursor: back to the newest
      throw err;
    }),
  ]);
  const money = (n: number) => formatAmount(n, AGENT_CURRENCY, locale);
  const percent = (bp: number) => format.number(bp / 10000, { style: 'percent', maximumFractionDigits: 2 });
  const symbol = currencySign(AGENT_CURRENCY, locale);

  const open = withdrawals.find((w) => w.status === 'pending' || w.status === 'approved');
  const blocked =
    agent.status !== 'active'
      ? t('blocked.inactive')
      : open
        ? t('blocked.open', { amount: money(open.amount) })
        : view.balance.owed < 0
          ? t('blocked.owes', { amount: money(-view.balance.owed) })
          : null;
  const level = view.level;
  const terms = [
    t('form.available', { amount: money(view.balance.available) }),
    level ? t('form.minimum', { amount: money(level.withdrawMin) }) : null,
    level ? (level.withdrawFeeBp > 0 ? t('form.fee', { fee: percent(level.withdrawFeeBp) }) : t('form.noFee')) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  const methods = view.withdrawMethods.map((m) => ({ value: m, label: t(`methods.${m}`) }));

  return (
    <div className="space-y-6">
      <PageHeader title={t('title')} description={t('description')} />
      <AgentStatusAlert agent={agent} />
      <BalanceCards balance={view.balance} holdHours={level?.holdHours ?? null} />

      <Card>
        <h2 className="text-base font-semibold text-zinc-900">{t('form.title')}</h2>
        <p className="mt-1 mb-4 text-sm text-zinc-500">{t('form.hint')}</p>
        <WithdrawForm action={requestWithdrawalAction} methods={methods} terms={terms} symbol={symbol} blocked={blocked} />
      </Card>

      <Card>
        <h2 className="mb-3 text-base font-semibold text-zinc-900">{t('withdrawals.title')}</h2>
        <Table>
          <thead>
            <tr>
              <Th>{t('withdrawals.created')}</Th>
              <Th className="text-right">{t('withdrawals.amount')}</Th>
              <Th className="text-right">{t('withdrawals.fee')}</Th>
              <Th className="text-right">{t('withdrawals.net')}</Th>
              <Th>{t('withdrawals.account')}</Th>
              <Th>{t('withdrawals.status')}</Th>
              <Th>{t('withdrawals.note')}</Th>
              <Th className="text-right">
                <span className="sr-only">{t('withdrawals.actions')}</span>
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {withdrawals.length === 0 ? <EmptyRow colSpan={8}>{t('withdrawals.empty')}</EmptyRow> : null}
            {withdrawals.map((w) => (
              <Tr key={w.id}>
                <Td className="tabular-nums text-zinc-600">{format.dateTime(w.createdAt, when)}</Td>
                <Td className="text-right font-medium tabular-nums">{money(w.amount)}</Td>
                <Td className="text-right tabular-nums text-zinc-600">{money(w.fee)}</Td>
                <Td className="text-right tabular-nums">{money(w.amount - w.fee)}</Td>
                <Td className="max-w-44">
                  <span className="block text-xs text-zinc-500">{t(`methods.${w.method}`)}</span>
                  <span className="block truncate font-mono text-xs" title={w.account}>
                    {w.account}
                  </span>
                  {w.accountName ? <span className="block truncate text-xs text-zinc-500">{w.accountName}</span> : null}
                </Td>
                <Td>
                  <Badge tone={withdrawalTone[w.status]}>{t(`withdrawals.statuses.${w.status}`)}</Badge>
                  {w.paidAt ? <span className="mt-0.5 block text-xs text-zinc-500">{format.dateTime(w.paidAt, when)}</span> : null}
                </Td>
                <Td>
                  <div className="w-40 text-xs whitespace-normal break-words text-zinc-600">
                    {w.status === 'paid' && w.reference ? t('withdrawals.reference', { reference: w.reference }) : null}
                    {w.status === 'rejected' && w.reason ? <span className="text-red-700">{t('withdrawals.reason', { reason: w.reason })}</span> : null}
                  </div>
                </Td>
                <Td className="text-right">
                  {w.status === 'pending' ? (
                    <ConfirmActionButton
                      action={cancelWithdrawalAction}
                      fields={{ id: w.id }}
                      label={t('withdrawals.cancel')}
                      prompt={t('withdrawals.cancelConfirm', { amount: money(w.amount) })}
                      confirmLabel={t('withdrawals.cancelYes')}
                      pendingLabel={t('withdrawals.cancelling')}
                    />
                  ) : null}
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      </Card>

      <Card>
        <div className="mb-3">
          <h2 className="text-base font-semibold text-zinc-900">{t('ledger.title')}</h2>
          <p className="mt-1 text-sm text-zinc-500">{t('ledger.hint')}</p>
        </div>
        <LedgerTable ledger={ledger} cursor={cursor} href="/console/agent/money" empty={t('ledger.empty')} viewer="agent" />
      </Card>
    </div>
  );
}

import type { Metadata } from 'next';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { AgentMissing, AgentStatusAlert } from '@/components/console/agent/agent-status';
import { BalanceCards } from '@/components/console/agent/balance-cards';
import { CancelWithdrawalButton } from '@/components/console/agent/cancel-withdrawal-button';
import { currencySign } from '@/components/console/agent/currency';
import { WithdrawForm } from '@/components/console/agent/withdraw-form';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { AGENT_CURRENCY, agentConsoleView, listLedger, listWithdrawals, type LedgerLine, type WithdrawalRow } from '@/lib/agents';
import { isAppError } from '@/lib/errors';
import { formatAmount } from '@/lib/money';
import { cn } from '@/lib/utils';
import { cancelWithdrawalAction, requestWithdrawalAction } from '../actions';
import { requireAgentPage } from '../agent-page';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.agent.money');
  return { title: t('title') };
}

const statusTone: Record<WithdrawalRow['status'], 'neutral' | 'green' | 'amber' | 'red' | 'blue'> = {
  pending: 'amber',
  approved: 'blue',
  paid: 'green',
  rejected: 'red',
  cancelled: 'neutral',
};
const when = { dateStyle: 'short', timeStyle: 'short' } as const;
const ACCOUNTS = ['pending', 'available', 'held', 'owed'] as const;

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
                  <Badge tone={statusTone[w.status]}>{t(`withdrawals.statuses.${w.status}`)}</Badge>
                  {w.paidAt ? <span className="mt-0.5 block text-xs text-zinc-500">{format.dateTime(w.paidAt, when)}</span> : null}
                </Td>
                <Td>
                  <div className="w-40 text-xs whitespace-normal break-words text-zinc-600">
                    {w.status === 'paid' && w.reference ? t('withdrawals.reference', { reference: w.reference }) : null}
                    {w.status === 'rejected' && w.reason ? <span className="text-red-700">{t('withdrawals.reason', { reason: w.reason })}</span> : null}
                  </div>
                </Td>
                <Td className="text-right">
                  {w.status === 'pending' ? <CancelWithdrawalButton id={w.id} amount={money(w.amount)} action={cancelWithdrawalAction} /> : null}
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
        <Table>
          <thead>
            <tr>
              <Th>{t('ledger.time')}</Th>
              <Th>{t('ledger.kind')}</Th>
              <Th className="text-right">{t('ledger.amount')}</Th>
              <Th>{t('ledger.effect')}</Th>
              <Th>{t('ledger.orderNo')}</Th>
              <Th>{t('ledger.memo')}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {ledger.lines.length === 0 ? <EmptyRow colSpan={6}>{t('ledger.empty')}</EmptyRow> : null}
            {ledger.lines.map((line) => (
              <Tr key={line.id}>
                <Td className="tabular-nums text-zinc-600">{format.dateTime(new Date(line.createdAt), when)}</Td>
                <Td>{t(`ledger.kinds.${line.kind}`)}</Td>
                <Td className="text-right font-medium tabular-nums">{money(line.amount)}</Td>
                <Td>
                  <Effect line={line} label={(account) => t(`ledger.accounts.${account}`)} money={money} />
                </Td>
                <Td className="font-mono text-xs">{line.orderNo ?? <span className="text-zinc-400">—</span>}</Td>
                <Td>
                  <div className="w-40 text-xs whitespace-normal break-words text-zinc-600">{line.memo ?? ''}</div>
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
        <KeysetPager
          firstHref={cursor ? '/console/agent/money' : null}
          nextHref={ledger.nextCursor ? `/console/agent/money?cursor=${encodeURIComponent(ledger.nextCursor)}` : null}
          firstLabel={t('ledger.first')}
          nextLabel={t('ledger.next')}
        />
      </Card>
    </div>
  );
}

/** How one movement changed the agent's accounts: "Available +¥12.00", "Pending −¥12.00". */
function Effect({ line, label, money }: { line: LedgerLine; label: (account: (typeof ACCOUNTS)[number]) => string; money: (n: number) => string }) {
  const moved = ACCOUNTS.filter((a) => line.effect[a] !== 0);
  if (moved.length === 0) return <span className="text-zinc-400">—</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {moved.map((a) => {
        // The owed account is negative while the agent owes: a debt that grows shows as "+".
        const n = a === 'owed' ? -line.effect[a] : line.effect[a];
        const tone =
          a === 'owed'
            ? n > 0
              ? 'bg-red-50 text-red-700'
              : 'bg-emerald-50 text-emerald-800'
            : n > 0
              ? 'bg-emerald-50 text-emerald-800'
              : 'bg-zinc-100 text-zinc-700';
        return (
          <span key={a} className={cn('rounded px-1.5 py-0.5 text-xs tabular-nums', tone)}>
            {label(a)} {n > 0 ? '+' : '−'}
            {money(Math.abs(n))}
          </span>
        );
      })}
    </span>
  );
}

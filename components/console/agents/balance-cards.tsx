import { getLocale, getTranslations } from 'next-intl/server';
import { AGENT_CURRENCY, type AgentListItem } from '@/lib/agents';
import { formatAmount } from '@/lib/money';
import { cn } from '@/lib/utils';

/**
 * An agent's money, or the programme's: pending (earned, in its hold), available (can be
 * withdrawn), held (in a withdrawal request), and owed (a refund's debt, shown only when there is one, or always with `showOwed`).
 */
export async function BalanceCards({ balance, total, showOwed = true }: { balance: AgentListItem['balance']; total?: boolean; showOwed?: boolean }) {
  const [t, locale] = await Promise.all([getTranslations('console.agents.balance'), getLocale()]);
  const money = (v: number) => formatAmount(v, AGENT_CURRENCY, locale);
  const items = [
    { key: 'pending', value: balance.pending, hint: t('pendingHint') },
    { key: 'available', value: balance.available, hint: t('availableHint') },
    { key: 'held', value: balance.held, hint: t('heldHint') },
    ...(total ? [{ key: 'total', value: balance.pending + balance.available + balance.held, hint: t('totalHint') }] : []),
    ...(showOwed ? [{ key: 'owed', value: balance.owed, hint: balance.owed < 0 ? t('owedHint') : t('owedNone') }] : []),
  ] as const;
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-[repeat(auto-fit,minmax(10rem,1fr))]">
      {items.map((i) => (
        <div
          key={i.key}
          className={cn(
            'rounded-2xl bg-white p-4 shadow-sm ring-1 ring-zinc-200',
            i.key === 'owed' && i.value < 0 && 'bg-red-50 ring-red-200',
            i.key === 'total' && 'bg-zinc-50',
          )}
        >
          <dt className="text-xs text-zinc-500">{t(i.key)}</dt>
          <dd className={cn('mt-1 text-lg font-semibold tabular-nums', i.key === 'owed' && i.value < 0 ? 'text-red-700' : 'text-zinc-900')}>
            {money(i.value)}
          </dd>
          <dd className="mt-0.5 text-xs text-zinc-500">{i.hint}</dd>
        </div>
      ))}
    </dl>
  );
}

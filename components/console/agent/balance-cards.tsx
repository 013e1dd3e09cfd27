import { getLocale, getTranslations } from 'next-intl/server';
import { AGENT_CURRENCY, type AgentConsoleView } from '@/lib/agents';
import { formatAmount } from '@/lib/money';
import { cn } from '@/lib/utils';

/** The agent's four balances: pending (held for the level's hold period), available, held by a withdrawal, owed after refunds. */
export async function BalanceCards({ balance, holdHours }: { balance: AgentConsoleView['balance']; holdHours: number | null }) {
  const [t, locale] = await Promise.all([getTranslations('console.agent.balance'), getLocale()]);
  const money = (n: number) => formatAmount(n, AGENT_CURRENCY, locale);
  const owes = balance.owed < 0;
  const cards = [
    { key: 'available', value: money(balance.available), hint: t('availableHint'), accent: true },
    { key: 'pending', value: money(balance.pending), hint: holdHours === null ? t('pendingHintPlain') : t('pendingHint', { hours: holdHours }) },
    { key: 'held', value: money(balance.held), hint: t('heldHint') },
    { key: 'owed', value: money(Math.max(0, -balance.owed)), hint: owes ? t('owedHint') : t('owedNone'), warn: owes },
  ] as const;
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      {cards.map((c) => (
        <div
          key={c.key}
          data-testid={`balance-${c.key}`}
          className={cn(
            'rounded-2xl bg-white p-4 shadow-sm ring-1 ring-zinc-200',
            'accent' in c && c.accent && 'ring-brand-500/30',
            'warn' in c && c.warn && 'bg-red-50 ring-red-200',
          )}
        >
          <dt className="text-xs font-medium text-zinc-500">{t(c.key)}</dt>
          <dd
            className={cn(
              'mt-1 text-lg font-semibold tabular-nums text-zinc-900 sm:text-xl',
              'accent' in c && c.accent && 'text-brand-700',
              'warn' in c && c.warn && 'text-red-700',
            )}
          >
            {c.value}
          </dd>
          <dd className="mt-1 text-xs leading-snug text-zinc-500">{c.hint}</dd>
        </div>
      ))}
    </dl>
  );
}

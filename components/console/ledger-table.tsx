import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import { AGENT_CURRENCY, type LedgerLine } from '@/lib/agents';
import { BUSINESS_TIME_ZONE } from '@/lib/i18n';
import { formatAmount } from '@/lib/money';
import { cn } from '@/lib/utils';

const ACCOUNTS = ['pending', 'available', 'held', 'owed'] as const;
type Account = (typeof ACCOUNTS)[number];

/** Each console's way of writing a time: the agent console's short form, the merchant console's fixed digits. */
const when = {
  agent: { dateStyle: 'short', timeStyle: 'short' },
  merchant: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: BUSINESS_TIME_ZONE },
} as const;

/**
 * One agent's ledger, a keyset page at a time, newest first: each movement's time, kind and
 * amount, and what it did to the agent's four accounts. The agent sees the accounts that
 * moved as chips, beside the order and the memo; the merchant sees a column per account,
 * with the order (linked) and the memo under the kind. Its words are the agent console's
 * (`console.agent.money.ledger`), which read right to the merchant as well.
 */
export async function LedgerTable({
  ledger,
  cursor,
  href,
  empty,
  viewer,
}: {
  ledger: { lines: LedgerLine[]; nextCursor: string | null };
  /** The cursor of the page shown; null on the newest. */
  cursor: string | null;
  /** The page's own path, which the pager's links add a cursor to. */
  href: string;
  empty: string;
  viewer: 'agent' | 'merchant';
}) {
  const [t, format, locale] = await Promise.all([getTranslations('console.agent.money.ledger'), getFormatter(), getLocale()]);
  const money = (n: number) => formatAmount(n, AGENT_CURRENCY, locale);
  const merchant = viewer === 'merchant';
  return (
    <>
      <Table>
        <thead>
          <tr>
            <Th>{t('time')}</Th>
            <Th>{merchant ? t('kindOrderMemo') : t('kind')}</Th>
            <Th className="text-right">{t('amount')}</Th>
            {merchant ? (
              ACCOUNTS.map((a) => (
                <Th key={a} className="text-right">
                  {t(`accounts.${a}`)}
                </Th>
              ))
            ) : (
              <>
                <Th>{t('effect')}</Th>
                <Th>{t('orderNo')}</Th>
                <Th>{t('memo')}</Th>
              </>
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {ledger.lines.length === 0 ? <EmptyRow colSpan={merchant ? 7 : 6}>{empty}</EmptyRow> : null}
          {ledger.lines.map((line) => (
            <Tr key={line.id}>
              <Td className="tabular-nums text-zinc-600">{format.dateTime(new Date(line.createdAt), when[viewer])}</Td>
              {merchant ? (
                <Td className="whitespace-normal">
                  <span className="whitespace-nowrap">{t(`kinds.${line.kind}`)}</span>
                  {line.orderNo ? (
                    <Link href={`/console/orders/${line.orderNo}`} className="block font-mono text-xs text-brand-700 hover:underline">
                      {line.orderNo}
                    </Link>
                  ) : null}
                  {line.memo ? (
                    <span className="block max-w-64 truncate text-xs text-zinc-500" title={line.memo}>
                      {line.memo}
                    </span>
                  ) : null}
                </Td>
              ) : (
                <Td>{t(`kinds.${line.kind}`)}</Td>
              )}
              <Td className="text-right font-medium tabular-nums">{money(line.amount)}</Td>
              {merchant ? (
                ACCOUNTS.map((a) => <AccountCell key={a} change={line.effect[a]} money={money} />)
              ) : (
                <>
                  <Td>
                    <EffectChips line={line} label={(a) => t(`accounts.${a}`)} money={money} />
                  </Td>
                  <Td className="font-mono text-xs">{line.orderNo ?? <span className="text-zinc-400">—</span>}</Td>
                  <Td>
                    <div className="w-40 text-xs whitespace-normal break-words text-zinc-600">{line.memo ?? ''}</div>
                  </Td>
                </>
              )}
            </Tr>
          ))}
        </tbody>
      </Table>
      <KeysetPager
        firstHref={cursor ? href : null}
        nextHref={ledger.nextCursor ? `${href}?cursor=${encodeURIComponent(ledger.nextCursor)}` : null}
        firstLabel={t('first')}
        nextLabel={t('next')}
      />
    </>
  );
}

/** One account's change as the merchant reads it: signed, green up, red down, a dot when it did not move. */
function AccountCell({ change, money }: { change: number; money: (n: number) => string }) {
  return (
    <Td className={cn('text-right tabular-nums', change > 0 ? 'text-emerald-700' : change < 0 ? 'text-red-600' : 'text-zinc-300')}>
      {change === 0 ? '·' : `${change > 0 ? '+' : '−'}${money(Math.abs(change))}`}
    </Td>
  );
}

/** How one movement changed the agent's accounts: "Available +¥12.00", "Pending −¥12.00". */
function EffectChips({ line, label, money }: { line: LedgerLine; label: (account: Account) => string; money: (n: number) => string }) {
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

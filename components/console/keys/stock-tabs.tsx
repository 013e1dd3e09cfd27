import Link from 'next/link';
import { useTranslations } from 'next-intl';
import type { CardKeyStatus } from '@/lib/inventory';
import { cn } from '@/lib/utils';

const ORDER: CardKeyStatus[] = ['available', 'reserved', 'sold', 'void'];
const accent: Record<CardKeyStatus, string> = {
  available: 'text-emerald-700',
  reserved: 'text-amber-700',
  sold: 'text-brand-700',
  void: 'text-zinc-500',
};

/** The product's stock numbers; each is also the list's status filter (a link, so it survives reload). */
export function StockTabs({
  stock,
  current,
  hrefFor,
}: {
  stock: Record<CardKeyStatus, number>;
  current: CardKeyStatus;
  hrefFor: (s: CardKeyStatus) => string;
}) {
  const t = useTranslations('console.keys');
  return (
    <nav aria-label={t('stock.label')} className="grid grid-cols-2 gap-2 sm:grid-cols-4">
      {ORDER.map((s) => (
        <Link
          key={s}
          href={hrefFor(s)}
          aria-current={s === current ? 'page' : undefined}
          className={cn(
            'rounded-xl px-4 py-3 ring-1 ring-inset transition-colors focus-visible:outline-2 focus-visible:outline-brand-500',
            s === current ? 'bg-brand-50 ring-brand-500' : 'bg-white ring-zinc-200 hover:bg-zinc-50',
          )}
        >
          <span className="block text-xs font-medium text-zinc-600">{t(`stock.${s}`)}</span>
          <span className={cn('mt-1 block text-2xl font-semibold tabular-nums', accent[s])}>{stock[s].toLocaleString('en-US')}</span>
        </Link>
      ))}
    </nav>
  );
}

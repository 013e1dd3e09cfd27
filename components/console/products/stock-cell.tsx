import type { Stock } from '@/lib/inventory';
import { cn } from '@/lib/utils';

/** Key counts of an `auto` product; red when available is at or below its alert. */
export function StockCell({
  stock,
  low,
  labels,
}: {
  stock: Stock | null;
  low: boolean;
  labels: { available: string; reserved: string; sold: string; low: string; none: string };
}) {
  if (!stock) return <span className="text-xs text-zinc-500">{labels.none}</span>;
  return (
    <div className="text-xs leading-5">
      <p className={cn('tabular-nums', low ? 'font-semibold text-red-700' : 'text-zinc-900')}>
        <span className="text-base">{stock.available}</span> <span className={low ? 'text-red-700' : 'text-zinc-500'}>{labels.available}</span>
      </p>
      <p className="tabular-nums text-zinc-500">
        <span title={labels.reserved}>
          {labels.reserved} {stock.reserved}
        </span>
        {' · '}
        <span title={labels.sold}>
          {labels.sold} {stock.sold}
        </span>
      </p>
      {low ? (
        <p className="mt-0.5 inline-flex items-center gap-1 rounded bg-red-50 px-1.5 text-red-700 ring-1 ring-inset ring-red-600/20">
          <span aria-hidden>●</span>
          {labels.low}
        </p>
      ) : null}
    </div>
  );
}

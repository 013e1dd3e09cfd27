import { getTranslations } from 'next-intl/server';
import type { Heatmap } from '@/lib/reports';

/**
 * Weekday × hour grid of paid orders as plain CSS: colour intensity by count, each cell
 * labelled for screen readers and with a title on hover. Rows Monday to Sunday.
 */
export async function SalesHeatmap({ data }: { data: Heatmap }) {
  const t = await getTranslations('console.dashboard.heatmap');
  const days = t.raw('weekdays') as string[];
  const shade = (n: number) => (n === 0 || data.max === 0 ? 0 : 0.15 + 0.85 * (n / data.max));
  return (
    <div className="relative overflow-x-auto">
      <div role="table" aria-label={t('description')} className="min-w-[18rem]">
        <div
          role="row"
          className="grid grid-cols-[2.25rem_repeat(24,minmax(0,1fr))] sm:grid-cols-[2.75rem_repeat(24,minmax(0,1fr))] gap-0.5 pb-1 text-[10px] text-zinc-500"
        >
          <span role="columnheader" />
          {Array.from({ length: 24 }, (_, h) => (
            <span key={h} role="columnheader" aria-label={`${h}:00`} className="text-center tabular-nums">
              {h % 3 === 0 ? h : ''}
            </span>
          ))}
        </div>
        {data.cells.map((row, d) => (
          <div key={d} role="row" className="grid grid-cols-[2.25rem_repeat(24,minmax(0,1fr))] sm:grid-cols-[2.75rem_repeat(24,minmax(0,1fr))] gap-0.5 pb-0.5">
            <span role="rowheader" className="self-center pr-1 text-xs text-zinc-600">
              {days[d]}
            </span>
            {row.map((n, h) => {
              const label = t('cell', { day: days[d]!, hour: String(h).padStart(2, '0'), count: n });
              return (
                <span
                  key={h}
                  role="cell"
                  title={label}
                  aria-label={label}
                  className="aspect-square rounded-[3px] bg-zinc-100"
                  style={n > 0 ? { backgroundColor: `rgba(31, 102, 221, ${shade(n).toFixed(2)})` } : undefined}
                />
              );
            })}
          </div>
        ))}
        <div className="mt-2 flex items-center justify-end gap-1.5 text-[11px] text-zinc-500" aria-hidden>
          <span>{t('less')}</span>
          {[0, 0.25, 0.5, 0.75, 1].map((s) => (
            <span
              key={s}
              className="size-3 rounded-[3px] bg-zinc-100"
              style={s > 0 ? { backgroundColor: `rgba(31, 102, 221, ${(0.15 + 0.85 * s).toFixed(2)})` } : undefined}
            />
          ))}
          <span>{t('more')}</span>
        </div>
      </div>
    </div>
  );
}

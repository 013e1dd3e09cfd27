import Link from 'next/link';
import { cn } from '@/lib/utils';

export type FilterPill = { href: string; label: string; count?: number; current: boolean };

/** A list's filter as links, so the choice lives in the URL (reloadable, shareable, no JavaScript needed). */
export function FilterPills({ pills, label }: { pills: FilterPill[]; label: string }) {
  return (
    <nav aria-label={label} className="mb-3 flex gap-1 overflow-x-auto">
      {pills.map((p) => (
        <Link
          key={p.href}
          href={p.href}
          aria-current={p.current ? 'page' : undefined}
          className={cn(
            'inline-flex items-center gap-1.5 whitespace-nowrap rounded-lg px-3 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-brand-500',
            p.current ? 'bg-zinc-900 font-medium text-white' : 'text-zinc-700 hover:bg-zinc-100',
          )}
        >
          {p.label}
          {p.count !== undefined ? (
            <span className={cn('rounded-full px-1.5 text-xs tabular-nums', p.current ? 'bg-white/20' : 'bg-zinc-100 text-zinc-600')}>{p.count}</span>
          ) : null}
        </Link>
      ))}
    </nav>
  );
}

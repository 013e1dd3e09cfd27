import Link from 'next/link';
import { cn } from '@/lib/utils';

export type Tab = { href: string; label: string; count?: number; current: boolean };

/** A status filter as links, so the choice lives in the URL. */
export function StatusTabs({ tabs, label }: { tabs: Tab[]; label: string }) {
  return (
    <nav aria-label={label} className="flex gap-1 overflow-x-auto">
      {tabs.map((tab) => (
        <Link
          key={tab.href}
          href={tab.href}
          aria-current={tab.current ? 'page' : undefined}
          className={cn(
            'inline-flex items-center gap-1.5 whitespace-nowrap rounded-lg px-3 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-brand-500',
            tab.current ? 'bg-zinc-900 font-medium text-white' : 'text-zinc-700 hover:bg-zinc-100',
          )}
        >
          {tab.label}
          {tab.count !== undefined ? (
            <span className={cn('rounded-full px-1.5 text-xs tabular-nums', tab.current ? 'bg-white/20' : 'bg-zinc-100 text-zinc-600')}>{tab.count}</span>
          ) : null}
        </Link>
      ))}
    </nav>
  );
}

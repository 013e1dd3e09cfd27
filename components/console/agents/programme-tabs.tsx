'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/utils';

export type ProgrammeTab = { href: string; label: string; count?: number };

/**
 * The programme's sections (agents, applications, levels, invites, withdrawals, report);
 * the current one is marked for sight and for screen readers. A count shows what waits.
 */
export function ProgrammeTabs({ tabs, label }: { tabs: ProgrammeTab[]; label: string }) {
  const pathname = usePathname();
  // The agents list owns its detail pages (/console/agents/{id}); every other tab is its own path.
  const current = tabs.slice(1).find((t) => pathname === t.href || pathname.startsWith(`${t.href}/`))?.href ?? tabs[0]?.href;
  return (
    <nav aria-label={label} className="-mx-4 mb-6 overflow-x-auto border-b border-zinc-200 px-4 sm:mx-0 sm:px-0">
      <ul className="flex gap-1">
        {tabs.map((tab) => {
          const active = tab.href === current;
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? 'page' : undefined}
                className={cn(
                  '-mb-px inline-flex items-center gap-1.5 whitespace-nowrap border-b-2 px-3 py-2.5 text-sm focus-visible:outline-2 focus-visible:outline-brand-500',
                  active ? 'border-brand-600 font-medium text-brand-700' : 'border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900',
                )}
              >
                {tab.label}
                {tab.count ? (
                  <span className="rounded-full bg-amber-100 px-1.5 text-xs font-medium tabular-nums text-amber-800" aria-hidden>
                    {tab.count}
                  </span>
                ) : null}
                {tab.count ? <span className="sr-only">({tab.count})</span> : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/utils';

export type NavItem = { href: string; label: string };

/** The console's sections; the current one is marked for sight and for screen readers. */
export function ConsoleNav({ items, label }: { items: NavItem[]; label: string }) {
  const pathname = usePathname();
  const current = items.filter((i) => pathname === i.href || pathname.startsWith(`${i.href}/`)).sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return (
    <nav aria-label={label} className="flex gap-1 overflow-x-auto md:flex-col md:overflow-visible">
      {items.map((item) => (
        <Link
          key={item.href}
          href={item.href}
          aria-current={item.href === current ? 'page' : undefined}
          className={cn(
            'whitespace-nowrap rounded-lg px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-brand-500',
            item.href === current ? 'bg-brand-50 font-medium text-brand-700' : 'text-zinc-700 hover:bg-zinc-100',
          )}
        >
          {item.label}
        </Link>
      ))}
    </nav>
  );
}

import Link from 'next/link';
import type { ReactNode } from 'react';
import { cn } from '@/lib/utils';
import { buttonClass } from './button';

/**
 * The foot of a keyset-paged list: an optional summary, "first page" once the reader has
 * left it, "next page" while there is one. Keyset pages only go forward, so there is no
 * "previous". Renders nothing when there is nothing to show.
 */
export function KeysetPager({
  summary,
  firstHref,
  nextHref,
  firstLabel,
  nextLabel,
  footer = false,
}: {
  summary?: ReactNode;
  /** Set when the current page is not the first. */
  firstHref?: string | null;
  nextHref?: string | null;
  firstLabel: string;
  nextLabel: string;
  /** A bordered footer inside a table card, rather than a row under the table. */
  footer?: boolean;
}) {
  if (!summary && !firstHref && !nextHref) return null;
  return (
    <div className={cn('flex flex-wrap items-center justify-between gap-2 text-sm text-zinc-500', footer ? 'border-t border-zinc-200 px-4 py-3' : 'mt-4')}>
      {summary ? <span>{summary}</span> : <span />}
      <div className="flex gap-2">
        {firstHref ? (
          <Link href={firstHref} className={buttonClass('ghost', undefined, 'sm')}>
            {firstLabel}
          </Link>
        ) : null}
        {nextHref ? (
          <Link href={nextHref} className={buttonClass('secondary', undefined, 'sm')}>
            {nextLabel}
          </Link>
        ) : null}
      </div>
    </div>
  );
}

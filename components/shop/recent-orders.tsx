'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useEffect, useSyncExternalStore } from 'react';
import { buttonClass } from '@/components/ui/button';

// Order numbers this browser has seen, newest first. Only numbers and titles: the access
// token stays in its HttpOnly cookie, out of reach of scripts.
const STORAGE_KEY = 'openfaka.recentOrders';
type Recent = { orderNo: string; title: string; at: string };

function parse(raw: string | null): Recent[] {
  try {
    const parsed = JSON.parse(raw ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((r) => r && typeof r.orderNo === 'string') : [];
  } catch {
    return [];
  }
}

function read(): Recent[] {
  return parse(localStorage.getItem(STORAGE_KEY));
}

// The list as an external store: the same array for the same stored text (React compares
// snapshots by identity), updated by this tab's writes and other tabs' storage events.
const CHANGED = 'openfaka:recent-orders';
let cached: { raw: string | null; list: Recent[] } | undefined;
function snapshot(): Recent[] {
  const raw = localStorage.getItem(STORAGE_KEY);
  if (!cached || cached.raw !== raw) cached = { raw, list: parse(raw) };
  return cached.list;
}
function subscribe(onChange: () => void): () => void {
  window.addEventListener('storage', onChange);
  window.addEventListener(CHANGED, onChange);
  return () => {
    window.removeEventListener('storage', onChange);
    window.removeEventListener(CHANGED, onChange);
  };
}
function write(list: Recent[] | null): void {
  if (list) localStorage.setItem(STORAGE_KEY, JSON.stringify(list));
  else localStorage.removeItem(STORAGE_KEY);
  window.dispatchEvent(new Event(CHANGED));
}

/** Remembers an order on its page. */
export function RememberOrder({ orderNo, title }: { orderNo: string; title: string }) {
  useEffect(() => {
    write([{ orderNo, title, at: new Date().toISOString() }, ...read().filter((r) => r.orderNo !== orderNo)].slice(0, 20));
  }, [orderNo, title]);
  return null;
}

export function RecentOrders() {
  const t = useTranslations('lookup');
  // Nothing on the server (there is no localStorage there), the stored list in the browser.
  const list = useSyncExternalStore(subscribe, snapshot, () => null);
  if (list === null) return null;
  return (
    <section className="space-y-3" aria-labelledby="recent-heading">
      <div className="flex items-center justify-between">
        <h2 id="recent-heading" className="font-medium">
          {t('recent')}
        </h2>
        {list.length > 0 ? (
          <button type="button" className={buttonClass('ghost', 'px-2 py-1 text-xs')} onClick={() => write(null)}>
            {t('clear')}
          </button>
        ) : null}
      </div>
      {list.length === 0 ? (
        <p className="text-sm text-zinc-500">{t('noRecent')}</p>
      ) : (
        <ul className="divide-y divide-zinc-100 rounded-xl ring-1 ring-zinc-200" data-testid="recent-orders">
          {list.map((r) => (
            <li key={r.orderNo} className="flex items-center justify-between gap-3 px-4 py-2.5 text-sm">
              <div className="min-w-0">
                <div className="truncate">{r.title}</div>
                <div className="font-mono text-xs text-zinc-500">{r.orderNo}</div>
              </div>
              <Link href={`/order/${r.orderNo}`} className={buttonClass('secondary', 'px-3 py-1.5 text-xs')}>
                {t('open')}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

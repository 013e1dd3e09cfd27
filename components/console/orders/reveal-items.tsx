'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { revealOrderItemsAction } from '@/app/(console)/console/orders/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/**
 * The delivered keys stay masked until the merchant asks; each reveal is a server action the
 * audit log records. The text lives only in this component's state, never in the URL.
 */
export function RevealItems({ orderNo, count }: { orderNo: string; count: number }) {
  const t = useTranslations('console.orders.detail');
  const [items, setItems] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const reveal = () =>
    start(async () => {
      setError(null);
      const res = await revealOrderItemsAction(orderNo);
      if (res.ok) setItems((res.data?.items as string[]) ?? []);
      else setError(res.error ?? null);
    });
  return (
    <div className="space-y-3">
      {items ? (
        items.length ? (
          <ul className="divide-y divide-zinc-100 rounded-xl bg-zinc-50 ring-1 ring-zinc-200" data-testid="revealed-items">
            {items.map((k, i) => (
              <li key={i} className="break-all px-4 py-2 font-mono text-sm text-zinc-900">
                {k}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-zinc-500">{t('revealEmpty')}</p>
        )
      ) : (
        <ul className="divide-y divide-zinc-100 rounded-xl bg-zinc-50 ring-1 ring-zinc-200" aria-hidden>
          {Array.from({ length: Math.min(Math.max(count, 1), 5) }, (_, i) => (
            <li key={i} className="px-4 py-2 font-mono text-sm tracking-widest text-zinc-500">
              ••••••••••••••••
            </li>
          ))}
        </ul>
      )}
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="flex flex-wrap items-center gap-3">
        {items ? (
          <Button type="button" variant="secondary" size="sm" onClick={() => setItems(null)}>
            {t('hide')}
          </Button>
        ) : (
          <Button type="button" variant="secondary" size="sm" onClick={reveal} disabled={pending} aria-busy={pending}>
            {pending ? t('revealing') : t('reveal')}
          </Button>
        )}
        <span className="text-xs text-zinc-500">{t('revealAudited')}</span>
      </div>
    </div>
  );
}

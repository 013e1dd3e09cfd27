'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { revealKeyAction, voidKeysAction } from '@/app/(console)/console/keys/actions';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import type { CardKeyStatus } from '@/lib/inventory';

export type KeyTableRow = {
  id: number;
  masked: string;
  status: CardKeyStatus;
  created: string;
  soldOrReserved: string | null;
  orderNo: string | null;
};

const tone = { available: 'green', reserved: 'amber', sold: 'blue', void: 'neutral' } as const;

/** One key's cell: masked until the merchant asks, then the plaintext once (audited server-side). */
function KeyCell({ row }: { row: KeyTableRow }) {
  const t = useTranslations('console.keys.reveal');
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [pending, start] = useTransition();
  if (shown != null) {
    return (
      <div className="flex min-w-0 flex-wrap items-center gap-2">
        <code
          className="max-w-[22rem] break-all whitespace-normal rounded bg-amber-50 px-1.5 py-0.5 font-mono text-[13px] text-zinc-900 ring-1 ring-amber-200"
          data-revealed
        >
          {shown}
        </code>
        <Button
          type="button"
          variant="ghost"
          size="sm"
          onClick={() => {
            void navigator.clipboard?.writeText(shown).then(() => setCopied(true));
          }}
        >
          {copied ? t('copied') : t('copy')}
        </Button>
        <Button type="button" variant="ghost" size="sm" onClick={() => setShown(null)}>
          {t('hide')}
        </Button>
        <span className="text-xs text-zinc-500">{t('note')}</span>
      </div>
    );
  }
  return (
    <div className="flex items-center gap-2">
      <code className="font-mono text-[13px] tracking-wide text-zinc-700">{row.masked}</code>
      <Button
        type="button"
        variant="ghost"
        size="sm"
        disabled={pending}
        aria-busy={pending || undefined}
        aria-label={`${t('button')} #${row.id}`}
        onClick={() =>
          start(async () => {
            setError(null);
            const res = await revealKeyAction(row.id);
            if (res.ok && typeof res.data?.key === 'string') {
              setCopied(false);
              setShown(res.data.key);
            } else setError(res.error ?? null);
          })
        }
      >
        {pending ? t('working') : t('button')}
      </Button>
      {error ? (
        <span role="alert" className="text-xs text-red-600">
          {error}
        </span>
      ) : null}
    </div>
  );
}

export function KeyTable({ productId, status, statusName, rows }: { productId: string; status: CardKeyStatus; statusName: string; rows: KeyTableRow[] }) {
  const t = useTranslations('console.keys');
  const common = useTranslations('console.common');
  const router = useRouter();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [confirming, setConfirming] = useState<number[] | null>(null);
  const [result, setResult] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [pending, start] = useTransition();
  const voidable = status === 'available';
  const allSelected = rows.length > 0 && selected.size === rows.length;

  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const runVoid = (ids: number[]) =>
    start(async () => {
      const res = await voidKeysAction({ productId, keyIds: ids });
      setConfirming(null);
      if (res.ok) {
        setSelected(new Set());
        setResult({ tone: 'success', text: res.message ?? '' });
        router.refresh();
      } else setResult({ tone: 'error', text: res.error ?? '' });
    });

  const timeHeading = status === 'sold' ? t('list.sold') : status === 'reserved' ? t('list.reserved') : null;
  const cols = 4 + (voidable ? 2 : 0) + (timeHeading ? 2 : 0);

  return (
    <div>
      {voidable || result ? (
        <div className="space-y-3 border-b border-zinc-200 px-4 py-3">
          {result ? <Alert tone={result.tone}>{result.text}</Alert> : null}
          {voidable ? (
            confirming && confirming.length > 1 ? (
              <div className="flex flex-wrap items-center gap-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-600/20">
                <span className="min-w-0 flex-1">{t('void.confirm', { count: confirming.length })}</span>
                <Button type="button" variant="danger" size="sm" disabled={pending} aria-busy={pending || undefined} onClick={() => runVoid(confirming)}>
                  {pending ? t('void.working') : t('void.yes')}
                </Button>
                <Button type="button" variant="ghost" size="sm" disabled={pending} onClick={() => setConfirming(null)}>
                  {common('actions.cancel')}
                </Button>
              </div>
            ) : (
              <div className="flex items-center gap-3">
                <Button type="button" variant="secondary" size="sm" disabled={selected.size === 0} onClick={() => setConfirming([...selected])}>
                  {t('void.selected', { count: selected.size })}
                </Button>
              </div>
            )
          ) : null}
        </div>
      ) : null}
      {/* The kit's Table pulls itself out by a card's padding on a phone; this list has none. */}
      <div className="px-5 sm:px-0">
        <Table className="[&_td:first-child]:pl-4 [&_th:first-child]:pl-4">
          <caption className="sr-only">{t('list.caption', { status: statusName })}</caption>
          <thead className="bg-zinc-50">
            <tr>
              {voidable ? (
                <Th className="w-10">
                  <input
                    type="checkbox"
                    className="size-4 rounded border-zinc-300"
                    aria-label={t('list.selectAll')}
                    checked={allSelected}
                    disabled={rows.length === 0}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.id)))}
                  />
                </Th>
              ) : null}
              <Th>{t('list.id')}</Th>
              <Th>{t('list.key')}</Th>
              <Th>{t('list.status')}</Th>
              <Th>{t('list.created')}</Th>
              {timeHeading ? (
                <>
                  <Th>{timeHeading}</Th>
                  <Th>{t('list.order')}</Th>
                </>
              ) : null}
              {voidable ? <Th className="text-right">{common('table.actions')}</Th> : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {rows.length === 0 ? (
              <EmptyRow colSpan={cols}>{status === 'available' ? t('list.emptyAvailable') : t('list.empty', { status: statusName })}</EmptyRow>
            ) : (
              rows.map((row) => (
                <Tr key={row.id} data-testid="card-key-row" className={selected.has(row.id) ? 'bg-brand-50/40' : undefined}>
                  {voidable ? (
                    <Td className="w-10">
                      <input
                        type="checkbox"
                        className="size-4 rounded border-zinc-300"
                        aria-label={t('list.select', { id: row.id })}
                        checked={selected.has(row.id)}
                        onChange={() => toggle(row.id)}
                      />
                    </Td>
                  ) : null}
                  <Td className="tabular-nums text-zinc-500">#{row.id}</Td>
                  <Td>
                    <KeyCell row={row} />
                  </Td>
                  <Td>
                    <Badge tone={tone[row.status]}>{t(`stock.${row.status}`)}</Badge>
                  </Td>
                  <Td className="tabular-nums text-zinc-600">{row.created}</Td>
                  {timeHeading ? (
                    <>
                      <Td className="tabular-nums text-zinc-600">{row.soldOrReserved ?? '-'}</Td>
                      <Td className="font-mono text-xs">
                        {row.orderNo ? (
                          <Link
                            href={`/console/orders/${row.orderNo}`}
                            className="text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-500"
                          >
                            {row.orderNo}
                          </Link>
                        ) : (
                          '-'
                        )}
                      </Td>
                    </>
                  ) : null}
                  {voidable ? (
                    <Td className="text-right">
                      {confirming?.length === 1 && confirming[0] === row.id ? (
                        <span className="inline-flex items-center gap-1">
                          <Button
                            type="button"
                            variant="danger"
                            size="sm"
                            disabled={pending}
                            aria-busy={pending || undefined}
                            onClick={() => runVoid([row.id])}
                          >
                            {pending ? t('void.working') : t('void.yes')}
                          </Button>
                          <Button type="button" variant="ghost" size="sm" disabled={pending} onClick={() => setConfirming(null)}>
                            {common('actions.cancel')}
                          </Button>
                        </span>
                      ) : (
                        <Button type="button" variant="ghost" size="sm" className="text-red-700 hover:bg-red-50" onClick={() => setConfirming([row.id])}>
                          {t('void.button')}
                        </Button>
                      )}
                    </Td>
                  ) : null}
                </Tr>
              ))
            )}
          </tbody>
        </Table>
      </div>
    </div>
  );
}

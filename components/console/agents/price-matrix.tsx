'use client';

import { useLocale, useTranslations } from 'next-intl';
import { startTransition, useActionState, useState, type FormEvent } from 'react';
import type { FormState } from '@/app/(console)/action';
import { setLevelPricesAction } from '@/app/(console)/console/agents/actions';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/field';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import { amountToInput, formatAmount, parseAmount } from '@/lib/money';
import { cn } from '@/lib/utils';

export type PriceRow = {
  productId: string;
  title: string;
  active: boolean;
  currency: string;
  retail: number;
  /** The level's cost from its discount off retail. */
  levelCost: number;
  /** This level's own cost of the product, if set. */
  ownCost: number | null;
  /** This level's visibility switch (null: the product's minimum rank decides). */
  visible: boolean | null;
  /** What the minimum rank decides for this level. */
  visibleByDefault: boolean;
};

type Vis = 'inherit' | 'shown' | 'hidden';
const visOf = (v: boolean | null): Vis => (v === null ? 'inherit' : v ? 'shown' : 'hidden');

/**
 * One level's prices: per product its retail price, the level's cost from its discount, an
 * optional own cost, and whether the level's agents see it. Only changed rows are posted.
 */
export function PriceMatrix({ rank, discount, rows }: { rank: number; discount: string; rows: PriceRow[] }) {
  const t = useTranslations('console.agents.prices');
  const locale = useLocale();
  const [state, formAction, pending] = useActionState<FormState, FormData>(setLevelPricesAction, {});
  const [edits, setEdits] = useState<Record<string, { cost: string; vis: Vis }>>(() =>
    Object.fromEntries(rows.map((r) => [r.productId, { cost: r.ownCost === null ? '' : amountToInput(r.ownCost, r.currency), vis: visOf(r.visible) }])),
  );
  const valueOf = (r: PriceRow) => edits[r.productId] ?? { cost: '', vis: 'inherit' as Vis };
  const costOf = (r: PriceRow, text: string) => (text.trim() === '' ? null : parseAmount(text, r.currency));
  const isChanged = (r: PriceRow) => {
    const e = valueOf(r);
    const cost = costOf(r, e.cost);
    return (e.cost.trim() !== '' && cost === null) || cost !== r.ownCost || e.vis !== visOf(r.visible);
  };
  const changed = rows.filter(isChanged);
  const set = (id: string, patch: Partial<{ cost: string; vis: Vis }>) => setEdits((old) => ({ ...old, [id]: { ...old[id]!, ...patch } }));

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData();
    data.set('rank', String(rank));
    for (const r of changed) {
      const v = valueOf(r);
      data.append('productId', r.productId);
      data.append('cost', v.cost.trim());
      data.append('visible', v.vis);
    }
    startTransition(() => formAction(data));
  };
  const money = (v: number, currency: string) => formatAmount(v, currency, locale);

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3">
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {state.ok && state.message && changed.length === 0 ? <Alert tone="success">{state.message}</Alert> : null}
      <Table>
        <thead>
          <tr>
            <Th>{t('product')}</Th>
            <Th className="text-right">{t('retail')}</Th>
            <Th className="text-right">{t('levelCost', { discount })}</Th>
            <Th>{t('ownCost')}</Th>
            <Th className="text-right">{t('cost')}</Th>
            <Th>{t('visibility')}</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.length === 0 ? <EmptyRow colSpan={6}>{t('empty')}</EmptyRow> : null}
          {rows.map((r) => {
            const v = valueOf(r);
            const own = costOf(r, v.cost);
            const cost = own ?? r.levelCost;
            const error = state.fields?.[`cost:${r.productId}`];
            const invalid = Boolean(error) || (v.cost.trim() !== '' && own === null) || (own !== null && own > r.retail);
            const shown = v.vis === 'inherit' ? r.visibleByDefault : v.vis === 'shown';
            const rowChanged = isChanged(r);
            return (
              <tr key={r.productId} className={cn(rowChanged ? 'bg-amber-50/60' : 'hover:bg-zinc-50', !shown && 'text-zinc-500')}>
                <Td className="max-w-64 whitespace-normal">
                  <span className="font-medium text-zinc-900">{r.title}</span>
                  {!r.active ? (
                    <span className="ml-2">
                      <Badge>{t('inactive')}</Badge>
                    </span>
                  ) : null}
                </Td>
                <Td className="text-right tabular-nums">{money(r.retail, r.currency)}</Td>
                <Td className="text-right tabular-nums text-zinc-600">{money(r.levelCost, r.currency)}</Td>
                <Td className="align-top">
                  <label htmlFor={`pm-${r.productId}`} className="sr-only">
                    {t('ownCostFor', { product: r.title })}
                  </label>
                  <div className="w-28">
                    <Input
                      id={`pm-${r.productId}`}
                      value={v.cost}
                      onChange={(e) => set(r.productId, { cost: e.target.value })}
                      placeholder={amountToInput(r.levelCost, r.currency)}
                      inputMode="decimal"
                      autoComplete="off"
                      className="tabular-nums"
                      aria-invalid={invalid || undefined}
                      aria-describedby={error ? `pm-${r.productId}-error` : undefined}
                    />
                  </div>
                  {error ? (
                    <p id={`pm-${r.productId}-error`} className="mt-1 max-w-40 whitespace-normal text-xs text-red-600" role="alert">
                      {error}
                    </p>
                  ) : own !== null && own > r.retail ? (
                    <p className="mt-1 max-w-40 whitespace-normal text-xs text-red-600">{t('aboveRetail')}</p>
                  ) : null}
                </Td>
                <Td className="text-right tabular-nums">
                  <span className={cn('font-medium', own !== null ? 'text-brand-700' : 'text-zinc-900')}>{money(cost, r.currency)}</span>
                  <span className="block text-xs text-zinc-500">{own !== null ? t('fromOwn') : t('fromDiscount')}</span>
                </Td>
                <Td>
                  <label htmlFor={`pv-${r.productId}`} className="sr-only">
                    {t('visibilityFor', { product: r.title })}
                  </label>
                  <div className="w-44">
                    <Select
                      id={`pv-${r.productId}`}
                      value={v.vis}
                      onChange={(e) => set(r.productId, { vis: e.target.value as Vis })}
                      aria-invalid={state.fields?.[`visible:${r.productId}`] ? true : undefined}
                    >
                      <option value="inherit">{r.visibleByDefault ? t('inheritShown') : t('inheritHidden')}</option>
                      <option value="shown">{t('shown')}</option>
                      <option value="hidden">{t('hidden')}</option>
                    </Select>
                  </div>
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      {rows.length > 0 ? (
        <div className="flex flex-wrap items-center justify-end gap-3">
          <span className="text-sm text-zinc-500" aria-live="polite">
            {changed.length > 0 ? t('changedCount', { n: changed.length }) : t('noChanges')}
          </span>
          <Button type="submit" disabled={pending || changed.length === 0} aria-busy={pending}>
            {pending ? t('saving') : t('save')}
          </Button>
        </div>
      ) : null}
    </form>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { startTransition, useActionState, useState, type FormEvent } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/field';
import { Td, Tr } from '@/components/ui/table';
import { cn } from '@/lib/utils';

type Action = (state: FormState, form: FormData) => Promise<FormState>;

/** One product the agent's level may sell, as the server formatted it. */
export type ProductRowView = {
  productId: string;
  title: string;
  currency: string;
  /** The currency's sign for the price input ("¥"). */
  symbol: string;
  listed: boolean;
  ownMarkup: boolean;
  retail: string;
  cost: string;
  sale: string;
  profit: string;
  /** The markup as shown ("15%"), or null when the agent sells at retail. */
  markup: string | null;
  /** The markup of the current price on cost, for the editor's first value ("15"). */
  markupInput: string;
  saleInput: string;
  /** What the agent may set here, in words (the lowest and highest price). */
  range: string;
};

/** The in-shop switch of one product. */
function ListedSwitch({ row, action, disabled }: { row: ProductRowView; action: Action; disabled: boolean }) {
  const t = useTranslations('console.agent.products');
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <div>
      <form action={formAction} className="flex items-center gap-2">
        <input type="hidden" name="productId" value={row.productId} />
        <input type="hidden" name="mode" value="listed" />
        <input type="hidden" name="listed" value={row.listed ? 'false' : 'true'} />
        <button
          type="submit"
          role="switch"
          aria-checked={row.listed}
          aria-label={t(row.listed ? 'unlist' : 'list', { title: row.title })}
          title={t(row.listed ? 'unlist' : 'list', { title: row.title })}
          disabled={pending || disabled}
          className={cn(
            'relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500 disabled:opacity-60',
            row.listed ? 'bg-emerald-500' : 'bg-zinc-300',
          )}
        >
          <span className={cn('inline-block size-5 rounded-full bg-white shadow transition-transform', row.listed ? 'translate-x-5.5' : 'translate-x-0.5')} />
        </button>
        <span className={cn('text-xs', row.listed ? 'text-emerald-700' : 'text-zinc-500')}>{pending ? '…' : t(row.listed ? 'listed' : 'unlisted')}</span>
      </form>
      {state.error ? (
        <p role="alert" className="mt-1 max-w-40 whitespace-normal text-xs text-red-600">
          {state.error}
        </p>
      ) : null}
    </div>
  );
}

/** The price editor under a row: a markup in percent or a price, within the level's range; or back to retail. */
function PriceEditor({ row, action, onDone }: { row: ProductRowView; action: Action; onDone: () => void }) {
  const t = useTranslations('console.agent.products');
  // A saved price closes the editor (the row shows the new price from the refreshed page).
  const [state, formAction, pending] = useActionState<FormState, FormData>(async (prev, form) => {
    const next = await action(prev, form);
    if (next.ok) onDone();
    return next;
  }, {});
  const [mode, setMode] = useState<'markup' | 'price'>('markup');
  const [values, setValues] = useState({ markup: row.markupInput, price: row.saleInput });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    if (submitter?.name === 'mode') data.set('mode', submitter.value);
    startTransition(() => formAction(data));
  };
  const field = mode === 'markup' ? 'markupBp' : 'price';
  const error = state.fields?.[field] ?? state.fields?.markupBp ?? state.fields?.price;
  const inputId = `price-${row.productId}`;
  return (
    <form onSubmit={submit} action={formAction} className="space-y-3 whitespace-normal" noValidate>
      <input type="hidden" name="productId" value={row.productId} />
      <input type="hidden" name="currency" value={row.currency} />
      <input type="hidden" name="mode" value={mode} />
      {state.error && !error ? <Alert tone="error">{state.error}</Alert> : null}
      <div className="flex flex-wrap items-end gap-3">
        <div className="inline-flex rounded-lg bg-zinc-100 p-0.5" role="radiogroup" aria-label={t('editBy')}>
          {(['markup', 'price'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={mode === m}
              onClick={() => setMode(m)}
              className={cn(
                'rounded-md px-3 py-1.5 text-xs font-medium focus-visible:outline-2 focus-visible:outline-brand-500',
                mode === m ? 'bg-white text-zinc-900 shadow-sm' : 'text-zinc-600 hover:text-zinc-900',
              )}
            >
              {t(m === 'markup' ? 'byMarkup' : 'byPrice')}
            </button>
          ))}
        </div>
        <div className="w-40">
          <label htmlFor={inputId} className="sr-only">
            {t(mode === 'markup' ? 'markupLabel' : 'priceLabel', { title: row.title })}
          </label>
          <div className="relative">
            <Input
              id={inputId}
              name="value"
              inputMode="decimal"
              autoComplete="off"
              value={values[mode]}
              onChange={(e) => setValues((v) => ({ ...v, [mode]: e.target.value }))}
              className={cn('tabular-nums', mode === 'markup' ? 'pr-8' : 'pl-7')}
              aria-invalid={error ? true : undefined}
              aria-describedby={`${inputId}-hint`}
              autoFocus
            />
            <span
              aria-hidden
              className={cn('pointer-events-none absolute inset-y-0 grid place-items-center text-sm text-zinc-500', mode === 'markup' ? 'right-3' : 'left-3')}
            >
              {mode === 'markup' ? '%' : row.symbol}
            </span>
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" size="sm" disabled={pending} aria-busy={pending}>
            {pending ? t('saving') : t('save')}
          </Button>
          {row.ownMarkup ? (
            <Button type="submit" name="mode" value="retail" variant="secondary" size="sm" disabled={pending}>
              {t('backToRetail')}
            </Button>
          ) : null}
          <Button type="button" variant="ghost" size="sm" onClick={onDone} disabled={pending}>
            {t('cancel')}
          </Button>
        </div>
      </div>
      <p id={`${inputId}-hint`} className={cn('text-xs', error ? 'text-red-600' : 'text-zinc-500')} role={error ? 'alert' : undefined}>
        {error ?? row.range}
      </p>
    </form>
  );
}

/** A product row of the agent's catalogue, with its in-shop switch and a price editor that opens under it. */
export function ProductRow({ row, action, disabled = false }: { row: ProductRowView; action: Action; disabled?: boolean }) {
  const t = useTranslations('console.agent.products');
  const [editing, setEditing] = useState(false);
  return (
    <>
      <Tr className={row.listed ? undefined : 'text-zinc-500'}>
        <Td className="max-w-[16rem] truncate font-medium" title={row.title}>
          {row.title}
        </Td>
        <Td className="text-right tabular-nums">{row.retail}</Td>
        <Td className="text-right tabular-nums">{row.cost}</Td>
        <Td className="text-right tabular-nums">
          <span className="font-semibold text-zinc-900">{row.sale}</span>
          <span className="block text-xs text-emerald-700">{t('profit', { amount: row.profit })}</span>
        </Td>
        <Td className="text-right tabular-nums">{row.markup ?? <span className="text-zinc-500">{t('atRetail')}</span>}</Td>
        <Td>
          <ListedSwitch row={row} action={action} disabled={disabled} />
        </Td>
        <Td className="text-right">
          {disabled ? null : (
            <Button type="button" variant={editing ? 'ghost' : 'secondary'} size="sm" onClick={() => setEditing((v) => !v)} aria-expanded={editing}>
              {t('edit')}
            </Button>
          )}
        </Td>
      </Tr>
      {editing && !disabled ? (
        <tr className="bg-zinc-50">
          <td colSpan={7} className="px-3 py-3">
            {/* Kept in view on a phone, where the table scrolls sideways. */}
            <div className="sticky left-3 max-w-[calc(100vw-4.5rem)] sm:static sm:max-w-none">
              <PriceEditor row={row} action={action} onDone={() => setEditing(false)} />
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}

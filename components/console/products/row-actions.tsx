'use client';

import { useActionState } from 'react';
import { moveProductAction, toggleProductAction } from '@/app/(console)/console/products/actions';
import type { FormState } from '@/app/(console)/action';
import { cn } from '@/lib/utils';

const initial: FormState = {};

function ErrorTip({ state }: { state: FormState }) {
  return state.error ? (
    <p role="alert" className="mt-1 max-w-40 whitespace-normal text-xs text-red-600">
      {state.error}
    </p>
  ) : null;
}

/** ↑ ↓ buttons that move a product one place in the shop's order. */
export function ProductRowActions({ id, first, last, labels }: { id: string; first: boolean; last: boolean; labels: { up: string; down: string } }) {
  const [state, action, pending] = useActionState(moveProductAction, initial);
  const arrow =
    'grid size-7 place-items-center rounded-md text-zinc-600 ring-1 ring-inset ring-zinc-200 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-brand-500 disabled:cursor-not-allowed disabled:opacity-30 disabled:hover:bg-transparent';
  return (
    <div>
      <form action={action} className={cn('flex gap-1', pending && 'opacity-50')} aria-busy={pending}>
        <input type="hidden" name="id" value={id} />
        <button type="submit" name="direction" value="up" className={arrow} disabled={first || pending} aria-label={labels.up} title={labels.up}>
          <span aria-hidden>↑</span>
        </button>
        <button type="submit" name="direction" value="down" className={arrow} disabled={last || pending} aria-label={labels.down} title={labels.down}>
          <span aria-hidden>↓</span>
        </button>
      </form>
      <ErrorTip state={state} />
    </div>
  );
}

/** The on/off switch of a product in the list. */
export function ProductToggle({ id, active, labels }: { id: string; active: boolean; labels: { on: string; off: string; turnOn: string; turnOff: string } }) {
  const [state, action, pending] = useActionState(toggleProductAction, initial);
  return (
    <div>
      <form action={action} className="flex items-center gap-2">
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="active" value={active ? 'false' : 'true'} />
        <button
          type="submit"
          role="switch"
          aria-checked={active}
          aria-label={active ? labels.turnOff : labels.turnOn}
          title={active ? labels.turnOff : labels.turnOn}
          disabled={pending}
          className={cn(
            'relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500 disabled:opacity-60',
            active ? 'bg-emerald-500' : 'bg-zinc-300',
          )}
        >
          <span className={cn('inline-block size-5 rounded-full bg-white shadow transition-transform', active ? 'translate-x-5.5' : 'translate-x-0.5')} />
        </button>
        <span className={cn('text-xs', active ? 'text-emerald-700' : 'text-zinc-500')}>{pending ? '…' : active ? labels.on : labels.off}</span>
      </form>
      <ErrorTip state={state} />
    </div>
  );
}

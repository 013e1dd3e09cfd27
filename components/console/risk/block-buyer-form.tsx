'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useId, useState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/field';

export type BlockOption = { kind: 'email' | 'email_domain' | 'ip' | 'cidr'; pattern: string };

/** One click from an order or a risk event to a block rule: what to block (address, /64, e-mail, domain) and for how long. */
export function BlockBuyerForm({ options, note, action }: { options: BlockOption[]; note: string; action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const t = useTranslations('console.risk.block');
  const td = useTranslations('console.risk.rules.durations');
  const [state, formAction, pending] = useActionState(action, {});
  const [choice, setChoice] = useState(0);
  const id = useId();
  const picked = options[choice];
  if (!picked) return null;
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="kind" value={picked.kind} />
      <input type="hidden" name="pattern" value={picked.pattern} />
      <input type="hidden" name="note" value={note} />
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={`${id}-what`} className="sr-only">
          {t('what')}
        </label>
        <Select id={`${id}-what`} value={choice} onChange={(e) => setChoice(Number(e.target.value))} className="w-auto min-w-0 max-w-72 py-1.5 text-xs">
          {options.map((o, i) => (
            <option key={`${o.kind}:${o.pattern}`} value={i}>
              {t(`options.${o.kind}`, { value: o.pattern })}
            </option>
          ))}
        </Select>
        <label htmlFor={`${id}-for`} className="sr-only">
          {t('for')}
        </label>
        <Select id={`${id}-for`} name="duration" defaultValue="24h" className="w-auto py-1.5 text-xs">
          <option value="1h">{td('1h')}</option>
          <option value="24h">{td('24h')}</option>
          <option value="7d">{td('7d')}</option>
          <option value="">{td('always')}</option>
        </Select>
        <Button type="submit" variant="danger" size="sm" disabled={pending} aria-busy={pending}>
          {pending ? t('blocking') : t('submit')}
        </Button>
      </div>
      {state.error ? (
        <p role="alert" className="text-xs text-red-600">
          {state.fields?.pattern ?? state.error}
        </p>
      ) : state.ok ? (
        <p role="status" className="text-xs text-emerald-700">
          {t('done')}
        </p>
      ) : null}
    </form>
  );
}

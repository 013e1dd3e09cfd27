'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { reviewApplicationAction } from '@/app/(console)/console/agents/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Select, Textarea } from '@/components/ui/field';
import { FormAlerts, useKeptForm } from './kept-form';

/**
 * An application's decision: approve at the requested level (or another chosen here), or
 * reject with a reason the applicant is told. Rejecting takes a second step.
 */
export function ReviewApplication({
  agentId,
  name,
  rank,
  levels,
  parentName,
}: {
  agentId: string;
  name: string;
  rank: number;
  levels: { value: string; label: string }[];
  /** The inviting agent, which becomes the parent unless the merchant approves without it. */
  parentName: string | null;
}) {
  const t = useTranslations('console.agents.applications');
  const tc = useTranslations('console.common');
  const { state, pending, err, aria, formProps } = useKeptForm(reviewApplicationAction);
  const [rejecting, setRejecting] = useState(false);
  const id = (s: string) => `ra-${agentId}-${s}`;

  if (state.ok) return <Alert tone="success">{state.message}</Alert>;
  return (
    <form {...formProps} className="space-y-3">
      <input type="hidden" name="agentId" value={agentId} />
      <FormAlerts state={state} shown={['rank', 'reason']} success={false} />
      {!rejecting && parentName ? (
        <label className="flex items-start gap-2 text-sm text-zinc-700">
          <input type="checkbox" name="detachParent" className="mt-0.5 size-4 rounded text-brand-600" />
          <span>{t('detachParent', { parent: parentName })}</span>
        </label>
      ) : null}
      {!rejecting ? (
        <div className="flex flex-wrap items-end gap-2">
          <div className="min-w-48 flex-1 sm:max-w-64">
            <Field label={t('approveAt')} htmlFor={id('rank')} error={err('rank')}>
              <Select id={id('rank')} name="rank" defaultValue={String(rank)} className="h-10" {...aria('rank', id('rank'))}>
                {levels.map((l) => (
                  <option key={l.value} value={l.value}>
                    {l.value === String(rank) ? t('requested', { level: l.label }) : l.label}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          <Button type="submit" name="decision" value="approve" disabled={pending} aria-busy={pending} aria-label={t('approveLabel', { name })}>
            {pending ? tc('actions.working') : t('approve')}
          </Button>
          <Button type="button" variant="secondary" onClick={() => setRejecting(true)} disabled={pending}>
            {t('reject')}
          </Button>
        </div>
      ) : (
        <div className="space-y-2 rounded-xl bg-red-50/60 p-3 ring-1 ring-inset ring-red-200">
          <Field label={t('reason')} htmlFor={id('reason')} error={err('reason')} hint={t('reasonHint')}>
            <Textarea id={id('reason')} name="reason" rows={2} maxLength={500} required autoFocus className="min-h-16" {...aria('reason', id('reason'))} />
          </Field>
          <div className="flex justify-end gap-2">
            <Button type="button" variant="ghost" size="sm" onClick={() => setRejecting(false)} disabled={pending}>
              {tc('actions.cancel')}
            </Button>
            <Button type="submit" name="decision" value="reject" variant="danger" size="sm" disabled={pending} aria-busy={pending}>
              {pending ? tc('actions.working') : t('rejectConfirm')}
            </Button>
          </div>
        </div>
      )}
    </form>
  );
}

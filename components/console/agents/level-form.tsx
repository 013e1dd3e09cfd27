'use client';

import { useTranslations } from 'next-intl';
import { useState, type ReactNode } from 'react';
import { saveLevelAction } from '@/app/(console)/console/agents/actions';
import { Button } from '@/components/ui/button';
import { Checkbox, Field, Input } from '@/components/ui/field';
import { cn } from '@/lib/utils';
import { FormAlerts, useKeptForm } from './kept-form';

export type LevelFormValues = {
  rank: number;
  name: string;
  /** Percentages and yuan as the fields show them. */
  discount: string;
  minMarkup: string;
  maxMarkup: string;
  allowBelowRetail: boolean;
  holdHours: string;
  withdrawMin: string;
  withdrawFee: string;
  parentShare: 'price_diff' | 'percent' | 'none';
  parentSharePercent: string;
};

function Group({ id, title, hint, children }: { id: string; title: string; hint?: string; children: ReactNode }) {
  return (
    <fieldset aria-labelledby={`${id}-title`} className="space-y-3 border-t border-zinc-100 pt-5">
      <div>
        <h3 id={`${id}-title`} className="text-sm font-semibold text-zinc-900">
          {title}
        </h3>
        {hint ? <p className="mt-0.5 text-xs text-zinc-500">{hint}</p> : null}
      </div>
      {children}
    </fieldset>
  );
}

/** A percentage input with its "%" sign. */
function PercentInput({ id, name, defaultValue, invalid }: { id: string; name: string; defaultValue: string; invalid?: boolean }) {
  return (
    <div className="relative">
      <Input
        id={id}
        name={name}
        defaultValue={defaultValue}
        inputMode="decimal"
        autoComplete="off"
        className="pr-8 tabular-nums"
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-error` : undefined}
      />
      <span className="pointer-events-none absolute inset-y-0 right-3 flex items-center text-sm text-zinc-500">%</span>
    </div>
  );
}

/** One level's terms: name, prices (discount off retail, markup bounds), money (hold, withdrawal minimum and fee), parent's share. */
export function LevelForm({ initial, exists }: { initial: LevelFormValues; exists: boolean }) {
  const t = useTranslations('console.agents.levelForm');
  const { state, pending, err, aria, formProps } = useKeptForm(saveLevelAction);
  const [share, setShare] = useState(initial.parentShare);
  const id = (s: string) => `lf-${initial.rank}-${s}`;
  const percentField = (name: string, label: string, value: string, hint?: string) => (
    <Field label={label} htmlFor={id(name)} error={err(name)} hint={hint}>
      <PercentInput id={id(name)} name={name} defaultValue={value} invalid={Boolean(err(name))} />
    </Field>
  );

  return (
    <form {...formProps} className="space-y-5">
      <input type="hidden" name="rank" value={initial.rank} />
      <FormAlerts
        state={state}
        shown={['name', 'discountBp', 'minMarkupBp', 'maxMarkupBp', 'holdHours', 'withdrawMin', 'withdrawFeeBp', 'parentShare', 'parentShareBp']}
      />
      <div className="max-w-sm">
        <Field label={t('name')} htmlFor={id('name')} error={err('name')} hint={t('nameHint')}>
          <Input id={id('name')} name="name" defaultValue={initial.name} maxLength={30} required autoComplete="off" {...aria('name', id('name'))} />
        </Field>
      </div>

      <Group id={id('pricing')} title={t('pricing')} hint={t('pricingHint')}>
        <div className="grid gap-4 sm:grid-cols-3">
          {percentField('discountBp', t('discount'), initial.discount, t('discountHint'))}
          {percentField('minMarkupBp', t('minMarkup'), initial.minMarkup, t('minMarkupHint'))}
          {percentField('maxMarkupBp', t('maxMarkup'), initial.maxMarkup, t('maxMarkupHint'))}
        </div>
        <Checkbox name="allowBelowRetail" label={t('allowBelowRetail')} defaultChecked={initial.allowBelowRetail} />
      </Group>

      <Group id={id('money')} title={t('money')}>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label={t('holdHours')} htmlFor={id('holdHours')} error={err('holdHours')} hint={t('holdHoursHint')}>
            <Input
              id={id('holdHours')}
              name="holdHours"
              defaultValue={initial.holdHours}
              inputMode="numeric"
              autoComplete="off"
              className="tabular-nums"
              {...aria('holdHours', id('holdHours'))}
            />
          </Field>
          <Field label={t('withdrawMin')} htmlFor={id('withdrawMin')} error={err('withdrawMin')} hint={t('withdrawMinHint')}>
            <div className="relative">
              <span className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-zinc-500">¥</span>
              <Input
                id={id('withdrawMin')}
                name="withdrawMin"
                defaultValue={initial.withdrawMin}
                inputMode="decimal"
                autoComplete="off"
                className="pl-7 tabular-nums"
                {...aria('withdrawMin', id('withdrawMin'))}
              />
            </div>
          </Field>
          {percentField('withdrawFeeBp', t('withdrawFee'), initial.withdrawFee, t('withdrawFeeHint'))}
        </div>
      </Group>

      <Group id={id('share')} title={t('parentShare')} hint={t('parentShareHint')}>
        <div className="grid gap-2 sm:grid-cols-3" role="radiogroup" aria-label={t('parentShare')}>
          {(['price_diff', 'percent', 'none'] as const).map((mode) => (
            <label
              key={mode}
              className={cn(
                'flex cursor-pointer flex-col gap-0.5 rounded-lg px-3 py-2 text-sm ring-1 ring-inset has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-500',
                share === mode ? 'bg-brand-50 ring-2 ring-brand-500' : 'bg-white ring-zinc-300 hover:bg-zinc-50',
              )}
            >
              <input type="radio" name="parentShare" value={mode} checked={share === mode} onChange={() => setShare(mode)} className="sr-only" />
              <span className="font-medium text-zinc-900">{t(`share.${mode}`)}</span>
              <span className="text-xs text-zinc-500">{t(`share.${mode}Hint`)}</span>
            </label>
          ))}
        </div>
        {share === 'percent' ? (
          <div className="max-w-xs">{percentField('parentShareBp', t('sharePercent'), initial.parentSharePercent, t('sharePercentHint'))}</div>
        ) : null}
        {err('parentShare') ? (
          <p className="text-sm text-red-600" role="alert">
            {err('parentShare')}
          </p>
        ) : null}
      </Group>

      <div className="flex justify-end">
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? t('saving') : exists ? t('save') : t('create')}
        </Button>
      </div>
    </form>
  );
}

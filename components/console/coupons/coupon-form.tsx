'use client';

import { useTranslations } from 'next-intl';
import { startTransition, useActionState, useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import type { FormState } from '@/app/(console)/action';
import type { CouponFormValues } from '@/app/(console)/console/coupons/form-data';
import { Alert } from '@/components/ui/alert';
import { FormSection } from '@/components/ui/form-section';
import { Button } from '@/components/ui/button';
import { Checkbox, Field, Input, Textarea } from '@/components/ui/field';
import { cn } from '@/lib/utils';

function Choice({ name, value, checked, onChange, children }: { name: string; value: string; checked: boolean; onChange: () => void; children: ReactNode }) {
  return (
    <label
      className={cn(
        'flex cursor-pointer items-center gap-2 rounded-lg px-3 py-2 text-sm ring-1 ring-inset has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-500',
        checked ? 'bg-brand-50 ring-2 ring-brand-500' : 'ring-zinc-300 hover:bg-zinc-50',
      )}
    >
      <input type="radio" name={name} value={value} checked={checked} onChange={onChange} className="sr-only" />
      {children}
    </label>
  );
}

/** The products or categories a code is limited to, as checkboxes, with the field's error. */
function Checklist(props: {
  name: string;
  legend: string;
  items: { id: string; label: string }[];
  empty: string;
  checked: string[];
  onToggle: (id: string, on: boolean) => void;
  error?: string;
}) {
  const errorId = `cf-${props.name}-error`;
  return (
    <fieldset className="space-y-2" aria-describedby={props.error ? errorId : undefined}>
      <legend className="sr-only">{props.legend}</legend>
      {props.items.length === 0 ? <p className="text-sm text-zinc-500">{props.empty}</p> : null}
      <div className="grid max-h-64 gap-1 overflow-y-auto sm:grid-cols-2">
        {props.items.map((item) => (
          <Checkbox
            key={item.id}
            name={props.name}
            value={item.id}
            label={item.label}
            checked={props.checked.includes(item.id)}
            onChange={(e) => props.onToggle(item.id, e.target.checked)}
          />
        ))}
      </div>
      {props.error ? (
        <p id={errorId} className="text-sm text-red-600" role="alert">
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * The one form for a coupon's terms: creating a code or a batch (`creating`), or editing one
 * code or every code of a batch (`target`). The server action judges; errors come back per field.
 */
export function CouponForm({
  initial,
  action,
  creating,
  target,
  products,
  categories,
}: {
  initial: CouponFormValues;
  action: (state: FormState, form: FormData) => Promise<FormState>;
  creating: boolean;
  target?: { couponId: string } | { batchId: string };
  products: { id: string; title: string }[];
  categories: { id: string; name: string }[];
}) {
  const t = useTranslations('console.coupons.form');
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, {});
  const [v, setV] = useState(initial);
  const set = <K extends keyof CouponFormValues>(key: K, value: CouponFormValues[K]) => setV((old) => ({ ...old, [key]: value }));
  const err = (name: string) => state.fields?.[name];
  const aria = (name: string, id: string) => (err(name) ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {});
  // Submitted in a transition so React does not reset the form after the action.
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => formAction(data));
  };
  // A text input bound to one form value, with its error wiring.
  type TextKey = { [K in keyof CouponFormValues]-?: CouponFormValues[K] extends string ? K : never }[keyof CouponFormValues];
  const text = (name: TextKey, id: string, { upper, ...props }: InputHTMLAttributes<HTMLInputElement> & { upper?: boolean } = {}) => (
    <Input
      id={id}
      name={name}
      value={v[name]}
      onChange={(e) => set(name, upper ? e.target.value.toUpperCase() : e.target.value)}
      {...aria(name, id)}
      {...props}
    />
  );
  const toggle = (key: 'productIds' | 'categoryIds', id: string, on: boolean) => set(key, on ? [...v[key], id] : v[key].filter((x) => x !== id));

  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-6">
      {target && 'couponId' in target ? <input type="hidden" name="couponId" value={target.couponId} /> : null}
      {target && 'batchId' in target ? <input type="hidden" name="batchId" value={target.batchId} /> : null}
      {initial.window ? (
        <>
          <input type="hidden" name="startsAtExact" value={initial.window.startsAt} />
          <input type="hidden" name="startsAtDay" value={initial.window.startsAtDay} />
          <input type="hidden" name="endsAtExact" value={initial.window.endsAt} />
          <input type="hidden" name="endsAtDay" value={initial.window.endsAtDay} />
        </>
      ) : null}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {state.ok && state.message ? <Alert tone="success">{state.message}</Alert> : null}

      {creating ? (
        <FormSection title={t('codes')} hint={t('codesHint')}>
          <div className="grid gap-2 sm:grid-cols-2" role="radiogroup" aria-label={t('modeLabel')}>
            <Choice name="mode" value="single" checked={v.mode === 'single'} onChange={() => set('mode', 'single')}>
              {t('modeSingle')}
            </Choice>
            <Choice name="mode" value="batch" checked={v.mode === 'batch'} onChange={() => set('mode', 'batch')}>
              {t('modeBatch')}
            </Choice>
          </div>
          {v.mode === 'single' ? (
            <Field label={t('code')} htmlFor="cf-code" error={err('code')} hint={t('codeHint')}>
              {text('code', 'cf-code', { maxLength: 32, autoCapitalize: 'characters', spellCheck: false, className: 'font-mono uppercase' })}
            </Field>
          ) : (
            <div className="grid gap-4 sm:grid-cols-3">
              <Field label={t('count')} htmlFor="cf-count" error={err('count')} hint={t('countHint')}>
                {text('count', 'cf-count', { inputMode: 'numeric', className: 'tabular-nums' })}
              </Field>
              <Field label={t('prefix')} htmlFor="cf-prefix" error={err('prefix')} hint={t('prefixHint')}>
                {text('prefix', 'cf-prefix', { maxLength: 16, className: 'font-mono uppercase', upper: true })}
              </Field>
              <Field label={t('batchName')} htmlFor="cf-name" error={err('name')}>
                {text('name', 'cf-name', { maxLength: 80 })}
              </Field>
            </div>
          )}
        </FormSection>
      ) : null}

      <FormSection title={t('discount')}>
        <div className="grid gap-2 sm:grid-cols-2" role="radiogroup" aria-label={t('type')}>
          <Choice name="type" value="fixed" checked={v.type === 'fixed'} onChange={() => set('type', 'fixed')}>
            {t('typeFixed')}
          </Choice>
          <Choice name="type" value="percent" checked={v.type === 'percent'} onChange={() => set('type', 'percent')}>
            {t('typePercent')}
          </Choice>
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label={v.type === 'fixed' ? t('valueFixed') : t('valuePercent')} htmlFor="cf-value" error={err('value')}>
            {text('value', 'cf-value', {
              inputMode: v.type === 'fixed' ? 'decimal' : 'numeric',
              placeholder: v.type === 'fixed' ? '5.00' : '10',
              className: 'tabular-nums',
            })}
          </Field>
          {v.type === 'percent' ? (
            <Field label={t('maxDiscount')} htmlFor="cf-max" error={err('maxDiscount')} hint={t('maxDiscountHint')}>
              {text('maxDiscount', 'cf-max', { inputMode: 'decimal', className: 'tabular-nums' })}
            </Field>
          ) : null}
          <Field label={t('currency')} htmlFor="cf-currency" error={err('currency')}>
            {text('currency', 'cf-currency', { maxLength: 5, className: 'uppercase', upper: true })}
          </Field>
        </div>
        <Field label={t('minAmount')} htmlFor="cf-min" error={err('minAmount')} hint={t('minAmountHint')}>
          {text('minAmount', 'cf-min', { inputMode: 'decimal', placeholder: '0.00', className: 'max-w-48 tabular-nums' })}
        </Field>
      </FormSection>

      <FormSection title={t('appliesTo')}>
        <div className="grid gap-2 sm:grid-cols-3" role="radiogroup" aria-label={t('appliesTo')}>
          {(['all', 'products', 'categories'] as const).map((s) => (
            <Choice key={s} name="scope" value={s} checked={v.scope === s} onChange={() => set('scope', s)}>
              {t(`scope.${s}`)}
            </Choice>
          ))}
        </div>
        {v.scope === 'products' ? (
          <Checklist
            name="productIds"
            legend={t('scope.products')}
            items={products.map((p) => ({ id: p.id, label: p.title }))}
            empty={t('noProducts')}
            checked={v.productIds}
            onToggle={(id, on) => toggle('productIds', id, on)}
            error={err('productIds')}
          />
        ) : null}
        {v.scope === 'categories' ? (
          <Checklist
            name="categoryIds"
            legend={t('scope.categories')}
            items={categories.map((c) => ({ id: c.id, label: c.name }))}
            empty={t('noCategories')}
            checked={v.categoryIds}
            onToggle={(id, on) => toggle('categoryIds', id, on)}
            error={err('categoryIds')}
          />
        ) : null}
      </FormSection>

      <FormSection title={t('limits')} hint={t('limitsHint')}>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={t('startsAt')} htmlFor="cf-starts" error={err('startsAt')}>
            {text('startsAt', 'cf-starts', { type: 'date' })}
          </Field>
          <Field label={t('endsAt')} htmlFor="cf-ends" error={err('endsAt')} hint={t('endsAtHint')}>
            {text('endsAt', 'cf-ends', { type: 'date' })}
          </Field>
          <Field label={t('totalLimit')} htmlFor="cf-total" error={err('totalLimit')} hint={t('totalLimitHint')}>
            {text('totalLimit', 'cf-total', { inputMode: 'numeric', className: 'tabular-nums' })}
          </Field>
          <Field label={t('perEmailLimit')} htmlFor="cf-per-email" error={err('perEmailLimit')} hint={t('perEmailLimitHint')}>
            {text('perEmailLimit', 'cf-per-email', { inputMode: 'numeric', className: 'tabular-nums' })}
          </Field>
        </div>
        <div className="flex flex-col gap-2">
          <Checkbox name="stackWholesale" label={t('stackWholesale')} checked={v.stackWholesale} onChange={(e) => set('stackWholesale', e.target.checked)} />
          <Checkbox name="agentShops" label={t('agentShops')} checked={v.agentShops} onChange={(e) => set('agentShops', e.target.checked)} />
          <Checkbox name="allowFree" label={t('allowFree')} checked={v.allowFree} onChange={(e) => set('allowFree', e.target.checked)} />
          <Checkbox name="enabled" label={t('enabled')} checked={v.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        </div>
        <Field label={t('note')} htmlFor="cf-note" error={err('note')} hint={t('noteHint')}>
          <Textarea
            id="cf-note"
            name="note"
            rows={2}
            maxLength={200}
            value={v.note}
            onChange={(e) => set('note', e.target.value)}
            {...aria('note', 'cf-note')}
          />
        </Field>
      </FormSection>

      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          {pending ? t('saving') : creating ? t('create') : target && 'batchId' in target ? t('saveBatch') : t('save')}
        </Button>
      </div>
    </form>
  );
}

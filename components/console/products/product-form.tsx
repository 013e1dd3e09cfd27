'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { startTransition, useActionState, useState, type FormEvent } from 'react';
import type { FormState } from '@/app/(console)/action';
import { saveProductAction } from '@/app/(console)/console/products/actions';
import { Alert } from '@/components/ui/alert';
import { FormSection } from '@/components/ui/form-section';
import { Button, buttonClass } from '@/components/ui/button';
import { Checkbox, Field, Input, Select, Textarea } from '@/components/ui/field';
import { MarkdownField } from './markdown-field';

export type ProductFormValues = {
  title: string;
  slug: string;
  categoryId: string;
  price: string;
  currency: string;
  deliveryType: 'auto' | 'manual' | 'generated' | 'webhook';
  deliveryUrl: string;
  active: boolean;
  sort: string;
  stockAlert: string;
  minQty: string;
  maxQty: string;
  maxPerEmailDay: string;
  tiers: { minQty: string; price: string }[];
  agentPrices: Record<string, string>;
  /** '' (everyone) or a rank 1–7 from which agent shops sell it (the merchant's own shop then does not). */
  agentMinRank: string;
  gen: { prefix: string; length: string; charset: string; groups: string; separator: string };
  description: string;
  instructions: string;
};

const LEVELS = ['1', '2', '3', '4', '5', '6', '7'];

/** What a key from the rule looks like (deterministic, so server and client render the same). */
function exampleKey(gen: ProductFormValues['gen']): string {
  const chars = [...gen.charset];
  const length = Math.min(Math.max(Number.parseInt(gen.length, 10) || 0, 0), 128);
  const groups = Math.max(Number.parseInt(gen.groups, 10) || 1, 1);
  if (chars.length === 0 || length === 0) return gen.prefix;
  let body = '';
  for (let i = 0; i < length; i++) body += chars[(i * 7 + 3) % chars.length];
  if (groups > 1) {
    const size = Math.ceil(length / groups);
    body = (body.match(new RegExp(`.{1,${size}}`, 'g')) ?? [body]).join(gen.separator);
  }
  return gen.prefix + body;
}

/** The one form for creating and editing a product; the server action judges, errors come back per field. */
export function ProductForm({
  productId,
  initial,
  categories,
  keysHref,
  shopHref,
}: {
  productId?: string;
  initial: ProductFormValues;
  categories: { id: string; name: string }[];
  keysHref?: string;
  shopHref?: string;
}) {
  const t = useTranslations('console.products');
  const [state, formAction, pending] = useActionState<FormState, FormData>(saveProductAction, {});
  const [v, setV] = useState(initial);
  const set = <K extends keyof ProductFormValues>(key: K, value: ProductFormValues[K]) => setV((old) => ({ ...old, [key]: value }));
  const err = (name: string) => state.fields?.[name];
  const aria = (name: string, id: string) => (err(name) ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {});

  // Submitting through a transition instead of `<form action>`: React would otherwise reset
  // the form after the action, and a merchant fixing one red field would lose the rest.
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => formAction(data));
  };

  const genErrors = (name: string) => err(`generatorRule.${name}`);

  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-6">
      {productId ? <input type="hidden" name="id" value={productId} /> : null}

      <FormSection title={t('form.basics')}>
        <Field label={t('form.titleLabel')} htmlFor="pf-title" error={err('title')}>
          <Input
            id="pf-title"
            name="title"
            required
            maxLength={120}
            value={v.title}
            onChange={(e) => set('title', e.target.value)}
            {...aria('title', 'pf-title')}
          />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={t('form.category')} htmlFor="pf-category" error={err('categoryId')}>
            <Select
              id="pf-category"
              name="categoryId"
              value={v.categoryId}
              onChange={(e) => set('categoryId', e.target.value)}
              {...aria('categoryId', 'pf-category')}
            >
              <option value="">{t('form.noCategory')}</option>
              {categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('form.slug')} htmlFor="pf-slug" error={err('slug')} hint={t('form.slugHint')}>
            <Input
              id="pf-slug"
              name="slug"
              maxLength={63}
              autoCapitalize="none"
              spellCheck={false}
              className="font-mono"
              value={v.slug}
              onChange={(e) => set('slug', e.target.value)}
              {...aria('slug', 'pf-slug')}
            />
          </Field>
        </div>
        <Checkbox name="active" label={t('form.active')} checked={v.active} onChange={(e) => set('active', e.target.checked)} />
      </FormSection>

      <FormSection title={t('form.pricing')}>
        <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
          <Field
            label={t('form.price')}
            htmlFor="pf-price"
            error={err('price')}
            hint={
              v.currency === 'CNY'
                ? t('form.priceHint')
                : t('form.priceHintMinor', { currency: v.currency, digits: v.currency === 'JPY' || v.currency === 'KRW' ? 0 : 2 })
            }
          >
            <Input
              id="pf-price"
              name="price"
              inputMode="decimal"
              autoComplete="off"
              placeholder="48.00"
              className="tabular-nums"
              value={v.price}
              onChange={(e) => set('price', e.target.value)}
              {...aria('price', 'pf-price')}
            />
          </Field>
          <Field label={t('form.currency')} htmlFor="pf-currency" error={err('currency')}>
            <Input
              id="pf-currency"
              name="currency"
              maxLength={4}
              autoCapitalize="characters"
              className="uppercase"
              value={v.currency}
              onChange={(e) => set('currency', e.target.value.toUpperCase())}
              {...aria('currency', 'pf-currency')}
            />
          </Field>
        </div>

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-zinc-700">{t('form.tiers')}</legend>
          <p className="text-xs text-zinc-500">{t('form.tiersHint')}</p>
          {v.tiers.length === 0 ? <p className="text-sm text-zinc-500">{t('form.noTiers')}</p> : null}
          <ul className="space-y-2">
            {v.tiers.map((tier, i) => {
              const qtyErr = err(`wholesaleTiers.${i}.minQty`);
              const priceErr = err(`wholesaleTiers.${i}.unitPrice`);
              return (
                <li key={i} className="flex flex-wrap items-end gap-2">
                  <div className="w-28 space-y-1">
                    <label htmlFor={`pf-tier-qty-${i}`} className="block text-xs text-zinc-500">
                      {t('form.tierMinQty')}
                    </label>
                    <Input
                      id={`pf-tier-qty-${i}`}
                      name="tierMinQty"
                      inputMode="numeric"
                      className="tabular-nums"
                      value={tier.minQty}
                      aria-invalid={!!qtyErr}
                      onChange={(e) =>
                        set(
                          'tiers',
                          v.tiers.map((x, j) => (j === i ? { ...x, minQty: e.target.value } : x)),
                        )
                      }
                    />
                  </div>
                  <div className="w-32 space-y-1">
                    <label htmlFor={`pf-tier-price-${i}`} className="block text-xs text-zinc-500">
                      {t('form.tierPrice')}
                    </label>
                    <Input
                      id={`pf-tier-price-${i}`}
                      name="tierPrice"
                      inputMode="decimal"
                      className="tabular-nums"
                      value={tier.price}
                      aria-invalid={!!priceErr}
                      onChange={(e) =>
                        set(
                          'tiers',
                          v.tiers.map((x, j) => (j === i ? { ...x, price: e.target.value } : x)),
                        )
                      }
                    />
                  </div>
                  <Button
                    type="button"
                    variant="ghost"
                    size="sm"
                    className="mb-1"
                    onClick={() =>
                      set(
                        'tiers',
                        v.tiers.filter((_, j) => j !== i),
                      )
                    }
                    aria-label={`${t('form.removeTier')} ${i + 1}`}
                  >
                    {t('form.removeTier')}
                  </Button>
                  {qtyErr || priceErr ? (
                    <p role="alert" className="w-full text-sm text-red-600">
                      {qtyErr ?? priceErr}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
          {err('wholesaleTiers') ? (
            <p role="alert" className="text-sm text-red-600">
              {err('wholesaleTiers')}
            </p>
          ) : null}
          {v.tiers.length < 10 ? (
            <Button type="button" variant="secondary" size="sm" onClick={() => set('tiers', [...v.tiers, { minQty: '', price: '' }])}>
              + {t('form.addTier')}
            </Button>
          ) : null}
        </fieldset>

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-zinc-700">{t('form.agentPrices')}</legend>
          <p className="text-xs text-zinc-500">{t('form.agentPricesHint')}</p>
          <Field label={t('form.agentMinRank')} htmlFor="pf-agent-min-rank" error={err('agentMinRank')} hint={t('form.agentMinRankHint')}>
            <Select id="pf-agent-min-rank" name="agentMinRank" value={v.agentMinRank} onChange={(ev) => set('agentMinRank', ev.target.value)}>
              <option value="">{t('form.agentMinRankEveryone')}</option>
              {LEVELS.map((level) => (
                <option key={level} value={String(level)}>
                  {t('form.agentMinRankOption', { level })}
                </option>
              ))}
            </Select>
          </Field>
          <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            {LEVELS.map((level) => {
              const e = err(`agentPrices.${level}`);
              return (
                <div key={level} className="space-y-1">
                  <label htmlFor={`pf-agent-${level}`} className="block text-xs text-zinc-500">
                    {t('form.agentLevel', { level })}
                  </label>
                  <Input
                    id={`pf-agent-${level}`}
                    name={`agentPrice${level}`}
                    inputMode="decimal"
                    placeholder={v.price || '—'}
                    className="tabular-nums"
                    value={v.agentPrices[level] ?? ''}
                    aria-invalid={!!e}
                    aria-describedby={e ? `pf-agent-${level}-error` : undefined}
                    onChange={(ev) => set('agentPrices', { ...v.agentPrices, [level]: ev.target.value })}
                  />
                  {e ? (
                    <p id={`pf-agent-${level}-error`} role="alert" className="text-xs text-red-600">
                      {e}
                    </p>
                  ) : null}
                </div>
              );
            })}
          </div>
        </fieldset>
      </FormSection>

      <FormSection title={t('form.delivery')}>
        <Field label={t('form.deliveryType')} htmlFor="pf-delivery" error={err('deliveryType')} hint={t(`deliveryHint.${v.deliveryType}`)}>
          <Select
            id="pf-delivery"
            name="deliveryType"
            value={v.deliveryType}
            onChange={(e) => set('deliveryType', e.target.value as ProductFormValues['deliveryType'])}
          >
            <option value="auto">{t('delivery.auto')}</option>
            <option value="manual">{t('delivery.manual')}</option>
            <option value="generated">{t('delivery.generated')}</option>
            <option value="webhook">{t('delivery.webhook')}</option>
          </Select>
        </Field>
        {v.deliveryType === 'webhook' ? (
          <Field label={t('form.deliveryUrl')} htmlFor="pf-delivery-url" error={err('deliveryUrl')} hint={t('form.deliveryUrlHint')}>
            <Input
              id="pf-delivery-url"
              name="deliveryUrl"
              type="url"
              required
              maxLength={2000}
              placeholder="https://example.com/openfaka/deliver"
              value={v.deliveryUrl}
              onChange={(e) => set('deliveryUrl', e.target.value)}
              {...aria('deliveryUrl', 'pf-delivery-url')}
            />
          </Field>
        ) : null}
        {v.deliveryType === 'generated' ? (
          <fieldset className="space-y-3 rounded-xl bg-zinc-50 p-4 ring-1 ring-inset ring-zinc-200">
            <legend className="sr-only">{t('form.generator')}</legend>
            <p className="text-sm font-medium text-zinc-700" aria-hidden>
              {t('form.generator')}
            </p>
            <div className="grid gap-3 sm:grid-cols-2">
              <Field label={t('form.genPrefix')} htmlFor="pf-gen-prefix" error={genErrors('prefix')}>
                <Input
                  id="pf-gen-prefix"
                  name="genPrefix"
                  maxLength={32}
                  className="font-mono"
                  value={v.gen.prefix}
                  onChange={(e) => set('gen', { ...v.gen, prefix: e.target.value })}
                  {...aria('generatorRule.prefix', 'pf-gen-prefix')}
                />
              </Field>
              <Field label={t('form.genSeparator')} htmlFor="pf-gen-separator" error={genErrors('separator')}>
                <Input
                  id="pf-gen-separator"
                  name="genSeparator"
                  maxLength={3}
                  className="font-mono"
                  value={v.gen.separator}
                  onChange={(e) => set('gen', { ...v.gen, separator: e.target.value })}
                  {...aria('generatorRule.separator', 'pf-gen-separator')}
                />
              </Field>
              <Field label={t('form.genLength')} htmlFor="pf-gen-length" error={genErrors('length')}>
                <Input
                  id="pf-gen-length"
                  name="genLength"
                  inputMode="numeric"
                  value={v.gen.length}
                  onChange={(e) => set('gen', { ...v.gen, length: e.target.value })}
                  {...aria('generatorRule.length', 'pf-gen-length')}
                />
              </Field>
              <Field label={t('form.genGroups')} htmlFor="pf-gen-groups" error={genErrors('groups')}>
                <Input
                  id="pf-gen-groups"
                  name="genGroups"
                  inputMode="numeric"
                  value={v.gen.groups}
                  onChange={(e) => set('gen', { ...v.gen, groups: e.target.value })}
                  {...aria('generatorRule.groups', 'pf-gen-groups')}
                />
              </Field>
            </div>
            <Field label={t('form.genCharset')} htmlFor="pf-gen-charset" error={genErrors('charset')}>
              <Input
                id="pf-gen-charset"
                name="genCharset"
                maxLength={128}
                spellCheck={false}
                className="font-mono"
                value={v.gen.charset}
                onChange={(e) => set('gen', { ...v.gen, charset: e.target.value })}
                {...aria('generatorRule.charset', 'pf-gen-charset')}
              />
            </Field>
            <p className="text-sm text-zinc-600">
              {t('form.genExample', { example: '' })}
              <code className="rounded bg-white px-1.5 py-0.5 font-mono text-zinc-900 ring-1 ring-inset ring-zinc-200">{exampleKey(v.gen)}</code>
            </p>
          </fieldset>
        ) : null}
      </FormSection>

      <FormSection title={t('form.limits')}>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label={t('form.minQty')} htmlFor="pf-min" error={err('minQty')}>
            <Input
              id="pf-min"
              name="minQty"
              inputMode="numeric"
              value={v.minQty}
              onChange={(e) => set('minQty', e.target.value)}
              {...aria('minQty', 'pf-min')}
            />
          </Field>
          <Field label={t('form.maxQty')} htmlFor="pf-max" error={err('maxQty')}>
            <Input
              id="pf-max"
              name="maxQty"
              inputMode="numeric"
              value={v.maxQty}
              onChange={(e) => set('maxQty', e.target.value)}
              {...aria('maxQty', 'pf-max')}
            />
          </Field>
          <Field label={t('form.maxPerEmailDay')} htmlFor="pf-per-email" error={err('maxPerEmailDay')} hint={t('form.maxPerEmailDayHint')}>
            <Input
              id="pf-per-email"
              name="maxPerEmailDay"
              inputMode="numeric"
              value={v.maxPerEmailDay}
              onChange={(e) => set('maxPerEmailDay', e.target.value)}
              {...aria('maxPerEmailDay', 'pf-per-email')}
            />
          </Field>
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={t('form.stockAlert')} htmlFor="pf-alert" error={err('stockAlert')} hint={t('form.stockAlertHint')}>
            <Input
              id="pf-alert"
              name="stockAlert"
              inputMode="numeric"
              value={v.stockAlert}
              onChange={(e) => set('stockAlert', e.target.value)}
              {...aria('stockAlert', 'pf-alert')}
            />
          </Field>
          <Field label={t('form.sort')} htmlFor="pf-sort" error={err('sort')} hint={t('form.sortHint')}>
            <Input id="pf-sort" name="sort" inputMode="numeric" value={v.sort} onChange={(e) => set('sort', e.target.value)} {...aria('sort', 'pf-sort')} />
          </Field>
        </div>
      </FormSection>

      <FormSection title={t('form.content')}>
        <MarkdownField
          id="pf-description"
          name="description"
          label={t('form.descriptionLabel')}
          hint={t('form.descriptionHint')}
          error={err('description')}
          value={v.description}
          onChange={(value) => set('description', value)}
          labels={{ write: t('form.write'), preview: t('form.preview'), empty: t('form.previewEmpty') }}
        />
        <Field label={t('form.instructions')} htmlFor="pf-instructions" error={err('instructions')} hint={t('form.instructionsHint')}>
          <Textarea
            id="pf-instructions"
            name="instructions"
            rows={4}
            maxLength={5000}
            value={v.instructions}
            onChange={(e) => set('instructions', e.target.value)}
            {...aria('instructions', 'pf-instructions')}
          />
        </Field>
      </FormSection>

      <div className="sticky bottom-0 z-10 -mx-4 space-y-3 border-t border-zinc-200 bg-white/95 px-4 py-3 backdrop-blur sm:mx-0 sm:rounded-2xl sm:border sm:px-5">
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
        {state.ok && state.message ? (
          <Alert tone="success">
            {state.message}
            {keysHref && v.deliveryType === 'auto' ? (
              <>
                {' '}
                <Link href={keysHref} className="font-medium underline">
                  {t('form.importKeys')}
                </Link>
              </>
            ) : null}
          </Alert>
        ) : null}
        <div className="flex flex-wrap items-center justify-end gap-2">
          {shopHref ? (
            <Link href={shopHref} target="_blank" className={buttonClass('ghost', 'mr-auto')}>
              {t('form.viewInShop')} ↗
            </Link>
          ) : null}
          <Link href="/console/products" className={buttonClass('secondary')}>
            {t('form.cancel')}
          </Link>
          <Button type="submit" disabled={pending} aria-busy={pending}>
            {pending ? t('form.saving') : productId ? t('form.save') : t('form.create')}
          </Button>
        </div>
      </div>
    </form>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useId, useState } from 'react';
import { createOrderAction, type BuyState } from '@/app/(shop)/actions';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';

export type BuyFormProduct = { id: string; price: number; currency: string; minQty: number; maxQty: number; tiers: { minQty: number; unitPrice: number }[]; stock: number };

function unitPrice(p: BuyFormProduct, qty: number) {
  return p.tiers.reduce((best, tier) => (qty >= tier.minQty && tier.unitPrice < best ? tier.unitPrice : best), p.price);
}

export function BuyForm({ product, channels, locale }: { product: BuyFormProduct; channels: { id: string; name: string }[]; locale: string }) {
  const t = useTranslations('home');
  const [state, action, pending] = useActionState<BuyState, FormData>(createOrderAction, {});
  const [requestId] = useState(() => crypto.randomUUID());
  const [qty, setQty] = useState(Number(state.values?.quantity ?? product.minQty) || product.minQty);
  const id = useId();
  const max = Math.min(product.maxQty, product.stock);
  const money = (n: number) => new Intl.NumberFormat(locale, { style: 'currency', currency: product.currency }).format(n / 100);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="productId" value={product.id} />
      <input type="hidden" name="requestId" value={requestId} />
      {state.error ? (
        <p className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200" role="alert">
          {state.error}
        </p>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={t('quantity')} htmlFor={`${id}-qty`} error={state.fields?.quantity}>
          <Input id={`${id}-qty`} name="quantity" type="number" inputMode="numeric" min={product.minQty} max={max} value={qty} onChange={(e) => setQty(Number(e.target.value) || product.minQty)} aria-invalid={!!state.fields?.quantity} />
        </Field>
        <Field label={t('channel')} htmlFor={`${id}-ch`} error={state.fields?.channel}>
          <Select id={`${id}-ch`} name="channel" defaultValue={state.values?.channel || channels[0]?.id}>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Field label={t('email')} htmlFor={`${id}-email`} error={state.fields?.email}>
        <Input id={`${id}-email`} name="email" type="email" autoComplete="email" required placeholder="you@example.com" defaultValue={state.values?.email} aria-invalid={!!state.fields?.email} aria-describedby={state.fields?.email ? `${id}-email-error` : undefined} />
      </Field>
      <Field label={t('queryPassword')} htmlFor={`${id}-pw`} error={state.fields?.queryPassword}>
        <Input id={`${id}-pw`} name="queryPassword" type="password" autoComplete="off" aria-invalid={!!state.fields?.queryPassword} />
      </Field>
      <div className="flex items-center justify-between gap-4 border-t border-zinc-100 pt-4">
        <p className="text-sm text-zinc-600">
          {t('total')} <span className="text-xl font-semibold text-zinc-900">{money(unitPrice(product, qty) * qty)}</span>
        </p>
        <Button type="submit" disabled={pending || channels.length === 0}>
          {pending ? t('placing') : t('submit')}
        </Button>
      </div>
    </form>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { startTransition, useActionState, useEffect, useId, useRef, useState, useTransition } from 'react';
import { createOrderAction, quoteCouponAction, type BuyState, type CouponQuoteState } from '@/app/(shop)/actions';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { cn } from '@/lib/utils';
import { solveChallengeInBrowser } from './solve-challenge';

export type BuyFormProduct = {
  id: string;
  price: number;
  currency: string;
  minQty: number;
  maxQty: number;
  tiers: { minQty: number; unitPrice: number }[];
  stock: number;
};
export type BuyFormChannel = { id: string; kind: string; name: string };

function unitPrice(p: BuyFormProduct, qty: number) {
  return p.tiers.reduce((best, tier) => (qty >= tier.minQty && tier.unitPrice < best ? tier.unitPrice : best), p.price);
}

const channelMark: Record<string, { label: string; className: string }> = {
  demo: { label: 'D', className: 'bg-zinc-800 text-white' },
  epay: { label: '易', className: 'bg-sky-600 text-white' },
  alipay: { label: '支', className: 'bg-sky-500 text-white' },
  wechat: { label: '微', className: 'bg-emerald-600 text-white' },
  usdt: { label: '₮', className: 'bg-teal-600 text-white' },
  stripe: { label: 'S', className: 'bg-indigo-600 text-white' },
};

export function BuyForm({ product, channels, locale, agent }: { product: BuyFormProduct; channels: BuyFormChannel[]; locale: string; agent?: string }) {
  const t = useTranslations('home');
  const [state, action, pending] = useActionState<BuyState, FormData>(createOrderAction, {});
  const [requestId] = useState(() => crypto.randomUUID());
  const max = Math.max(product.minQty, Math.min(product.maxQty, product.stock));
  const clamp = (n: number) => Math.min(max, Math.max(product.minQty, Number.isFinite(n) ? Math.trunc(n) : product.minQty));
  const [qty, setQty] = useState(() => clamp(Number(state.values?.quantity ?? product.minQty)));
  const [channel, setChannel] = useState(state.values?.channel || channels[0]?.id || '');
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  // The order as last sent, so that a challenge (428) is answered by sending the same order
  // again with its solution, with nothing for the buyer to do but wait a moment.
  const lastSent = useRef<FormData | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [challengeFailed, setChallengeFailed] = useState(false);
  const solvedInARow = useRef(0);
  useEffect(() => {
    const challenge = state.challenge;
    const sent = lastSent.current;
    if (!challenge || !sent) {
      solvedInARow.current = 0;
      return;
    }
    // A solution refused twice (expired while the buyer waited, say) is not tried a third time.
    if (++solvedInARow.current > 2) return setChallengeFailed(true);
    const controller = new AbortController();
    setVerifying(true);
    setChallengeFailed(false);
    solveChallengeInBrowser(challenge, controller)
      .then((solution) => {
        if (controller.signal.aborted) return;
        setVerifying(false);
        if (!solution) return setChallengeFailed(true);
        const again = new FormData();
        sent.forEach((value, key) => again.append(key, value));
        again.set('challenge', solution);
        startTransition(() => action(again));
      })
      .catch(() => {
        setVerifying(false);
        setChallengeFailed(true);
      });
    return () => controller.abort();
  }, [state, action]);
  // The coupon as the server judged it for this quantity ("apply"): the new total, or why not.
  const [couponCode, setCouponCode] = useState(state.values?.couponCode ?? '');
  const [quote, setQuote] = useState<(CouponQuoteState & { quantity: number }) | null>(null);
  const [checking, startChecking] = useTransition();
  // Only the latest check's answer counts: an earlier one arriving late must not overwrite it.
  const latestCheck = useRef(0);
  const applyCoupon = (quantity = qty) => {
    const code = couponCode.trim();
    if (!code) return;
    const email = String(new FormData(formRef.current ?? undefined).get('email') ?? '').trim();
    const check = ++latestCheck.current;
    startChecking(async () => {
      const result = await quoteCouponAction({ productId: product.id, quantity, couponCode: code, ...(email ? { email } : {}), ...(agent ? { agent } : {}) });
      if (check === latestCheck.current) setQuote({ ...result, quantity });
    });
  };
  // A different quantity changes the subtotal (and maybe the tier): an applied code is judged
  // again, once the buyer stops clicking.
  const applied = quote?.ok ? quote : null;
  useEffect(() => {
    if (!applied || applied.quantity === qty) return;
    const timer = setTimeout(() => applyCoupon(qty), 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [qty]);
  const couponError = quote && !quote.ok ? quote.error : state.fields?.couponCode;
  const money = (n: number) => new Intl.NumberFormat(locale, { style: 'currency', currency: product.currency }).format(n / 100);
  const stepper =
    'grid size-10 place-items-center rounded-lg text-lg ring-1 ring-inset ring-zinc-300 hover:bg-zinc-50 disabled:opacity-40 focus-visible:outline-2 focus-visible:outline-brand-500';
  return (
    <form
      ref={formRef}
      action={action}
      onSubmit={(e) => {
        lastSent.current = new FormData(e.currentTarget);
      }}
      className="space-y-4"
      noValidate
    >
      <input type="hidden" name="productId" value={product.id} />
      <input type="hidden" name="requestId" value={requestId} />
      {agent ? <input type="hidden" name="agent" value={agent} /> : null}
      {state.error || challengeFailed ? (
        <p className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200" role="alert">
          {challengeFailed ? t('challengeFailed') : state.error}
        </p>
      ) : null}
      {verifying ? (
        <p
          className="flex items-center gap-2 rounded-lg bg-brand-50 px-3 py-2 text-sm text-brand-800 ring-1 ring-brand-200"
          role="status"
          data-testid="verifying"
        >
          <span aria-hidden className="size-3.5 animate-spin rounded-full border-2 border-brand-100 border-t-brand-600" />
          {t('verifying')}
        </p>
      ) : null}
      <Field label={t('quantity')} htmlFor={`${id}-qty`} error={state.fields?.quantity}>
        <div className="flex items-center gap-2">
          <button type="button" className={stepper} onClick={() => setQty(clamp(qty - 1))} disabled={qty <= product.minQty} aria-label={t('decrease')}>
            −
          </button>
          <Input
            id={`${id}-qty`}
            name="quantity"
            type="number"
            inputMode="numeric"
            min={product.minQty}
            max={max}
            value={qty}
            onChange={(e) => setQty(clamp(Number(e.target.value)))}
            className="w-20 text-center"
            aria-invalid={!!state.fields?.quantity}
          />
          <button type="button" className={stepper} onClick={() => setQty(clamp(qty + 1))} disabled={qty >= max} aria-label={t('increase')}>
            +
          </button>
          <span className="text-xs text-zinc-500">{t('limits', { min: product.minQty, max: product.maxQty })}</span>
        </div>
      </Field>
      <Field label={t('email')} htmlFor={`${id}-email`} error={state.fields?.email}>
        <Input
          id={`${id}-email`}
          name="email"
          type="email"
          autoComplete="email"
          required
          placeholder="you@example.com"
          defaultValue={state.values?.email}
          aria-invalid={!!state.fields?.email}
          aria-describedby={state.fields?.email ? `${id}-email-error` : undefined}
        />
      </Field>
      <div className="space-y-4">
        <Field label={t('queryPassword')} htmlFor={`${id}-pw`} error={state.fields?.queryPassword}>
          <Input id={`${id}-pw`} name="queryPassword" type="password" autoComplete="off" aria-invalid={!!state.fields?.queryPassword} />
        </Field>
        <Field label={t('coupon')} htmlFor={`${id}-coupon`} error={couponError}>
          <div className="flex gap-2">
            <Input
              id={`${id}-coupon`}
              name="couponCode"
              autoComplete="off"
              value={couponCode}
              onChange={(e) => {
                setCouponCode(e.target.value);
                setQuote(null);
              }}
              onKeyDown={(e) => {
                // Enter in the code field applies the code instead of placing the order.
                if (e.key === 'Enter') {
                  e.preventDefault();
                  applyCoupon();
                }
              }}
              aria-invalid={!!couponError}
              aria-describedby={couponError ? `${id}-coupon-error` : applied ? `${id}-coupon-applied` : undefined}
            />
            <Button type="button" variant="secondary" className="shrink-0" onClick={() => applyCoupon()} disabled={checking || couponCode.trim() === ''}>
              {checking ? t('applyingCoupon') : t('applyCoupon')}
            </Button>
          </div>
          {applied && !couponError ? (
            <p id={`${id}-coupon-applied`} className="flex items-center justify-between gap-2 text-sm text-emerald-700" role="status">
              <span>{t('couponApplied', { code: applied.code, discount: money(applied.discount) })}</span>
              <button
                type="button"
                className="text-xs text-zinc-500 underline underline-offset-2 hover:text-zinc-800"
                onClick={() => {
                  setCouponCode('');
                  setQuote(null);
                }}
              >
                {t('couponRemove')}
              </button>
            </p>
          ) : null}
        </Field>
      </div>
      <fieldset className="space-y-1.5">
        <legend className="text-sm font-medium text-zinc-700">{t('channel')}</legend>
        {channels.length === 0 ? <p className="text-sm text-zinc-500">{t('noChannels')}</p> : null}
        <div className="grid gap-2 sm:grid-cols-2">
          {channels.map((c) => {
            const mark = channelMark[c.kind] ?? { label: c.kind.slice(0, 1).toUpperCase(), className: 'bg-zinc-500 text-white' };
            return (
              <label
                key={c.id}
                className={cn(
                  'flex cursor-pointer items-center gap-3 rounded-lg px-3 py-2.5 text-sm ring-1 ring-inset has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-500',
                  channel === c.id ? 'bg-brand-50 ring-2 ring-brand-500' : 'ring-zinc-300 hover:bg-zinc-50',
                )}
              >
                <input type="radio" name="channel" value={c.id} checked={channel === c.id} onChange={() => setChannel(c.id)} className="sr-only" />
                <span aria-hidden className={cn('grid size-7 shrink-0 place-items-center rounded-md text-xs font-bold', mark.className)}>
                  {mark.label}
                </span>
                <span className="min-w-0 truncate">{c.name}</span>
              </label>
            );
          })}
        </div>
      </fieldset>
      <div className="flex items-center justify-between gap-4 border-t border-zinc-100 pt-4">
        <div className="text-sm text-zinc-600">
          {applied && applied.quantity === qty ? (
            <p className="text-xs text-zinc-500">
              {t('subtotal')} <span className="tabular-nums line-through">{money(applied.subtotal)}</span> · {t('discount')}{' '}
              <span className="tabular-nums text-emerald-700">−{money(applied.discount)}</span>
            </p>
          ) : null}
          <p>
            {t('total')}{' '}
            <span className="text-xl font-semibold text-zinc-900 tabular-nums" data-testid="order-total">
              {money(applied && applied.quantity === qty ? applied.amount : unitPrice(product, qty) * qty)}
            </span>
          </p>
        </div>
        <Button type="submit" disabled={pending || verifying || channels.length === 0}>
          {pending || verifying ? t('placing') : t('submit')}
        </Button>
      </div>
    </form>
  );
}

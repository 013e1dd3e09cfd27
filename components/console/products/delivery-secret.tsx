'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

type Props = { productId: string; action: (prev: FormState, form: FormData) => Promise<FormState> };

/** The webhook-delivery signing secret: hidden until asked for (audited), renewable after a confirm. */
export function DeliverySecret({ productId, action }: Props) {
  const t = useTranslations('console.products.secret');
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, {});
  const [confirming, setConfirming] = useState(false);
  const [copied, setCopied] = useState(false);
  const secret = state.ok && typeof state.data?.secret === 'string' ? state.data.secret : null;
  return (
    <section className="space-y-3 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-zinc-200" aria-labelledby="delivery-secret-title">
      <div>
        <h2 id="delivery-secret-title" className="text-base font-semibold text-zinc-900">
          {t('title')}
        </h2>
        <p className="mt-1 text-sm text-zinc-500">{t('hint')}</p>
      </div>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <code
          className="min-w-0 flex-1 select-all break-all rounded-lg bg-zinc-50 px-3 py-2 font-mono text-[13px] text-zinc-900 ring-1 ring-zinc-200"
          data-testid="delivery-secret"
        >
          {secret ?? t('hidden')}
        </code>
        {secret ? (
          <Button
            type="button"
            size="sm"
            variant="secondary"
            onClick={() =>
              navigator.clipboard.writeText(secret).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? t('copied') : t('copy')}
          </Button>
        ) : null}
      </div>
      <form action={formAction} className="flex flex-wrap items-center gap-2">
        <input type="hidden" name="id" value={productId} />
        {confirming ? (
          <>
            <input type="hidden" name="rotate" value="true" />
            <span className="text-sm text-zinc-600">{t('rotateConfirm')}</span>
            <Button type="button" variant="ghost" size="sm" onClick={() => setConfirming(false)} disabled={pending}>
              {t('cancel')}
            </Button>
            <Button type="submit" variant="danger" size="sm" disabled={pending} aria-busy={pending} onClick={() => setTimeout(() => setConfirming(false), 0)}>
              {pending ? t('working') : t('rotate')}
            </Button>
          </>
        ) : (
          <>
            <Button type="submit" variant="secondary" size="sm" disabled={pending} aria-busy={pending}>
              {pending ? t('working') : t('reveal')}
            </Button>
            <Button type="button" variant="ghost" size="sm" onClick={() => setConfirming(true)}>
              {t('rotate')}
            </Button>
          </>
        )}
      </form>
    </section>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { startTransition, useActionState, type FormEvent } from 'react';
import type { RiskTestState } from '@/app/(console)/console/risk/actions';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { reasonText, RISK_ACTION_TONES } from './reason-text';

/** "Test an address or e-mail": the decision an order from this buyer would meet now, and why. Changes nothing. */
export function RiskTestBox({ action }: { action: (s: RiskTestState, f: FormData) => Promise<RiskTestState> }) {
  const t = useTranslations('console.risk');
  const [state, formAction, pending] = useActionState(action, {});
  const fields = state.fields ?? {};
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => formAction(data));
  };
  const result = state.result;
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-3" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      <div className="grid items-start gap-4 sm:grid-cols-[1fr_1fr_auto]">
        <Field label={t('test.address')} htmlFor="test-address" error={fields.address}>
          <Input id="test-address" name="address" placeholder="203.0.113.7" spellCheck={false} autoCapitalize="none" className="font-mono" />
        </Field>
        <Field label={t('test.email')} htmlFor="test-email" error={fields.email}>
          <Input id="test-email" name="email" type="email" placeholder="someone@example.com" spellCheck={false} autoCapitalize="none" />
        </Field>
        <Button type="submit" variant="secondary" className="sm:mt-6" disabled={pending} aria-busy={pending}>
          {pending ? t('test.testing') : t('test.submit')}
        </Button>
      </div>
      {result ? (
        <div className="rounded-lg bg-zinc-50 p-4 ring-1 ring-zinc-200" role="status" data-testid="risk-test-result">
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <Badge tone={RISK_ACTION_TONES[result.action]}>{t(`actions.${result.action}`)}</Badge>
            <span className="tabular-nums text-zinc-600">{t('test.score', { score: result.score })}</span>
          </p>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-zinc-700">
            {result.reasons.length === 0 ? <li>{t('test.noSignal')}</li> : null}
            {result.reasons.map((r, i) => (
              <li key={i}>{reasonText(t as never, r)}</li>
            ))}
            {result.heldByAddress !== null ? <li>{t('test.heldByAddress', { held: result.heldByAddress, limit: result.limits.address })}</li> : null}
            {result.heldByEmail !== null ? <li>{t('test.heldByEmail', { held: result.heldByEmail, limit: result.limits.email })}</li> : null}
          </ul>
          <p className="mt-2 text-xs text-zinc-500">{t('test.velocityNote', { limit: result.limits.velocity })}</p>
        </div>
      ) : null}
    </form>
  );
}

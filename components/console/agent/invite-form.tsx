'use client';

import { useTranslations } from 'next-intl';
import { startTransition, useActionState, type FormEvent } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Checkbox, Field, Input, Select } from '@/components/ui/field';
import { OnceSecret, onceSecretLabels, useShownOnce } from '../once-secret';

const VALID_DAYS = ['1', '3', '7', '30', '0'] as const;

/** An invite link for sub-agents: level (at most the agent's own), uses, validity, auto-approval; the link is shown once. */
export function InviteForm({
  action,
  levels,
  disabled,
}: {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  levels: { rank: number; label: string }[];
  disabled: boolean;
}) {
  const t = useTranslations('console.agent.team.invites');
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, {});
  const [shown, dismiss] = useShownOnce(state, (data) => (typeof data.url === 'string' ? data.url : null));
  const fields = state.fields ?? {};
  const invalid = (name: string) => (fields[name] ? { 'aria-invalid': true as const, 'aria-describedby': `inv-${name}-error` } : {});
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => formAction(data));
  }
  return (
    <div className="space-y-4">
      {shown ? <OnceSecret value={shown} testId="new-invite-link" onDismiss={dismiss} labels={onceSecretLabels(t)} /> : null}
      <form action={formAction} onSubmit={onSubmit} className="space-y-4" noValidate>
        {state.error ? <Alert tone="error">{state.error}</Alert> : null}
        <fieldset disabled={disabled || pending} className="space-y-4 disabled:opacity-60">
          <div className="grid gap-4 sm:grid-cols-3">
            <Field label={t('rank')} htmlFor="inv-rank" error={fields.rank} hint={t('rankHint')}>
              <Select id="inv-rank" name="rank" defaultValue={String(levels[0]?.rank ?? 1)} {...invalid('rank')}>
                {levels.map((l) => (
                  <option key={l.rank} value={l.rank}>
                    {l.label}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label={t('maxUses')} htmlFor="inv-maxUses" error={fields.maxUses} hint={t('maxUsesHint')}>
              <Input
                id="inv-maxUses"
                name="maxUses"
                inputMode="numeric"
                autoComplete="off"
                placeholder={t('unlimited')}
                className="tabular-nums"
                {...invalid('maxUses')}
              />
            </Field>
            <Field label={t('validFor')} htmlFor="inv-validDays" error={fields.expiresAt}>
              <Select id="inv-validDays" name="validDays" defaultValue="7" {...invalid('expiresAt')}>
                {VALID_DAYS.map((d) => (
                  <option key={d} value={d}>
                    {d === '0' ? t('noExpiry') : t('days', { n: Number(d) })}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          <div>
            <Checkbox name="autoApprove" label={t('autoApprove')} />
            <p className="mt-1 pl-6 text-xs text-zinc-500">{t('autoApproveHint')}</p>
          </div>
          <div className="flex justify-end">
            <Button type="submit" disabled={pending || disabled} aria-busy={pending}>
              {pending ? t('creating') : t('create')}
            </Button>
          </div>
        </fieldset>
      </form>
    </div>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { startTransition, useActionState, useState, type FormEvent } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';
import { RISK_RULE_ACTIONS, RISK_RULE_KINDS } from '@/lib/risk/client';

/** Adds a rule: what to match, for how long, and a note to remember why. */
export function RiskRuleForm({ action }: { action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const t = useTranslations('console.risk.rules');
  const [state, formAction, pending] = useActionState(action, {});
  const [kind, setKind] = useState<(typeof RISK_RULE_KINDS)[number]>('email');
  const fields = state.fields ?? {};
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => formAction(data));
  };
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-3" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {state.ok && state.message ? <Alert tone="success">{state.message}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-[10rem_1fr_9rem_9rem]">
        <Field label={t('kind')} htmlFor="rule-kind">
          <Select id="rule-kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value as (typeof RISK_RULE_KINDS)[number])}>
            {RISK_RULE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('pattern')} htmlFor="rule-pattern" error={fields.pattern} hint={t(`hints.${kind}`)}>
          <Input
            id="rule-pattern"
            name="pattern"
            maxLength={256}
            spellCheck={false}
            autoCapitalize="none"
            className="font-mono"
            aria-invalid={!!fields.pattern}
            aria-describedby={fields.pattern ? 'rule-pattern-error' : undefined}
          />
        </Field>
        <Field label={t('action')} htmlFor="rule-action">
          <Select id="rule-action" name="action" defaultValue="block">
            {RISK_RULE_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {t(`ruleActions.${a}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('duration')} htmlFor="rule-duration">
          <Select id="rule-duration" name="duration" defaultValue="">
            <option value="">{t('durations.always')}</option>
            <option value="1h">{t('durations.1h')}</option>
            <option value="24h">{t('durations.24h')}</option>
            <option value="7d">{t('durations.7d')}</option>
          </Select>
        </Field>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <Field label={t('note')} htmlFor="rule-note" error={fields.note}>
            <Input id="rule-note" name="note" maxLength={200} />
          </Field>
        </div>
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? t('adding') : t('add')}
        </Button>
      </div>
    </form>
  );
}

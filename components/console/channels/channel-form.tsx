'use client';

import { useTranslations } from 'next-intl';
import { startTransition, useActionState, useEffect, useRef, useState, type FormEvent } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Checkbox, Field, Input, Select } from '@/components/ui/field';

/** What the form may know of a saved channel: settings and masked hints, never a credential. */
export type ChannelFormValues = {
  kind: string;
  name: string;
  enabled: boolean;
  priority: number;
  /** Yuan strings as typed ("12.50"), empty for no limit. */
  minAmount: string;
  maxAmount: string;
  /** Percent string ("0.6"). */
  fee: string;
  config: { name: string; secret: boolean; set: boolean; hint: string }[];
};

type Props = {
  mode: 'create' | 'edit';
  action: (state: FormState, form: FormData) => Promise<FormState>;
  /** Kinds this shop may add (create mode). */
  kinds?: string[];
  initial?: ChannelFormValues;
  /** A line shown above the form until the first submission (e.g. "channel added"). */
  notice?: string;
};

const epayTypes = ['', 'alipay', 'wxpay', 'qqpay'] as const;

export function ChannelForm({ mode, action, kinds = [], initial, notice }: Props) {
  const t = useTranslations('console.channels');
  const [state, formAction, pending] = useActionState(action, {});
  const [kind, setKind] = useState(initial?.kind ?? kinds[0] ?? 'epay');
  const fields = state.fields ?? {};
  const hint = (name: string) => initial?.config.find((c) => c.name === name);
  const invalid = (name: string) => (fields[name] ? { 'aria-invalid': true as const, 'aria-describedby': `${name}-error` } : {});

  const formRef = useRef<HTMLFormElement>(null);
  // Once saved, the key field empties again: its hint now shows the new key's last digits.
  useEffect(() => {
    const key = formRef.current?.elements.namedItem('config.key');
    if (state.ok && key instanceof HTMLInputElement) key.value = '';
  }, [state]);

  // Submitted through a transition (the form's action only serves a submit before
  // hydration): with <form action> React resets the fields after each submission, and a
  // rejected form should keep what the merchant typed, the key included, which the
  // server never echoes back.
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => formAction(data));
  }

  const gateway = hint('gateway');
  const pid = hint('pid');
  const key = hint('key');
  const type = hint('type');
  const demoSecret = hint('secret');

  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-6" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {state.ok && state.message ? <Alert tone="success">{state.message}</Alert> : null}
      {notice && !state.ok && !state.error ? <Alert tone="success">{notice}</Alert> : null}

      <Card className="space-y-5">
        <h2 className="text-base font-semibold text-zinc-900">{t('form.general')}</h2>
        {mode === 'create' ? (
          <Field label={t('form.kind')} htmlFor="kind" error={fields.kind} hint={t(`kindHelp.${kind}` as 'kindHelp.epay')}>
            <Select id="kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value)} {...invalid('kind')}>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {t(`kinds.${k}` as 'kinds.epay')}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <div className="grid gap-5 sm:grid-cols-2">
          <Field label={t('form.name')} htmlFor="name" error={fields.name} hint={t('form.nameHint')}>
            <Input
              id="name"
              name="name"
              required
              maxLength={60}
              defaultValue={initial?.name ?? (kind === 'demo' ? t('kinds.demo') : '')}
              key={`name-${kind}`}
              {...invalid('name')}
            />
          </Field>
          <Field label={t('form.priority')} htmlFor="priority" error={fields.priority} hint={t('form.priorityHint')}>
            <Input id="priority" name="priority" inputMode="numeric" defaultValue={String(initial?.priority ?? 0)} {...invalid('priority')} />
          </Field>
          <Field label={t('form.minAmount')} htmlFor="minAmount" error={fields.minAmount} hint={t('form.amountHint')}>
            <Input id="minAmount" name="minAmount" inputMode="decimal" placeholder="0.00" defaultValue={initial?.minAmount ?? ''} {...invalid('minAmount')} />
          </Field>
          <Field label={t('form.maxAmount')} htmlFor="maxAmount" error={fields.maxAmount} hint={t('form.amountHint')}>
            <Input id="maxAmount" name="maxAmount" inputMode="decimal" placeholder="0.00" defaultValue={initial?.maxAmount ?? ''} {...invalid('maxAmount')} />
          </Field>
          <Field label={t('form.fee')} htmlFor="fee" error={fields.fee} hint={t('form.feeHint')}>
            <Input id="fee" name="fee" inputMode="decimal" placeholder="0" defaultValue={initial?.fee ?? ''} {...invalid('fee')} />
          </Field>
        </div>
        <Checkbox name="enabled" label={t('form.enabled')} defaultChecked={initial?.enabled ?? true} />
      </Card>

      <Card className="space-y-5">
        <div>
          <h2 className="text-base font-semibold text-zinc-900">{t('form.credentials')}</h2>
          <p className="mt-1 text-sm text-zinc-500">{kind === 'demo' ? t('form.demoNote') : t('form.credentialsHint')}</p>
        </div>
        {kind === 'epay' ? (
          <div className="grid gap-5 sm:grid-cols-2">
            <div className="sm:col-span-2">
              <Field label={t('form.gateway')} htmlFor="config.gateway" error={fields['config.gateway']} hint={t('form.gatewayHint')}>
                <Input
                  id="config.gateway"
                  name="config.gateway"
                  type="url"
                  inputMode="url"
                  autoComplete="off"
                  placeholder="https://pay.example.com"
                  defaultValue={gateway?.hint ?? ''}
                  {...invalid('config.gateway')}
                />
              </Field>
            </div>
            <Field label={t('form.pid')} htmlFor="config.pid" error={fields['config.pid']}>
              <Input id="config.pid" name="config.pid" autoComplete="off" defaultValue={pid?.hint ?? ''} {...invalid('config.pid')} />
            </Field>
            <Field
              label={t('form.key')}
              htmlFor="config.key"
              error={fields['config.key']}
              hint={key?.set ? t('form.keyKeep', { hint: key.hint }) : t('form.keyNew')}
            >
              {/* Never pre-filled: an empty field keeps the stored key. */}
              <Input
                id="config.key"
                name="config.key"
                type="password"
                autoComplete="new-password"
                placeholder={key?.set ? key.hint : ''}
                {...invalid('config.key')}
              />
            </Field>
            <Field label={t('form.type')} htmlFor="config.type" error={fields['config.type']} hint={t('form.typeHint')}>
              <Select id="config.type" name="config.type" defaultValue={type?.hint ?? ''}>
                {epayTypes.map((v) => (
                  <option key={v} value={v}>
                    {t(`form.types.${v || 'any'}` as 'form.types.any')}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
        ) : null}
        {kind === 'demo' && demoSecret?.set ? (
          <p className="text-sm text-zinc-600">
            <span className="font-medium text-zinc-800">{t('form.demoSecret')}</span>: {t('form.demoSecretHint', { hint: demoSecret.hint })}
          </p>
        ) : null}
      </Card>

      <div className="flex justify-end">
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? t(mode === 'create' ? 'form.creating' : 'form.saving') : t(mode === 'create' ? 'form.create' : 'form.save')}
        </Button>
      </div>
    </form>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { startTransition, useActionState, useEffect, useRef, useState, type FormEvent } from 'react';
import type { FormState } from '@/app/(console)/action';
import type { ConfigField, DriverInfo } from '@/lib/payments';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Checkbox, Field, Input, Select, Textarea } from '@/components/ui/field';

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
  /** The share of buyers it takes, 0–100. */
  rolloutPercent: number;
  config: { name: string; secret: boolean; set: boolean; hint: string }[];
};

type Props = {
  mode: 'create' | 'edit';
  action: (state: FormState, form: FormData) => Promise<FormState>;
  /** What each channel kind this form may show asks for (from its driver). */
  drivers: DriverInfo[];
  /** Kinds this shop may add (create mode). */
  kinds?: string[];
  initial?: ChannelFormValues;
  /** A line shown above the form until the first submission (e.g. "channel added"). */
  notice?: string;
};

/**
 * A channel's settings and credentials. The credential fields are not written here per
 * provider: they come from what the driver declares (lib/payments), with their labels and
 * help under `console.channels.config.<kind>.<field>` in the catalogue.
 */
export function ChannelForm({ mode, action, drivers, kinds = [], initial, notice }: Props) {
  const t = useTranslations('console.channels');
  const tx = t as unknown as (key: string, values?: Record<string, string>) => string;
  const [state, formAction, pending] = useActionState(action, {});
  const [kind, setKind] = useState(initial?.kind ?? kinds[0] ?? drivers[0]?.kind ?? '');
  const driver = drivers.find((d) => d.kind === kind);
  const fields = state.fields ?? {};
  const hint = (name: string) => initial?.config.find((c) => c.name === name);
  const invalid = (name: string) => (fields[name] ? { 'aria-invalid': true as const, 'aria-describedby': `${name}-error` } : {});

  const formRef = useRef<HTMLFormElement>(null);
  // Once saved, secret fields empty again: their hints now show the new secrets' last characters.
  useEffect(() => {
    if (!state.ok || !driver) return;
    for (const name of driver.secrets) {
      const input = formRef.current?.elements.namedItem(`config.${name}`);
      if (input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement) input.value = '';
    }
  }, [state, driver]);

  // Submitted through a transition (the form's action only serves a submit before
  // hydration): with <form action> React resets the fields after each submission, and a
  // rejected form should keep what the merchant typed, secrets included, which the server
  // never echoes back.
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => formAction(data));
  }

  const label = (f: { name: string }) => tx(`config.${kind}.${f.name}.label`);
  const help = (f: ConfigField) => (t.has(`config.${kind}.${f.name}.hint` as 'form.nameHint') ? tx(`config.${kind}.${f.name}.hint`) : undefined);

  function configInput(f: ConfigField) {
    const name = `config.${f.name}`;
    const current = hint(f.name);
    if (f.input === 'secret') {
      return (
        <Field label={label(f)} htmlFor={name} error={fields[name]} hint={current?.set ? t('form.secretKeep', { hint: current.hint }) : help(f)}>
          {/* Never pre-filled: an empty field keeps the stored secret. */}
          <Input id={name} name={name} type="password" autoComplete="new-password" placeholder={current?.set ? current.hint : ''} {...invalid(name)} />
        </Field>
      );
    }
    if (f.input === 'pem') {
      // A key or certificate: pasted whole (PEM or the bare base64 the provider's tool prints).
      // A secret one is never pre-filled: left empty on edit, the stored key is kept.
      return (
        <Field
          label={label(f)}
          htmlFor={name}
          error={fields[name]}
          hint={f.secret && current?.set ? t('form.secretKeep', { hint: current.hint }) : (help(f) ?? t('form.pemHint'))}
        >
          <Textarea
            id={name}
            name={name}
            rows={5}
            spellCheck={false}
            autoComplete="off"
            className="font-mono text-xs"
            defaultValue={f.secret ? '' : (current?.hint ?? '')}
            placeholder={f.secret && current?.set ? current.hint : '-----BEGIN …-----'}
            {...invalid(name)}
          />
        </Field>
      );
    }
    if (f.input === 'select') {
      return (
        <Field label={label(f)} htmlFor={name} error={fields[name]} hint={help(f)}>
          <Select id={name} name={name} defaultValue={current?.hint ?? ''} {...invalid(name)}>
            {(f.options ?? []).map((v) => (
              <option key={v} value={v}>
                {tx(`config.${kind}.${f.name}.options.${v || 'any'}`)}
              </option>
            ))}
          </Select>
        </Field>
      );
    }
    if (f.input === 'textarea') {
      return (
        <Field label={label(f)} htmlFor={name} error={fields[name]} hint={help(f)}>
          <Textarea id={name} name={name} rows={4} defaultValue={current?.hint ?? ''} placeholder={f.placeholder} {...invalid(name)} />
        </Field>
      );
    }
    return (
      <Field label={label(f)} htmlFor={name} error={fields[name]} hint={help(f)}>
        <Input
          id={name}
          name={name}
          type={f.input === 'url' ? 'url' : 'text'}
          inputMode={f.input === 'url' ? 'url' : undefined}
          autoComplete="off"
          placeholder={f.placeholder}
          defaultValue={current?.hint ?? ''}
          {...invalid(name)}
        />
      </Field>
    );
  }

  const generated = (driver?.secrets ?? []).filter((name) => !driver?.fields.some((f) => f.name === name));

  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-6" noValidate>
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {state.ok && state.message ? <Alert tone="success">{state.message}</Alert> : null}
      {notice && !state.ok && !state.error ? <Alert tone="success">{notice}</Alert> : null}

      <Card className="space-y-5">
        <h2 className="text-base font-semibold text-zinc-900">{t('form.general')}</h2>
        {mode === 'create' ? (
          <Field label={t('form.kind')} htmlFor="kind" error={fields.kind} hint={tx(`kindHelp.${kind}`)}>
            <Select id="kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value)} {...invalid('kind')}>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {tx(`kinds.${k}`)}
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
          <Field label={t('form.fee')} htmlFor="fee" error={fields.feeBps} hint={t('form.feeHint')}>
            <Input id="fee" name="fee" inputMode="decimal" placeholder="0" defaultValue={initial?.fee ?? ''} {...invalid('feeBps')} />
          </Field>
          <Field label={t('form.rollout')} htmlFor="rolloutPercent" error={fields.rolloutPercent} hint={t('form.rolloutHint')}>
            <Input
              id="rolloutPercent"
              name="rolloutPercent"
              inputMode="numeric"
              defaultValue={String(initial?.rolloutPercent ?? 100)}
              {...invalid('rolloutPercent')}
            />
          </Field>
        </div>
        <Checkbox name="enabled" label={t('form.enabled')} defaultChecked={initial?.enabled ?? true} />
      </Card>

      <Card className="space-y-5">
        <div>
          <h2 className="text-base font-semibold text-zinc-900">{t('form.credentials')}</h2>
          <p className="mt-1 text-sm text-zinc-500">{driver && driver.fields.length === 0 ? t('form.noFields') : t('form.credentialsHint')}</p>
        </div>
        {driver && driver.fields.length > 0 ? (
          <div className="grid gap-5 sm:grid-cols-2" key={`config-${kind}`}>
            {driver.fields.map((f) => (
              <div key={f.name} className={f.input === 'url' || f.input === 'textarea' || f.input === 'pem' ? 'sm:col-span-2' : undefined}>
                {configInput(f)}
              </div>
            ))}
          </div>
        ) : null}
        {generated.map((name) => {
          const current = hint(name);
          return current?.set ? (
            <p key={name} className="text-sm text-zinc-600">
              <span className="font-medium text-zinc-800">{label({ name })}</span>: {t('form.generatedSecret', { hint: current.hint })}
            </p>
          ) : null;
        })}
      </Card>

      <div className="flex justify-end">
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? t(mode === 'create' ? 'form.creating' : 'form.saving') : t(mode === 'create' ? 'form.create' : 'form.save')}
        </Button>
      </div>
    </form>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { createAgentAction } from '@/app/(console)/console/agents/actions';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';
import { FormAlerts, useKeptForm } from './kept-form';

type Option = { value: string; label: string };

/** The merchant creates an agent directly: its shop address, name, level and parent, and optionally its console login. */
export function CreateAgentForm({ levels, parents, shopBase }: { levels: Option[]; parents: (Option & { rank: number })[]; shopBase: string }) {
  const t = useTranslations('console.agents.create');
  const { state, pending, err, aria, formProps } = useKeptForm(createAgentAction);
  const [rank, setRank] = useState(levels[0]?.value ?? '1');
  // A parent must be at or above the new agent's level: only those are offered.
  const fitting = parents.filter((p) => p.rank >= Number(rank));
  return (
    <form {...formProps} className="space-y-5">
      <FormAlerts state={state} shown={['name', 'slug', 'rank', 'parentId', 'contact', 'email', 'password']} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={t('name')} htmlFor="ca-name" error={err('name')} hint={t('nameHint')}>
          <Input id="ca-name" name="name" maxLength={60} required autoComplete="off" {...aria('name', 'ca-name')} />
        </Field>
        <Field label={t('slug')} htmlFor="ca-slug" error={err('slug')} hint={t('slugHint', { base: shopBase })}>
          <div className="flex rounded-lg bg-white ring-1 ring-inset ring-zinc-300 focus-within:ring-2 focus-within:ring-brand-500 has-[[aria-invalid=true]]:ring-red-500">
            <span className="flex select-none items-center pl-3 text-sm text-zinc-500">/a/</span>
            {/* A bare input inside the framed row: the frame shows focus and errors, so the input draws no ring of its own. */}
            <input
              id="ca-slug"
              name="slug"
              maxLength={41}
              required
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="none"
              className="block w-full min-w-0 rounded-r-lg border-0 bg-transparent py-2 pl-1 pr-3 font-mono text-sm text-zinc-900 placeholder:text-zinc-400 focus:outline-none"
              {...aria('slug', 'ca-slug')}
            />
          </div>
        </Field>
        <Field label={t('rank')} htmlFor="ca-rank" error={err('rank')}>
          <Select id="ca-rank" name="rank" value={rank} onChange={(e) => setRank(e.target.value)} {...aria('rank', 'ca-rank')}>
            {levels.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('parent')} htmlFor="ca-parent" error={err('parentId')} hint={t('parentHint')}>
          <Select id="ca-parent" name="parentId" defaultValue="" {...aria('parentId', 'ca-parent')}>
            <option value="">{t('noParent')}</option>
            {fitting.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </Select>
        </Field>
        <div className="sm:col-span-2">
          <Field label={t('contact')} htmlFor="ca-contact" error={err('contact')} hint={t('contactHint')}>
            <Input id="ca-contact" name="contact" maxLength={200} autoComplete="off" {...aria('contact', 'ca-contact')} />
          </Field>
        </div>
      </div>
      <fieldset className="space-y-3 rounded-xl bg-zinc-50 p-4 ring-1 ring-inset ring-zinc-200">
        <legend className="sr-only">{t('login')}</legend>
        <div>
          <p className="text-sm font-medium text-zinc-800">{t('login')}</p>
          <p className="mt-0.5 text-xs text-zinc-500">{t('loginHint')}</p>
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label={t('email')} htmlFor="ca-email" error={err('email')}>
            <Input id="ca-email" name="email" type="email" maxLength={254} autoComplete="off" {...aria('email', 'ca-email')} />
          </Field>
          <Field label={t('password')} htmlFor="ca-password" error={err('password')} hint={t('passwordHint')}>
            <Input
              id="ca-password"
              name="password"
              type="password"
              minLength={10}
              maxLength={200}
              autoComplete="new-password"
              {...aria('password', 'ca-password')}
            />
          </Field>
        </div>
      </fieldset>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? t('creating') : t('submit')}
        </Button>
      </div>
    </form>
  );
}

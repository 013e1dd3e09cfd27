'use client';

import { useTranslations } from 'next-intl';
import { createInviteAction } from '@/app/(console)/console/agents/actions';
import { Button } from '@/components/ui/button';
import { Checkbox, Field, Input, Select } from '@/components/ui/field';
import { OnceSecret, onceSecretLabels, useShownOnce } from '../once-secret';
import { FormAlerts, useKeptForm } from './kept-form';

/**
 * A new invite link: the level it joins at, how many may use it, until when, and whether
 * joiners are live at once or wait for review. The link (and its QR code) is shown once:
 * only its hash is kept.
 */
export function InviteForm({ levels, today }: { levels: { value: string; label: string }[]; today: string }) {
  const t = useTranslations('console.agents.invites');
  const { state, pending, err, aria, formProps } = useKeptForm(createInviteAction);
  const [shown, dismiss] = useShownOnce(state, (data) => (typeof data.url === 'string' ? { url: data.url, qr: String(data.qr ?? '') } : null));
  return (
    <div className="space-y-4">
      {shown ? (
        <OnceSecret value={shown.url} testId="new-invite-link" onDismiss={dismiss} labels={onceSecretLabels(t)}>
          {shown.qr ? (
            <div className="flex flex-col items-start gap-3 sm:flex-row sm:items-center">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={shown.qr} alt={t('qrAlt')} width={176} height={176} className="rounded-lg bg-white p-2 ring-1 ring-amber-600/20" />
              <p className="text-xs text-amber-800">{t('qrHint')}</p>
            </div>
          ) : null}
        </OnceSecret>
      ) : null}
      <form {...formProps} className="space-y-4">
        <FormAlerts state={state} shown={['rank', 'maxUses', 'expiresAt']} success={false} />
        <div className="grid gap-4 sm:grid-cols-3">
          <Field label={t('level')} htmlFor="inv-rank" error={err('rank')}>
            <Select id="inv-rank" name="rank" defaultValue={levels[0]?.value} {...aria('rank', 'inv-rank')}>
              {levels.map((l) => (
                <option key={l.value} value={l.value}>
                  {l.label}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('maxUses')} htmlFor="inv-uses" error={err('maxUses')} hint={t('maxUsesHint')}>
            <Input
              id="inv-uses"
              name="maxUses"
              inputMode="numeric"
              autoComplete="off"
              placeholder="∞"
              className="tabular-nums"
              {...aria('maxUses', 'inv-uses')}
            />
          </Field>
          <Field label={t('expiresAt')} htmlFor="inv-expires" error={err('expiresAt')} hint={t('expiresAtHint')}>
            <Input id="inv-expires" name="expiresAt" type="date" min={today} {...aria('expiresAt', 'inv-expires')} />
          </Field>
        </div>
        <div className="space-y-1">
          <Checkbox name="autoApprove" label={t('autoApprove')} />
          <p className="pl-6 text-xs text-zinc-500">{t('autoApproveHint')}</p>
        </div>
        <div className="flex justify-end">
          <Button type="submit" disabled={pending} aria-busy={pending}>
            {pending ? t('creating') : t('create')}
          </Button>
        </div>
      </form>
    </div>
  );
}

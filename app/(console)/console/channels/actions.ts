'use server';
// Console actions for payment channels: form strings (yuan, percent) become minor units and
// basis points here; the rules and the SQL are lib/payments'. Every action checks the session
// itself and acts as the session's actor, never on a merchant named by the form.
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import { AppError, type FieldErrors } from '@/lib/errors';
import { parseAmount } from '@/lib/money';
import { channelInputErrors, createChannel, getMerchantChannel, setChannelEnabled, testChannel, updateChannel } from '@/lib/payments';

const SCOPE = 'console.channels';

function text(form: FormData, name: string): string | undefined {
  const v = form.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** "0.6" → 60 basis points; exact, never through floats. */
function parsePercent(value: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(value.trim());
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
}

/**
 * The channel's general settings from the form. When some do not parse, the error names
 * them together with every other invalid field (lib checks the rest without writing).
 */
function readSettings(form: FormData, kind: string, keptSecrets: readonly string[] = []) {
  const bad: FieldErrors = {};
  const amount = (name: 'minAmount' | 'maxAmount') => {
    const raw = (text(form, name) ?? '').trim();
    if (raw === '') return null;
    const v = parseAmount(raw, 'CNY');
    if (v === null) bad[name] = { code: 'invalid_amount' };
    return v;
  };
  const priorityRaw = (text(form, 'priority') ?? '').trim() || '0';
  const priority = /^-?\d{1,4}$/.test(priorityRaw) ? Number(priorityRaw) : NaN;
  if (Number.isNaN(priority)) bad.priority = { code: 'not_integer' };
  const feeRaw = (text(form, 'fee') ?? '').trim() || '0';
  const feeBps = parsePercent(feeRaw);
  if (feeBps === null) bad.feeBps = { code: 'invalid' };
  const rolloutRaw = (text(form, 'rolloutPercent') ?? '').trim() || '100';
  const rolloutPercent = /^\d{1,3}$/.test(rolloutRaw) && Number(rolloutRaw) <= 100 ? Number(rolloutRaw) : NaN;
  if (Number.isNaN(rolloutPercent)) bad.rolloutPercent = { code: 'out_of_range' };
  const settings = {
    name: text(form, 'name') ?? '',
    enabled: form.get('enabled') === 'on',
    priority,
    minAmount: amount('minAmount'),
    maxAmount: amount('maxAmount'),
    feeBps: feeBps ?? 0,
    rolloutPercent: Number.isNaN(rolloutPercent) ? 100 : rolloutPercent,
  };
  if (Object.keys(bad).length) {
    const rest = { ...settings, ...Object.fromEntries(Object.keys(bad).map((k) => [k, undefined])), config: readConfig(form) };
    throw new AppError('validation_failed', 'The form is not valid.', { fields: { ...channelInputErrors(kind, rest, keptSecrets), ...bad } });
  }
  return settings;
}

function readConfig(form: FormData): Record<string, string> | undefined {
  const config: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if (name.startsWith('config.') && typeof value === 'string') config[name.slice('config.'.length)] = value;
  }
  return Object.keys(config).length ? config : undefined;
}

export async function createChannelAction(_prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const kind = text(form, 'kind') ?? '';
    const settings = readSettings(form, kind);
    const channel = await createChannel(ctx.db, ctx.actor, { kind, ...settings, config: kind === 'demo' ? undefined : readConfig(form) });
    revalidatePath('/console/channels');
    // Straight to the new channel's page, where its connection test is.
    redirect(`/console/channels/${channel.id}?created=1`);
  }, SCOPE);
}

export async function updateChannelAction(channelId: string, _prev: FormState, form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const current = await getMerchantChannel(ctx.db, ctx.merchantId, channelId);
    const settings = readSettings(
      form,
      current.kind,
      current.config.filter((c) => c.secret && c.set).map((c) => c.name),
    );
    const { changed } = await updateChannel(ctx.db, ctx.actor, { channelId, ...settings, config: readConfig(form) });
    revalidatePath('/console/channels');
    revalidatePath(`/console/channels/${channelId}`);
    const t = await getTranslations('console.channels.form');
    return { ok: true, message: changed.length ? t('saved') : t('unchanged') };
  }, SCOPE);
}

export async function setChannelEnabledAction(channelId: string, enabled: boolean, _prev: FormState, _form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    await setChannelEnabled(ctx.db, ctx.actor, { channelId, enabled });
    revalidatePath('/console/channels');
    revalidatePath(`/console/channels/${channelId}`);
  });
}

export async function testChannelAction(channelId: string, _prev: FormState, _form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const t = await getTranslations('console.channels.test');
    // The provider call happens after the row is read, outside any transaction (lib/payments).
    const result = await testChannel(ctx.db, ctx.actor, { channelId });
    if (!result) return { ok: false, error: t('unsupported') };
    const said = result.providerMessage ? t('providerSaid', { message: result.providerMessage }) : undefined;
    // On success the provider's words are "no such order" (the number was made up): not worth showing.
    if (result.status === 'ok') return { ok: true, message: t('ok') };
    return { ok: false, error: t(result.status), data: { detail: said } };
  });
}

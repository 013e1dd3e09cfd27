'use server';
// Console actions for payment channels: form strings (yuan, percent) become minor units and
// basis points here; the rules and the SQL are lib/payments'. Every action checks the session
// itself and scopes by the session's merchant, never by a form field.
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { attempt, type FormState } from '@/app/(console)/action';
import { requireMerchant } from '@/app/(console)/guard';
import { AppError, isAppError } from '@/lib/errors';
import { channelInputErrors, createMerchantChannel, getMerchantChannel, parseMoney, setChannelEnabled, testChannel, updateChannel } from '@/lib/payments';

type Fields = Record<string, string>;

/** Form names → the message under console.channels.errors that explains what is wanted. */
const fieldHints: Record<string, string> = {
  name: 'name',
  priority: 'priority',
  minAmount: 'amount',
  maxAmount: 'amount',
  fee: 'fee',
  'config.gateway': 'gateway',
  'config.pid': 'pid',
  'config.key': 'key',
};

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
  const bad: Fields = {};
  const amount = (name: 'minAmount' | 'maxAmount') => {
    const raw = (text(form, name) ?? '').trim();
    if (raw === '') return null;
    const v = parseMoney(raw);
    if (v === null) bad[name] = 'invalid';
    return v;
  };
  const priorityRaw = (text(form, 'priority') ?? '').trim() || '0';
  const priority = /^-?\d{1,4}$/.test(priorityRaw) ? Number(priorityRaw) : NaN;
  if (Number.isNaN(priority)) bad.priority = 'invalid';
  const feeRaw = (text(form, 'fee') ?? '').trim() || '0';
  const feeBps = parsePercent(feeRaw);
  if (feeBps === null) bad.fee = 'invalid';
  const settings = {
    name: text(form, 'name') ?? '',
    enabled: form.get('enabled') === 'on',
    priority,
    minAmount: amount('minAmount'),
    maxAmount: amount('maxAmount'),
    feeBps: feeBps ?? 0,
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

/**
 * Runs an action body like `attempt`, but explains field errors in this form's words
 * (what a gateway or an amount should look like) rather than a generic "not valid".
 */
async function run(fn: () => Promise<FormState | void>): Promise<FormState> {
  let explained: Fields | undefined;
  const state = await attempt(async () => {
    try {
      return await fn();
    } catch (err) {
      if (isAppError(err) && err.fields) explained = await explain(err.fields);
      throw err;
    }
  });
  return explained && state.fields ? { ...state, fields: explained } : state;
}

async function explain(raw: Fields): Promise<Fields> {
  const t = await getTranslations('console.channels.errors');
  const common = await getTranslations('console.common');
  const fields: Fields = {};
  for (const [key, code] of Object.entries(raw)) {
    const name = key === 'feeBps' ? 'fee' : key;
    if (name === 'kind') fields.kind = t('demoTaken');
    else if (name === 'maxAmount' && code === 'below minimum') fields.maxAmount = t('range');
    else if (fieldHints[name]) fields[name] = t(fieldHints[name] as 'name');
    else fields[name] = common('fields.invalid');
  }
  return fields;
}

const actorOf = (ctx: { user: { id: string }; ip: string }) => ({ userId: ctx.user.id, ip: ctx.ip });

export async function createChannelAction(_prev: FormState, form: FormData): Promise<FormState> {
  return run(async () => {
    const ctx = await requireMerchant();
    const kind = text(form, 'kind') ?? '';
    const settings = readSettings(form, kind);
    const channel = await createMerchantChannel(
      ctx.db,
      ctx.merchantId,
      { kind, ...settings, config: kind === 'demo' ? undefined : readConfig(form) },
      actorOf(ctx),
    );
    revalidatePath('/console/channels');
    // Straight to the new channel's page, where its connection test is.
    redirect(`/console/channels/${channel.id}?created=1`);
  });
}

export async function updateChannelAction(channelId: string, _prev: FormState, form: FormData): Promise<FormState> {
  return run(async () => {
    const ctx = await requireMerchant();
    const current = await getMerchantChannel(ctx.db, ctx.merchantId, channelId);
    const settings = readSettings(
      form,
      current.kind,
      current.config.filter((c) => c.secret && c.set).map((c) => c.name),
    );
    const { changed } = await updateChannel(ctx.db, ctx.merchantId, channelId, { ...settings, config: readConfig(form) }, actorOf(ctx));
    revalidatePath('/console/channels');
    revalidatePath(`/console/channels/${channelId}`);
    const t = await getTranslations('console.channels.form');
    return { ok: true, message: changed.length ? t('saved') : t('unchanged') };
  });
}

export async function setChannelEnabledAction(channelId: string, enabled: boolean, _prev: FormState, _form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    await setChannelEnabled(ctx.db, ctx.merchantId, channelId, enabled, actorOf(ctx));
    revalidatePath('/console/channels');
    revalidatePath(`/console/channels/${channelId}`);
  });
}

export async function testChannelAction(channelId: string, _prev: FormState, _form: FormData): Promise<FormState> {
  return attempt(async () => {
    const ctx = await requireMerchant();
    const t = await getTranslations('console.channels.test');
    // The provider call happens after the row is read, outside any transaction (lib/payments).
    const result = await testChannel(ctx.db, ctx.merchantId, channelId);
    if (!result) return { ok: false, error: t('unsupported') };
    const said = result.providerMessage ? t('providerSaid', { message: result.providerMessage }) : undefined;
    // On success the provider's words are "no such order" (the number was made up): not worth showing.
    if (result.status === 'ok') return { ok: true, message: t('ok') };
    return { ok: false, error: t(result.status), data: { detail: said } };
  });
}

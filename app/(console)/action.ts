// The one shape of a console server action's result, and the one place that turns a
// domain error into messages the form shows (translated, fields inline).
import 'server-only';
import { getTranslations } from 'next-intl/server';
import { errorSummary, isAppError } from '@/lib/errors';
import { log } from '@/lib/log';

export type FormState = {
  ok?: boolean;
  /** A translated success line. */
  message?: string;
  /** A translated error line for the whole form. */
  error?: string;
  /** Translated messages by field name. */
  fields?: Record<string, string>;
  /** Data a form shows once (a new API key, an exported file's name…). */
  data?: Record<string, unknown>;
};

const fieldMessages: Record<string, string> = { taken: 'taken', wrong: 'wrong', mismatch: 'mismatch' };

/** Maps what an action threw to a FormState; unexpected errors are logged, never shown. */
export async function failure(err: unknown): Promise<FormState> {
  const t = await getTranslations('console.common');
  if (!isAppError(err)) {
    if (err && typeof err === 'object' && 'digest' in err && String((err as { digest: unknown }).digest).startsWith('NEXT_')) throw err; // redirect / notFound
    log('error', 'console action failed', { error: errorSummary(err) });
    return { error: t('errors.internal') };
  }
  const known = ['validation_failed', 'not_found', 'unauthorized', 'forbidden', 'conflict', 'rate_limited'];
  const fields: Record<string, string> = {};
  for (const [name, raw] of Object.entries(err.fields ?? {})) {
    const key = fieldMessages[raw];
    fields[name] = key ? t(`fields.${key}`) : raw.startsWith('at least') ? t('fields.tooShort') : t('fields.invalid');
  }
  return { error: t(`errors.${known.includes(err.code) ? err.code : 'generic'}`), ...(Object.keys(fields).length ? { fields } : {}) };
}

/** Runs an action body; whatever it throws becomes a FormState. */
export async function attempt(fn: () => Promise<FormState | void>): Promise<FormState> {
  try {
    return (await fn()) ?? { ok: true };
  } catch (err) {
    return failure(err);
  }
}

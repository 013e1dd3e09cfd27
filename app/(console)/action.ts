// The one shape of a console server action's result, and the one place that turns a
// domain error into what the form shows: a translated line for the form and the field
// codes as translated messages (app/_lib/form-errors.ts), in the form's own words when its
// catalogue has them (`scope`, e.g. 'console.products').
import 'server-only';
import { getTranslations } from 'next-intl/server';
import { withFollowUps } from '@/app/_lib/after-response';
import { formFieldMessages } from '@/app/_lib/form-errors';
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

const KNOWN = [
  'validation_failed',
  'not_found',
  'unauthorized',
  'forbidden',
  'conflict',
  'rate_limited',
  'insufficient_balance',
  'withdrawal_open',
  'owes_money',
];

/** Maps what an action threw to a FormState; unexpected errors are logged, never shown. */
export async function failure(err: unknown, scope?: string): Promise<FormState> {
  const t = await getTranslations('console.common');
  if (!isAppError(err)) {
    if (err && typeof err === 'object' && 'digest' in err && String((err as { digest: unknown }).digest).startsWith('NEXT_')) throw err; // redirect / notFound
    log('error', 'console action failed', { error: errorSummary(err) });
    return { error: t('errors.internal') };
  }
  const fields = await formFieldMessages(err.fields, scope);
  return { error: t(`errors.${KNOWN.includes(err.code) ? err.code : 'generic'}`), ...(Object.keys(fields).length ? { fields } : {}) };
}

/**
 * Runs an action body; whatever it throws becomes a FormState (field messages in `scope`'s
 * words). The outbox rows it wrote (a manual delivery's e-mail, a webhook test…) are drained
 * after the response.
 */
export async function attempt(fn: () => Promise<FormState | void>, scope?: string): Promise<FormState> {
  try {
    return (await withFollowUps(fn)) ?? { ok: true };
  } catch (err) {
    return failure(err, scope);
  }
}

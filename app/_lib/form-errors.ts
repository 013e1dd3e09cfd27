// The one mapper from a domain error to what a form shows: a translated line for the form
// and a translated message per field, from the field codes (lib/errors) and the catalogues
// (a form's own wording under `<scope>.fieldErrors`, else the shared `fieldErrors`).
import 'server-only';
import { getLocale } from 'next-intl/server';
import type { FieldErrors } from '@/lib/errors';
import { fieldErrorMessage } from '@/lib/i18n';

export async function formFieldMessages(fields: FieldErrors | undefined, scope?: string): Promise<Record<string, string>> {
  if (!fields) return {};
  const locale = await getLocale();
  return Object.fromEntries(Object.entries(fields).map(([name, error]) => [name, fieldErrorMessage(locale, name, error, scope)]));
}

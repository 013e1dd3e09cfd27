'use client';

import { useTranslations } from 'next-intl';
import type { FormState } from '@/app/(console)/action';
import { OnceSecret, onceSecretLabels, useShownOnce } from '../once-secret';

/**
 * The key a create-key action returned (`data.key`), shown this once with how to send it,
 * until dismissed. `messages` is the form's catalogue section: it has the OnceSecret labels
 * (onceTitle, onceWarning, copy, copied, copyFailed, dismiss) and `usage`.
 */
export function NewApiKey({ state, messages, testId }: { state: FormState; messages: string; testId: string }) {
  const t = useTranslations(messages);
  const [key, dismiss] = useShownOnce(state, (data) => (typeof data.key === 'string' ? data.key : null));
  if (!key) return null;
  return (
    <OnceSecret value={key} testId={testId} onDismiss={dismiss} labels={onceSecretLabels(t)}>
      <p className="text-xs text-amber-800">{t('usage')}</p>
    </OnceSecret>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Alert } from '@/components/ui/alert';
import { buttonClass } from '@/components/ui/button';
import { SubmitButton } from '@/components/ui/submit-button';

type Invalid = { line: number; field: string; code: string };
const REASONS = ['invalid', 'invalid_format', 'invalid_email', 'too_long', 'expired'];

/** Rules in and out as CSV: the export link, and an upload that says what it added and which lines it could not read. */
export function RiskRulesTransfer({ action }: { action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const t = useTranslations('console.risk.import');
  const [state, formAction] = useActionState(action, {});
  const [fileName, setFileName] = useState('');
  const invalid = (state.data?.invalid as Invalid[] | undefined) ?? [];
  return (
    <div className="space-y-3">
      <form action={formAction} className="flex flex-wrap items-center gap-3">
        <span className="text-sm font-medium text-zinc-700" id="rules-file-label">
          {t('label')}
        </span>
        {/* The browser's own file button speaks the browser's language; this one speaks the shop's. */}
        <label className={buttonClass('secondary', 'cursor-pointer has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-500', 'sm')}>
          {t('choose')}
          <input
            name="file"
            type="file"
            accept=".csv,text/csv,text/plain"
            className="sr-only"
            aria-labelledby="rules-file-label"
            aria-describedby="rules-file-hint"
            onChange={(e) => setFileName(e.currentTarget.files?.[0]?.name ?? '')}
          />
        </label>
        <span className="max-w-56 truncate text-sm text-zinc-500" data-testid="rules-file-name">
          {fileName || t('noFile')}
        </span>
        <SubmitButton variant="secondary" size="sm" pendingLabel={t('importing')}>
          {t('submit')}
        </SubmitButton>
        <a href="/console/risk/export" className={buttonClass('ghost', undefined, 'sm')} download>
          {t('export')}
        </a>
      </form>
      <p id="rules-file-hint" className="text-xs text-zinc-500">
        {t('hint')}
      </p>
      {state.error ? <Alert tone="error">{state.fields?.file ?? state.error}</Alert> : null}
      {state.ok && state.message ? <Alert tone={invalid.length ? 'warning' : 'success'}>{state.message}</Alert> : null}
      {invalid.length ? (
        <ul className="list-disc pl-5 text-xs text-zinc-600" data-testid="import-invalid">
          {invalid.map((i) => (
            <li key={`${i.line}:${i.field}`}>
              {t('invalidLine', { line: i.line, field: i.field, reason: REASONS.includes(i.code) ? t(`reasons.${i.code}`) : i.code })}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

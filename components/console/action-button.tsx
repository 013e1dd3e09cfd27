'use client';

import { useActionState, type ReactNode } from 'react';
import type { FormState } from '@/app/(console)/action';
import { SubmitButton } from '@/components/ui/submit-button';

/** One console action as a button (enable, disable, remove…): its hidden fields, and a refusal shown beside it. */
export function ActionButton({
  action,
  fields,
  children,
  pendingLabel,
  variant = 'secondary',
  label,
}: {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  fields: Record<string, string>;
  children: ReactNode;
  pendingLabel: ReactNode;
  variant?: 'primary' | 'secondary' | 'ghost' | 'danger';
  /** An accessible name when the visible text alone does not say what it acts on. */
  label?: string;
}) {
  const [state, formAction] = useActionState(action, {});
  return (
    <form action={formAction} className="inline-flex items-center gap-2">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton variant={variant} size="sm" pendingLabel={pendingLabel} aria-label={label}>
        {children}
      </SubmitButton>
      {state.error ? (
        <span role="alert" className="text-xs text-red-600">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Button } from '@/components/ui/button';

/**
 * The second step of a destructive action (revoke, delete): what will happen, a cancel
 * button and the confirming submit, posting `fields` to `action`.
 */
export function ConfirmForm({
  action,
  fields,
  prompt,
  confirmLabel,
  pendingLabel,
  pending,
  onCancel,
}: {
  action: (form: FormData) => void;
  fields: Record<string, string>;
  prompt: string;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  onCancel: () => void;
}) {
  const tc = useTranslations('console.common');
  return (
    <form action={action} className="flex max-w-72 flex-col items-end gap-2 whitespace-normal">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <p className="text-right text-xs text-zinc-600">{prompt}</p>
      <div className="flex gap-2">
        <Button type="button" variant="ghost" size="sm" onClick={onCancel} disabled={pending}>
          {tc('actions.cancel')}
        </Button>
        <Button type="submit" variant="danger" size="sm" disabled={pending} aria-busy={pending} autoFocus>
          {pending ? pendingLabel : confirmLabel}
        </Button>
      </div>
    </form>
  );
}

/**
 * A destructive action as a button that asks first (revoke a key or an invite, cancel a
 * withdrawal): the first click opens the ConfirmForm, the second posts `fields` to
 * `action`; a refusal takes the button's place.
 */
export function ConfirmActionButton({
  action,
  fields,
  label,
  prompt,
  confirmLabel,
  pendingLabel,
}: {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  fields: Record<string, string>;
  label: string;
  prompt: string;
  confirmLabel: string;
  pendingLabel: string;
}) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, {});
  const [asking, setAsking] = useState(false);
  if (state.error) {
    return (
      <p className="max-w-56 whitespace-normal text-xs text-red-600" role="alert">
        {state.error}
      </p>
    );
  }
  if (!asking) {
    return (
      <Button type="button" variant="secondary" size="sm" onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  }
  return (
    <ConfirmForm
      action={formAction}
      fields={fields}
      prompt={prompt}
      confirmLabel={confirmLabel}
      pendingLabel={pendingLabel}
      pending={pending}
      onCancel={() => setAsking(false)}
    />
  );
}

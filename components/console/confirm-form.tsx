'use client';

import { useTranslations } from 'next-intl';
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

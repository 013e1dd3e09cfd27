'use client';

import type { ReactNode } from 'react';
import { useState } from 'react';
import type { FormState } from '@/app/(console)/action';
import { Button } from '@/components/ui/button';

type Labels = { title: string; warning: string; copy: string; copied: string; copyFailed: string; dismiss: string };

/** The labels from a catalogue section that has them under the usual keys (onceTitle, onceWarning, copy, copied, copyFailed, dismiss). */
export function onceSecretLabels(t: (key: 'onceTitle' | 'onceWarning' | 'copy' | 'copied' | 'copyFailed' | 'dismiss') => string): Labels {
  return { title: t('onceTitle'), warning: t('onceWarning'), copy: t('copy'), copied: t('copied'), copyFailed: t('copyFailed'), dismiss: t('dismiss') };
}

/**
 * What an action's newest successful result hands over to be shown once (a new key, an
 * invite link: `pick` finds it in the result's data), kept until dismissed. Adjusted while
 * rendering the new result, not in an effect.
 */
export function useShownOnce<T>(state: FormState, pick: (data: Record<string, unknown>) => T | null): [shown: T | null, dismiss: () => void] {
  const [shown, setShown] = useState<T | null>(null);
  const [seen, setSeen] = useState(state);
  if (seen !== state) {
    setSeen(state);
    const value = state.ok && state.data ? pick(state.data) : null;
    if (value !== null) setShown(value);
  }
  return [shown, () => setShown(null)];
}

/**
 * A secret shown this once (a new API key, a webhook signing secret): the value, a copy
 * button, a warning that it will not be shown again, and a dismiss button. The value lives
 * only in this tab's memory.
 */
export function OnceSecret({
  value,
  labels,
  onDismiss,
  testId,
  children,
}: {
  value: string;
  labels: Labels;
  onDismiss: () => void;
  testId?: string;
  children?: ReactNode;
}) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
      setTimeout(() => setCopied(null), 2000);
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="space-y-3 rounded-xl bg-amber-50 p-4 ring-1 ring-amber-600/30" data-testid={testId}>
      <div>
        <p className="font-semibold text-amber-900">{labels.title}</p>
        <p className="mt-1 text-sm text-amber-800">{labels.warning}</p>
      </div>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <code className="min-w-0 flex-1 select-all break-all rounded-lg bg-white px-3 py-2 font-mono text-[13px] text-zinc-900 ring-1 ring-amber-600/20">
          {value}
        </code>
        <Button type="button" variant="primary" size="sm" onClick={copy} className="shrink-0">
          {copied === 'yes' ? labels.copied : labels.copy}
        </Button>
      </div>
      {copied === 'failed' ? (
        <p className="text-sm text-red-700" role="alert">
          {labels.copyFailed}
        </p>
      ) : null}
      {children}
      <Button type="button" variant="secondary" size="sm" onClick={onDismiss}>
        {labels.dismiss}
      </Button>
    </div>
  );
}

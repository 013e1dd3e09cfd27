'use client';

import type { ReactNode } from 'react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';

type Labels = { title: string; warning: string; copy: string; copied: string; copyFailed: string; dismiss: string };

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

'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';

/** Copies a value (a shop link, an invite link) to the clipboard and says so for two seconds. */
export function CopyButton({
  value,
  labels,
  variant = 'secondary',
}: {
  value: string;
  labels: { copy: string; copied: string; failed: string };
  variant?: 'primary' | 'secondary';
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 2000);
  };
  return (
    <Button type="button" variant={variant} size="sm" onClick={copy} className="shrink-0" aria-live="polite">
      {state === 'copied' ? labels.copied : state === 'failed' ? labels.failed : labels.copy}
    </Button>
  );
}

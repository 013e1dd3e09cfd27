'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { buttonClass } from '@/components/ui/button';

/** Copies `value` to the clipboard and says so for a moment. */
export function CopyButton({ value, label }: { value: string; label?: string }) {
  const t = useTranslations('pay');
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className={buttonClass('secondary', 'shrink-0 px-3 py-1.5 text-xs')}
      aria-label={label ? `${copied ? t('copied') : t('copy')} ${label}` : undefined}
      onClick={async () => {
        await navigator.clipboard.writeText(value);
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? t('copied') : t('copy')}
    </button>
  );
}

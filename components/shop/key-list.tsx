'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { buttonClass } from '@/components/ui/button';

export function KeyList({ keys, orderNo }: { keys: string[]; orderNo: string }) {
  const t = useTranslations('order');
  const [copied, setCopied] = useState<number | 'all' | null>(null);
  const copy = async (text: string, which: number | 'all') => {
    await navigator.clipboard.writeText(text);
    setCopied(which);
    setTimeout(() => setCopied(null), 1500);
  };
  const download = () => {
    const url = URL.createObjectURL(new Blob([keys.join('\n') + '\n'], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `order-${orderNo}.txt`;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div className="space-y-3">
      <ul className="divide-y divide-zinc-100 rounded-xl bg-zinc-50 ring-1 ring-zinc-200" aria-label={t('keys')}>
        {keys.map((k, i) => (
          <li key={i} className="flex items-center gap-3 px-4 py-3">
            <code className="min-w-0 flex-1 break-all font-mono text-[13px] text-zinc-900 sm:text-sm" data-testid="card-key">
              {k}
            </code>
            <button type="button" className={buttonClass('secondary', 'px-3 py-1.5 text-xs')} onClick={() => copy(k, i)}>
              {copied === i ? t('copied') : t('copy')}
            </button>
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <button type="button" className={buttonClass('primary', 'text-xs')} onClick={() => copy(keys.join('\n'), 'all')}>
          {copied === 'all' ? t('copied') : t('copyAll')}
        </button>
        <button type="button" className={buttonClass('secondary', 'text-xs')} onClick={download}>
          {t('download')}
        </button>
      </div>
    </div>
  );
}

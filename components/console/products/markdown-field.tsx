'use client';

import { useDeferredValue, useId, useState } from 'react';
import { Textarea } from '@/components/ui/field';
import { renderMarkdown } from '@/lib/markdown';
import { cn } from '@/lib/utils';

/**
 * A Markdown textarea with a live preview. The preview uses the storefront's own renderer
 * (lib/markdown: raw HTML escaped, links only http(s)/mailto, no images), so what the
 * merchant sees is what buyers get and nothing a merchant types can run as script.
 * On wide screens the two sit side by side; on a phone, tabs switch between them.
 */
export function MarkdownField({
  id,
  name,
  label,
  hint,
  error,
  value,
  onChange,
  labels,
}: {
  id: string;
  name: string;
  label: string;
  hint: string;
  error?: string;
  value: string;
  onChange: (value: string) => void;
  labels: { write: string; preview: string; empty: string };
}) {
  const [tab, setTab] = useState<'write' | 'preview'>('write');
  const deferred = useDeferredValue(value);
  const previewId = useId();
  const tabClass = (active: boolean) =>
    cn(
      'rounded-md px-3 py-1 text-xs font-medium focus-visible:outline-2 focus-visible:outline-brand-500',
      active ? 'bg-white text-zinc-900 shadow-sm ring-1 ring-zinc-200' : 'text-zinc-600 hover:text-zinc-900',
    );
  return (
    <div className="space-y-1.5">
      <div className="flex items-center justify-between gap-2">
        <label htmlFor={id} className="block text-sm font-medium text-zinc-700">
          {label}
        </label>
        <div role="tablist" className="flex gap-1 rounded-lg bg-zinc-100 p-0.5 lg:hidden">
          <button type="button" role="tab" aria-selected={tab === 'write'} className={tabClass(tab === 'write')} onClick={() => setTab('write')}>
            {labels.write}
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'preview'}
            aria-controls={previewId}
            className={tabClass(tab === 'preview')}
            onClick={() => setTab('preview')}
          >
            {labels.preview}
          </button>
        </div>
      </div>
      <div className="grid gap-3 lg:grid-cols-2">
        <Textarea
          id={id}
          name={name}
          rows={12}
          maxLength={20000}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          className={cn('font-mono text-[13px] leading-relaxed', tab === 'preview' && 'hidden lg:block')}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : `${id}-hint`}
        />
        <div
          id={previewId}
          aria-label={labels.preview}
          className={cn(
            'min-h-24 overflow-auto rounded-lg bg-zinc-50 p-3 ring-1 ring-inset ring-zinc-200 lg:max-h-[19rem]',
            tab === 'write' && 'hidden lg:block',
          )}
        >
          <p className="mb-2 hidden text-xs font-medium uppercase tracking-wide text-zinc-500 lg:block">{labels.preview}</p>
          {deferred.trim() ? (
            <div
              className="space-y-2 text-sm leading-relaxed text-zinc-700 [&_a]:text-brand-700 [&_a]:underline [&_code]:rounded [&_code]:bg-zinc-200/60 [&_code]:px-1 [&_h1]:text-lg [&_h1]:font-semibold [&_h2]:text-base [&_h2]:font-semibold [&_h3]:font-semibold [&_li]:ml-5 [&_ol]:list-decimal [&_ul]:list-disc [&_blockquote]:border-l-2 [&_blockquote]:border-zinc-300 [&_blockquote]:pl-3 [&_pre]:overflow-x-auto"
              dangerouslySetInnerHTML={{ __html: renderMarkdown(deferred) }}
            />
          ) : (
            <p className="text-sm text-zinc-500">{labels.empty}</p>
          )}
        </div>
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="text-xs text-zinc-500">
          {hint}
        </p>
      )}
    </div>
  );
}

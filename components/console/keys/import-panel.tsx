'use client';

// Import of up to 100,000 keys from a paste or a file without freezing the tab: the file is
// read and split here, then sent as byte-sized batches (lib/inventory/batching), one server
// action call after another, so the page stays responsive, shows progress, and can stop
// between batches. Duplicates are counted by the server per batch (within the batch and
// against stored keys, which includes earlier batches of this import).
import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { finishKeyImportAction, importKeysBatchAction } from '@/app/(console)/console/keys/actions';
import { Alert } from '@/components/ui/alert';
import { Button, buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Textarea } from '@/components/ui/field';
import { KEY_MAX_LENGTH, parseKeyText, planBatches } from '@/lib/inventory/client';

type Report = {
  total: number;
  done: number;
  imported: number;
  duplicates: number;
  blank: number;
  tooLong: number;
  header: boolean;
  seconds: number;
  cancelled: boolean;
};

type Phase =
  | { kind: 'idle' }
  | { kind: 'reading' }
  | { kind: 'running'; total: number; done: number; imported: number; duplicates: number }
  | { kind: 'finished'; report: Report };

function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ImportPanel({
  productId,
  productTitle,
  maxKeys,
  defaultOpen,
}: {
  productId: string;
  productTitle: string;
  maxKeys: number;
  defaultOpen: boolean;
}) {
  const t = useTranslations('console.keys.import');
  const n = useFormatter().number;
  const router = useRouter();
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [stopping, setStopping] = useState(false);
  const cancelled = useRef(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const busy = phase.kind === 'reading' || phase.kind === 'running';
  const [open, setOpen] = useState(defaultOpen);

  async function run() {
    setError(null);
    cancelled.current = false;
    setStopping(false);
    const started = performance.now();
    let source = text;
    let format: 'lines' | 'csv' = 'lines';
    if (file) {
      setPhase({ kind: 'reading' });
      source = await file.text();
      format = /\.csv$/i.test(file.name) ? 'csv' : 'lines';
    }
    const parsed = parseKeyText(source, format);
    if (parsed.keys.length === 0) {
      setPhase({ kind: 'idle' });
      setError(t('empty'));
      return;
    }
    if (parsed.keys.length > maxKeys) {
      setPhase({ kind: 'idle' });
      setError(t('tooMany', { max: n(maxKeys), count: n(parsed.keys.length) }));
      return;
    }
    const batches = planBatches(parsed.keys);
    const total = parsed.keys.length;
    let done = 0;
    let imported = 0;
    let duplicates = 0;
    setPhase({ kind: 'running', total, done, imported, duplicates });
    for (let i = 0; i < batches.length; i++) {
      if (cancelled.current) break;
      const batch = batches[i]!;
      let res;
      try {
        res = await importKeysBatchAction({ productId, keys: batch, first: i === 0 });
      } catch {
        res = { error: t('failed', { batch: i + 1, error: '' }) };
      }
      if (!res.ok) {
        setError(t('failed', { batch: i + 1, error: res.error ?? '' }));
        break;
      }
      const data = res.data as { imported: number; duplicates: number };
      done += batch.length;
      imported += data.imported;
      duplicates += data.duplicates;
      setPhase({ kind: 'running', total, done, imported, duplicates });
    }
    if (done > 0) await finishKeyImportAction(productId).catch(() => undefined);
    const report: Report = {
      total,
      done,
      imported,
      duplicates,
      blank: parsed.blank,
      tooLong: parsed.tooLong,
      header: parsed.header,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      cancelled: done < total,
    };
    setPhase({ kind: 'finished', report });
    setStopping(false);
    if (!report.cancelled) {
      setText('');
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
    }
    router.refresh();
  }

  const running = phase.kind === 'running' ? phase : null;
  const percent = running ? Math.floor((running.done / running.total) * 100) : 0;

  return (
    <Card className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="min-w-0">
          <h2 className="text-base font-semibold text-zinc-900">{t('title')}</h2>
          <p className="truncate text-sm text-zinc-500">{t('target', { product: productTitle })}</p>
        </div>
        {!busy && phase.kind !== 'finished' ? (
          <Button
            type="button"
            variant={open ? 'ghost' : 'secondary'}
            size="sm"
            aria-expanded={open}
            aria-controls="keys-import-body"
            onClick={() => setOpen((o) => !o)}
          >
            {open ? t('collapse') : t('expand')}
          </Button>
        ) : null}
      </div>
      {!open && !busy && phase.kind !== 'finished' ? null : (
        <div id="keys-import-body" className="space-y-4">
          {phase.kind === 'finished' ? (
            <ImportReport report={phase.report} onAgain={() => setPhase({ kind: 'idle' })} />
          ) : (
            <div className="grid gap-4 md:grid-cols-2">
              <div className="space-y-1.5">
                <label htmlFor="keys-paste" className="block text-sm font-medium text-zinc-700">
                  {t('paste')}
                </label>
                <Textarea
                  id="keys-paste"
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                  placeholder={t('pastePlaceholder')}
                  rows={6}
                  spellCheck={false}
                  disabled={busy || file != null}
                  className="font-mono text-[13px]"
                />
              </div>
              <div className="space-y-1.5">
                <label htmlFor="keys-file" className="block text-sm font-medium text-zinc-700">
                  {t('file')}
                </label>
                <div className="flex flex-wrap items-center gap-3">
                  <input
                    ref={fileInput}
                    id="keys-file"
                    type="file"
                    accept=".txt,.csv,text/plain,text/csv"
                    disabled={busy}
                    onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                    className="peer sr-only"
                  />
                  <label
                    htmlFor="keys-file"
                    className={buttonClass(
                      'secondary',
                      busy
                        ? 'pointer-events-none opacity-60'
                        : 'cursor-pointer peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-brand-500',
                    )}
                  >
                    {t('chooseFile')}
                  </label>
                  {!file ? <span className="text-sm text-zinc-500">{t('noFile')}</span> : null}
                </div>
                {file ? (
                  <p className="flex flex-wrap items-center gap-2 text-sm text-zinc-700">
                    <span className="min-w-0 truncate">{t('chosenFile', { name: file.name, size: fileSize(file.size) })}</span>
                    <Button
                      type="button"
                      variant="ghost"
                      size="sm"
                      disabled={busy}
                      onClick={() => {
                        setFile(null);
                        if (fileInput.current) fileInput.current.value = '';
                      }}
                    >
                      {t('clearFile')}
                    </Button>
                  </p>
                ) : null}
                <p className="text-xs leading-relaxed text-zinc-500">{t('fileHint', { max: n(maxKeys) })}</p>
              </div>
            </div>
          )}

          {error ? <Alert tone="error">{error}</Alert> : null}

          {running || phase.kind === 'reading' ? (
            <div className="space-y-2">
              <div
                role="progressbar"
                aria-label={t('progressLabel')}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={percent}
                aria-valuetext={running ? t('progress', { done: n(running.done), total: n(running.total) }) : t('reading')}
                className="h-2.5 overflow-hidden rounded-full bg-zinc-100"
              >
                <div className="h-full rounded-full bg-brand-600 transition-[width] duration-200" style={{ width: `${percent}%` }} />
              </div>
              <div className="flex flex-wrap justify-between gap-2 text-sm tabular-nums text-zinc-600" aria-live="polite">
                <span>{running ? t('progress', { done: n(running.done), total: n(running.total) }) : t('reading')}</span>
                {running ? <span>{t('progressDetail', { imported: n(running.imported), duplicates: n(running.duplicates) })}</span> : null}
              </div>
            </div>
          ) : null}

          {phase.kind !== 'finished' ? (
            <div className="flex flex-wrap gap-2">
              <Button type="button" onClick={() => void run()} disabled={busy || (text.trim() === '' && !file)} aria-busy={busy || undefined}>
                {busy ? `${percent}%` : t('start')}
              </Button>
              {running ? (
                <Button
                  type="button"
                  variant="secondary"
                  disabled={stopping}
                  onClick={() => {
                    cancelled.current = true;
                    setStopping(true);
                  }}
                >
                  {stopping ? t('cancelling') : t('cancel')}
                </Button>
              ) : null}
            </div>
          ) : null}
        </div>
      )}
    </Card>
  );
}

function ImportReport({ report, onAgain }: { report: Report; onAgain: () => void }) {
  const t = useTranslations('console.keys.import');
  const n = useFormatter().number;
  const items: { label: string; value: number; hint?: string; strong?: boolean }[] = [
    { label: t('imported'), value: report.imported, strong: true },
    { label: t('duplicates'), value: report.duplicates, hint: t('duplicatesHint') },
    { label: t('blank'), value: report.blank },
    { label: t('tooLong', { max: n(KEY_MAX_LENGTH) }), value: report.tooLong },
  ];
  if (report.header) items.push({ label: t('header'), value: 1 });
  return (
    <section aria-labelledby="import-report" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id="import-report" className="text-sm font-semibold text-zinc-900">
          {report.cancelled ? t('reportCancelled') : t('reportTitle')}
        </h3>
        <span className="text-xs text-zinc-500">{t('elapsed', { seconds: report.seconds })}</span>
      </div>
      {report.cancelled ? <Alert tone="warning">{t('reportCancelledNote', { left: n(report.total - report.done) })}</Alert> : null}
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4" data-testid="import-report">
        {items.map((item) => (
          <div key={item.label} className="rounded-xl bg-zinc-50 px-4 py-3 ring-1 ring-inset ring-zinc-200">
            <dt className="text-xs font-medium text-zinc-500">{item.label}</dt>
            <dd
              className={item.strong ? 'mt-1 text-2xl font-semibold tabular-nums text-emerald-700' : 'mt-1 text-2xl font-semibold tabular-nums text-zinc-800'}
            >
              {n(item.value)}
            </dd>
            {item.hint ? <dd className="mt-0.5 text-xs text-zinc-500">{item.hint}</dd> : null}
          </div>
        ))}
      </dl>
      <Button type="button" variant="secondary" onClick={onAgain}>
        {t('again')}
      </Button>
    </section>
  );
}

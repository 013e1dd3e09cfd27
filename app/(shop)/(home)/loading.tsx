import { getTranslations } from 'next-intl/server';

export default async function Loading() {
  const t = await getTranslations('states');
  return (
    <div className="space-y-4" aria-busy="true" aria-live="polite">
      <span className="sr-only">{t('loading')}</span>
      <div className="h-6 w-40 animate-pulse rounded bg-zinc-200" />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="h-32 animate-pulse rounded-2xl bg-white ring-1 ring-zinc-200" />
        ))}
      </div>
    </div>
  );
}

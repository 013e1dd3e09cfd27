import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

// Outside the shop's layout (e.g. an unknown top-level path that no group matches).
export default async function RootNotFound() {
  const t = await getTranslations('states');
  return (
    <main className="grid min-h-dvh place-items-center p-6 text-center">
      <div className="space-y-3">
        <h1 className="text-lg font-semibold">{t('notFoundTitle')}</h1>
        <p className="text-sm text-zinc-600">{t('notFoundText')}</p>
        <Link href="/" className="text-brand-700 underline">
          {t('backHome')}
        </Link>
      </div>
    </main>
  );
}

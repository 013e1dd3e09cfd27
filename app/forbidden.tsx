import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonClass } from '@/components/ui/button';

export default async function Forbidden() {
  const t = await getTranslations('console.common');
  return (
    <div className="grid min-h-[60dvh] place-items-center px-4 text-center">
      <div className="space-y-4">
        <p className="text-5xl font-semibold text-zinc-300">403</p>
        <p className="text-zinc-700">{t('errors.forbidden')}</p>
        <Link href="/console" className={buttonClass('secondary')}>
          {t('actions.back')}
        </Link>
      </div>
    </div>
  );
}

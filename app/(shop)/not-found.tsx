import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

export default async function NotFound() {
  const t = await getTranslations('states');
  return (
    <Card className="mx-auto max-w-md space-y-3 text-center">
      <h1 className="text-lg font-semibold">{t('notFoundTitle')}</h1>
      <p className="text-sm text-zinc-600">{t('notFoundText')}</p>
      <Link href="/" className={buttonClass('primary')}>
        {t('backHome')}
      </Link>
    </Card>
  );
}

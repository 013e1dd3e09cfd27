import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

/** An order that does not exist and one this browser holds no token for look the same (HTTP 404). */
export default async function OrderNotFound() {
  const t = await getTranslations('order');
  const tc = await getTranslations('common');
  return (
    <Card className="mx-auto max-w-md space-y-3 text-center">
      <h1 className="text-lg font-semibold">{t('notFound')}</h1>
      <p className="text-sm text-zinc-600">{t('needToken')}</p>
      <Link href="/lookup" className={buttonClass('secondary')}>
        {tc('lookup')}
      </Link>
    </Card>
  );
}

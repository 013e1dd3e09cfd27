'use client';

import { useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

export default function ShopError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations('states');
  return (
    <Card className="mx-auto max-w-md space-y-3 text-center" role="alert">
      <h1 className="text-lg font-semibold">{t('errorTitle')}</h1>
      <p className="text-sm text-zinc-600">{t('errorText')}</p>
      <Button onClick={() => reset()}>{t('retry')}</Button>
    </Card>
  );
}

import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { LookupForm } from '@/components/shop/lookup-form';
import { RecentOrders } from '@/components/shop/recent-orders';
import { Card } from '@/components/ui/card';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('lookup'))('title') };
}

export default async function LookupPage() {
  const t = await getTranslations('lookup');
  return (
    <div className="mx-auto max-w-md space-y-4">
      <Card className="space-y-4">
        <div className="space-y-1">
          <h1 className="text-lg font-semibold">{t('title')}</h1>
          <p className="text-sm text-zinc-600">{t('intro')}</p>
        </div>
        <LookupForm />
      </Card>
      <Card>
        <RecentOrders />
      </Card>
    </div>
  );
}

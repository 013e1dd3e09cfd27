import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { CouponForm } from '@/components/console/coupons/coupon-form';
import { PageHeader } from '@/components/ui/page-header';
import { listMerchantCategories } from '@/lib/catalog';
import { orderLabels } from '@/lib/orders';
import { createCouponsAction } from '../actions';
import { NEW_COUPON } from '../form-data';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.coupons');
  return { title: t('new') };
}

export default async function NewCouponPage() {
  const { db, merchantId } = await requireMerchantPage();
  const t = await getTranslations('console.coupons');
  const [labels, categories] = await Promise.all([orderLabels(db, merchantId), listMerchantCategories(db, merchantId)]);
  return (
    <div className="mx-auto max-w-4xl">
      <Link href="/console/coupons" className="mb-3 inline-block text-sm text-zinc-500 hover:text-zinc-800">
        ← {t('back')}
      </Link>
      <PageHeader title={t('new')} description={t('newHint')} />
      <CouponForm
        initial={NEW_COUPON}
        action={createCouponsAction}
        creating
        products={labels.products}
        categories={categories.map((c) => ({ id: c.id, name: c.name }))}
      />
    </div>
  );
}

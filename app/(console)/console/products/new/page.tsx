import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { ProductForm } from '@/components/console/products/product-form';
import { PageHeader } from '@/components/ui/page-header';
import { listMerchantCategories } from '@/lib/catalog';
import { formValuesOf } from '../form-values';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.products');
  return { title: t('form.newTitle') };
}

export default async function NewProductPage() {
  const ctx = await requireMerchantPage();
  const t = await getTranslations('console.products');
  const categories = await listMerchantCategories(ctx.db, ctx.merchantId);
  return (
    <div className="mx-auto max-w-4xl">
      <Link href="/console/products" className="mb-3 inline-block text-sm text-zinc-500 hover:text-zinc-800">
        ← {t('form.back')}
      </Link>
      <PageHeader title={t('form.newTitle')} />
      <ProductForm initial={formValuesOf(null)} categories={categories.map((c) => ({ id: c.id, name: c.name }))} />
    </div>
  );
}

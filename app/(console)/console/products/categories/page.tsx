import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { CategoryCreateForm, CategoryRow } from '@/components/console/products/category-manager';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyRow, Th } from '@/components/ui/table';
import { listMerchantCategories } from '@/lib/catalog';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.products');
  return { title: t('categories.title') };
}

export default async function CategoriesPage() {
  const ctx = await requireMerchantPage();
  const t = await getTranslations('console.products');
  const rows = await listMerchantCategories(ctx.db, ctx.merchantId);
  return (
    <div className="mx-auto max-w-4xl">
      <Link href="/console/products" className="mb-3 inline-block text-sm text-zinc-500 hover:text-zinc-800">
        ← {t('categories.back')}
      </Link>
      <PageHeader title={t('categories.title')} description={t('categories.description')} />
      <div className="space-y-6">
        <CategoryCreateForm />
        <div className="overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-zinc-200">
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-zinc-200 text-sm">
              <thead className="bg-zinc-50/60">
                <tr>
                  <Th className="w-20 pl-4">{t('categories.order')}</Th>
                  <Th>{t('categories.name')}</Th>
                  <Th className="text-right">{t('categories.products')}</Th>
                  <Th className="pr-4 text-right">{t('categories.actions')}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {rows.length === 0 ? (
                  <EmptyRow colSpan={4}>{t('categories.empty')}</EmptyRow>
                ) : (
                  rows.map((c, i) => <CategoryRow key={c.id} category={c} first={i === 0} last={i === rows.length - 1} />)
                )}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}

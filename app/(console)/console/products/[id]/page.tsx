import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { DeliverySecret } from '@/components/console/products/delivery-secret';
import { ProductForm } from '@/components/console/products/product-form';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { getMerchantProduct, listMerchantCategories } from '@/lib/catalog';
import { isAppError } from '@/lib/errors';
import { deliverySecretAction } from '../actions';
import { formValuesOf } from '../form-values';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.products');
  return { title: t('form.editTitle') };
}

export default async function EditProductPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await requireMerchantPage();
  const t = await getTranslations('console.products');
  const { id } = await params;
  const created = (await searchParams).created === '1';
  // Another merchant's product, or no such id: the same 404.
  const product = await getMerchantProduct(ctx.db, ctx.merchantId, id).catch((err: unknown) => {
    if (isAppError(err) && err.code === 'not_found') notFound();
    throw err;
  });
  const categories = await listMerchantCategories(ctx.db, ctx.merchantId);
  const keysHref = `/console/keys?product=${product.id}`;
  return (
    <div className="mx-auto max-w-4xl">
      <Link href="/console/products" className="mb-3 inline-block text-sm text-zinc-500 hover:text-zinc-800">
        ← {t('form.back')}
      </Link>
      <PageHeader
        title={product.title}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <Badge tone={product.active ? 'green' : 'neutral'}>{product.active ? t('list.on') : t('list.off')}</Badge>
            <span>{t(`delivery.${product.deliveryType}`)}</span>
            <span className="font-mono text-xs">/p/{product.slug}</span>
          </span>
        }
        actions={
          product.deliveryType === 'auto' ? (
            <Link href={keysHref} className={buttonClass('secondary')}>
              {t('form.importKeys')}
            </Link>
          ) : null
        }
      />
      {created ? (
        <Alert tone="success" className="mb-6">
          {product.deliveryType === 'auto' ? (
            <>
              {t('form.createdAuto')}{' '}
              <Link href={keysHref} className="font-medium underline">
                {t('form.importKeys')} →
              </Link>
            </>
          ) : (
            t('form.created')
          )}
        </Alert>
      ) : null}
      {product.deliveryType === 'webhook' ? (
        <div className="mb-6">
          <DeliverySecret productId={product.id} action={deliverySecretAction} />
        </div>
      ) : null}
      <ProductForm
        productId={product.id}
        initial={formValuesOf(product)}
        categories={categories.map((c) => ({ id: c.id, name: c.name }))}
        keysHref={keysHref}
        shopHref={product.active ? `/p/${product.slug}` : undefined}
      />
    </div>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { requireMerchantPage } from '@/app/(console)/guard';
import { ImportPanel } from '@/components/console/keys/import-panel';
import { KeyTable, type KeyTableRow } from '@/components/console/keys/key-table';
import { ProductPicker } from '@/components/console/keys/product-picker';
import { StockTabs } from '@/components/console/keys/stock-tabs';
import { buttonClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import type { CardKeyStatus } from '@/lib/inventory';
import { isAppError } from '@/lib/errors';
import { isKeyStatus, listKeyProducts, listKeys, MAX_KEYS_PER_IMPORT, productStock } from '@/lib/inventory';
import { KeysetPager } from '@/components/ui/keyset-pager';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('console.keys');
  return { title: t('title') };
}

const PAGE_SIZE = 50;

type Search = { product?: string | string[]; status?: string | string[]; cursor?: string | string[] };
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export default async function KeysPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await requireMerchantPage();
  const t = await getTranslations('console.keys');
  const format = await getFormatter();
  const params = await searchParams;
  const products = await listKeyProducts(ctx.db, ctx.merchantId);

  if (products.length === 0) {
    return (
      <>
        <PageHeader title={t('title')} description={t('description')} />
        <Card className="py-12 text-center">
          <h2 className="text-base font-semibold text-zinc-900">{t('noProducts.title')}</h2>
          <p className="mx-auto mt-2 max-w-md text-sm text-zinc-500">{t('noProducts.body')}</p>
          <Link href="/console/products" className={buttonClass('primary', 'mt-5')}>
            {t('noProducts.action')}
          </Link>
        </Card>
      </>
    );
  }

  // An unknown or foreign product id falls back to the first product: the list is scoped
  // to the merchant's own products either way (lib/inventory answers not_found).
  const product = products.find((p) => p.id === one(params.product)) ?? products[0]!;
  const rawStatus = one(params.status);
  const status: CardKeyStatus = isKeyStatus(rawStatus) ? rawStatus : 'available';
  let cursor: string | null = one(params.cursor) || null;
  const stock = await productStock(ctx.db, { merchantId: ctx.merchantId, productId: product.id });
  let page: Awaited<ReturnType<typeof listKeys>>;
  try {
    page = await listKeys(ctx.db, { merchantId: ctx.merchantId, productId: product.id, status, cursor, limit: PAGE_SIZE });
  } catch (err) {
    if (!isAppError(err) || err.code !== 'validation_failed') throw err;
    cursor = null; // a mangled cursor in the URL: start over rather than fail
    page = await listKeys(ctx.db, { merchantId: ctx.merchantId, productId: product.id, status, limit: PAGE_SIZE });
  }

  const when = (iso: string | null) => (iso ? format.dateTime(new Date(iso), { dateStyle: 'short', timeStyle: 'short' }) : null);
  const rows: KeyTableRow[] = page.keys.map((k) => ({
    id: k.id,
    masked: k.masked,
    status: k.status,
    created: when(k.createdAt)!,
    soldOrReserved: when(k.soldAt ?? k.reservedAt),
    orderNo: k.orderNo,
  }));
  const href = (extra: Record<string, string>) => `/console/keys?${new URLSearchParams({ product: product.id, status, ...extra })}`;
  const statusName = t(`stock.${status}`);

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <a
            href={`/console/keys/export?${new URLSearchParams({ product: product.id, status })}`}
            className={buttonClass('secondary', stock[status] === 0 ? 'pointer-events-none opacity-50' : undefined)}
            aria-disabled={stock[status] === 0 || undefined}
            title={t('export.hint')}
            download
          >
            {t('export.button', { status: statusName })}
          </a>
        }
      />

      <div className="space-y-6">
        <Card className="space-y-4">
          <ProductPicker products={products} current={product.id} status={status} />
          <StockTabs stock={stock} current={status} hrefFor={(s) => `/console/keys?${new URLSearchParams({ product: product.id, status: s })}`} />
        </Card>

        <ImportPanel key={product.id} productId={product.id} productTitle={product.title} maxKeys={MAX_KEYS_PER_IMPORT} defaultOpen={stock.available === 0} />

        <section aria-label={t('list.caption', { status: statusName })} className="overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-zinc-200">
          <KeyTable key={`${product.id}:${status}:${cursor ?? ''}`} productId={product.id} status={status} statusName={statusName} rows={rows} />
          <KeysetPager
            footer
            summary={t('list.showing', { count: rows.length })}
            firstHref={cursor ? href({}) : null}
            nextHref={page.nextCursor ? href({ cursor: page.nextCursor }) : null}
            firstLabel={t('list.firstPage')}
            nextLabel={t('list.nextPage')}
          />
        </section>
      </div>
    </>
  );
}

import { CatalogView, type CatalogSearch } from '@/components/shop/catalog-view';
import { cachedCatalog, currentShop } from '../shop-data';

export default async function HomePage({ searchParams }: { searchParams: Promise<CatalogSearch> }) {
  const shop = await currentShop();
  const catalog = shop ? await cachedCatalog(shop.id, null) : { products: [], categories: [] };
  return <CatalogView shop={shop} agent={null} search={await searchParams} catalog={catalog} />;
}

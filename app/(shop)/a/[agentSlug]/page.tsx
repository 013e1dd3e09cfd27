import { notFound } from 'next/navigation';
import { CatalogView, type CatalogSearch } from '@/components/shop/catalog-view';
import { agentShop, cachedCatalog } from '../../shop-data';

export default async function AgentHomePage({ params, searchParams }: { params: Promise<{ agentSlug: string }>; searchParams: Promise<CatalogSearch> }) {
  const found = await agentShop((await params).agentSlug);
  if (!found) notFound();
  const catalog = await cachedCatalog(found.shop.id, found.agent);
  return <CatalogView shop={found.shop} agent={found.agent} search={await searchParams} catalog={catalog} />;
}

import { notFound } from 'next/navigation';
import { ProductView } from '@/components/shop/product-view';
import { agentShop, productMetadata } from '../../../../shop-data';

type Props = { params: Promise<{ agentSlug: string; slug: string }> };

export async function generateMetadata({ params }: Props) {
  const { agentSlug, slug } = await params;
  return productMetadata((await agentShop(agentSlug))?.shop ?? null, slug);
}

export default async function AgentProductPage({ params }: Props) {
  const { agentSlug, slug } = await params;
  const found = await agentShop(agentSlug);
  if (!found) notFound();
  return <ProductView shop={found.shop} agent={found.agent} slug={slug} />;
}

import { ProductView } from '@/components/shop/product-view';
import { currentShop, productMetadata } from '../../shop-data';

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props) {
  return productMetadata(await currentShop(), (await params).slug);
}

export default async function ProductPage({ params }: Props) {
  return <ProductView shop={await currentShop()} agent={null} slug={(await params).slug} />;
}

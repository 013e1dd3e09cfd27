import { getDb } from '@/db/client';
import { shopTerms } from '@/lib/agents';
import { listStoreProducts } from '@/lib/catalog';
import { handle, json } from '@/app/_lib/http';
import { storeMerchant } from '@/app/_lib/store';

export const GET = handle(async (req: Request) => {
  const db = getDb();
  const { merchantId, agent } = await storeMerchant(db, new URL(req.url).searchParams.get('agent'));
  const products = await listStoreProducts(db, merchantId, agent ? await shopTerms(db, agent) : null);
  return json({
    products: products.map((p) => ({
      id: p.id,
      slug: p.slug,
      title: p.title,
      price: p.price,
      currency: p.currency,
      stock: p.stock,
      reserved: p.reserved,
      deliveryType: p.deliveryType,
    })),
  });
});

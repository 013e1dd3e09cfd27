import { getDb } from '@/db/client';
import { getMerchantProduct } from '@/lib/catalog';
import { stockOf } from '@/lib/inventory';
import { handle, json } from '../../../_lib/http';
import { apiPrincipal } from '../../../_lib/merchant';
import { apiProductView } from '../../../_lib/views';

export const GET = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const db = getDb();
  const principal = await apiPrincipal(db, req, 'products:read');
  const product = await getMerchantProduct(db, principal.merchantId, (await ctx.params).id);
  const { available, reserved, sold } = await stockOf(db, product.id);
  return json({ ...apiProductView(product), stock: { available, reserved, sold } });
});

import { getDb } from '@/db/client';
import { getMerchantProduct } from '@/lib/catalog';
import { stockOf } from '@/lib/inventory';
import { handle, json } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';
import { apiProductView } from '@/app/_lib/views';

export const GET = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'products:read');
  const product = await getMerchantProduct(db, actor.merchantId, (await ctx.params).id);
  const { available, reserved, sold } = await stockOf(db, product.id);
  return json({ ...apiProductView(product), stock: { available, reserved, sold } });
});

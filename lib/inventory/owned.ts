import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { products, type Product } from '@/db/schema';
import { AppError } from '@/lib/errors';

export type StockProduct = Pick<Product, 'id' | 'title' | 'deliveryType'>;

/**
 * The merchant's product whose keys are about to be touched, or `not_found` (also for
 * another merchant's product, so a guessed id teaches nothing). Inventory checks this
 * itself rather than asking the catalogue, which needs inventory for its stock counts.
 */
export async function ownProduct(db: DbOrTx, merchantId: string, productId: string): Promise<StockProduct> {
  if (!z.guid().safeParse(productId).success) throw new AppError('not_found', 'No such product.');
  const [row] = await db
    .select({ id: products.id, title: products.title, deliveryType: products.deliveryType })
    .from(products)
    .where(and(eq(products.id, productId), eq(products.merchantId, merchantId)));
  if (!row) throw new AppError('not_found', 'No such product.');
  return row;
}

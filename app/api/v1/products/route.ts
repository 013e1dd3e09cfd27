import { desc, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { products } from '@/db/schema';
import { recordAudit } from '@/lib/audit';
import { createProduct } from '@/lib/catalog';
import { invalidateCatalog } from '../../_lib/catalog-cache';
import { handle, json, readJson } from '../../_lib/http';
import { apiPrincipal } from '../../_lib/merchant';
import { apiProductView } from '../../_lib/views';

export const POST = handle(async (req: Request) => {
  const db = getDb();
  const principal = await apiPrincipal(db, req, 'products:write');
  const body = await readJson(req);
  const product = await db.transaction(async (tx) => {
    const p = await createProduct(tx, principal.merchantId, body);
    await recordAudit(tx, {
      merchantId: principal.merchantId,
      actorType: 'api_key',
      actorId: principal.prefix,
      action: 'product.create',
      targetType: 'product',
      targetId: p.id,
      detail: { price: p.price, currency: p.currency },
    });
    return p;
  });
  invalidateCatalog(principal.merchantId);
  return json(apiProductView(product), 201);
});

export const GET = handle(async (req: Request) => {
  const db = getDb();
  const principal = await apiPrincipal(db, req, 'products:read');
  const rows = await db.select().from(products).where(eq(products.merchantId, principal.merchantId)).orderBy(desc(products.createdAt)).limit(500);
  return json({ products: rows.map(apiProductView) });
});

import { getDb } from '@/db/client';
import { createProduct, listProductRecords } from '@/lib/catalog';
import { invalidateCatalog } from '@/app/_lib/catalog-cache';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';
import { apiProductView } from '@/app/_lib/views';

export const POST = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'products:write');
  const product = await createProduct(db, actor, await readJson(req));
  invalidateCatalog(actor.merchantId);
  return json(apiProductView(product), 201);
});

export const GET = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'products:read');
  return json({ products: (await listProductRecords(db, actor.merchantId)).map(apiProductView) });
});

import { getDb } from '@/db/client';
import { listStoreChannels } from '@/lib/payments';
import { handle, json } from '@/app/_lib/http';
import { storeMerchant } from '@/app/_lib/store';

export const GET = handle(async (req: Request) => {
  const db = getDb();
  const { merchantId } = await storeMerchant(db, new URL(req.url).searchParams.get('agent'));
  return json({ channels: await listStoreChannels(db, merchantId) });
});

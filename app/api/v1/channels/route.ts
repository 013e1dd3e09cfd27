import { getDb } from '@/db/client';
import { createChannel, listMerchantChannels } from '@/lib/payments';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';
import { apiChannelView } from '@/app/_lib/views';

export const POST = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'channels:write');
  const body = await readJson(req);
  const channel = await createChannel(db, actor, (body ?? {}) as Parameters<typeof createChannel>[2]);
  return json(apiChannelView(channel), 201);
});

export const GET = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'channels:write');
  return json({ channels: (await listMerchantChannels(db, actor.merchantId)).map(apiChannelView) });
});

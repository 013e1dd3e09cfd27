import { getDb } from '@/db/client';
import { AppError } from '@/lib/errors';
import { getMerchantChannel, updateChannel, type UpdateChannelInput } from '@/lib/payments';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiActor } from '@/app/_lib/merchant';
import { apiChannelView } from '@/app/_lib/views';

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle(async (req: Request, ctx: Ctx) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'channels:write');
  return json(apiChannelView(await getMerchantChannel(db, actor.merchantId, (await ctx.params).id)));
});

/** Changes any of name, enabled, priority, minAmount, maxAmount, feeBps and config (blank or left-out secrets are kept). */
export const PATCH = handle(async (req: Request, ctx: Ctx) => {
  const db = getDb();
  const actor = await apiActor(db, req, 'channels:write');
  const body = await readJson(req);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('validation_failed', 'Send a JSON object.');
  const { channel, changed } = await updateChannel(db, actor, { ...(body as Omit<UpdateChannelInput, 'channelId'>), channelId: (await ctx.params).id });
  return json({ ...apiChannelView(channel), changed });
});

import { getDb } from '@/db/client';
import { getOrderForBuyer } from '@/lib/orders';
import { handle, json } from '../../../_lib/http';
import { apiOrderView } from '../../../_lib/views';

export const GET = handle(async (req: Request, ctx: { params: Promise<{ orderNo: string }> }) => {
  const { orderNo } = await ctx.params;
  const token = /^Bearer\s+(\S+)$/.exec(req.headers.get('authorization') ?? '')?.[1];
  return json(apiOrderView(await getOrderForBuyer(getDb(), orderNo, token)));
});

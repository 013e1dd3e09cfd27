import { getDb } from '@/db/client';
import { getOrderForBuyer } from '@/lib/orders';
import { handle, json } from '@/app/_lib/http';
import { apiOrderView } from '@/app/_lib/views';

export const GET = handle(async (req: Request, ctx: { params: Promise<{ orderNo: string }> }) => {
  const { orderNo } = await ctx.params;
  const token = /^Bearer\s+(\S+)$/.exec(req.headers.get('authorization') ?? '')?.[1];
  return json(apiOrderView(await getOrderForBuyer(getDb(), orderNo, token)));
});

import { getDb } from '@/db/client';
import { actingAgent, listWithdrawals, requestWithdrawal } from '@/lib/agents';
import { handle, json, readJson } from '@/app/_lib/http';
import { apiAgentActor } from '@/app/_lib/merchant';
import { apiWithdrawalView } from '@/app/_lib/views';

/** Asks for a payout: `{"amount", "method": "alipay|wechat|usdt_trc20|bank", "account", "accountName"?}` → 201, or 409 `insufficient_balance|withdrawal_open|owes_money`. */
export const POST = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiAgentActor(db, req);
  const w = await requestWithdrawal(db, actor, (await readJson(req)) as never);
  return json({ id: w.id, status: w.status, amount: w.amount, fee: w.fee }, 201);
});

/** The agent's own withdrawals, newest first. */
export const GET = handle(async (req: Request) => {
  const db = getDb();
  const agent = await actingAgent(db, await apiAgentActor(db, req));
  return json({ withdrawals: (await listWithdrawals(db, { merchantId: agent.merchantId, agentId: agent.id })).map(apiWithdrawalView) });
});

import { getDb } from '@/db/client';
import { actingAgent, getAgent, listLevels } from '@/lib/agents';
import { getConfig } from '@/lib/config';
import { handle, json } from '@/app/_lib/http';
import { apiAgentActor } from '@/app/_lib/merchant';

/** The agent's own level, shop and balance (an agent key: scope `agent`). */
export const GET = handle(async (req: Request) => {
  const db = getDb();
  const actor = await apiAgentActor(db, req);
  const agent = await actingAgent(db, actor);
  const [view, levels] = await Promise.all([getAgent(db, agent.merchantId, agent.id), listLevels(db, agent.merchantId)]);
  const level = levels.find((l) => l.rank === agent.level)!;
  return json({
    id: agent.id,
    status: agent.status,
    shop: {
      slug: agent.slug,
      name: agent.name,
      url: `${getConfig().appUrl}/a/${agent.slug}`,
      notice: agent.notice,
      contact: agent.contact,
      logoUrl: agent.logoUrl,
    },
    level: {
      rank: level.rank,
      name: level.name,
      minMarkupBp: level.minMarkupBp,
      maxMarkupBp: level.maxMarkupBp,
      allowBelowRetail: level.allowBelowRetail,
      holdHours: level.holdHours,
      withdrawMin: level.withdrawMin,
      withdrawFeeBp: level.withdrawFeeBp,
    },
    balance: view!.balance,
  });
});

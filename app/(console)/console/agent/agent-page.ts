// Who is asking on an agent page: an agent's login (requirePage('agent')) and the agent row
// behind it, or null when the login is not linked to an agent of its merchant.
import 'server-only';
import { actingAgent, type Agent } from '@/lib/agents';
import { isAppError } from '@/lib/errors';
import { requirePage, type ConsoleContext } from '../../guard';

export async function requireAgentPage(): Promise<ConsoleContext & { agent: Agent | null }> {
  const ctx = await requirePage('agent');
  const agent = await actingAgent(ctx.db, ctx.actor).catch((err: unknown) => {
    if (isAppError(err) && err.code === 'forbidden') return null;
    throw err;
  });
  return { ...ctx, agent };
}

// Which agent an actor is: an agent's console login (users.role = 'agent', linked from
// agents.user_id) or an agent's own API key (actor.agentId). Everything an agent does is
// scoped by this row, never by an id from the request.
import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { agents, type Agent } from '@/db/schema';
import type { Actor } from '@/lib/audit';
import { AppError } from '@/lib/errors';

/** The agent acting, or `forbidden` for anyone else (a merchant is not an agent). */
export async function actingAgent(db: DbOrTx, actor: Actor): Promise<Agent> {
  if (actor.kind !== 'agent' || !actor.merchantId) throw new AppError('forbidden', 'Only an agent may do this.');
  const where = actor.agentId
    ? and(eq(agents.id, actor.agentId), eq(agents.merchantId, actor.merchantId))
    : z.guid().safeParse(actor.id).success
      ? and(eq(agents.userId, actor.id!), eq(agents.merchantId, actor.merchantId))
      : undefined;
  if (!where) throw new AppError('forbidden', 'Only an agent may do this.');
  const [agent] = await db.select().from(agents).where(where);
  if (!agent) throw new AppError('forbidden', 'This account is not linked to an agent.');
  return agent;
}

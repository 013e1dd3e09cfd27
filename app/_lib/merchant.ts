import 'server-only';
import type { Db } from '@/db/client';
import type { Actor } from '@/lib/audit';
import { AGENT_SCOPE, apiKeyActor, authenticateApiKey, requireScope, type ApiScope } from '@/lib/auth';
import { clientIp } from './http';

/**
 * Every /api/v1 handler starts here: the API key decides the merchant, and nothing in the
 * request can. The actor it returns is what the handler passes to lib/ (scoping, audit).
 */
export async function apiActor(db: Db, req: Request, scope: ApiScope): Promise<Actor & { merchantId: string }> {
  const principal = await authenticateApiKey(db, req.headers.get('authorization'));
  requireScope(principal, scope);
  return { ...apiKeyActor(principal, clientIp(req)), merchantId: principal.merchantId };
}

/**
 * Every /api/v1/agent handler starts here: an agent's own key (scope `agent`) decides which
 * agent acts; a merchant's key is refused.
 */
export async function apiAgentActor(db: Db, req: Request): Promise<Actor & { merchantId: string; agentId: string }> {
  const principal = await authenticateApiKey(db, req.headers.get('authorization'));
  requireScope(principal, AGENT_SCOPE);
  const actor = apiKeyActor(principal, clientIp(req));
  return { ...actor, merchantId: principal.merchantId, agentId: principal.agentId! };
}

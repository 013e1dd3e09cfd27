import 'server-only';
import type { Db } from '@/db/client';
import { authenticateApiKey, requireScope, type ApiPrincipal, type ApiScope } from '@/lib/auth/api-keys';

/** Every /api/v1 handler starts here: the API key decides the merchant; nothing in the request can. */
export async function apiPrincipal(db: Db, req: Request, scope: ApiScope): Promise<ApiPrincipal> {
  const principal = await authenticateApiKey(db, req.headers.get('authorization'));
  requireScope(principal, scope);
  return principal;
}

import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { apiKeys, merchants } from '@/db/schema';
import { safeEqual, sha256Hex } from '@/lib/crypto';
import { AppError } from '@/lib/errors';

export const API_SCOPES = ['products:read', 'products:write', 'keys:write', 'orders:read', 'channels:write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export type ApiPrincipal = { merchantId: string; apiKeyId: string; prefix: string; scopes: ApiScope[] };

/** Creates a key `ofk_<prefix>_<secret>`; the whole key is returned once and only its hash is kept. */
export async function createApiKey(
  db: DbOrTx,
  input: { merchantId: string; name: string; scopes?: ApiScope[]; createdBy?: string | null },
): Promise<{ id: string; key: string; prefix: string }> {
  const prefix = `ofk_${randomBytes(4).toString('hex')}`;
  const key = `${prefix}_${randomBytes(24).toString('base64url')}`;
  const [row] = await db
    .insert(apiKeys)
    .values({ merchantId: input.merchantId, name: input.name, prefix, hash: sha256Hex(key), scopes: [...(input.scopes ?? API_SCOPES)], createdBy: input.createdBy ?? null })
    .returning({ id: apiKeys.id });
  return { id: row!.id, key, prefix };
}

/** `Authorization: Bearer ofk_…` → the merchant it acts for, or `unauthorized`. */
export async function authenticateApiKey(db: DbOrTx, authorization: string | null): Promise<ApiPrincipal> {
  const match = /^Bearer\s+(ofk_[0-9a-f]{8})_([A-Za-z0-9_-]{16,64})$/.exec(authorization?.trim() ?? '');
  if (!match) throw new AppError('unauthorized', 'A valid API key is required (Authorization: Bearer ofk_…).');
  const prefix = match[1]!;
  const [row] = await db
    .select({ id: apiKeys.id, merchantId: apiKeys.merchantId, hash: apiKeys.hash, scopes: apiKeys.scopes, status: merchants.status })
    .from(apiKeys)
    .innerJoin(merchants, eq(merchants.id, apiKeys.merchantId))
    .where(and(eq(apiKeys.prefix, prefix), isNull(apiKeys.revokedAt)));
  if (!row || !safeEqual(row.hash, sha256Hex(`${prefix}_${match[2]}`))) {
    throw new AppError('unauthorized', 'A valid API key is required (Authorization: Bearer ofk_…).');
  }
  if (row.status !== 'active') throw new AppError('forbidden', 'This merchant is suspended.');
  // Last use at minute precision: one write a minute per key at most, not one per request.
  await db.execute(
    sql`UPDATE api_keys SET last_used_at = now() WHERE id = ${row.id} AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
  );
  return { merchantId: row.merchantId, apiKeyId: row.id, prefix, scopes: row.scopes as ApiScope[] };
}

export function requireScope(principal: ApiPrincipal, scope: ApiScope): void {
  if (!principal.scopes.includes(scope)) throw new AppError('forbidden', `This API key lacks the ${scope} scope.`);
}

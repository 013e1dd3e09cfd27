import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { apiKeys, merchants } from '@/db/schema';
import { safeEqual, sha256Hex } from '@/lib/crypto';
import { AppError, fieldsFromZod } from '@/lib/errors';

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
    .values({
      merchantId: input.merchantId,
      name: input.name,
      prefix,
      hash: sha256Hex(key),
      scopes: [...(input.scopes ?? API_SCOPES)],
      createdBy: input.createdBy ?? null,
    })
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
  await db.execute(sql`UPDATE api_keys SET last_used_at = now() WHERE id = ${row.id} AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`);
  return { merchantId: row.merchantId, apiKeyId: row.id, prefix, scopes: row.scopes as ApiScope[] };
}

export function requireScope(principal: ApiPrincipal, scope: ApiScope): void {
  if (!principal.scopes.includes(scope)) throw new AppError('forbidden', `This API key lacks the ${scope} scope.`);
}

// ── Console management ─────────────────────────────────────────────────────────────────
// What the console may see of a key: never its hash, and the key itself only at creation.

export type ApiKeyListItem = {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

const apiKeyInputSchema = z.object({
  name: z.string().trim().min(1, 'required').max(60, 'too long'),
  scopes: z
    .array(z.enum(API_SCOPES))
    .min(1, 'required')
    .transform((s) => [...new Set(s)]),
});

/** Validates a console form's name and scopes; `validation_failed` with fields otherwise. */
export function parseApiKeyInput(raw: { name: unknown; scopes: unknown }): { name: string; scopes: ApiScope[] } {
  const parsed = apiKeyInputSchema.safeParse(raw);
  if (!parsed.success) {
    // `scopes.3` → `scopes`: the form shows one message under the group of checkboxes.
    const fields = fieldsFromZod(parsed.error.issues.map((i) => ({ ...i, path: i.path.slice(0, 1) })));
    throw new AppError('validation_failed', 'Invalid API key input.', { fields });
  }
  return parsed.data;
}

/** The merchant's keys, newest first, revoked ones included (they stay for the record). */
export async function listApiKeys(db: DbOrTx, merchantId: string): Promise<ApiKeyListItem[]> {
  const rows = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.merchantId, merchantId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(500);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes as ApiScope[],
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
  }));
}

/**
 * Revokes one of the merchant's keys. Another merchant's id (or no such id) is `not_found`;
 * revoking a revoked key changes nothing and says so (`revoked: false`), so a double click is harmless.
 */
export async function revokeApiKey(db: DbOrTx, merchantId: string, id: string): Promise<{ prefix: string; revoked: boolean }> {
  if (!z.uuid().safeParse(id).success) throw new AppError('not_found', 'No such API key.');
  const [changed] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.merchantId, merchantId), isNull(apiKeys.revokedAt)))
    .returning({ prefix: apiKeys.prefix });
  if (changed) return { prefix: changed.prefix, revoked: true };
  const [existing] = await db
    .select({ prefix: apiKeys.prefix })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.merchantId, merchantId)));
  if (!existing) throw new AppError('not_found', 'No such API key.');
  return { prefix: existing.prefix, revoked: false };
}

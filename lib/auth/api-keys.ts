// API keys for the merchant API: `ofk_<prefix>_<secret>`, only the hash kept. Creating and
// revoking are use cases (db, actor, input), audited with the prefix, never the key.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { apiKeys, merchants } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { randomToken, safeEqual, sha256Hex } from '@/lib/crypto';
import { AppError, fieldsFromZod, type FieldErrors } from '@/lib/errors';

export const API_SCOPES = [
  'products:read',
  'products:write',
  'keys:write',
  'orders:read',
  'orders:write',
  'channels:write',
  'coupons:write',
  'risk:write',
  'agents:write',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** `agentId`: an agent's own key (scope `agent`): it acts as that agent, and no merchant scope reaches it. */
export type ApiPrincipal = { merchantId: string; apiKeyId: string; prefix: string; scopes: ApiScope[]; agentId: string | null };

/** The scope of an agent's key (the agent API, `/api/v1/agent/…`). */
export const AGENT_SCOPE = 'agent';

const apiKeyInputSchema = z.object({
  name: z.string().trim().min(1).max(60),
  scopes: z
    .array(z.enum(API_SCOPES))
    .min(1)
    .transform((s) => [...new Set(s)]),
});

function apiKeyFieldErrors(issues: Parameters<typeof fieldsFromZod>[0]): FieldErrors {
  // `scopes.3` → `scopes`: the form shows one message under the group of checkboxes.
  return fieldsFromZod(issues.map((i) => ({ ...i, path: i.path.slice(0, 1) })));
}

/**
 * Creates a key `ofk_<prefix>_<secret>` for the actor's merchant; the whole key is returned
 * once and only its hash is kept. Audited with the prefix, the name and the scopes.
 */
export async function createApiKey(
  db: DbOrTx,
  actor: Actor,
  input: { name: unknown; scopes?: unknown },
): Promise<{ id: string; key: string; prefix: string; name: string; scopes: ApiScope[] }> {
  const merchantId = merchantOf(actor);
  const parsed = apiKeyInputSchema.safeParse({ name: input.name, scopes: input.scopes ?? [...API_SCOPES] });
  if (!parsed.success) throw new AppError('validation_failed', 'Invalid API key input.', { fields: apiKeyFieldErrors(parsed.error.issues) });
  const { name, scopes } = parsed.data;
  return db.transaction(async (tx) => {
    const issued = await issueApiKey(tx, { merchantId, name, scopes, agentId: null, createdBy: actor.kind === 'user' ? actor.id : null });
    await recordAudit(tx, actor, {
      action: 'api_key.create',
      targetType: 'api_key',
      targetId: issued.id,
      detail: { prefix: issued.prefix, name, scopes: scopes.join(',') },
    });
    return { ...issued, name, scopes };
  });
}

/** Writes a new key's row (only its hash) and returns the key, once; the caller audits. */
export async function issueApiKey(
  db: DbOrTx,
  row: { merchantId: string; name: string; scopes: string[]; agentId: string | null; createdBy: string | null },
): Promise<{ id: string; key: string; prefix: string }> {
  const prefix = `ofk_${randomBytes(4).toString('hex')}`;
  const key = `${prefix}_${randomToken()}`;
  const [inserted] = await db
    .insert(apiKeys)
    .values({ ...row, prefix, hash: sha256Hex(key) })
    .returning({ id: apiKeys.id });
  return { id: inserted!.id, key, prefix };
}

/** The actor a request with this API key acts as. */
export function apiKeyActor(principal: ApiPrincipal, ip: string | null): Actor {
  if (principal.agentId) return { kind: 'agent', id: principal.prefix, merchantId: principal.merchantId, ip, agentId: principal.agentId };
  return { kind: 'api_key', id: principal.prefix, merchantId: principal.merchantId, ip };
}

/** `Authorization: Bearer ofk_…` → the merchant it acts for, or `unauthorized`. */
export async function authenticateApiKey(db: DbOrTx, authorization: string | null): Promise<ApiPrincipal> {
  const match = /^Bearer\s+(ofk_[0-9a-f]{8})_([A-Za-z0-9_-]{16,64})$/.exec(authorization?.trim() ?? '');
  if (!match) throw new AppError('unauthorized', 'A valid API key is required (Authorization: Bearer ofk_…).');
  const prefix = match[1]!;
  const [row] = await db
    .select({ id: apiKeys.id, merchantId: apiKeys.merchantId, hash: apiKeys.hash, scopes: apiKeys.scopes, agentId: apiKeys.agentId, status: merchants.status })
    .from(apiKeys)
    .innerJoin(merchants, eq(merchants.id, apiKeys.merchantId))
    .where(and(eq(apiKeys.prefix, prefix), isNull(apiKeys.revokedAt)));
  if (!row || !safeEqual(row.hash, sha256Hex(`${prefix}_${match[2]}`))) {
    throw new AppError('unauthorized', 'A valid API key is required (Authorization: Bearer ofk_…).');
  }
  if (row.status !== 'active') throw new AppError('forbidden', 'This merchant is suspended.');
  // Last use at minute precision: one write a minute per key at most, not one per request.
  await db.execute(sql`UPDATE api_keys SET last_used_at = now() WHERE id = ${row.id} AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`);
  return { merchantId: row.merchantId, apiKeyId: row.id, prefix, scopes: row.scopes as ApiScope[], agentId: row.agentId };
}

export function requireScope(principal: ApiPrincipal, scope: ApiScope | typeof AGENT_SCOPE): void {
  if (!(principal.scopes as string[]).includes(scope)) throw new AppError('forbidden', `This API key lacks the ${scope} scope.`);
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
    .where(and(eq(apiKeys.merchantId, merchantId), isNull(apiKeys.agentId)))
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
 * Revokes one of the actor's merchant's keys. Another merchant's id (or no such id) is
 * `not_found`; revoking a revoked key changes nothing and says so (`revoked: false`, not
 * audited), so a double click is harmless.
 */
export async function revokeApiKey(db: DbOrTx, actor: Actor, input: { id: string }): Promise<{ prefix: string; revoked: boolean }> {
  const merchantId = merchantOf(actor);
  const id = input.id;
  if (typeof id !== 'string' || !z.uuid().safeParse(id).success) throw new AppError('not_found', 'No such API key.');
  return db.transaction(async (tx) => {
    const [changed] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.merchantId, merchantId), isNull(apiKeys.revokedAt)))
      .returning({ prefix: apiKeys.prefix });
    if (changed) {
      await recordAudit(tx, actor, { action: 'api_key.revoke', targetType: 'api_key', targetId: id, detail: { prefix: changed.prefix } });
      return { prefix: changed.prefix, revoked: true };
    }
    const [existing] = await tx
      .select({ prefix: apiKeys.prefix })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, id), eq(apiKeys.merchantId, merchantId)));
    if (!existing) throw new AppError('not_found', 'No such API key.');
    return { prefix: existing.prefix, revoked: false };
  });
}

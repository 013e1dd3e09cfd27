// The merchant's rules (and the platform admin's, which apply in every shop): e-mails, e-mail domains (and their subdomains), addresses, ranges
// (IPv4 and IPv6 as PostgreSQL cidr, matched through a GiST index) and e-mail patterns (RE2,
// linear time: a pattern cannot stall the server), each with an action: `block` refuses the
// order (`403 risk_blocked`), `challenge` asks for a proof of work first (lib/risk decide.ts
// weighs it with the other signals), `review` lets the buyer pay and holds delivery for the merchant. The risk log says which rule; each rule counts its hits.
import 'server-only';
import net from 'node:net';
import { and, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import { RE2 } from 're2-wasm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { riskRules, type RiskRule } from '@/db/schema';
import { assertPlatformOperator, merchantOf, recordAudit, systemActor, type Actor } from '@/lib/audit';
import { readThrough } from '@/lib/cache';
import { AppError, pgError, validationError } from '@/lib/errors';
import { unmapIpv4 } from '@/lib/ip';
import { RISK_RULE_ACTIONS, RISK_RULE_KINDS } from './client';
import { normaliseEmail } from './email';
import { addressKey } from './ratelimit';

export { RISK_RULE_KINDS, RISK_RULE_ACTIONS } from './client';
/** Who made a rule: the merchant, the velocity block, or the platform admin (a rule for every shop). */
export type RuleSource = 'merchant' | 'velocity' | 'platform';
export const MAX_PATTERN = 256;
/** How long a rule lasts, as the console offers it; `null` for always. */
export const RULE_DURATIONS = { '1h': 3600, '24h': 86_400, '7d': 7 * 86_400 } as const;

export const riskRuleInputSchema = z.object({
  kind: z.enum(RISK_RULE_KINDS),
  pattern: z.string().trim().min(1).max(MAX_PATTERN),
  action: z.enum(RISK_RULE_ACTIONS).default('block'),
  /** An instant, or a duration from now (`1h`, `24h`, `7d`); neither: the rule lasts until deleted. */
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  expiresIn: z.enum(['1h', '24h', '7d']).nullable().optional(),
  note: z.string().trim().max(200).default(''),
});
export type RiskRuleInput = z.input<typeof riskRuleInputSchema>;

/** A pattern compiled by RE2 (Unicode mode), or null when it is not one RE2 accepts (backreferences, lookaround…). */
function compile(pattern: string): RE2 | null {
  try {
    return new RE2(pattern, 'u');
  } catch {
    return null;
  }
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The pattern as it is stored and matched, or a field code saying why it cannot be one. */
export function normalisePattern(
  kind: (typeof RISK_RULE_KINDS)[number],
  raw: string,
): { pattern: string; net?: string } | { error: 'invalid_email' | 'invalid_format' } {
  switch (kind) {
    case 'email':
      return z.email().safeParse(raw).success ? { pattern: normaliseEmail(raw) } : { error: 'invalid_email' };
    case 'email_domain': {
      const domain = raw.toLowerCase().replace(/^\*?\.|^@/, '');
      return DOMAIN.test(domain) ? { pattern: domain } : { error: 'invalid_format' };
    }
    case 'ip': {
      const ip = unmapIpv4(raw);
      // A zone (`fe80::1%eth0`) names an interface of the sender's, not an address we can match.
      return net.isIP(ip) && !ip.includes('%') ? { pattern: ip, net: ip } : { error: 'invalid_format' };
    }
    case 'cidr': {
      const [addr, len, extra] = raw.split('/');
      const ip = unmapIpv4(addr ?? '');
      const family = ip.includes('%') ? 0 : net.isIP(ip);
      const bits = Number(len);
      const ok = family !== 0 && extra === undefined && /^\d{1,3}$/.test(len ?? '') && bits <= (family === 4 ? 32 : 128);
      return ok ? { pattern: `${ip}/${bits}`, net: `${ip}/${bits}` } : { error: 'invalid_format' };
    }
    case 'email_regex':
      return compile(raw) ? { pattern: raw } : { error: 'invalid_format' };
  }
}

/**
 * The pattern as stored and compared: a range as its network (`10.1.2.3/8` → `10.0.0.0/8`),
 * an address in PostgreSQL's canonical text (`2001:DB8:0::1` → `2001:db8::1`), the rest as normalised.
 */
export function storedPattern(kind: string, normal: { pattern: string; net?: string }) {
  if (kind === 'cidr' && normal.net) return sql`network(${normal.net}::inet)::text`;
  if (kind === 'ip' && normal.net) return sql`host(${normal.net}::inet)`;
  return sql`${normal.pattern}`;
}

/** After rules changed outside this module's own writes (an import): the compiled patterns are read again. */
export function forgetCompiledRules(merchantId: string): void {
  regexCache.drop(merchantId);
}

const regexCache = readThrough<{ id: string; re: RE2; pattern: string; action: string }[]>();

/**
 * Adds a rule to the merchant's rules. A range is stored as its network (`10.1.2.3/8`
 * becomes `10.0.0.0/8`); a pattern must compile under RE2. Audited as `risk.rule_create`.
 */
export async function createRiskRule(db: DbOrTx, actor: Actor, input: unknown, source: 'merchant' | 'velocity' = 'merchant'): Promise<RiskRule> {
  return insertRule(db, actor, merchantOf(actor), input, source);
}

/**
 * Adds a platform rule (the platform admin's): it applies in every merchant's shop, which
 * shows it, read-only, beside its own. Audited as `risk.rule_create`.
 */
export async function createPlatformRiskRule(db: DbOrTx, actor: Actor, input: unknown): Promise<RiskRule> {
  assertPlatformOperator(actor);
  return insertRule(db, actor, null, input, 'platform');
}

async function insertRule(db: DbOrTx, actor: Actor, merchantId: string | null, input: unknown, source: RuleSource): Promise<RiskRule> {
  const parsed = riskRuleInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const data = parsed.data;
  const normal = normalisePattern(data.kind, data.pattern);
  if ('error' in normal) throw new AppError('validation_failed', 'This pattern is not valid for its kind.', { fields: { pattern: normal.error } });
  const expiresAt = data.expiresIn
    ? sql`now() + make_interval(secs => ${RULE_DURATIONS[data.expiresIn]})`
    : data.expiresAt
      ? sql`${data.expiresAt}::timestamptz`
      : null;
  const row = await db.transaction(async (tx) => {
    // The same rule twice would only split its hit count.
    const stored = storedPattern(data.kind, normal);
    const [same] = await tx.execute<{ id: string }>(sql`
      SELECT id FROM risk_rules WHERE merchant_id IS NOT DISTINCT FROM ${merchantId}::uuid AND kind = ${data.kind}
         AND pattern = ${stored} AND action = ${data.action}
         AND (expires_at IS NULL OR expires_at > now())`);
    if (same) throw new AppError('validation_failed', 'This rule exists already.', { fields: { pattern: 'duplicate' } });
    let created: RiskRule;
    try {
      [created] = (await tx.transaction((sp) =>
        sp
          .insert(riskRules)
          .values({
            merchantId,
            kind: data.kind,
            pattern: stored,
            net: normal.net ? sql`network(${normal.net}::inet)::cidr` : null,
            action: data.action,
            expiresAt: expiresAt as unknown as Date | null,
            note: data.note,
            source,
          })
          .returning(),
      )) as [RiskRule];
    } catch (err) {
      if (pgError(err).code?.startsWith('22')) throw new AppError('validation_failed', 'This pattern is not valid.', { fields: { pattern: 'invalid_format' } });
      throw err;
    }
    await recordAudit(tx, actor, {
      action: 'risk.rule_create',
      targetType: 'risk_rule',
      targetId: created.id,
      detail: { kind: created.kind, pattern: created.pattern, action: created.action },
    });
    return created;
  });
  // A platform rule is in every merchant's compiled patterns.
  regexCache.drop(merchantId ?? undefined);
  return row;
}

/** Removes a rule of the merchant's (another merchant's id, or a platform rule's, is `not_found`). Audited as `risk.rule_delete`. */
export async function deleteRiskRule(db: DbOrTx, actor: Actor, ruleId: string): Promise<void> {
  const merchantId = merchantOf(actor);
  await removeRule(db, actor, ruleId, eq(riskRules.merchantId, merchantId));
  regexCache.drop(merchantId);
}

/** Removes a platform rule (the platform admin only). Audited as `risk.rule_delete`. */
export async function deletePlatformRiskRule(db: DbOrTx, actor: Actor, ruleId: string): Promise<void> {
  assertPlatformOperator(actor);
  await removeRule(db, actor, ruleId, isNull(riskRules.merchantId));
  regexCache.drop();
}

async function removeRule(db: DbOrTx, actor: Actor, ruleId: string, owner: SQL): Promise<void> {
  if (!z.guid().safeParse(ruleId).success) throw new AppError('not_found', 'No such rule.');
  await db.transaction(async (tx) => {
    const [gone] = await tx
      .delete(riskRules)
      .where(and(owner, eq(riskRules.id, ruleId)))
      .returning();
    if (!gone) throw new AppError('not_found', 'No such rule.');
    await recordAudit(tx, actor, {
      action: 'risk.rule_delete',
      targetType: 'risk_rule',
      targetId: gone.id,
      detail: { kind: gone.kind, pattern: gone.pattern },
    });
  });
}

export type ListedRule = RiskRule & { state: 'live' | 'expired' };

/**
 * The merchant's rules, newest first (expired ones too, marked by their `expiresAt`); with
 * `platform`, the platform's live ones after them (their hit counts hidden: they are every shop's).
 */
export async function listRiskRules(db: DbOrTx, merchantId: string, opts: { limit?: number; platform?: boolean } = {}): Promise<ListedRule[]> {
  const expired = sql<boolean>`${riskRules.expiresAt} IS NOT NULL AND ${riskRules.expiresAt} <= now()`;
  const [own, platform] = await Promise.all([
    db
      .select({ rule: riskRules, expired })
      .from(riskRules)
      .where(eq(riskRules.merchantId, merchantId))
      .orderBy(desc(riskRules.createdAt))
      .limit(opts.limit ?? 500),
    opts.platform ? listPlatformRiskRules(db, { liveOnly: true }) : Promise.resolve([]),
  ]);
  // A platform rule's hits are every shop's: a merchant does not see the others' activity.
  return [
    ...own.map((r) => ({ ...r.rule, state: r.expired ? ('expired' as const) : ('live' as const) })),
    ...platform.map((r) => ({ ...r, hitCount: 0, lastHitAt: null })),
  ];
}

/** The platform's rules, newest first. */
export async function listPlatformRiskRules(db: DbOrTx, opts: { liveOnly?: boolean; limit?: number } = {}): Promise<ListedRule[]> {
  const rows = await db
    .select({ rule: riskRules, expired: sql<boolean>`${riskRules.expiresAt} IS NOT NULL AND ${riskRules.expiresAt} <= now()` })
    .from(riskRules)
    .where(and(isNull(riskRules.merchantId), opts.liveOnly ? sql`(${riskRules.expiresAt} IS NULL OR ${riskRules.expiresAt} > now())` : undefined))
    .orderBy(desc(riskRules.createdAt))
    .limit(opts.limit ?? 500);
  return rows.map((r) => ({ ...r.rule, state: r.expired ? 'expired' : 'live' }));
}

/** The e-mail's domain and each parent domain (`a.b.example.com` → `a.b.example.com`, `b.example.com`, `example.com`). */
function domainsOf(email: string): string[] {
  const domain = email.slice(email.lastIndexOf('@') + 1);
  const parts = domain.split('.');
  return parts.slice(0, -1).map((_, i) => parts.slice(i).join('.'));
}

/** A matching rule; `any_review`: some matching rule (this one or a less severe one) holds the order for review. */
export type RuleMatch = { id: string; kind: string; pattern: string; action: string; any_review?: boolean };

/**
 * The statement that finds the most severe live rule matching the buyer's e-mail, domain or
 * address (a block before a challenge; not the patterns: see `matchRegexRules`), to be sent
 * pipelined with checkout's first read.
 */
export function ruleMatchQuery(tx: DbOrTx, merchantId: string, email: string, ip: string | null) {
  const address = ip ? unmapIpv4(ip) : null;
  const domains = domainsOf(email);
  return tx.execute<RuleMatch>(sql`
    SELECT id, kind, pattern, action, bool_or(action = 'review') OVER () AS any_review FROM risk_rules
     WHERE (merchant_id = ${merchantId} OR merchant_id IS NULL) AND (expires_at IS NULL OR expires_at > now())
       AND ((kind = 'email' AND pattern = ${normaliseEmail(email)})
         ${domains.length ? sql`OR (kind = 'email_domain' AND pattern IN ${domains})` : sql``}
         ${address && net.isIP(address) ? sql`OR (net IS NOT NULL AND net >>= ${address}::inet)` : sql``})
     ORDER BY CASE action WHEN 'block' THEN 0 WHEN 'challenge' THEN 1 ELSE 2 END
     LIMIT 1`);
}

const SEVERITY: Record<string, number> = { block: 3, challenge: 2, review: 1 };

/**
 * The more severe of two matches (block, then challenge, then review; the first when equal),
 * remembering whether either holds the order for review.
 */
export function severest(a: RuleMatch | null | undefined, b: RuleMatch | null | undefined): RuleMatch | null {
  if (!a || !b) return a ?? b ?? null;
  const top = (SEVERITY[b.action] ?? 3) > (SEVERITY[a.action] ?? 3) ? b : a;
  const review = [a, b].some((m) => m.action === 'review' || m.any_review === true);
  return { ...top, any_review: review };
}

/** The most severe of the merchant's live pattern rules that the e-mail matches (compiled once per few seconds per process). */
export async function matchRegexRules(db: DbOrTx, merchantId: string, email: string): Promise<RuleMatch | null> {
  const rules = await regexCache.get(merchantId, async () => {
    const rows = await db
      .select({ id: riskRules.id, pattern: riskRules.pattern, action: riskRules.action })
      .from(riskRules)
      .where(
        and(
          or(eq(riskRules.merchantId, merchantId), isNull(riskRules.merchantId)),
          eq(riskRules.kind, 'email_regex'),
          sql`(expires_at IS NULL OR expires_at > now())`,
        ),
      )
      // Block rules first, then challenge, then review: the first match is the most severe.
      .orderBy(sql`CASE ${riskRules.action} WHEN 'block' THEN 0 WHEN 'challenge' THEN 1 ELSE 2 END`);
    return rows.flatMap((r) => {
      const re = compile(r.pattern);
      return re ? [{ id: r.id, re, pattern: r.pattern, action: r.action }] : [];
    });
  });
  const hits = rules.filter((r) => r.re.test(email));
  const hit = hits[0];
  return hit ? { id: hit.id, kind: 'email_regex', pattern: hit.pattern, action: hit.action, any_review: hits.some((r) => r.action === 'review') } : null;
}

/**
 * Blocks a client address (IPv6: its /64) for some minutes after it ordered faster than the
 * policy's block limit: a rule like the merchant's own (source `velocity`), which the merchant
 * sees with its expiry and may delete. Never fails its caller (a rule already there is enough).
 */
export async function blockFastAddress(db: DbOrTx, merchantId: string, ip: string, minutes: number): Promise<void> {
  const key = addressKey(unmapIpv4(ip));
  const input = { kind: key.includes('/') ? 'cidr' : 'ip', pattern: key, expiresAt: new Date(Date.now() + minutes * 60_000).toISOString() };
  await createRiskRule(db, systemActor(merchantId), input, 'velocity').catch(() => undefined);
}

/** Counts a rule's hit (after the refused order's transaction; never fails its caller). */
export async function countRuleHit(db: DbOrTx, ruleId: string): Promise<void> {
  await db
    .update(riskRules)
    .set({ hitCount: sql`${riskRules.hitCount} + 1`, lastHitAt: sql`now()` })
    .where(eq(riskRules.id, ruleId))
    .catch(() => undefined);
}

/**
 * The rules a merchant may add with one click for a buyer: its address (and, for IPv6, its
 * /64), its normalised e-mail and its domain. `address` may be an address or, as the risk log
 * keeps IPv6 clients, a /64 already.
 */
export function blockOptionsFor(buyer: {
  address?: string | null;
  email?: string | null;
}): { kind: 'email' | 'email_domain' | 'ip' | 'cidr'; pattern: string }[] {
  const out: { kind: 'email' | 'email_domain' | 'ip' | 'cidr'; pattern: string }[] = [];
  const address = buyer.address ? unmapIpv4(buyer.address) : null;
  if (address && net.isIP(address)) {
    out.push({ kind: 'ip', pattern: address });
    if (net.isIPv6(address)) {
      const key = addressKey(address);
      if (key !== address) out.push({ kind: 'cidr', pattern: key });
    }
  } else if (address && /\/64$/.test(address)) {
    out.push({ kind: 'cidr', pattern: address });
  }
  if (buyer.email && buyer.email.includes('@')) {
    out.push({ kind: 'email', pattern: normaliseEmail(buyer.email) });
    out.push({ kind: 'email_domain', pattern: buyer.email.slice(buyer.email.lastIndexOf('@') + 1).toLowerCase() });
  }
  return out;
}

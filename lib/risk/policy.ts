// A merchant's risk policy: the caps on unpaid orders that stop a bot from holding a shop's
// stock (恶意占库存). On for every merchant from the start (no row = the defaults); the
// merchant changes them in the console or through PUT /api/v1/risk/policy.
import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { riskPolicies } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { readThrough } from '@/lib/cache';
import { validationError } from '@/lib/errors';

export const riskPolicySchema = z.object({
  /** Unpaid orders one client address (IPv6: its /64) may hold at once. */
  pendingPerAddress: z.number().int().min(1).max(1000),
  /** Unpaid orders one buyer (normalised e-mail) may hold at once. */
  pendingPerEmail: z.number().int().min(1).max(1000),
  /** The share of a product's available stock one buyer may hold unpaid, in percent (at least one unit always). */
  stockSharePercent: z.number().int().min(1).max(100),
});
export type RiskPolicy = z.output<typeof riskPolicySchema>;

/**
 * The defaults (research brief §3.3, SPEC §8): 3 unpaid orders per address and 2 per e-mail
 * are more than a person buying for themselves ever holds (they pay or the order lapses in
 * 15 minutes), and far below what a hoarding script needs; 20 % of a product's stock per
 * buyer keeps five hoarders from emptying a shelf that one real buyer cannot see past.
 */
export const DEFAULT_RISK_POLICY: RiskPolicy = { pendingPerAddress: 3, pendingPerEmail: 2, stockSharePercent: 20 };

const policies = readThrough<RiskPolicy>();

/** The merchant's policy (its saved values over the defaults), through a per-process cache of a few seconds. */
export async function riskPolicyOf(db: DbOrTx, merchantId: string): Promise<RiskPolicy> {
  return policies.get(merchantId, async () => {
    const [row] = await db.select({ policy: riskPolicies.policy }).from(riskPolicies).where(eq(riskPolicies.merchantId, merchantId));
    const saved = riskPolicySchema.partial().safeParse(row?.policy ?? {});
    return { ...DEFAULT_RISK_POLICY, ...(saved.success ? saved.data : {}) };
  });
}

/** Saves the merchant's policy (validated whole; nothing changes on a bad value). Audited as `risk.policy_update` with the changed fields. */
export async function updateRiskPolicy(db: DbOrTx, actor: Actor, input: unknown): Promise<{ policy: RiskPolicy; changed: string[] }> {
  const merchantId = merchantOf(actor);
  const parsed = riskPolicySchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const policy = parsed.data;
  const result = await db.transaction(async (tx) => {
    const [row] = await tx.select({ policy: riskPolicies.policy }).from(riskPolicies).where(eq(riskPolicies.merchantId, merchantId)).for('update');
    const before = { ...DEFAULT_RISK_POLICY, ...(row?.policy ?? {}) } as Record<string, unknown>;
    const changed = Object.keys(policy).filter((k) => before[k] !== policy[k as keyof RiskPolicy]);
    await tx
      .insert(riskPolicies)
      .values({ merchantId, policy })
      .onConflictDoUpdate({ target: riskPolicies.merchantId, set: { policy, updatedAt: sql`now()` } });
    if (changed.length > 0) await recordAudit(tx, actor, { action: 'risk.policy_update', targetType: 'risk_policy', detail: { fields: changed } });
    return { policy, changed };
  });
  policies.drop(merchantId);
  return result;
}

// A merchant's risk policy: the caps on unpaid orders that stop a bot from holding a shop's
// stock (恶意占库存), the order velocity that asks for a challenge and then blocks, the
// challenge's work and the weight of a throwaway e-mail. On for every merchant from the start
// (no row = the defaults); the merchant changes them in the console or through PUT /api/v1/risk/policy.
import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { riskPolicies } from '@/db/schema';
import { merchantOf, recordAudit, type Actor } from '@/lib/audit';
import { readThrough } from '@/lib/cache';
import { AppError, validationError } from '@/lib/errors';

export const riskPolicySchema = z.object({
  /** Unpaid orders one client address (IPv6: its /64) may hold at once. */
  pendingPerAddress: z.number().int().min(1).max(1000),
  /** Unpaid orders one buyer (normalised e-mail) may hold at once. */
  pendingPerEmail: z.number().int().min(1).max(1000),
  /** The share of a product's available stock one buyer may hold unpaid, in percent (at least one unit always). */
  stockSharePercent: z.number().int().min(1).max(100),
  /** Order attempts from one address (IPv6: its /64) in a minute above which the next one must solve a challenge. */
  velocityChallengeAbove: z.number().int().min(1).max(100),
  /** Order attempts in a minute above which the address is blocked for `velocityBlockMinutes` (a rule the merchant sees and can delete). */
  velocityBlockAbove: z.number().int().min(1).max(100),
  velocityBlockMinutes: z.number().int().min(1).max(1440),
  /** The proof of work a challenge asks for: the expected number of hashes (each PBKDF2-SHA-256 of 500 rounds); 5,000 is about a second on a phone. */
  challengeWork: z.number().int().min(100).max(1_000_000),
  /** Score a throwaway e-mail domain adds (0 ignores them, 40 asks for a challenge, 100 blocks). */
  disposableEmailWeight: z.number().int().min(0).max(100),
  /** The share of orders that passed without any signal the risk log keeps too (to see what normal looks like), in percent. */
  passSamplePercent: z.number().min(0).max(100),
});
export type RiskPolicy = z.output<typeof riskPolicySchema>;

/**
 * The defaults (research brief §3.3, SPEC §8): 3 unpaid orders per address and 2 per e-mail
 * are more than a person buying for themselves ever holds (they pay or the order lapses in
 * 15 minutes), and far below what a hoarding script needs; 20 % of a product's stock per
 * buyer keeps five hoarders from emptying a shelf that one real buyer cannot see past.
 */
export const DEFAULT_RISK_POLICY: RiskPolicy = {
  pendingPerAddress: 3,
  pendingPerEmail: 2,
  stockSharePercent: 20,
  // A person orders once or twice a minute at most; a script, dozens of times. Past 5 a
  // challenge costs a person a second and a script its speed; past 10 the address waits 10 minutes.
  velocityChallengeAbove: 5,
  velocityBlockAbove: 10,
  velocityBlockMinutes: 10,
  challengeWork: 5000,
  // Throwaway addresses are how 羊毛党 farm coupons and first-order offers, but also how
  // careful people shop: a challenge, not a refusal (the merchant may raise it to 100).
  disposableEmailWeight: 40,
  passSamplePercent: 1,
};

const policies = readThrough<RiskPolicy>();

/** The merchant's policy (its saved values over the defaults), through a per-process cache of a few seconds. */
export async function riskPolicyOf(db: DbOrTx, merchantId: string): Promise<RiskPolicy> {
  return policies.get(merchantId, async () => {
    const [row] = await db.select({ policy: riskPolicies.policy }).from(riskPolicies).where(eq(riskPolicies.merchantId, merchantId));
    const saved = riskPolicySchema.partial().safeParse(row?.policy ?? {});
    return { ...DEFAULT_RISK_POLICY, ...(saved.success ? saved.data : {}) };
  });
}

/**
 * Changes the merchant's policy: the fields given replace the saved ones (the rest keep their
 * values), validated together; nothing changes on a bad value. Audited as `risk.policy_update`
 * with the changed fields.
 */
export async function updateRiskPolicy(db: DbOrTx, actor: Actor, input: unknown): Promise<{ policy: RiskPolicy; changed: string[] }> {
  const merchantId = merchantOf(actor);
  const parsed = riskPolicySchema.partial().strict().safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const result = await db.transaction(async (tx) => {
    const [row] = await tx.select({ policy: riskPolicies.policy }).from(riskPolicies).where(eq(riskPolicies.merchantId, merchantId)).for('update');
    const saved = riskPolicySchema.partial().safeParse(row?.policy ?? {});
    const before: RiskPolicy = { ...DEFAULT_RISK_POLICY, ...(saved.success ? saved.data : {}) };
    const policy: RiskPolicy = { ...before, ...parsed.data };
    if (policy.velocityBlockAbove < policy.velocityChallengeAbove)
      throw new AppError('validation_failed', 'The block limit must not be below the challenge limit.', {
        fields: { velocityBlockAbove: { code: 'too_small', min: policy.velocityChallengeAbove } },
      });
    const changed = (Object.keys(policy) as (keyof RiskPolicy)[]).filter((k) => before[k] !== policy[k]);
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

// The challenge (SPEC §8): a proof of work the buyer's browser solves, with no third-party
// captcha service. ALTCHA's scheme through `altcha-lib` (MIT): the server signs a challenge
// (PBKDF2-SHA-256 of 500 rounds per try, a secret counter drawn up to the policy's
// `challengeWork`, an expiry, the merchant and stage it is for), the browser searches for the
// counter with WebCrypto, and the server checks the solution with one derivation. A solved
// challenge is accepted once: its signature is recorded in the transaction that uses it
// (`risk_challenge_uses`), so a replay — even a concurrent one — finds it taken.
import 'server-only';
import { createChallenge, randomInt, verifySolution, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { keyedDigest } from '@/lib/crypto';

export const CHALLENGE_ALGORITHM = 'PBKDF2/SHA-256';
const COST = 500;
const TTL_SECONDS = 300;

export type ChallengeStage = 'order_create';
export type { Challenge };

function secrets() {
  return { hmacSignatureSecret: keyedDigest('risk-challenge', 'signature'), hmacKeySignatureSecret: keyedDigest('risk-challenge', 'key') };
}

/** A fresh challenge for the buyer to solve, bound to the merchant and the stage, good for 5 minutes. */
export async function issueChallenge(merchantId: string, stage: ChallengeStage, work: number): Promise<Challenge> {
  return createChallenge({
    algorithm: CHALLENGE_ALGORITHM,
    cost: COST,
    // altcha's randomInt takes (max, min): a counter in [work/2, work].
    counter: randomInt(work, Math.ceil(work / 2)),
    deriveKey,
    expiresAt: new Date(Date.now() + TTL_SECONDS * 1000),
    data: { m: merchantId, s: stage },
    ...secrets(),
  });
}

const payloadSchema = z.object({
  challenge: z.object({
    parameters: z.looseObject({ algorithm: z.literal(CHALLENGE_ALGORITHM), cost: z.literal(COST), data: z.record(z.string(), z.unknown()).optional() }),
    signature: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  solution: z.object({
    counter: z.number().int().min(0),
    derivedKey: z
      .string()
      .regex(/^[0-9a-f]+$/)
      .max(256),
  }),
});

/** What the buyer sends back: base64 of `{"challenge": …, "solution": {"counter", "derivedKey"}}`, as ALTCHA's widget does. */
export function encodeSolution(challenge: Challenge, solution: { counter: number; derivedKey: string }): string {
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

export type ChallengeCheck = 'solved' | 'missing' | 'invalid' | 'expired' | 'replayed';

/**
 * Checks a solution for this merchant and stage and, when it holds, records it as used in
 * the caller's transaction (so it counts as used only if the caller's work commits).
 */
export async function redeemChallenge(tx: DbOrTx, payload: string | null | undefined, merchantId: string, stage: ChallengeStage): Promise<ChallengeCheck> {
  if (!payload) return 'missing';
  if (payload.length > 4096) return 'invalid';
  let parsed: z.output<typeof payloadSchema>;
  try {
    const result = payloadSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64').toString('utf8')));
    if (!result.success) return 'invalid';
    parsed = result.data;
  } catch {
    return 'invalid';
  }
  const data = parsed.challenge.parameters.data;
  if (data?.m !== merchantId || data?.s !== stage) return 'invalid';
  const result = await verifySolution({
    challenge: parsed.challenge as unknown as Challenge,
    solution: parsed.solution,
    deriveKey,
    ...secrets(),
  }).catch(() => null);
  if (!result) return 'invalid';
  if (result.expired) return 'expired';
  if (!result.verified) return 'invalid';
  const taken = await tx.execute(sql`
    INSERT INTO risk_challenge_uses (signature, expires_at)
    VALUES (${parsed.challenge.signature}, to_timestamp(${Number(parsed.challenge.parameters.expiresAt ?? 0)}))
    ON CONFLICT DO NOTHING RETURNING 1`);
  return taken.length === 1 ? 'solved' : 'replayed';
}

/** Records of challenges well past their expiry (a replay fails on the expiry anyway; the 15 minutes cover an app clock behind the database's). */
export async function purgeChallengeUses(db: DbOrTx): Promise<number> {
  const rows = await db.execute(sql`DELETE FROM risk_challenge_uses WHERE expires_at < now() - interval '15 minutes' RETURNING 1`);
  return rows.length;
}

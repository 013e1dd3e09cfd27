// The one decision point (SPEC §8): what is known of a request — the merchant's rule it
// matched, how fast its address is ordering, whether its e-mail is a throwaway — becomes
// reasons, each with a weight; their sum is the score, and the score and the reasons'
// own actions decide: pass, challenge or block; a rule may also hold the order for the
// merchant's review (the buyer pays, delivery waits for approval). Pure: the callers gather the signals (in the
// order transaction, pipelined with its first read) and act on the verdict.
import type { RiskReason } from '@/db/schema';
import type { RiskPolicy } from './policy';

import type { RiskAction } from './client';
export { RISK_ACTIONS, type RiskAction } from './client';

/** A score at or above this asks for a challenge; at or above `BLOCK_AT`, refuses. */
export const CHALLENGE_AT = 40;
export const BLOCK_AT = 100;

/** What a matching rule adds to the score: a block rule refuses on its own, a challenge rule asks for a proof of work; a review rule adds nothing but holds the order. */
const RULE_WEIGHT = { block: BLOCK_AT, challenge: CHALLENGE_AT, review: 0 } as const;

/** The most severe matching rule; `any_review`: some matching rule holds the order for review (a challenge rule does not cancel a review rule). */
export type RuleSignal = { id: string; kind: string; pattern: string; action: string; any_review?: boolean };

export type RiskSignals = {
  /** The most severe of the merchant's live rules the buyer matched. */
  rule?: RuleSignal | null;
  /** Order attempts from the buyer's address in the current minute, this one included. */
  attempts?: number | null;
  /** The e-mail's domain when it is a throwaway-address service. */
  disposableDomain?: string | null;
};

export type Verdict = {
  action: RiskAction;
  score: number;
  reasons: RiskReason[];
  /** The rule that matched, to count its hit. */
  ruleId: string | null;
  /** The order, if placed (after a solved challenge, when asked for one), waits for the merchant's review before delivery. */
  review: boolean;
  /** The address went past the velocity block limit: the caller blocks it for the policy's minutes. */
  blockAddress: boolean;
};

export function decide(policy: RiskPolicy, s: RiskSignals): Verdict {
  const reasons: RiskReason[] = [];
  let blockAddress = false;
  if (s.rule) {
    const weight = RULE_WEIGHT[s.rule.action as keyof typeof RULE_WEIGHT] ?? BLOCK_AT;
    reasons.push({ code: 'rule', weight, detail: { ruleId: s.rule.id, kind: s.rule.kind, pattern: s.rule.pattern, action: s.rule.action } });
  }
  const attempts = s.attempts ?? 0;
  if (attempts > policy.velocityBlockAbove) {
    blockAddress = true;
    reasons.push({ code: 'velocity_block', weight: BLOCK_AT, detail: { attempts, limit: policy.velocityBlockAbove, minutes: policy.velocityBlockMinutes } });
  } else if (attempts > policy.velocityChallengeAbove) {
    reasons.push({ code: 'velocity', weight: CHALLENGE_AT, detail: { attempts, limit: policy.velocityChallengeAbove } });
  }
  if (s.disposableDomain && policy.disposableEmailWeight > 0) {
    reasons.push({ code: 'disposable_email', weight: policy.disposableEmailWeight, detail: { domain: s.disposableDomain } });
  }
  const score = reasons.reduce((sum, r) => sum + (r.weight ?? 0), 0);
  const review = s.rule?.action === 'review' || s.rule?.any_review === true;
  const action: RiskAction = score >= BLOCK_AT ? 'block' : score >= CHALLENGE_AT ? 'challenge' : review ? 'review' : 'pass';
  return { action, score, reasons, ruleId: s.rule?.id ?? null, blockAddress, review };
}

// A request the risk control stopped: the error the buyer gets, carrying what the risk log
// records (action, score, reasons, the rule that matched). The buyer is never told which rule
// or signal: that would teach a bot what to change.
import 'server-only';
import type { RiskReason } from '@/db/schema';
import { AppError, type ErrorCode } from '@/lib/errors';
import type { Challenge } from './challenge';
import type { Verdict } from './decide';

export type Refused = Pick<Verdict, 'score' | 'reasons' | 'ruleId'> & { action: 'block' | 'challenge' };

export class RiskRefusal extends AppError {
  readonly refused: Refused;
  constructor(code: ErrorCode, message: string, refused: Refused, body?: Record<string, unknown>) {
    super(code, message, body ? { body } : {});
    this.refused = refused;
  }
}

/** `403 risk_blocked`: a rule, the velocity block or the score refused the order. */
export function riskBlocked(verdict: Pick<Verdict, 'score' | 'reasons' | 'ruleId'>): RiskRefusal {
  return new RiskRefusal('risk_blocked', 'This order cannot be placed. If you think this is a mistake, please contact the shop.', {
    ...verdict,
    action: 'block',
  });
}

/** `428 challenge_required`, with the challenge to solve and send back as `challenge`. */
export function challengeRequired(verdict: Pick<Verdict, 'score' | 'reasons' | 'ruleId'>, challenge: Challenge, retry: boolean): RiskRefusal {
  return new RiskRefusal(
    'challenge_required',
    retry
      ? 'The verification did not hold (it expired or was used already). Solve this one and send the order again with it.'
      : 'Please complete the verification: solve this challenge and send the order again with it.',
    { ...verdict, action: 'challenge' },
    { challenge },
  );
}

/** A refusal by a single reason (a cap): action block, no score. */
export function refusedBy(reason: RiskReason): Refused {
  return { action: 'block', score: 0, reasons: [reason], ruleId: null };
}

// A throttle that counts only failures (a payment notification whose signature does not
// verify): a sender that never fails is never slowed and never costs a counter lookup, so
// a provider's burst of valid notifications from one address (a whole flash sale's, from
// one epay server) goes through untouched. An address that failed on this instance is
// looked up before its next attempt, in the shared counters (PostgreSQL or Redis), so the
// limit holds across instances once each has seen the address fail.
import type { LimitResult, LimitRule, Limiter } from './ratelimit';

/** Addresses remembered per instance; past it the oldest are forgotten (they are looked up again after their next failure). */
const MAX_SUSPECTS = 10_000;

export type FailureThrottle = {
  /** Whether the subject may try; `true` without a lookup for a subject not seen failing. */
  admits(limiter: Limiter, subject: string): Promise<LimitResult | true>;
  /** Counts a failure of the subject. */
  failed(limiter: Limiter, subject: string): Promise<LimitResult>;
};

export function failureThrottle(rule: LimitRule): FailureThrottle {
  const suspects = new Map<string, number>(); // subject → until (ms)
  return {
    async admits(limiter, subject) {
      const until = suspects.get(subject);
      if (until === undefined) return true;
      if (until < Date.now()) {
        suspects.delete(subject);
        return true;
      }
      return limiter.peek(rule, subject);
    },
    async failed(limiter, subject) {
      suspects.delete(subject);
      suspects.set(subject, Date.now() + rule.windowSeconds * 1000);
      if (suspects.size > MAX_SUSPECTS) suspects.delete(suspects.keys().next().value!);
      return limiter.hit(rule, subject);
    },
  };
}

// Gradual rollout of a channel (SPEC §5 "Routing"): a channel at rolloutPercent < 100 takes
// only that share of buyers, the others going to its method's other channels. A buyer is
// bucketed by an HMAC of their normalised e-mail under the rollout's own salt, so the same
// buyer always lands on the same side of one rollout, and the next rollout (a new salt)
// draws a different sample. The breaker wins over the rollout: an open circuit is skipped.
import { createHmac } from 'node:crypto';

/** A buyer's bucket in 0..9999 for a rollout. */
export function rolloutBucket(salt: string, buyerKey: string): number {
  return parseInt(createHmac('sha256', salt).update(buyerKey).digest('hex').slice(0, 8), 16) % 10_000;
}

/** Whether this buyer is among the channel's rollout share. */
export function inRollout(channel: { rolloutPercent: number; rolloutSalt: string }, buyerKey: string): boolean {
  if (channel.rolloutPercent >= 100) return true;
  if (channel.rolloutPercent <= 0) return false;
  return rolloutBucket(channel.rolloutSalt, buyerKey) < channel.rolloutPercent * 100;
}

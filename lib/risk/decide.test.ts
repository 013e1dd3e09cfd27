import { describe, expect, it } from 'vitest';
import { decide, DEFAULT_RISK_POLICY } from '@/lib/risk';

const policy = DEFAULT_RISK_POLICY;
const rule = (action: string) => ({ id: 'r1', kind: 'email', pattern: 'a@b.test', action });

describe('the risk decision', () => {
  it('passes a buyer with no signal, with a score of 0 and no reasons', () => {
    expect(decide(policy, { attempts: 1 })).toEqual({ action: 'pass', score: 0, reasons: [], ruleId: null, blockAddress: false, review: false });
  });

  it('velocity: up to the limit passes, past it a challenge, past the block limit a block of the address', () => {
    expect(decide(policy, { attempts: 5 }).action).toBe('pass');
    const fast = decide(policy, { attempts: 6 });
    expect(fast).toMatchObject({ action: 'challenge', score: 40, blockAddress: false });
    expect(fast.reasons).toEqual([{ code: 'velocity', weight: 40, detail: { attempts: 6, limit: 5 } }]);
    expect(decide(policy, { attempts: 10 }).action).toBe('challenge');
    const flood = decide(policy, { attempts: 11 });
    expect(flood).toMatchObject({ action: 'block', score: 100, blockAddress: true });
    expect(flood.reasons[0]).toEqual({ code: 'velocity_block', weight: 100, detail: { attempts: 11, limit: 10, minutes: 10 } });
  });

  it('a throwaway e-mail weighs what the policy says: 40 challenges, 0 is ignored, 100 blocks', () => {
    expect(decide(policy, { disposableDomain: 'mailinator.com' })).toMatchObject({
      action: 'challenge',
      score: 40,
      reasons: [{ code: 'disposable_email', weight: 40, detail: { domain: 'mailinator.com' } }],
    });
    expect(decide({ ...policy, disposableEmailWeight: 0 }, { disposableDomain: 'mailinator.com' })).toMatchObject({ action: 'pass', reasons: [] });
    expect(decide({ ...policy, disposableEmailWeight: 100 }, { disposableDomain: 'mailinator.com' }).action).toBe('block');
    // Below the challenge threshold it passes, with its reason kept for the log.
    expect(decide({ ...policy, disposableEmailWeight: 20 }, { disposableDomain: 'mailinator.com' })).toMatchObject({ action: 'pass', score: 20 });
  });

  it('signals add up: a throwaway e-mail ordering fast is still a challenge, a heavy one a block', () => {
    expect(decide(policy, { attempts: 6, disposableDomain: 'yopmail.com' })).toMatchObject({ action: 'challenge', score: 80 });
    expect(decide({ ...policy, disposableEmailWeight: 60 }, { attempts: 6, disposableDomain: 'yopmail.com' })).toMatchObject({ action: 'block', score: 100 });
  });

  it("a rule's action: block refuses, challenge asks for a proof of work; the rule is named", () => {
    expect(decide(policy, { rule: rule('block') })).toMatchObject({ action: 'block', score: 100, ruleId: 'r1' });
    const challenged = decide(policy, { rule: rule('challenge') });
    expect(challenged).toMatchObject({ action: 'challenge', score: 40, ruleId: 'r1' });
    expect(challenged.reasons[0]).toEqual({ code: 'rule', weight: 40, detail: { ruleId: 'r1', kind: 'email', pattern: 'a@b.test', action: 'challenge' } });
    // A challenge rule and fast ordering and a throwaway e-mail: 120, a block.
    expect(decide(policy, { rule: rule('challenge'), attempts: 7, disposableDomain: 'yopmail.com' })).toMatchObject({ action: 'block', score: 120 });
  });

  it('a review rule holds the order without adding to the score; a challenge still comes first, and the order is held after it', () => {
    expect(decide(policy, { rule: rule('review') })).toMatchObject({ action: 'review', score: 0, review: true, ruleId: 'r1' });
    expect(decide(policy, { rule: rule('review'), attempts: 6 })).toMatchObject({ action: 'challenge', score: 40, review: true });
    expect(decide(policy, { rule: rule('review'), attempts: 11 })).toMatchObject({ action: 'block', review: true });
    expect(decide(policy, { rule: rule('challenge') }).review).toBe(false);
  });
});

// How the console words a risk decision's reasons (the risk log, an order's page, the test
// box), from the `console.risk` catalogue; server pages and client components share it.
import { BUSINESS_TIME_ZONE } from '@/lib/i18n';
import type { RiskReason } from '@/lib/risk';
import { RISK_RULE_ACTIONS, RISK_RULE_KINDS } from '@/lib/risk/client';

type T = (key: string, values?: Record<string, string | number>) => string;

const REASONS = [
  'pending_per_address',
  'pending_per_email',
  'stock_share',
  'rule',
  'velocity',
  'velocity_block',
  'disposable_email',
  'challenge_solved',
  'coupon_tries',
  'lookup_rate',
  'lookup_guessing',
] as const;

/** How the risk page and its tables show a moment: month, day and time to the second, in the business time zone. */
export const RISK_TIME_FORMAT = {
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZone: BUSINESS_TIME_ZONE,
} as const;

export const RISK_ACTION_TONES = { pass: 'green', challenge: 'amber', review: 'blue', block: 'red' } as const;

/** One reason as a sentence, with the score it added when it added any (`t` is `console.risk`'s translator). */
export function reasonText(t: T, r: RiskReason): string {
  if (!(REASONS as readonly string[]).includes(r.code)) return r.code;
  const d = r.detail ?? {};
  const text = t(`reasons.${r.code}`, {
    held: Number(d.held ?? 0),
    limit: Number(d.limit ?? 0),
    wanted: Number(d.wanted ?? 0),
    share: Number(d.sharePercent ?? 0),
    attempts: Number(d.attempts ?? 0),
    minutes: Number(d.minutes ?? 0),
    domain: String(d.domain ?? ''),
    seconds: Number(d.seconds ?? 0),
    orderNo: String(d.orderNo ?? ''),
    kind: (RISK_RULE_KINDS as readonly unknown[]).includes(d.kind) ? t(`rules.kinds.${String(d.kind)}`) : '',
    action: (RISK_RULE_ACTIONS as readonly unknown[]).includes(d.action) ? t(`rules.ruleActions.${String(d.action)}`) : t('rules.ruleActions.block'),
    pattern: String(d.pattern ?? ''),
  });
  return r.weight ? `${text} (+${r.weight})` : text;
}

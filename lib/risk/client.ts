// The risk control's vocabulary, safe for the browser (no server code): the kinds and actions
// of a rule, the decisions and the stages of the risk log. The console's forms and tables
// and lib/risk itself read them from here, so each list is written once.
export const RISK_RULE_KINDS = ['email', 'email_domain', 'ip', 'cidr', 'email_regex'] as const;
export type RiskRuleKindName = (typeof RISK_RULE_KINDS)[number];
/** What a matching rule does: refuse the order, ask for a proof of work, or hold it for review. */
export const RISK_RULE_ACTIONS = ['block', 'challenge', 'review'] as const;
export type RiskRuleAction = (typeof RISK_RULE_ACTIONS)[number];
/** What the decision point answers (lib/risk decide.ts). */
export const RISK_ACTIONS = ['pass', 'challenge', 'review', 'block'] as const;
export type RiskAction = (typeof RISK_ACTIONS)[number];
/** Where a decision was taken. */
export const RISK_STAGES = ['order_create', 'order_lookup', 'coupon_check'] as const;
export type RiskStage = (typeof RISK_STAGES)[number];

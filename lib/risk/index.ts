// Risk control: rate limits in PostgreSQL, Redis or Upstash, shared by every app instance (no
// count lives in process memory), a throttle that counts failures only, the policy of caps on
// unpaid orders (counted by lib/orders in the order transaction) and the risk log.
export { addressKey, getLimiter, postgresLimiter, redisLimiter, purgeRateLimits, RULES, type Limiter, type LimitRule, type LimitResult } from './ratelimit';
export { failureThrottle, type FailureThrottle } from './failures';
export { normaliseEmail } from './email';
export { riskPolicyOf, updateRiskPolicy, riskPolicySchema, DEFAULT_RISK_POLICY, type RiskPolicy } from './policy';
export { recordRiskEvent, listRiskEvents, type RiskDecision } from './events';
export {
  createRiskRule,
  deleteRiskRule,
  listRiskRules,
  ruleMatchQuery,
  matchRegexRules,
  countRuleHit,
  blockOptionsFor,
  RiskBlocked,
  riskRuleInputSchema,
  RISK_RULE_KINDS,
  RULE_DURATIONS,
  MAX_PATTERN,
  type RuleMatch,
  type RiskRuleInput,
} from './rules';

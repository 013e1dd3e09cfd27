// Risk control: rate limits in PostgreSQL, Redis or Upstash, shared by every app instance (no
// count lives in process memory), a throttle that counts failures only, the policy (caps on
// unpaid orders, counted by lib/orders in the order transaction; velocity; challenge work),
// the merchant's rules, the one decision point that weighs them, the proof-of-work challenge
// and the risk log.
export {
  addressKey,
  getLimiter,
  postgresLimiter,
  redisLimiter,
  purgeRateLimits,
  RULES,
  type Limiter,
  type LimitRule,
  type LimitResult,
  type HitStatement,
} from './ratelimit';
export { failureThrottle, type FailureThrottle } from './failures';
export { normaliseEmail } from './email';
export { riskPolicyOf, updateRiskPolicy, riskPolicySchema, DEFAULT_RISK_POLICY, type RiskPolicy } from './policy';
export { recordRiskEvent, listRiskEvents, riskEventsOfOrder, RISK_STAGES, type RiskDecision, type RiskStage, type RiskEventFilter } from './events';
export {
  createRiskRule,
  deleteRiskRule,
  listRiskRules,
  createPlatformRiskRule,
  deletePlatformRiskRule,
  listPlatformRiskRules,
  type ListedRule,
  type RuleSource,
  ruleMatchQuery,
  matchRegexRules,
  severest,
  countRuleHit,
  blockOptionsFor,
  blockFastAddress,
  riskRuleInputSchema,
  RISK_RULE_KINDS,
  RISK_RULE_ACTIONS,
  RULE_DURATIONS,
  MAX_PATTERN,
  type RuleMatch,
  type RiskRuleInput,
} from './rules';
export { decide, BLOCK_AT, CHALLENGE_AT, RISK_ACTIONS, type RiskAction, type RiskSignals, type Verdict } from './decide';
export { issueChallenge, redeemChallenge, purgeChallengeUses, encodeSolution, CHALLENGE_ALGORITHM, type Challenge, type ChallengeCheck } from './challenge';
export { isDisposableEmail } from './disposable';
export { RiskRefusal, riskBlocked, challengeRequired, refusedBy, type Refused } from './refusal';
export { explainBuyer, type Explanation } from './explain';
export type { RiskReason } from '@/db/schema';
export { importRiskRules, recordRuleExport, ruleCsvCells, RULE_CSV_COLUMNS, MAX_IMPORT_ROWS, MAX_IMPORT_BYTES, type ImportResult } from './transfer';

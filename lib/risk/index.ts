// Risk control. Today: rate limits in PostgreSQL, Redis or Upstash, shared by every app
// instance (nothing is counted in process memory).
export { addressKey, getLimiter, postgresLimiter, redisLimiter, purgeRateLimits, RULES, type Limiter, type LimitRule, type LimitResult } from './ratelimit';

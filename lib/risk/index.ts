// Risk control. Today: rate limits in PostgreSQL, Redis or Upstash, shared by every app
// instance (no count lives in process memory), and a throttle that counts failures only.
export { addressKey, getLimiter, postgresLimiter, redisLimiter, purgeRateLimits, RULES, type Limiter, type LimitRule, type LimitResult } from './ratelimit';
export { failureThrottle, type FailureThrottle } from './failures';
export { normaliseEmail } from './email';

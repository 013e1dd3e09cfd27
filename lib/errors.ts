// One error type for the whole domain, with a stable `code`. Adapters map codes to HTTP
// statuses in one table (`httpStatusOf`); nothing else decides what a client sees. Field
// errors are codes too (`too_short`, `not_https`…), never English text: one mapper turns
// them into form messages (app/_lib/form-errors.ts) and one into JSON (app/_lib/http.ts),
// both from the message catalogues.
export type ErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'risk_blocked'
  | 'challenge_required'
  | 'out_of_stock'
  | 'channel_unavailable'
  | 'provider_unavailable'
  | 'coupon_unavailable'
  | 'limit_exceeded'
  | 'rate_limited'
  | 'too_many_pending'
  | 'insufficient_balance'
  | 'withdrawal_open'
  | 'owes_money'
  | 'conflict'
  | 'idempotency_mismatch'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'internal';

const statusByCode: Record<ErrorCode, number> = {
  validation_failed: 400,
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  risk_blocked: 403,
  challenge_required: 428,
  out_of_stock: 409,
  channel_unavailable: 422,
  provider_unavailable: 502,
  coupon_unavailable: 409,
  limit_exceeded: 422,
  rate_limited: 429,
  too_many_pending: 429,
  insufficient_balance: 409,
  withdrawal_open: 409,
  owes_money: 409,
  conflict: 409,
  idempotency_mismatch: 422,
  unsupported_media_type: 415,
  payload_too_large: 413,
  internal: 500,
};

/**
 * What is wrong with one input field. Every code has a message in the catalogues
 * (`fieldErrors.<code>`, optionally worded for one form's field as `<scope>.fieldErrors.<field>.<code>`).
 */
export const FIELD_CODES = [
  'required',
  'invalid',
  'too_short',
  'too_long',
  'too_small',
  'too_large',
  'too_many',
  'not_integer',
  'invalid_email',
  'invalid_url',
  'invalid_format',
  'invalid_choice',
  'invalid_amount',
  'invalid_date',
  'not_https',
  'private_address',
  'taken',
  'unknown',
  'below_minimum',
  'duplicate',
  'in_use',
  'wrong',
  'mismatch',
  'not_available',
  'not_stock_product',
  'out_of_range',
  'daily_limit',
  // Why a coupon code does not apply to an order (lib/coupons).
  'disabled',
  'not_started',
  'expired',
  'not_applicable',
  'agent_shop',
  'wholesale',
  'used_by_email',
  'exhausted',
  'min_amount',
  // Agents (lib/agents): a price below retail or the level's markup bounds, a level not set up, a rank above the inviter's.
  'below_retail',
  'below_cost',
  'level_missing',
  'rank_too_high',
  'not_allowed',
  'in_past',
] as const;
export type FieldCode = (typeof FIELD_CODES)[number];

/** A field's error: its code and, for range codes, the bound the input missed (an amount in minor units when `currency` is given). */
export type FieldError = { code: FieldCode; min?: number; max?: number; currency?: string };
export type FieldErrors = Record<string, FieldError>;

export function isFieldCode(value: unknown): value is FieldCode {
  return typeof value === 'string' && (FIELD_CODES as readonly string[]).includes(value);
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldErrors;
  readonly retryAfter?: number;
  /** Further members of the JSON error (e.g. the `challenge` of `challenge_required`); never secrets. */
  readonly body?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { fields?: Record<string, FieldCode | FieldError>; retryAfter?: number; body?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fields = extra.fields
      ? Object.fromEntries(Object.entries(extra.fields).map(([name, f]) => [name, typeof f === 'string' ? { code: f } : f]))
      : undefined;
    this.retryAfter = extra.retryAfter;
    this.body = extra.body;
  }
}

export function httpStatusOf(code: ErrorCode): number {
  return statusByCode[code];
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** What `fieldFromZod` reads of a zod issue (zod 4's issue shape, loosely). */
export type ZodIssueLike = {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  origin?: string;
  format?: string;
  expected?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
};

/**
 * A zod issue as a field code. Schemas give custom checks a field code as their message
 * (`.refine(ok, 'not_https')`); zod's own checks are classified by kind.
 */
export function fieldFromZod(issue: ZodIssueLike): FieldError {
  const bound = (v: number | bigint | undefined) => (v === undefined ? undefined : Number(v));
  switch (issue.code) {
    case 'custom':
      return { code: isFieldCode(issue.message) ? issue.message : 'invalid' };
    case 'invalid_type':
      if (issue.expected === 'int') return { code: 'not_integer' };
      return { code: / received undefined$/.test(issue.message) ? 'required' : 'invalid' };
    case 'too_small': {
      const min = bound(issue.minimum);
      if (issue.origin === 'string' || issue.origin === 'array') return min === 1 ? { code: 'required' } : { code: 'too_short', min };
      return { code: 'too_small', min };
    }
    case 'too_big': {
      const max = bound(issue.maximum);
      if (issue.origin === 'string') return { code: 'too_long', max };
      if (issue.origin === 'array' || issue.origin === 'set') return { code: 'too_many', max };
      return { code: 'too_large', max };
    }
    case 'invalid_format':
      if (issue.format === 'email') return { code: 'invalid_email' };
      if (issue.format === 'url') return { code: 'invalid_url' };
      if (issue.format === 'regex' && isFieldCode(issue.message)) return { code: issue.message };
      return { code: issue.format === 'regex' ? 'invalid_format' : 'invalid' };
    case 'invalid_value':
      return { code: 'invalid_choice' };
    default:
      return { code: 'invalid' };
  }
}

/** zod issues → `{ field: error }` (the first error of each field) for `validation_failed`. */
export function fieldsFromZod(issues: readonly ZodIssueLike[], prefix: readonly string[] = []): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    const key = [...prefix, ...issue.path.map(String)].join('.') || '_';
    fields[key] ??= fieldFromZod(issue);
  }
  return fields;
}

export function validationError(issues: readonly ZodIssueLike[], prefix: readonly string[] = []): AppError {
  return new AppError('validation_failed', 'The request is not valid.', { fields: fieldsFromZod(issues, prefix) });
}

/** Parses with a zod schema, or throws `validation_failed` naming every bad field. */
export function parseInput<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ZodIssueLike[] } } },
  input: unknown,
): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  return parsed.data;
}

/** The database error under drizzle's wrapper (whose message carries the query's parameters). */
export function rootCause(err: unknown): unknown {
  let e = err;
  for (let i = 0; i < 5 && e && typeof e === 'object' && 'cause' in e && (e as { cause?: unknown }).cause; i++) e = (e as { cause: unknown }).cause;
  return e;
}

/** PostgreSQL's SQLSTATE and constraint of an error, if it is one. */
export function pgError(err: unknown): { code?: string; constraint?: string } {
  const e = rootCause(err) as { code?: unknown; constraint_name?: unknown } | null;
  return { code: typeof e?.code === 'string' ? e.code : undefined, constraint: typeof e?.constraint_name === 'string' ? e.constraint_name : undefined };
}

/** True when `err` is a unique violation of `constraint`. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = pgError(err);
  return e.code === '23505' && e.constraint === constraint;
}

/**
 * A one-line description safe for logs and stored error text: the root cause's name and
 * message, never the failed query's parameters (which may hold e-mails or sealed secrets).
 */
export function errorSummary(err: unknown): string {
  const e = rootCause(err);
  if (e instanceof Error) return `${e.name}: ${e.message}`.slice(0, 500);
  return String(e).slice(0, 500);
}

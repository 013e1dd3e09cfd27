// One error type for the whole domain, with a stable `code`. Adapters map codes to HTTP
// statuses in one table (`httpStatusOf`); nothing else decides what a client sees.
export type ErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'out_of_stock'
  | 'channel_unavailable'
  | 'limit_exceeded'
  | 'rate_limited'
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
  out_of_stock: 409,
  channel_unavailable: 422,
  limit_exceeded: 422,
  rate_limited: 429,
  conflict: 409,
  idempotency_mismatch: 422,
  unsupported_media_type: 415,
  payload_too_large: 413,
  internal: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message: string, extra: { fields?: Record<string, string>; retryAfter?: number } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fields = extra.fields;
    this.retryAfter = extra.retryAfter;
  }
}

export function httpStatusOf(code: ErrorCode): number {
  return statusByCode[code];
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** zod issues → `{ field: message }` for `validation_failed`. */
export function fieldsFromZod(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.') || '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

export function validationError(issues: readonly { path: readonly PropertyKey[]; message: string }[]): AppError {
  return new AppError('validation_failed', 'The request is not valid.', { fields: fieldsFromZod(issues) });
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

/**
 * A one-line description safe for logs and stored error text: the root cause's name and
 * message, never the failed query's parameters (which may hold e-mails or sealed secrets).
 */
export function errorSummary(err: unknown): string {
  const e = rootCause(err);
  if (e instanceof Error) return `${e.name}: ${e.message}`.slice(0, 500);
  return String(e).slice(0, 500);
}

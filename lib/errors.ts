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
  | 'product_unavailable'
  | 'invalid_notification'
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
  product_unavailable: 409,
  invalid_notification: 400,
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

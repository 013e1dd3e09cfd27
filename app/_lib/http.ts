// The adapters' shared edge: JSON bodies in, JSON errors out, one mapping from error
// codes to HTTP statuses (lib/errors), field codes to English messages (the one JSON
// mapper), and the client's address.
import 'server-only';
import { NextResponse } from 'next/server';
import { getConfig } from '@/lib/config';
import { AppError, errorSummary, httpStatusOf, isAppError, type FieldErrors } from '@/lib/errors';
import { fieldErrorMessage } from '@/lib/i18n';
import { log } from '@/lib/log';
import { readCapped } from '@/lib/stream';

const MAX_JSON_BYTES = 1_000_000;

export function json(data: unknown, status = 200, headers: HeadersInit = {}): NextResponse {
  return NextResponse.json(data, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}

/** Field errors as the API shows them: `{ field: { code, message, min?, max? } }`, messages in English. */
export function jsonFields(fields: FieldErrors): Record<string, { code: string; message: string; min?: number; max?: number }> {
  return Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, { ...f, message: fieldErrorMessage('en', name, f) }]));
}

export function errorResponse(err: unknown): NextResponse {
  if (isAppError(err)) {
    const headers: Record<string, string> = {};
    if (err.retryAfter) headers['Retry-After'] = String(err.retryAfter);
    const body = { error: { code: err.code, message: err.message, ...(err.fields ? { fields: jsonFields(err.fields) } : {}) } };
    return json(body, httpStatusOf(err.code), headers);
  }
  // Database and programming errors are logged; the client learns nothing of them.
  log('error', 'unhandled error in route', { error: errorSummary(err) });
  return json({ error: { code: 'internal', message: 'Something went wrong. Please try again.' } }, 500);
}

/** Runs a handler and turns whatever it throws into the JSON error contract. */
export function handle<A extends unknown[]>(fn: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await fn(...args);
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/** Reads the body as text, stopping as soon as it passes `max` bytes (chunked bodies too). */
async function readBody(req: Request, max: number): Promise<string> {
  const tooLarge = () => new AppError('payload_too_large', 'The request body is too large.');
  if (Number(req.headers.get('content-length') ?? '0') > max) throw tooLarge();
  return readCapped(req.body, max, tooLarge);
}

export async function readJson(req: Request, max = MAX_JSON_BYTES): Promise<unknown> {
  const type = req.headers.get('content-type') ?? '';
  if (!type.toLowerCase().includes('application/json')) {
    throw new AppError('unsupported_media_type', 'Send a JSON body with Content-Type: application/json.');
  }
  const text = await readBody(req, max);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('validation_failed', 'The body is not valid JSON.');
  }
}

export async function readText(req: Request, max: number): Promise<string> {
  return readBody(req, max);
}

/**
 * The buyer's address, for rate limits and the order record. Next.js sets X-Forwarded-For
 * to the socket's address only when the request has none, so the app must sit behind a
 * reverse proxy that appends the client address (nginx `$proxy_add_x_forwarded_for`):
 * then the last entry is the one that proxy saw. With TRUST_PROXY (Vercel and proxies that
 * overwrite the header) the first entry is taken. Exposed directly, a client could choose
 * its own address; see docs/api.md.
 */
export function clientIp(req: Request): string {
  return clientIpFrom(req.headers);
}

export function clientIpFrom(headers: Headers): string {
  const forwarded = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (forwarded.length === 0) return headers.get('x-real-ip') ?? 'unknown';
  return getConfig().trustProxy ? forwarded[0]! : forwarded[forwarded.length - 1]!;
}

// The adapters' shared edge: JSON bodies in, JSON errors out, one mapping from error
// codes to HTTP statuses (lib/errors), field codes to English messages (the one JSON
// mapper), and the client's address.
import 'server-only';
import net from 'node:net';
import { NextResponse } from 'next/server';
import { getConfig } from '@/lib/config';
import { AppError, errorSummary, httpStatusOf, isAppError, type FieldErrors } from '@/lib/errors';
import { fieldErrorMessage } from '@/lib/i18n';
import { unmapIpv4 } from '@/lib/ip';
import { log } from '@/lib/log';
import { readCapped } from '@/lib/stream';
import { withFollowUps } from './after-response';

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
    const body = { error: { code: err.code, message: err.message, ...(err.fields ? { fields: jsonFields(err.fields) } : {}), ...err.body } };
    return json(body, httpStatusOf(err.code), headers);
  }
  // Database and programming errors are logged; the client learns nothing of them.
  log('error', 'unhandled error in route', { error: errorSummary(err) });
  return json({ error: { code: 'internal', message: 'Something went wrong. Please try again.' } }, 500);
}

/**
 * Runs a handler and turns whatever it throws into the JSON error contract. The outbox rows
 * the handler wrote are drained after its response (app/_lib/after-response.ts).
 */
export function handle<A extends unknown[]>(fn: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await withFollowUps(() => fn(...args));
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
 * The header the Node server sets on every request to the socket's own address
 * (scripts/peer-address.mjs, loaded by `npm start` and `npm run dev`). The server writes it
 * itself, over anything a client sent, so it cannot be spoofed.
 */
export const PEER_HEADER = 'x-openfaka-peer';

const isTrusted = (list: net.BlockList, a: string) => {
  const family = net.isIP(a);
  return family !== 0 && list.check(a, family === 4 ? 'ipv4' : 'ipv6');
};

/**
 * The client's address, for rate limits, risk checks, the order record and the audit log.
 * - On Vercel (`TRUSTED_PROXIES=vercel`, or the platform's `VERCEL=1`): the address the
 *   platform's edge writes (`x-vercel-forwarded-for`, else the first `x-forwarded-for`
 *   entry; Vercel overwrites whatever the client sent).
 * - Otherwise the socket's address. When that peer is one of `TRUSTED_PROXIES` (nginx on
 *   this host, a load balancer), the client is the rightmost `X-Forwarded-For` entry that
 *   is not itself a trusted proxy; a client-sent prefix of the header is never believed.
 * - No peer known (a server started without the start script): `unknown`, one bucket for all.
 */
export function clientIp(req: Request): string {
  return clientIpFrom(req.headers);
}

export function clientIpFrom(headers: Headers): string {
  const { trustedProxies } = getConfig();
  const forwarded = (name: string) =>
    (headers.get(name) ?? '')
      .split(',')
      .map((s) => unmapIpv4(s.trim()))
      .filter((s) => net.isIP(s) !== 0);
  if (trustedProxies.vercel) return forwarded('x-vercel-forwarded-for')[0] ?? forwarded('x-forwarded-for')[0] ?? 'unknown';
  const peer = unmapIpv4((headers.get(PEER_HEADER) ?? '').trim());
  if (net.isIP(peer) === 0) return 'unknown';
  const list = trustedProxies.list;
  if (!list || !isTrusted(list, peer)) return peer;
  const chain = forwarded('x-forwarded-for');
  for (let i = chain.length - 1; i >= 0; i--) if (!isTrusted(list, chain[i]!)) return chain[i]!;
  return chain[0] ?? peer;
}

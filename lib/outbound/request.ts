// The outbound HTTP client for URLs a merchant chose (webhooks, dynamic delivery, Bark): a timeout, a size cap
// on the answer, no redirects, and in production no loopback or private addresses, so a
// merchant cannot point the shop at its own internal services. Errors never carry the
// URL (a Telegram URL holds the bot token) or the body.
import 'server-only';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { z } from 'zod';
import { getConfig } from '@/lib/config';
import { isPublicAddress } from './addresses';

export class OutboundError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

/** Checks a merchant-given URL before it is stored: http(s) only, https in production. */
export function validateOutboundUrl(raw: string): { ok: true; url: URL } | { ok: false; reason: 'invalid_url' | 'not_https' | 'private_address' } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'invalid_url' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'invalid_url' };
  if (url.username || url.password) return { ok: false, reason: 'invalid_url' };
  const config = getConfig();
  if (config.isProduction && url.protocol !== 'https:') return { ok: false, reason: 'not_https' };
  if (!config.outboundAllowPrivate && isPrivateHost(url.hostname)) return { ok: false, reason: 'private_address' };
  return { ok: true, url };
}

/**
 * A host that is certainly not public before any DNS lookup: an IP literal outside public
 * unicast (the URL parser has already turned decimal, octal and hex IPv4 spellings into
 * dotted quads), or a name reserved for local use. Other names are judged at connect time.
 */
function isPrivateHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local') || host.endsWith('.home.arpa')) return true;
  const family = net.isIP(host);
  return family !== 0 && !isPublicAddress(host, family);
}

const isPrivateAddress = (address: string, family: number) => !isPublicAddress(address, family);

/**
 * The resolver every outbound connection uses: it refuses private addresses at connect time,
 * on the addresses actually dialled, so a name that resolves to a public address when
 * checked and to 127.0.0.1 a moment later (DNS rebinding) cannot get through.
 */
function publicLookup(hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err);
    const list = addresses as dns.LookupAddress[];
    if (!getConfig().outboundAllowPrivate && list.some((a) => isPrivateAddress(a.address, a.family))) {
      return callback(new OutboundError('the host resolves to a private address'));
    }
    if (options.all) return callback(null, list);
    const first = list[0];
    if (!first) return callback(new OutboundError('the host name does not resolve'));
    callback(null, first.address, first.family);
  });
}

export type OutboundResponse = { status: number; body: string };

/**
 * One HTTP(S) request to a merchant-given URL: connect-time address check (publicLookup),
 * a total timeout, no redirects, an answer capped in size. Throws OutboundError, whose
 * message never holds the URL or the body.
 */
function outboundRequest(
  url: URL,
  init: { method: 'GET' | 'POST'; body?: string; headers: Record<string, string>; timeoutMs: number; maxResponseBytes: number; signal?: AbortSignal },
): Promise<OutboundResponse & { headers: http.IncomingHttpHeaders }> {
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (!getConfig().outboundAllowPrivate && net.isIP(literal) && isPrivateAddress(literal, net.isIP(literal))) {
    return Promise.reject(new OutboundError('the address is not public'));
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      reject(err instanceof OutboundError ? err : new OutboundError('connection failed'));
      req.destroy();
    };
    const req = client.request(
      url,
      {
        method: init.method,
        headers: {
          'User-Agent': 'OpenFaka/1 (+webhooks)',
          ...(init.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(init.body)) } : {}),
          ...init.headers,
        },
        lookup: publicLookup as unknown as typeof dns.lookup,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > init.maxResponseBytes) fail(new OutboundError('the answer is too large'));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', fail);
      },
    );
    // A total deadline (not only idle time): a server dribbling bytes is cut off too.
    const deadline = setTimeout(() => fail(new OutboundError('timed out')), init.timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    init.signal?.addEventListener('abort', () => fail(new OutboundError('timed out')), { once: true });
    req.on('error', fail);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/** POSTs a body and returns the answer; throws OutboundError on network failure, timeout or a non-2xx status. */
export async function postOutbound(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs?: number; maxResponseBytes?: number } = {},
): Promise<OutboundResponse> {
  const checked = validateOutboundUrl(rawUrl);
  if (!checked.ok) throw new OutboundError(`the URL is not allowed (${checked.reason})`);
  const res = await outboundRequest(checked.url, {
    method: 'POST',
    body,
    headers,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxResponseBytes: options.maxResponseBytes ?? 256 * 1024,
  });
  if (res.status < 200 || res.status >= 300) throw new OutboundError(`answered HTTP ${res.status}`, res.status);
  return { status: res.status, body: res.body };
}

/**
 * `fetch` for calls to addresses a merchant configured (payment providers' APIs and order
 * queries): the same rules as postOutbound (address checked where it is dialled, no
 * redirects, a deadline, a capped answer), answered as a Response for the channel drivers.
 * Takes GET or POST with a string body; any status comes back as it is.
 */
export const guardedFetch: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const checked = validateOutboundUrl(url.toString());
  if (!checked.ok) throw new OutboundError(`the URL is not allowed (${checked.reason})`);
  const signal = init?.signal ?? undefined;
  if (signal?.aborted) throw new OutboundError('timed out');
  const method = (init?.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'POST') throw new OutboundError(`method ${method} is not supported`);
  if (init?.body != null && typeof init.body !== 'string') throw new OutboundError('only string bodies are supported');
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
  const res = await outboundRequest(checked.url, {
    method,
    body: init?.body ?? undefined,
    headers,
    timeoutMs: 10_000,
    maxResponseBytes: 256 * 1024,
    signal,
  });
  const out = new Headers();
  for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') out.set(k, v);
  return new Response(res.status === 204 || res.status === 304 ? null : res.body, { status: res.status, headers: out });
};

/**
 * A merchant-given URL in an input schema: trimmed, at most 2,000 characters, and acceptable
 * to `validateOutboundUrl` at save time (its reason is the field code).
 */
export const outboundUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .superRefine((v, ctx) => {
    const checked = validateOutboundUrl(v);
    if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.reason });
  });

// Calls to URLs a merchant chose (webhooks, dynamic delivery, Bark): a timeout, a size cap
// on the answer, no redirects, and in production no loopback or private addresses, so a
// merchant cannot point the shop at its own internal services. Errors never carry the
// URL (a Telegram URL holds the bot token) or the body.
import 'server-only';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { getConfig } from '@/lib/config';
import { readCapped } from '@/lib/stream';

const privateRanges = new net.BlockList();
for (const [prefix, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  privateRanges.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [['::', 127], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['::ffff:0:0', 96]] as const) {
  privateRanges.addSubnet(prefix, bits, 'ipv6');
}

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
export function validateOutboundUrl(raw: string): { ok: true; url: URL } | { ok: false; reason: 'invalid' | 'https_required' | 'private_address' } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'invalid' };
  if (url.username || url.password) return { ok: false, reason: 'invalid' };
  const config = getConfig();
  if (config.isProduction && url.protocol !== 'https:') return { ok: false, reason: 'https_required' };
  if (!config.outboundAllowPrivate && isPrivateHost(url.hostname)) return { ok: false, reason: 'private_address' };
  return { ok: true, url };
}

function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal')) return true;
  const family = net.isIP(host);
  if (family === 4) return privateRanges.check(host, 'ipv4');
  if (family === 6) return privateRanges.check(host, 'ipv6');
  return false;
}

async function assertPublic(url: URL): Promise<void> {
  if (getConfig().outboundAllowPrivate) return;
  if (isPrivateHost(url.hostname)) throw new OutboundError('the address is not public');
  if (net.isIP(url.hostname.replace(/^\[|\]$/g, ''))) return;
  const addresses = await lookup(url.hostname, { all: true }).catch(() => {
    throw new OutboundError('the host name does not resolve');
  });
  if (addresses.some((a) => privateRanges.check(a.address, a.family === 6 ? 'ipv6' : 'ipv4'))) throw new OutboundError('the host resolves to a private address');
}

export type OutboundResponse = { status: number; body: string };

/** POSTs a body and returns the answer; throws OutboundError on network failure, timeout or a non-2xx status. */
export async function postOutbound(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs?: number; maxResponseBytes?: number } = {},
): Promise<OutboundResponse> {
  const checked = validateOutboundUrl(rawUrl);
  if (!checked.ok) throw new OutboundError(`the URL is not allowed (${checked.reason})`);
  await assertPublic(checked.url);
  let res: Response;
  try {
    res = await fetch(checked.url, {
      method: 'POST',
      body,
      headers: { 'User-Agent': 'OpenFaka/1 (+webhooks)', ...headers },
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (err) {
    const name = (err as Error)?.name;
    throw new OutboundError(name === 'TimeoutError' || name === 'AbortError' ? 'timed out' : 'connection failed');
  }
  const text = await readCapped(res.body, options.maxResponseBytes ?? 256 * 1024, () => new OutboundError('the answer is too large'));
  if (res.status < 200 || res.status >= 300) throw new OutboundError(`answered HTTP ${res.status}`, res.status);
  return { status: res.status, body: text };
}

/**
 * `fetch` for calls to addresses a merchant configured (payment gateways' order queries):
 * the same public-address rule as postOutbound, and no redirects followed.
 */
export const guardedFetch: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const checked = validateOutboundUrl(url.toString());
  if (!checked.ok) throw new OutboundError(`the URL is not allowed (${checked.reason})`);
  await assertPublic(url);
  return fetch(input, { ...init, redirect: 'manual' });
};

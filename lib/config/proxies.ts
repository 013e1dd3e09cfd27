// TRUSTED_PROXIES: which peers may tell us a client's address in X-Forwarded-For.
import net from 'node:net';

export type TrustedProxies = {
  /** On Vercel the platform's edge is the only way in and sets the client address itself. */
  vercel: boolean;
  /** Addresses and ranges of reverse proxies in front of the Node server; null for none. */
  list: net.BlockList | null;
};

/**
 * `127.0.0.1/32,::1/128` (nginx on the same host), `10.0.0.0/8` (a load balancer's subnet),
 * single addresses, or `vercel`. Throws with the entry that does not parse.
 */
export function parseTrustedProxies(raw: string | undefined, onVercel: boolean): TrustedProxies {
  const entries = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) return { vercel: onVercel, list: null };
  if (entries.length === 1 && entries[0]!.toLowerCase() === 'vercel') return { vercel: true, list: null };
  const list = new net.BlockList();
  for (const entry of entries) {
    const [address, bitsText] = entry.split('/') as [string, string | undefined];
    const family = net.isIP(address);
    const max = family === 4 ? 32 : 128;
    const bits = bitsText === undefined ? max : Number(bitsText);
    if (family === 0 || !Number.isInteger(bits) || bits < 0 || bits > max) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an address or a CIDR range`);
    list.addSubnet(address, bits, family === 4 ? 'ipv4' : 'ipv6');
  }
  return { vercel: false, list };
}

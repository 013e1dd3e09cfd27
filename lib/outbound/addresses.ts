// Which addresses a merchant-given URL may reach: public unicast only. IPv4 and IPv6 are
// judged by separate lists, because Node's BlockList matches an IPv4 address against IPv6
// rules in its mapped form (`::ffff:0:0/96` in one list made 8.8.8.8 "private"). An IPv6
// address that carries an IPv4 address (mapped, compatible, IPv4-translated, NAT64, 6to4)
// is judged by the IPv4 it carries, so `[::ffff:7f00:1]`, `[::127.0.0.1]` and
// `[64:ff9b::a00:1]` are refused like 127.0.0.1 and 10.0.0.1, and `[::ffff:8.8.8.8]` is
// allowed like 8.8.8.8.
import net from 'node:net';
import { ipv6Groups } from '@/lib/ip';

// IANA's IPv4 special-purpose registry, less the globally reachable entries.
const V4_BLOCKED: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata at 169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the limited broadcast 255.255.255.255
];

// IPv6 special-purpose space that is not an IPv4 carrier (those are decided below).
const V6_BLOCKED: readonly [string, number][] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48], // local-use NAT64: whatever it translates to is someone's private network
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments (Teredo 2001::/32, ORCHID, …)
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation
  ['5f00::', 16], // SRv6 SIDs
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

const v4 = new net.BlockList();
for (const [prefix, bits] of V4_BLOCKED) v4.addSubnet(prefix, bits, 'ipv4');
const v6 = new net.BlockList();
for (const [prefix, bits] of V6_BLOCKED) v6.addSubnet(prefix, bits, 'ipv6');

const dottedOf = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/** The IPv4 address an IPv6 address carries, if it is one of the forms that carry one. */
export function embeddedIpv4(address: string): string | null {
  const g = ipv6Groups(address);
  if (!g) return null;
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && g[5] === 0xffff) return dottedOf(g[6]!, g[7]!); // ::ffff:a.b.c.d, mapped
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return dottedOf(g[6]!, g[7]!); // ::ffff:0:a.b.c.d, translated (SIIT)
  if (zero(0, 6) && !(g[6] === 0 && g[7]! <= 1)) return dottedOf(g[6]!, g[7]!); // ::a.b.c.d, compatible (not :: or ::1)
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return dottedOf(g[6]!, g[7]!); // 64:ff9b::a.b.c.d, NAT64
  if (g[0] === 0x2002) return dottedOf(g[1]!, g[2]!); // 2002:aabb:ccdd::/48, 6to4
  return null;
}

/**
 * Whether an IP address may be called: a public unicast address. `family` is 4 or 6 as
 * `net.isIP` says; anything that is not an IP address is refused.
 */
export function isPublicAddress(address: string, family: number = net.isIP(address)): boolean {
  if (family === 4) return net.isIPv4(address) && !v4.check(address, 'ipv4');
  if (family !== 6 || !net.isIPv6(address)) return false;
  const carried = embeddedIpv4(address);
  if (carried !== null) return !v4.check(carried, 'ipv4');
  return !v6.check(address.replace(/%.*$/, ''), 'ipv6');
}

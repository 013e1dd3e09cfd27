import { describe, expect, it } from 'vitest';
import { ipv6Groups } from '@/lib/ip';
import { embeddedIpv4, isPublicAddress } from './addresses';

describe('public addresses', () => {
  it('public IPv4 addresses are public (8.8.8.8 was "private" when IPv6 rules shared the list)', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '11.0.0.2', '100.63.255.255', '100.128.0.1', '172.32.0.1', '192.0.1.1', '198.20.0.1', '223.255.255.255']) {
      expect(isPublicAddress(a), a).toBe(true);
    }
  });

  it('public IPv6 addresses are public, and so are public IPv4 addresses carried in IPv6', () => {
    for (const a of [
      '2606:4700:4700::1111',
      '2001:4860:4860::8888',
      '2a00:1450:4001:82a::200e',
      '::ffff:8.8.8.8',
      '::ffff:808:808',
      '64:ff9b::808:808',
      '2002:808:808::1',
    ]) {
      expect(isPublicAddress(a), a).toBe(true);
    }
  });

  it('private, loopback, link-local, shared, test and reserved IPv4 ranges are refused', () => {
    for (const a of [
      '0.0.0.0',
      '10.0.0.1',
      '100.64.0.1',
      '127.0.0.1',
      '127.255.0.9',
      '169.254.169.254',
      '172.16.5.4',
      '192.0.0.8',
      '192.0.2.10',
      '192.88.99.1',
      '192.168.1.1',
      '198.18.0.1',
      '198.51.100.7',
      '203.0.113.9',
      '224.0.0.1',
      '255.255.255.255',
    ]) {
      expect(isPublicAddress(a), a).toBe(false);
    }
  });

  it('every IPv6 spelling of a private IPv4 address is refused, with the special IPv6 ranges', () => {
    for (const a of [
      '::',
      '::1',
      '::ffff:7f00:1', // mapped 127.0.0.1
      '::ffff:127.0.0.1',
      '::127.0.0.1', // compatible: accepted before this change
      '::a9fe:a9fe', // compatible 169.254.169.254
      '::ffff:0:a00:1', // IPv4-translated 10.0.0.1
      '64:ff9b::a00:1', // NAT64 10.0.0.1
      '64:ff9b:1::8.8.8.8', // local-use NAT64
      '2002:7f00:1::', // 6to4 of 127.0.0.1
      '2002:a9fe:a9fe::1',
      '2001::1', // Teredo
      '2001:db8::1',
      '100::1', // discard
      'fc00::1',
      'fd12:3456::1',
      'fe80::1%eth0',
      'fec0::1', // site-local: accepted before this change
      'ff02::1',
    ]) {
      expect(isPublicAddress(a), a).toBe(false);
    }
  });

  it('reads any IPv6 spelling', () => {
    expect(ipv6Groups('::ffff:127.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(ipv6Groups('2001:db8::1')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ipv6Groups('not an address')).toBeNull();
    expect(embeddedIpv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(embeddedIpv4('2002:c000:204::')).toBe('192.0.2.4');
    expect(embeddedIpv4('2606:4700::1')).toBeNull();
  });

  it('what is not an IP address is not a public address', () => {
    for (const a of ['', 'localhost', '8.8.8', '1.2.3.4.5', '::g']) expect(isPublicAddress(a), a).toBe(false);
  });
});

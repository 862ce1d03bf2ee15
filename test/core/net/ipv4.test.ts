/**
 * IPv4 text and CIDR arithmetic. Properties compare the integer arithmetic with brute force over
 * small blocks (enumerating every address), so an off-by-one in a mask or a prefix shows up.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  cidrContainsIp,
  cidrLast,
  cidrOf,
  cidrSize,
  cidrsOverlap,
  formatCidr,
  formatIpv4,
  isGuestCidrAllowed,
  isRfc1918,
  netmaskToPrefix,
  parseCidr,
  parseIpv4,
  prefixToNetmask,
  smallestPrefixHolding,
  usableHostCount,
} from '../../../core/net/ipv4.js';

const uint32 = fc.integer({ min: 0, max: 0xffffffff });

function block(cidr: { network: number; prefix: number }): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < cidrSize(cidr.prefix); i++) out.add(cidr.network + i);
  return out;
}

describe('IPv4 text', () => {
  it('formats and parses every address back to itself', () => {
    fc.assert(fc.property(uint32, (ip) => parseIpv4(formatIpv4(ip)) === ip));
  });

  it.each(['10.0.0.256', '1.2.3', '1.2.3.4.5', ' 10.0.0.1', '10.0.0.1 ', '', 'a.b.c.d', '10.0.0.-1', '2001:db8::1'])('rejects %j', (text) => {
    expect(parseIpv4(text)).toBeUndefined();
  });

  it('parses netmasks to prefixes and back, and rejects non-contiguous masks', () => {
    for (let prefix = 0; prefix <= 32; prefix++) expect(netmaskToPrefix(prefixToNetmask(prefix))).toBe(prefix);
    expect(netmaskToPrefix('255.0.255.0')).toBeUndefined();
    expect(netmaskToPrefix('255.255.255.1')).toBeUndefined();
    expect(netmaskToPrefix('255.255.256.0')).toBeUndefined();
  });

  it('parses CIDRs, normalising host bits, and rejects bad prefixes', () => {
    expect(parseCidr('10.1.1.7/24')).toEqual({ network: 0x0a010100, prefix: 24 });
    expect(formatCidr(parseCidr('192.168.0.0/16')!)).toBe('192.168.0.0/16');
    for (const bad of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0', '10.0.0.256/24', '10.0.0.0/-1', '10.0.0.0/2x']) expect(parseCidr(bad)).toBeUndefined();
  });
});

describe('CIDR arithmetic agrees with brute force', () => {
  const smallCidr = fc.record({ ip: uint32, prefix: fc.integer({ min: 22, max: 32 }) }).map(({ ip, prefix }) => cidrOf(ip, prefix));

  it('size, last address and membership', () => {
    fc.assert(
      fc.property(smallCidr, uint32, (cidr, probe) => {
        const members = block(cidr);
        expect(members.size).toBe(cidrSize(cidr.prefix));
        expect(members.has(cidrLast(cidr))).toBe(true);
        expect(members.has(cidrLast(cidr) + 1)).toBe(false);
        for (const ip of [probe, cidr.network, cidrLast(cidr), (cidr.network - 1) >>> 0, (cidrLast(cidr) + 1) >>> 0]) {
          expect(cidrContainsIp(cidr, ip)).toBe(members.has(ip));
        }
      }),
    );
  });

  it('overlap and containment', () => {
    const near = fc.tuple(fc.integer({ min: 0, max: 0xffffff00 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 24, max: 32 }), fc.integer({ min: 24, max: 32 }));
    fc.assert(
      fc.property(near, ([base, offsetA, offsetB, prefixA, prefixB]) => {
        const a = cidrOf((base + offsetA) >>> 0, prefixA);
        const b = cidrOf((base + offsetB) >>> 0, prefixB);
        const setA = block(a);
        const setB = block(b);
        const shared = [...setA].some((ip) => setB.has(ip));
        expect(cidrsOverlap(a, b)).toBe(shared);
        expect(cidrContains(a, b)).toBe([...setB].every((ip) => setA.has(ip)));
      }),
    );
  });

  it('the smallest prefix holding n hosts holds them, and the next longer one does not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1 << 20 }), (hosts) => {
        const prefix = smallestPrefixHolding(hosts)!;
        expect(usableHostCount(prefix)).toBeGreaterThanOrEqual(hosts);
        if (prefix < 30) expect(usableHostCount(prefix + 1)).toBeLessThan(hosts);
      }),
    );
  });
});

describe('private address space', () => {
  it('knows RFC 1918 and RFC 6598', () => {
    expect(isRfc1918(parseCidr('10.20.0.0/16')!)).toBe(true);
    expect(isRfc1918(parseCidr('172.31.255.0/24')!)).toBe(true);
    expect(isRfc1918(parseCidr('172.32.0.0/24')!)).toBe(false);
    expect(isRfc1918(parseCidr('192.168.0.0/15')!)).toBe(false);
    expect(isGuestCidrAllowed(parseCidr('100.64.0.0/10')!)).toBe(true);
    expect(isGuestCidrAllowed(parseCidr('203.0.113.0/24')!)).toBe(false);
  });
});

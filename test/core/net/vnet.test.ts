/**
 * VNET range text as CloudStack takes it ("500-599,700-710"), with the bounds of each isolation
 * method, and IPv6 prefixes where CloudStack accepts them.
 */
import { describe, expect, it } from 'vitest';
import { cidr6ContainsIp, guestSubnetCount, parseCidr6, parseIpv6 } from '../../../core/net/ipv6.js';
import { formatVnetRanges, parseVnetRanges, vnetPool } from '../../../core/net/vnet.js';

describe('VNET ranges', () => {
  it('parses lists of ranges and single ids', () => {
    const parsed = parseVnetRanges('500-599, 700-710,800', 'VLAN');
    expect(parsed).toEqual({ ok: true, ranges: [{ first: 500, last: 599 }, { first: 700, last: 710 }, { first: 800, last: 800 }] });
    if (parsed.ok) expect(formatVnetRanges(parsed.ranges)).toBe('500-599,700-710,800');
  });

  it.each([
    ['VLAN', '1-4095', true],
    ['VLAN', '1-4096', false],
    ['VXLAN', '5000-16777214', true],
    ['VXLAN', '5000-16777215', false],
    ['GRE', '1-4294967295', true],
  ] as const)('%s accepts %s: %s', (method, text, ok) => {
    expect(parseVnetRanges(text, method).ok).toBe(ok);
  });

  it('explains what is wrong', () => {
    const reversed = parseVnetRanges('600-500', 'VLAN');
    expect(reversed.ok).toBe(false);
    if (!reversed.ok) expect(reversed.message).toContain('starts after it ends');
    const bounds = parseVnetRanges('100-5000', 'VLAN');
    if (!bounds.ok) expect(bounds.message).toContain('between 0 and 4095');
    const garbage = parseVnetRanges('100-abc', 'VLAN');
    if (!garbage.ok) expect(garbage.message).toContain('is not a vnet range');
    expect(bounds.ok || garbage.ok).toBe(false);
  });
});

describe('IPv6', () => {
  it('parses a public /64 and its gateway', () => {
    const cidr = parseCidr6('2001:db8:1::/64')!;
    expect(cidr.prefix).toBe(64);
    expect(cidr6ContainsIp(cidr, parseIpv6('2001:db8:1::1')!)).toBe(true);
    expect(cidr6ContainsIp(cidr, parseIpv6('2001:db8:2::1')!)).toBe(false);
    expect(parseCidr6('2001:db8::/129')).toBeUndefined();
    expect(parseIpv6('10.0.0.1')).toBeUndefined();
  });

  it('counts the /64 guest subnets of a zone prefix', () => {
    expect(guestSubnetCount(56)).toBe(256);
    expect(guestSubnetCount(48)).toBe(65_536);
    expect(guestSubnetCount(64)).toBe(0);
  });
});

describe('VNET pools', () => {
  it('never hand out VLAN 0 or 4095, and hand out every other id of the ranges once', () => {
    const pool = vnetPool([{ first: 0, last: 10 }, { first: 4090, last: 4095 }], 'VLAN');
    const seen: number[] = [];
    for (let id = pool.allocateLowest(); id !== undefined; id = pool.allocateLowest()) seen.push(id);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 4090, 4091, 4092, 4093, 4094]);
  });

  it('merges overlapping ranges instead of counting ids twice', () => {
    expect(vnetPool([{ first: 100, last: 199 }, { first: 150, last: 250 }], 'VXLAN').capacity).toBe(151);
  });
});

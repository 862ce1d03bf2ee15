import IPCIDR from 'ip-cidr';

/**
 * IPv6, where CloudStack accepts it: a zone's public /64 (ip6cidr + ip6gateway of a public range),
 * a shared network's /64, and the zone guest prefix from which every dual-stack isolated network
 * or VPC tier takes one /64. Addresses are 128-bit bigints; no allocation happens at this width.
 */

export interface Cidr6 {
  network: bigint;
  prefix: number;
}

const ALL_ONES = (1n << 128n) - 1n;

function toBigInt(text: string): bigint | undefined {
  if (!text.includes(':') || !IPCIDR.isValidAddress(text)) return undefined;
  const address = IPCIDR.createAddress(text);
  return BigInt(address.bigInteger().toString());
}

export function parseIpv6(text: string): bigint | undefined {
  if (text.includes('/')) return undefined;
  return toBigInt(text);
}

export function parseCidr6(text: string): Cidr6 | undefined {
  const slash = text.indexOf('/');
  if (slash < 0 || !IPCIDR.isValidCIDR(text)) return undefined;
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const address = toBigInt(text.slice(0, slash));
  if (address === undefined || prefix > 128) return undefined;
  const mask = prefix === 0 ? 0n : (ALL_ONES << BigInt(128 - prefix)) & ALL_ONES;
  return { network: address & mask, prefix };
}

export function cidr6ContainsIp(cidr: Cidr6, ip: bigint): boolean {
  const shift = BigInt(128 - cidr.prefix);
  return ip >> shift === cidr.network >> shift;
}

export function cidr6Overlap(a: Cidr6, b: Cidr6): boolean {
  const shift = BigInt(128 - Math.min(a.prefix, b.prefix));
  return a.network >> shift === b.network >> shift;
}

/** How many /64 guest subnets a zone guest prefix can hand out (2^(64 - prefix)). */
export function guestSubnetCount(prefix: number): number {
  return prefix >= 64 ? 0 : 2 ** (64 - prefix);
}

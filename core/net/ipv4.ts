import IPCIDR from 'ip-cidr';

/**
 * IPv4 addresses as unsigned 32-bit integers. Text is validated with ip-cidr and then converted
 * once; everything after that (ranges, overlap, allocation) is integer arithmetic.
 */

export type Ipv4 = number;

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses dotted-quad text. Returns undefined for anything ip-cidr does not accept as IPv4. */
export function parseIpv4(text: string): Ipv4 | undefined {
  const m = DOTTED_QUAD.exec(text);
  if (!m || !IPCIDR.isValidAddress(text)) return undefined;
  return ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
}

export function formatIpv4(ip: Ipv4): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** The mask of a prefix length: /24 -> 0xffffff00. */
export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function prefixToNetmask(prefix: number): string {
  return formatIpv4(prefixMask(prefix));
}

/** Parses a dotted netmask; undefined unless it is a contiguous mask (255.255.255.0, not 255.0.255.0). */
export function netmaskToPrefix(text: string): number | undefined {
  const mask = parseIpv4(text);
  if (mask === undefined) return undefined;
  const inverted = ~mask >>> 0;
  // A contiguous mask inverted is 2^k - 1, so adding one clears every bit.
  if ((inverted & (inverted + 1)) !== 0) return undefined;
  // For a mask of prefix n the inverted mask is 2^(32-n) - 1, whose leading zeros number n.
  return Math.clz32(inverted);
}

export interface Cidr {
  /** The network address (host bits cleared). */
  network: Ipv4;
  prefix: number;
}

/** Parses "a.b.c.d/n". Host bits may be set in the text; the result is normalised to the network. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const address = parseIpv4(text.slice(0, slash));
  if (address === undefined || prefix > 32 || !IPCIDR.isValidCIDR(text)) return undefined;
  return { network: (address & prefixMask(prefix)) >>> 0, prefix };
}

export function cidrOf(ip: Ipv4, prefix: number): Cidr {
  return { network: (ip & prefixMask(prefix)) >>> 0, prefix };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefix}`;
}

/** Number of addresses in a prefix, network and broadcast included. */
export function cidrSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

export function cidrLast(cidr: Cidr): Ipv4 {
  return (cidr.network + cidrSize(cidr.prefix) - 1) >>> 0;
}

export function cidrContainsIp(cidr: Cidr, ip: Ipv4): boolean {
  return ((ip & prefixMask(cidr.prefix)) >>> 0) === cidr.network;
}

/** True when one CIDR holds the other (equal counts). Two CIDRs either nest or are disjoint. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  const mask = prefixMask(prefix);
  return ((a.network & mask) >>> 0) === ((b.network & mask) >>> 0);
}

/** `outer` contains `inner` entirely. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return outer.prefix <= inner.prefix && cidrContainsIp(outer, inner.network);
}

/**
 * Usable host addresses of a prefix: /31 and /32 are point-to-point or single-host networks
 * (RFC 3021) with no network or broadcast address to give up.
 */
export function usableHostCount(prefix: number): number {
  if (prefix >= 31) return cidrSize(prefix);
  return cidrSize(prefix) - 2;
}

/** The longest prefix (smallest network) with at least `hosts` usable host addresses. */
export function smallestPrefixHolding(hosts: number): number | undefined {
  for (let prefix = 30; prefix >= 0; prefix--) {
    if (usableHostCount(prefix) >= hosts) return prefix;
  }
  return undefined;
}

/** RFC 1918 private space, and RFC 6598 shared address space, which CloudStack also accepts. */
const PRIVATE_SPACES: readonly Cidr[] = [
  { network: 0x0a000000, prefix: 8 },
  { network: 0xac100000, prefix: 12 },
  { network: 0xc0a80000, prefix: 16 },
];
const SHARED_SPACE: Cidr = { network: 0x64400000, prefix: 10 };

export function isRfc1918(cidr: Cidr): boolean {
  return PRIVATE_SPACES.some((space) => cidrContains(space, cidr));
}

export function isGuestCidrAllowed(cidr: Cidr): boolean {
  return isRfc1918(cidr) || cidrContains(SHARED_SPACE, cidr);
}

/** The link-local control network CloudStack uses for system VMs on KVM, XenServer and LXC. */
export const LINK_LOCAL_CIDR: Cidr = { network: 0xa9fe0000, prefix: 16 };

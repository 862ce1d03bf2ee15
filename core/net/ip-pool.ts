import { type Cidr, cidrLast, type Ipv4 } from './ipv4.js';
import { IdPool, type Interval } from './pool.js';

/**
 * An address pool for one subnet, as CloudStack hands addresses out: from the given ranges (or
 * the whole CIDR), never the network address, the broadcast address, the gateway or anything in
 * a reserved interval (for instance the IP reservation of an isolated network).
 */
export interface SubnetPoolSpec {
  cidr: Cidr;
  /** The ranges to hand out; the whole CIDR when absent. Parts outside the CIDR are dropped. */
  ranges?: readonly Interval[];
  gateway?: Ipv4;
  reserved?: readonly Interval[];
}

export function subnetPool(spec: SubnetPoolSpec): IdPool {
  const first = spec.cidr.network;
  const last = cidrLast(spec.cidr);
  const ranges = (spec.ranges ?? [{ first, last }])
    .map((r) => ({ first: Math.max(r.first, first), last: Math.min(r.last, last) }))
    .filter((r) => r.first <= r.last)
    .sort((a, b) => a.first - b.first);
  const disjoint: Interval[] = [];
  for (const r of ranges) {
    const previous = disjoint[disjoint.length - 1];
    if (previous && r.first <= previous.last + 1) previous.last = Math.max(previous.last, r.last);
    else disjoint.push({ ...r });
  }
  const blocked: number[] = [];
  if (spec.cidr.prefix <= 30) blocked.push(first, last);
  if (spec.gateway !== undefined) blocked.push(spec.gateway);
  const pool = new IdPool(disjoint, blocked);
  for (const r of spec.reserved ?? []) {
    for (let ip = Math.max(r.first, first); ip <= Math.min(r.last, last); ip++) pool.block(ip);
  }
  return pool;
}

/** The link-local control pool of a pod: 169.254.0.2 to 169.254.255.254 (gateway .0.1). */
export function linkLocalPool(): IdPool {
  return subnetPool({ cidr: { network: 0xa9fe0000, prefix: 16 }, gateway: 0xa9fe0001 });
}

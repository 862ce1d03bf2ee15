import { type Finding, finding } from '../findings.js';
import { type Cidr, cidrContainsIp, cidrLast, cidrOf, formatCidr, formatIpv4, type Ipv4 } from '../net/ipv4.js';

/** The place a finding is about: a readable path, and the entity when it exists. */
export interface Subject {
  path: string;
  entityId?: string;
}

export interface IpRangeShape {
  gateway?: Ipv4;
  cidr: Cidr;
  first: Ipv4;
  last: Ipv4;
}

export function formatRange(first: Ipv4, last: Ipv4): string {
  return first === last ? formatIpv4(first) : `${formatIpv4(first)}-${formatIpv4(last)}`;
}

/**
 * The checks every CloudStack IP range gets (ConfigurationManagerImpl.checkIpRange and friends):
 * start before end, start and end inside the CIDR, gateway in the range's subnet and outside the
 * range. `cidr` is the subnet of the gateway and netmask, as CloudStack computes it.
 * Ranges of /31 and /32 have no network or broadcast address to avoid.
 */
export function checkIpRange(subject: Subject, range: IpRangeShape, out: Finding[], what = 'range'): void {
  const { cidr, first, last, gateway } = range;
  const cidrText = formatCidr(cidr);
  if (first > last) {
    out.push(
      finding('IP_RANGE_START_AFTER_END', { ...subject, field: 'endIp' },
        `${what} starts at ${formatIpv4(first)} after its end ${formatIpv4(last)}`,
        `swap the addresses: the start IP must be lower than or equal to the end IP`),
    );
  }
  // When start and end share a subnet of this size that the gateway is not in, the gateway is
  // the odd one out: say so once instead of calling both ends of the range wrong.
  const rangeCidr = cidrOf(first, cidr.prefix);
  if (gateway !== undefined && rangeCidr.network !== cidr.network && cidrContainsIp(rangeCidr, last)) {
    out.push(
      finding('IP_RANGE_GATEWAY_OUTSIDE_CIDR', { ...subject, field: 'gateway' },
        `gateway ${formatIpv4(gateway)} is not in ${formatCidr(rangeCidr)}, the subnet of the ${what} ${formatRange(first, last)}`,
        `use a gateway inside ${formatCidr(rangeCidr)}, usually ${formatIpv4(rangeCidr.network + 1)}, or move the ${what} into ${cidrText}`),
    );
    return;
  }
  for (const [field, ip] of [['startIp', first], ['endIp', last]] as const) {
    if (!cidrContainsIp(cidr, ip)) {
      out.push(
        finding('IP_RANGE_OUTSIDE_CIDR', { ...subject, field },
          `${field === 'startIp' ? 'start' : 'end'} address ${formatIpv4(ip)} of the ${what} is not in the CIDR ${cidrText}`,
          `keep the ${what} inside ${cidrText}, or widen the netmask`),
      );
    }
  }
  if (gateway !== undefined) {
    if (first <= last && gateway >= first && gateway <= last) {
      out.push(
        finding('IP_RANGE_GATEWAY_IN_RANGE', { ...subject, field: 'gateway' },
          `gateway ${formatIpv4(gateway)} lies inside the ${what} ${formatRange(first, last)}`,
          `start the ${what} after the gateway or end it before, e.g. ${formatRange(gateway + 1, last > gateway ? last : gateway + 1)}`),
      );
    }
  }
  if (cidr.prefix <= 30 && first <= last && cidrContainsIp(cidr, first) && cidrContainsIp(cidr, last)) {
    if (first === cidr.network || last === cidrLast(cidr)) {
      out.push(
        finding('IP_RANGE_INCLUDES_NETWORK_OR_BROADCAST', { ...subject, field: first === cidr.network ? 'startIp' : 'endIp' },
          `${what} ${formatRange(first, last)} includes the ${first === cidr.network ? 'network' : 'broadcast'} address of ${cidrText}`,
          `those addresses are never handed out; start at ${formatIpv4(cidr.network + 1)} and end at ${formatIpv4(cidrLast(cidr) - 1)} at most`),
      );
    }
  }
}

import type { Ipv4 } from '../net/ipv4.js';
import type { Id } from './entities.js';

/**
 * Network services on public IPs (networking.md §4): the addresses themselves, static NAT, port
 * forwarding, load balancing and firewall rules; and security groups for L3-isolated zones.
 */

export type PublicIpState = 'Free' | 'Allocated' | 'Reserved';

/** An allocated public address. Free addresses have no record: they are the pool's free bits. */
export interface PublicIp {
  id: Id;
  ip: Ipv4;
  zoneId: Id;
  vlanIpRangeId: Id;
  accountId: Id;
  /** The isolated network or VPC it belongs to; for a VPC, the tier it serves once a rule uses it. */
  networkId?: Id;
  vpcId?: Id;
  sourceNat: boolean;
  /** Static NAT takes the whole address. */
  staticNatVmId?: Id;
  /** Services in use on it: at most one purpose unless the offering conserves addresses. */
  purposes: ('PortForwarding' | 'Lb' | 'StaticNat')[];
  forSystemVm?: Id;
}

export type Protocol = 'tcp' | 'udp' | 'icmp' | 'all';

export interface PortForwardingRule {
  id: Id;
  publicIpId: Id;
  protocol: 'tcp' | 'udp';
  publicPortStart: number;
  publicPortEnd: number;
  privatePortStart: number;
  privatePortEnd: number;
  vmId: Id;
  vmIp: Ipv4;
  cidrList: string[];
}

export interface FirewallRule {
  id: Id;
  /** Ingress rules sit on a public IP; egress rules on an isolated network. */
  publicIpId?: Id;
  networkId?: Id;
  direction: 'ingress' | 'egress';
  protocol: Protocol;
  startPort?: number;
  endPort?: number;
  icmpType?: number;
  icmpCode?: number;
  cidrList: string[];
}

export interface LoadBalancerRule {
  id: Id;
  name: string;
  publicIpId: Id;
  algorithm: 'roundrobin' | 'leastconn' | 'source';
  protocol: 'tcp' | 'udp' | 'tcp-proxy';
  publicPort: number;
  privatePort: number;
  vmIds: Id[];
}

export interface SecurityGroupRule {
  id: Id;
  direction: 'ingress' | 'egress';
  protocol: Protocol;
  startPort?: number;
  endPort?: number;
  cidrList: string[];
  /** Traffic from the members of another group, instead of CIDRs. */
  groupId?: Id;
}

/** The group every account's VMs join unless others are named; it cannot be deleted. */
export const DEFAULT_SECURITY_GROUP = 'default';

export interface SecurityGroup {
  id: Id;
  name: string;
  accountId: Id;
  rules: SecurityGroupRule[];
}

import { type Finding, finding } from '../findings.js';
import type { GuestType, Network, PhysicalNetwork, StorageNetworkIpRange, VlanIpRange, VlanTag, Vpc, Zone } from '../model/entities.js';
import type {
  AddTrafficType,
  CreateNetwork,
  CreatePhysicalNetwork,
  CreateStorageNetworkIpRange,
  CreateVlanIpRange,
  CreateVpc,
} from '../model/commands.js';
import type { DomainEvent } from '../model/events.js';
import type { RestartVpc, UpdateVpc } from '../model/network-commands.js';
import type { RestartNetwork, UpdateNetwork } from '../model/tenant-commands.js';
import {
  type CloudState,
  hostsOfPod,
  networksOf,
  physicalNetworksOf,
  podsOf,
  settingBoolean,
  settingNumber,
  storageRangesOf,
  vlanIpRangesOf,
  vpcsOf,
} from '../model/state.js';
import {
  type Cidr,
  cidrContains,
  cidrOf,
  cidrsOverlap,
  formatCidr,
  formatIpv4,
  isGuestCidrAllowed,
} from '../net/ipv4.js';
import { cidr6ContainsIp, parseCidr6, parseIpv6 } from '../net/ipv6.js';
import { findOverlap, type Interval, intervalsOverlap } from '../net/pool.js';
import { formatVnetRanges, parseVnetRanges } from '../net/vnet.js';
import { networkPath, physicalNetworkPath, podPath, vpcPath, zonePath } from '../paths.js';
import { checkIpRange, formatRange, type Subject } from '../rules/ip-range.js';
import { checkNetworkDomain } from '../rules/names.js';
import { limitExceeded, mayActOn } from './access.js';
import { DecisionBuilder, replaceRouters, routersOf } from './implement.js';
import { conclude, type DecideContext, type Decision, newId, ParamReader, reject } from './support.js';

export function decideCreatePhysicalNetwork(state: CloudState, cmd: CreatePhysicalNetwork, ctx: DecideContext): Decision {
  const zone = state.zones.get(cmd.zoneId);
  if (!zone) return reject('ENTITY_NOT_FOUND', `zone ${cmd.zoneId} does not exist`);
  const path = physicalNetworkPath(state, { name: cmd.name, zoneId: zone.id });
  const params = new ParamReader(path);
  params.name('name', cmd.name);
  if (params.failed) return params.rejection();
  const { id, idSeq } = newId(state);
  const subject = { path, entityId: id };
  const method = cmd.isolationMethod ?? 'VLAN';
  const findings: Finding[] = [];
  const siblings = physicalNetworksOf(state, zone.id);
  if (siblings.some((n) => n.name === cmd.name)) {
    findings.push(finding('PHYSICAL_NETWORK_NAME_DUPLICATE', subject, `a physical network named "${cmd.name}" already exists in zone ${zone.name}`, 'give every physical network of a zone its own name'));
  }
  if (zone.networkType === 'Basic' && siblings.length > 0) {
    findings.push(finding('ZONE_BASIC_MULTIPLE_PHYSICAL_NETWORKS', subject,
      `cannot add physical network ${cmd.name} to basic zone ${zone.name}: it already has ${siblings.map((n) => n.name).join(', ')}`,
      'a basic zone has exactly one physical network; carry every traffic type on it, or make the zone advanced'));
  }
  let vnetRanges: Interval[] = [];
  if (cmd.vlan !== undefined && cmd.vlan.trim() !== '') {
    const field = { ...subject, field: 'vlanRanges' };
    if (zone.networkType === 'Basic') {
      findings.push(finding('VNET_RANGE_IN_BASIC_ZONE', field, `basic zone ${zone.name} takes no vnet range, got ${cmd.vlan}`, 'remove the vnet range; basic zones isolate guests with security groups'));
    }
    const parsed = parseVnetRanges(cmd.vlan, method);
    if (!parsed.ok) {
      findings.push(finding('VNET_RANGE_INVALID', field, parsed.message, 'write ranges as start-end pairs inside the bounds of the isolation method'));
    } else {
      vnetRanges = parsed.ranges;
      const overlap = findOverlap(vnetRanges);
      if (overlap) {
        const [a, b] = overlap;
        findings.push(finding('VNET_RANGE_OVERLAP', field,
          `vnet ranges ${formatVnetRanges([vnetRanges[a]!])} and ${formatVnetRanges([vnetRanges[b]!])} overlap`, 'merge the overlapping ranges into one'));
      }
      if (method === 'VLAN' && vnetRanges.some((r) => r.first === 0 || r.last === 4095)) {
        findings.push(finding('VNET_RANGE_RESERVED_VLAN', field, `vnet range ${formatVnetRanges(vnetRanges)} includes VLAN 0 or 4095`, 'IEEE 802.1Q reserves VLAN 0 and 4095; use 1-4094'));
      }
      if (method === 'VXLAN') {
        for (const other of siblings.filter((n) => n.isolationMethod === 'VXLAN')) {
          const clash = other.vnetRanges.find((o) => vnetRanges.some((r) => intervalsOverlap(o, r)));
          if (clash) {
            findings.push(finding('VNI_DUPLICATE_IN_ZONE', field,
              `VNIs of ${formatVnetRanges(vnetRanges)} already exist on physical network ${other.name} (${formatVnetRanges([clash])}) in zone ${zone.name}`,
              'a VNI must be unique across the whole zone; give each physical network its own VNI range'));
          }
        }
      }
    }
  }
  const physicalNetwork: PhysicalNetwork = {
    id,
    name: cmd.name,
    zoneId: zone.id,
    isolationMethod: method,
    vnetRanges,
    tags: cmd.tags ?? [],
    traffic: [],
    nics: cmd.nics ?? [],
    state: 'Enabled',
  };
  if (cmd.bonding !== undefined) physicalNetwork.bonding = cmd.bonding;
  return conclude(ctx, findings, [{ type: 'physicalNetworkCreated', idSeq, physicalNetwork }]);
}

export function decideAddTrafficType(state: CloudState, cmd: AddTrafficType, ctx: DecideContext): Decision {
  const network = state.physicalNetworks.get(cmd.physicalNetworkId);
  if (!network) return reject('ENTITY_NOT_FOUND', `physical network ${cmd.physicalNetworkId} does not exist`);
  const zone = state.zones.get(network.zoneId)!;
  const params = new ParamReader(physicalNetworkPath(state, network));
  const vlan = params.vlan('vlan', cmd.vlan);
  if (params.failed) return params.rejection();
  const subject = { path: `${physicalNetworkPath(state, network)}/traffic/${cmd.trafficType}`, entityId: network.id };
  const findings: Finding[] = [];
  const type = cmd.trafficType;
  if (network.traffic.some((t) => t.type === type)) {
    findings.push(finding('TRAFFIC_TYPE_DUPLICATE', subject, `physical network ${network.name} already supports the traffic type ${type}`, 'list each traffic type once per physical network'));
  }
  const others = physicalNetworksOf(state, zone.id).filter((n) => n.id !== network.id);
  if (type !== 'Guest') {
    const holder = others.find((n) => n.traffic.some((t) => t.type === type));
    if (holder) {
      findings.push(finding('TRAFFIC_TYPE_DUPLICATE', subject,
        `zone ${zone.name} already has a physical network with the traffic type ${type} (${holder.name})`,
        `only guest traffic may span several physical networks; carry ${type} on one of them`));
    }
  }
  if (network.tags.length === 0) {
    const untagged = others.find((n) => n.tags.length === 0 && n.traffic.some((t) => t.type === type));
    if (untagged && type === 'Guest') {
      findings.push(finding('GUEST_PHYSICAL_NETWORKS_UNTAGGED', subject,
        `physical networks ${untagged.name} and ${network.name} of zone ${zone.name} both carry guest traffic without a tag`,
        'tag every guest physical network but one, and tag the network offerings that should use them'));
    }
  }
  if (type === 'Public') {
    if (zone.networkType === 'Basic' && !zone.elasticIp) {
      findings.push(finding('TRAFFIC_TYPE_NOT_ALLOWED', subject, `basic zone ${zone.name} carries no public traffic unless it uses Elastic IP`, 'remove the Public traffic type, or enable elasticIp for a NetScaler EIP/ELB zone'));
    }
    if (zone.networkType === 'Advanced' && zone.securityGroupsEnabled) {
      findings.push(finding('TRAFFIC_TYPE_NOT_ALLOWED', subject, `advanced zone ${zone.name} uses security groups and so carries no public traffic`, 'remove the Public traffic type, or turn security groups off'));
    }
  }
  const traffic = { type, labels: cmd.labels ?? {}, ...(vlan === undefined ? {} : { vlan }) };
  return conclude(ctx, findings, [{ type: 'trafficTypeAdded', physicalNetworkId: network.id, traffic }]);
}

/** The VLANs a zone hands out dynamically: the VNET ranges of its VLAN-isolated physical networks. */
function vlanInGuestPool(state: CloudState, zoneId: string, vlan: number): PhysicalNetwork | undefined {
  return physicalNetworksOf(state, zoneId).find(
    (n) => n.isolationMethod === 'VLAN' && n.vnetRanges.some((r) => vlan >= r.first && vlan <= r.last),
  );
}

function hostsOfZone(state: CloudState, zoneId: string) {
  return podsOf(state, zoneId).flatMap((pod) => hostsOfPod(state, pod.id));
}

function vlanText(vlan: VlanTag): string {
  return vlan === 'untagged' ? 'untagged' : `VLAN ${vlan}`;
}

interface RangeCandidate {
  zone: Zone;
  purpose: 'Public' | 'Guest';
  vlan: VlanTag;
  gateway: number;
  cidr: Cidr;
  first: number;
  last: number;
  networkId?: string;
  podId?: string;
  /** Root admin's bypassVlanOverlapCheck: a shared network may reuse a VLAN of the pool. */
  bypassVlanCheck?: boolean;
}

/**
 * The zone-wide checks of createVlanIpRange against every existing range whose CIDR overlaps:
 * on the same VLAN the subnet must be identical (an extension) and the addresses disjoint; on
 * another VLAN a public range may not share the subnet at all.
 */
function checkRangeAgainstZone(state: CloudState, candidate: RangeCandidate, subject: Subject, out: Finding[]): void {
  const { zone, vlan, cidr, first, last } = candidate;
  for (const other of vlanIpRangesOf(state, zone.id)) {
    if (!cidrsOverlap(other.cidr, cidr)) continue;
    const sameVlan = other.vlan === vlan;
    const where = `${other.purpose.toLowerCase()} range ${formatRange(other.first, other.last)} (${formatCidr(other.cidr)}, ${vlanText(other.vlan)})`;
    if (sameVlan) {
      const sameSubnet = other.gateway === candidate.gateway && other.cidr.prefix === cidr.prefix;
      if (!sameSubnet) {
        if (candidate.networkId !== undefined && other.networkId === candidate.networkId && other.cidr.prefix !== cidr.prefix) {
          out.push(finding('NETWORK_SUBNET_NESTED', { ...subject, field: 'netmask' },
            `subnet ${formatCidr(cidr)} is nested with ${formatCidr(other.cidr)} of the same network`,
            'a new subnet of a shared network must be the same subnet or entirely disjoint'));
        } else {
          out.push(finding('IP_RANGE_SUBNET_MISMATCH', { ...subject, field: 'gateway' },
            `range ${formatRange(first, last)} on ${vlanText(vlan)} overlaps ${where} with another gateway or netmask`,
            'to extend a range on the same VLAN use the same gateway and netmask; otherwise pick a disjoint subnet'));
        }
      } else if (intervalsOverlap(other, { first, last }) && cidr.prefix !== 31) {
        out.push(finding('IP_RANGE_OVERLAP', { ...subject, field: 'startIp' },
          `range ${formatRange(first, last)} hands out addresses of ${where}`, 'make the ranges of one subnet disjoint'));
      }
    } else if (candidate.purpose === 'Public' || other.purpose === 'Public') {
      out.push(finding('IP_RANGE_SUBNET_CONFLICT', { ...subject, field: 'gateway' },
        `range ${formatRange(first, last)} on ${vlanText(vlan)} overlaps the subnet of ${where}`,
        'public subnets on different VLANs must not overlap; choose another subnet'));
    }
  }
  for (const pod of podsOf(state, zone.id)) {
    for (const range of pod.managementRanges) {
      if (intervalsOverlap(range, { first, last })) {
        out.push(finding('IP_RANGE_OVERLAPS_POD_RANGE', { ...subject, field: 'startIp' },
          `range ${formatRange(first, last)} overlaps the reserved range ${formatRange(range.first, range.last)} of pod ${pod.name}`,
          'keep guest and public ranges out of the pod management ranges'));
      }
    }
  }
  for (const host of hostsOfZone(state, zone.id)) {
    if (host.ip >= first && host.ip <= last) {
      out.push(finding('IP_RANGE_OVERLAPS_HOST', { ...subject, field: 'startIp' },
        `range ${formatRange(first, last)} includes the management address ${formatIpv4(host.ip)} of host ${host.name}`,
        'CloudStack would hand that address to a VM or router; keep host addresses out of guest and public ranges'));
    }
  }
  if (vlan !== 'untagged' && !candidate.bypassVlanCheck) {
    const pool = vlanInGuestPool(state, zone.id, vlan);
    if (pool) {
      out.push(finding('IP_RANGE_VLAN_IN_GUEST_POOL', { ...subject, field: 'vlan' },
        `VLAN ${vlan} is already used for dynamic guest allocation on physical network ${pool.name} (${formatVnetRanges(pool.vnetRanges)})`,
        'use a VLAN outside the guest VNET ranges, or shrink the guest ranges'));
    }
  }
  if (candidate.purpose === 'Public') {
    for (const range of state.vlanIpRanges.values()) {
      if (range.zoneId !== zone.id && range.purpose === 'Public' && intervalsOverlap(range, { first, last })) {
        out.push(finding('PUBLIC_RANGE_OVERLAPS_OTHER_ZONE', { ...subject, field: 'startIp' },
          `public range ${formatRange(first, last)} overlaps public range ${formatRange(range.first, range.last)} of zone ${state.zones.get(range.zoneId)?.name ?? range.zoneId}`,
          'keep the public ranges of different zones distinct'));
      }
    }
  }
}

function checkIpv6Range(zone: Zone, ip6Gateway: string | undefined, ip6Cidr: string | undefined, subject: Subject, out: Finding[]): void {
  if (ip6Gateway === undefined && ip6Cidr === undefined) return;
  if (zone.networkType === 'Basic') {
    out.push(finding('IPV6_BASIC_ZONE', { ...subject, field: 'ip6Cidr' }, `basic zone ${zone.name} is given IPv6 ${ip6Cidr ?? ip6Gateway}, but basic zones do not support IPv6`, 'use an advanced zone for IPv6'));
  }
  const cidr = ip6Cidr === undefined ? undefined : parseCidr6(ip6Cidr);
  const gateway = ip6Gateway === undefined ? undefined : parseIpv6(ip6Gateway);
  const problem =
    ip6Cidr === undefined || ip6Gateway === undefined ? 'an IPv6 range needs both ip6Gateway and ip6Cidr'
    : !cidr ? `ip6Cidr ${ip6Cidr} is not a valid IPv6 CIDR`
    : cidr.prefix !== 64 ? `ip6Cidr ${ip6Cidr} must be a /64`
    : gateway === undefined ? `ip6Gateway ${ip6Gateway} is not a valid IPv6 address`
    : !cidr6ContainsIp(cidr, gateway) ? `ip6Gateway ${ip6Gateway} is not in ${ip6Cidr}`
    : undefined;
  if (problem) out.push(finding('IPV6_RANGE_INVALID', { ...subject, field: 'ip6Cidr' }, problem, 'give a /64 and a gateway inside it, e.g. 2001:db8:1::/64 and 2001:db8:1::1'));
}

export function decideCreateVlanIpRange(state: CloudState, cmd: CreateVlanIpRange, ctx: DecideContext): Decision {
  const zone = state.zones.get(cmd.zoneId);
  if (!zone) return reject('ENTITY_NOT_FOUND', `zone ${cmd.zoneId} does not exist`);
  const pod = cmd.podId === undefined ? undefined : state.pods.get(cmd.podId);
  if (cmd.podId !== undefined && (!pod || pod.zoneId !== zone.id)) return reject('ENTITY_NOT_FOUND', `pod ${cmd.podId} does not exist in zone ${zone.name}`);
  const network = cmd.networkId === undefined ? undefined : state.networks.get(cmd.networkId);
  if (cmd.networkId !== undefined && (!network || network.zoneId !== zone.id)) return reject('ENTITY_NOT_FOUND', `network ${cmd.networkId} does not exist in zone ${zone.name}`);
  const purpose = cmd.forVirtualNetwork ? 'Public' : 'Guest';
  const base = pod ? `${podPath(state, pod)}/guestRanges` : network ? `${networkPath(state, network)}/ranges` : `${zonePath(zone)}/${purpose === 'Public' ? 'publicRanges' : 'guestRanges'}`;
  const path = `${base}/${cmd.startIp}${cmd.endIp === undefined ? '' : `-${cmd.endIp}`}`;
  const params = new ParamReader(path);
  const gateway = params.ipv4('gateway', cmd.gateway);
  const prefix = params.netmask('netmask', cmd.netmask);
  const first = params.ipv4('startIp', cmd.startIp);
  const last = cmd.endIp === undefined ? first : params.ipv4('endIp', cmd.endIp);
  if (typeof cmd.vlan === 'number') params.vlan('vlan', cmd.vlan);
  if (params.failed) return params.rejection();
  if (network && network.guestType !== 'Shared') return reject('INVALID_PARAMETER', `network ${network.name} is ${network.guestType}; ranges are added to shared networks only`);

  const { id, idSeq } = newId(state);
  const subject = { path, entityId: id };
  const cidr = cidrOf(gateway, prefix);
  const findings: Finding[] = [];
  let vlan: VlanTag = cmd.vlan ?? network?.vlan ?? 'untagged';
  if (purpose === 'Public') {
    if (zone.networkType === 'Advanced' && zone.securityGroupsEnabled) {
      findings.push(finding('ZONE_SG_PUBLIC_RANGE', subject, `can't add a public (virtual) IP range to zone ${zone.name}: security groups are enabled`, 'remove the public range, or turn security groups off for the zone'));
    } else if (zone.networkType === 'Basic' && !zone.elasticIp) {
      findings.push(finding('ZONE_BASIC_PUBLIC_RANGE', subject, `basic zone ${zone.name} has no public network (no Elastic IP) for range ${formatRange(first, last)}`, 'remove the public range, or enable elasticIp for a NetScaler EIP/ELB basic zone'));
    } else if (!physicalNetworksOf(state, zone.id).some((n) => n.traffic.some((t) => t.type === 'Public'))) {
      findings.push(finding('PUBLIC_RANGE_NO_PUBLIC_NETWORK', subject, `zone ${zone.name} has no physical network with traffic type Public`, 'add the Public traffic type to one physical network of the zone'));
    }
    if (cmd.vlan === undefined) {
      findings.push(finding('PUBLIC_RANGE_VLAN_REQUIRED', { ...subject, field: 'vlan' }, `public range ${formatRange(first, last)} gives no VLAN`, 'give the VLAN id that carries the range, or "untagged" for the native VLAN'));
    }
  }
  if (pod && !(zone.networkType === 'Basic' && purpose === 'Guest')) {
    findings.push(finding('GUEST_RANGE_POD_NOT_BASIC', { ...subject, field: 'pod' }, `pod ${pod.name} is given for a ${purpose.toLowerCase()} range of ${zone.networkType.toLowerCase()} zone ${zone.name}; pods take guest ranges in basic zones only`, 'drop the pod, or use a basic zone'));
  }
  if (pod && zone.networkType === 'Basic' && !cidrContainsRange(pod.cidr, first, last) && !guestHasOwnBridge(state, zone.id)) {
    findings.push(finding('GUEST_RANGE_OUTSIDE_POD_CIDR', { ...subject, field: 'startIp' },
      `guest range ${formatRange(first, last)} is outside pod ${pod.name} CIDR ${formatCidr(pod.cidr)}`,
      'with a single host NIC the basic zone guest range must lie in the pod CIDR; otherwise label the guest traffic with its own bridge (a second NIC in that subnet)'));
  }
  if (network && network.vlan !== undefined && cmd.vlan !== undefined && cmd.vlan !== network.vlan) {
    findings.push(finding('INVALID_PARAMETER', { ...subject, field: 'vlan' }, `network ${network.name} is on ${vlanText(network.vlan)}; a guest network has one VLAN only`, `use ${vlanText(network.vlan)}`));
    vlan = network.vlan;
  }
  if ((cmd.domainId !== undefined || cmd.accountId !== undefined) && zone.networkType === 'Basic') {
    findings.push(finding('IP_RANGE_DEDICATION_BASIC_ZONE', { ...subject, field: 'dedicatedTo' }, `range ${formatRange(first, last)} of basic zone ${zone.name} is dedicated; ranges can be dedicated only in advanced zones`, 'drop the dedication'));
  }
  if (cmd.domainId !== undefined && !state.domains.has(cmd.domainId)) return reject('ENTITY_NOT_FOUND', `domain ${cmd.domainId} does not exist`);
  if (cmd.accountId !== undefined && !state.accounts.has(cmd.accountId)) return reject('ENTITY_NOT_FOUND', `account ${cmd.accountId} does not exist`);
  checkIpRange(subject, { gateway, cidr, first, last }, findings, `${purpose.toLowerCase()} range`);
  const candidate: RangeCandidate = { zone, purpose, vlan, gateway, cidr, first, last };
  if (network) candidate.networkId = network.id;
  if (pod) candidate.podId = pod.id;
  checkRangeAgainstZone(state, candidate, subject, findings);
  checkIpv6Range(zone, cmd.ip6Gateway, cmd.ip6Cidr, subject, findings);

  const vlanIpRange: VlanIpRange = {
    id,
    zoneId: zone.id,
    purpose,
    vlan,
    gateway,
    cidr,
    first,
    last,
    forSystemVms: cmd.forSystemVms ?? false,
  };
  const physicalNetwork = cmd.physicalNetworkId ?? physicalNetworksOf(state, zone.id).find((n) => n.traffic.some((t) => t.type === (purpose === 'Public' ? 'Public' : 'Guest')))?.id;
  if (physicalNetwork !== undefined) vlanIpRange.physicalNetworkId = physicalNetwork;
  if (pod) vlanIpRange.podId = pod.id;
  if (network) vlanIpRange.networkId = network.id;
  if (cmd.ip6Gateway !== undefined) vlanIpRange.ip6Gateway = cmd.ip6Gateway;
  if (cmd.ip6Cidr !== undefined) vlanIpRange.ip6Cidr = cmd.ip6Cidr;
  if (cmd.domainId !== undefined) vlanIpRange.dedication = { domainId: cmd.domainId, ...(cmd.accountId === undefined ? {} : { accountId: cmd.accountId }) };
  return conclude(ctx, findings, [{ type: 'vlanIpRangeCreated', idSeq, vlanIpRange }]);
}

/** Whether guest traffic rides another bridge than management (its labels differ), i.e. a second NIC. */
function guestHasOwnBridge(state: CloudState, zoneId: string): boolean {
  const traffic = physicalNetworksOf(state, zoneId).flatMap((n) => n.traffic.map((t) => ({ ...t, network: n.id })));
  const guest = traffic.find((t) => t.type === 'Guest');
  const management = traffic.find((t) => t.type === 'Management');
  if (!guest || !management) return false;
  if (guest.network !== management.network) return true;
  const keys = ['kvm', 'xen', 'vmware', 'hyperv'] as const;
  return keys.some((k) => guest.labels[k] !== undefined && guest.labels[k] !== management.labels[k]);
}

function cidrContainsRange(cidr: Cidr, first: number, last: number): boolean {
  return cidrContains(cidr, { network: first, prefix: 32 }) && cidrContains(cidr, { network: last, prefix: 32 });
}

export function decideCreateStorageNetworkIpRange(state: CloudState, cmd: CreateStorageNetworkIpRange, ctx: DecideContext): Decision {
  const pod = state.pods.get(cmd.podId);
  if (!pod) return reject('ENTITY_NOT_FOUND', `pod ${cmd.podId} does not exist`);
  const zone = state.zones.get(pod.zoneId)!;
  const path = `${podPath(state, pod)}/storageRanges/${cmd.startIp}`;
  const params = new ParamReader(path);
  const gateway = params.optionalIpv4('gateway', cmd.gateway);
  const prefix = params.netmask('netmask', cmd.netmask);
  const first = params.ipv4('startIp', cmd.startIp);
  const last = cmd.endIp === undefined ? first : params.ipv4('endIp', cmd.endIp);
  const vlan = params.vlan('vlan', cmd.vlan);
  if (params.failed) return params.rejection();
  const { id, idSeq } = newId(state);
  const subject = { path, entityId: id };
  const cidr = cidrOf(gateway ?? first, prefix);
  const findings: Finding[] = [];
  if (!physicalNetworksOf(state, zone.id).some((n) => n.traffic.some((t) => t.type === 'Storage'))) {
    findings.push(finding('STORAGE_RANGE_NO_STORAGE_NETWORK', subject, `cannot find a storage network in zone ${zone.name}`, 'add the Storage traffic type to a physical network of the zone first'));
  }
  const range: StorageNetworkIpRange = { id, zoneId: zone.id, podId: pod.id, cidr, first, last };
  if (gateway !== undefined) range.gateway = gateway;
  if (vlan !== undefined) range.vlan = vlan;
  checkIpRange(subject, range, findings, 'storage range');
  for (const managed of pod.managementRanges) {
    if (intervalsOverlap(managed, range)) {
      findings.push(finding('STORAGE_RANGE_OVERLAPS_POD_RANGE', { ...subject, field: 'startIp' },
        `the storage network range ${formatRange(first, last)} overlaps the pod reserved range ${formatRange(managed.first, managed.last)}`,
        'give the storage network its own addresses, outside the pod management ranges'));
    }
  }
  for (const other of storageRangesOf(state, pod.id)) {
    if (intervalsOverlap(other, range)) {
      findings.push(finding('STORAGE_RANGES_OVERLAP', { ...subject, field: 'startIp' },
        `the storage network range ${formatRange(first, last)} overlaps storage range ${formatRange(other.first, other.last)} of pod ${pod.name}`,
        'make the storage ranges of a pod disjoint'));
    }
  }
  return conclude(ctx, findings, [{ type: 'storageNetworkIpRangeCreated', idSeq, storageNetworkIpRange: range }]);
}

function guestPhysicalNetwork(state: CloudState, zoneId: string, requested: string | undefined): PhysicalNetwork | undefined {
  if (requested !== undefined) return state.physicalNetworks.get(requested);
  const guests = physicalNetworksOf(state, zoneId).filter((n) => n.traffic.some((t) => t.type === 'Guest'));
  return guests.find((n) => n.tags.length === 0) ?? guests[0];
}

export function decideCreateNetwork(state: CloudState, cmd: CreateNetwork, ctx: DecideContext): Decision {
  const zone = state.zones.get(cmd.zoneId);
  if (!zone) return reject('ENTITY_NOT_FOUND', `zone ${cmd.zoneId} does not exist`);
  const vpc = cmd.vpcId === undefined ? undefined : state.vpcs.get(cmd.vpcId);
  if (cmd.vpcId !== undefined && (!vpc || vpc.zoneId !== zone.id)) return reject('ENTITY_NOT_FOUND', `VPC ${cmd.vpcId} does not exist in zone ${zone.name}`);
  if (cmd.accountId !== undefined && !state.accounts.has(cmd.accountId)) return reject('ENTITY_NOT_FOUND', `account ${cmd.accountId} does not exist`);
  if (cmd.domainId !== undefined && !state.domains.has(cmd.domainId)) return reject('ENTITY_NOT_FOUND', `domain ${cmd.domainId} does not exist`);
  if (cmd.physicalNetworkId !== undefined && state.physicalNetworks.get(cmd.physicalNetworkId)?.zoneId !== zone.id) {
    return reject('ENTITY_NOT_FOUND', `physical network ${cmd.physicalNetworkId} does not exist in zone ${zone.name}`);
  }
  if (cmd.accountId !== undefined && !mayActOn(state, ctx.actor, cmd.accountId)) return reject('PERMISSION_DENIED', `the caller may not create networks for account ${state.accounts.get(cmd.accountId)!.name}`);
  if (vpc?.accountId !== undefined) {
    if (!mayActOn(state, ctx.actor, vpc.accountId)) return reject('PERMISSION_DENIED', `the caller may not add tiers to VPC ${vpc.name}`);
    if (cmd.accountId !== undefined && cmd.accountId !== vpc.accountId) return reject('PERMISSION_DENIED', `the tiers of VPC ${vpc.name} belong to its account`);
  }
  // The offering decides what the network is (NetworkServiceImpl.createGuestNetwork).
  const offering = cmd.networkOfferingId === undefined ? undefined : state.networkOfferings.get(cmd.networkOfferingId);
  if (cmd.networkOfferingId !== undefined) {
    if (!offering) return reject('INVALID_PARAMETER', 'Unable to find network offering by specified id');
    if (offering.state !== 'Enabled') return reject('INVALID_PARAMETER', "Can't use specified network offering id as its state is not Enabled");
    if (vpc && !offering.forVpc) return reject('INVALID_PARAMETER', "Network offering can't be used for VPC networks");
    if (!vpc && offering.forVpc) return reject('INVALID_PARAMETER', 'Network offering can be used for VPC networks only');
  }
  const owner = cmd.accountId ?? vpc?.accountId;
  if (owner !== undefined) {
    const limit = limitExceeded(state, owner, { network: 1 });
    if (limit) return reject('RESOURCE_LIMIT_EXCEEDED', limit);
  }
  const path = networkPath(state, { name: cmd.name, zoneId: zone.id, ...(vpc ? { vpcId: vpc.id } : {}) });
  const params = new ParamReader(path);
  params.name('name', cmd.name);
  const gateway = params.optionalIpv4('gateway', cmd.gateway);
  const prefix = cmd.netmask === undefined ? undefined : params.netmask('netmask', cmd.netmask);
  const startIp = params.optionalIpv4('startIp', cmd.startIp);
  const endIp = params.optionalIpv4('endIp', cmd.endIp);
  if (typeof cmd.vlan === 'number') params.vlan('vlan', cmd.vlan);
  if (params.failed) return params.rejection();

  const { id, idSeq } = newId(state);
  const subject = { path, entityId: id };
  const findings: Finding[] = [];
  const guestType: GuestType = vpc ? 'Isolated' : offering?.guestType ?? cmd.guestType;
  const sourceNat = offering ? offering.services.includes('SourceNat') : cmd.sourceNat ?? guestType === 'Isolated';
  const hasSubnet = gateway !== undefined && prefix !== undefined;
  const tierOrIsolated = guestType === 'Isolated';

  if (zone.zoneType === 'Edge' && tierOrIsolated) {
    findings.push(finding('ZONE_EDGE_NETWORK_TYPE', subject, `${vpc ? 'VPC tier' : 'isolated network'} ${cmd.name} is in edge zone ${zone.name}, which allows only shared and L2 networks`, 'use a shared or L2 network, or a core zone'));
  } else if (tierOrIsolated && (zone.networkType === 'Basic' || zone.securityGroupsEnabled)) {
    findings.push(finding('NETWORK_TYPE_NOT_ALLOWED_IN_ZONE', subject,
      `${vpc ? 'VPC tiers' : 'isolated networks'} cannot be created in ${zone.networkType === 'Basic' ? 'basic' : 'security-group enabled'} zone ${zone.name}`,
      'use a shared network with security groups, or an advanced zone without security groups'));
  }
  if (zone.networkType === 'Basic') {
    if (guestType === 'L2') {
      findings.push(finding('NETWORK_TYPE_NOT_ALLOWED_IN_ZONE', subject, `L2 networks cannot be created in basic zone ${zone.name}`, 'use an advanced zone for L2 networks'));
    }
    if (guestType === 'Shared' && networksOf(state, zone.id).some((n) => n.guestType === 'Shared')) {
      findings.push(finding('NETWORK_BASIC_ZONE_SINGLE_GUEST', subject, `basic zone ${zone.name} already has its guest network`, 'a basic zone has exactly one guest network; add guest ranges per pod instead'));
    }
    if (gateway !== undefined || prefix !== undefined || startIp !== undefined) {
      findings.push(finding('NETWORK_BASIC_ZONE_CIDR_FORBIDDEN', { ...subject, field: 'gateway' }, `guest network ${cmd.name} of basic zone ${zone.name} gives ${[cmd.gateway && `gateway ${cmd.gateway}`, cmd.netmask && `netmask ${cmd.netmask}`, cmd.startIp && `start ${cmd.startIp}`].filter(Boolean).join(', ')}; a basic zone guest network takes none`, 'add the guest ranges to the pods instead'));
    }
  } else if (!hasSubnet && guestType !== 'L2' && (guestType === 'Shared' || !sourceNat || vpc)) {
    findings.push(finding('NETWORK_GATEWAY_REQUIRED', { ...subject, field: 'gateway' },
      `${vpc ? `VPC tier ${cmd.name}` : guestType === 'Shared' ? `shared network ${cmd.name} of advanced zone ${zone.name}` : `isolated network ${cmd.name} (no source NAT)`} gives no ${gateway === undefined ? 'gateway' : 'netmask'}; it needs a gateway and netmask`,
      'give gateway and netmask (and for shared networks startIp and endIp)'));
  }
  let cidr: Cidr | undefined = hasSubnet ? cidrOf(gateway, prefix) : undefined;
  if (guestType === 'Isolated' && !vpc && cidr === undefined && zone.networkType === 'Advanced') cidr = zone.guestCidr;
  if (cmd.vlan !== undefined && ctx.actor.role !== 'RootAdmin') {
    findings.push(finding('INVALID_PARAMETER', { ...subject, field: 'vlan' }, 'only a root admin may choose the VLAN of a network', 'leave the VLAN out; CloudStack allocates one from the guest VNET pool'));
  }
  const cidrLimit = settingNumber(state, 'network.guest.cidr.limit');
  if (cidr && hasSubnet && tierOrIsolated && ctx.actor.role !== 'RootAdmin' && cidr.prefix < cidrLimit) {
    findings.push(finding('INVALID_PARAMETER', { ...subject, field: 'netmask' }, `guest CIDR ${formatCidr(cidr)} is larger than network.guest.cidr.limit allows (/${cidrLimit})`, `use a /${cidrLimit} or smaller network`));
  }
  if (tierOrIsolated && cidr && !isGuestCidrAllowed(cidr) && !settingBoolean(state, 'allow.non.rfc1918.compliant.ips')) {
    findings.push(finding('NETWORK_CIDR_NOT_PRIVATE', { ...subject, field: 'gateway' }, `guest CIDR ${formatCidr(cidr)} is not in RFC 1918 or RFC 6598 space`, 'use private address space such as 10.0.0.0/8'));
  }
  // The CIDR comes from the gateway and netmask, so only an explicit range needs checking.
  if (hasSubnet && cidr && startIp !== undefined) {
    checkIpRange(subject, { gateway, cidr, first: startIp, last: endIp ?? startIp }, findings, 'network range');
  }
  if (cmd.networkDomain !== undefined) findings.push(...checkNetworkDomain({ ...subject, field: 'networkDomain' }, cmd.networkDomain));
  if (cmd.ip6Cidr !== undefined || cmd.ip6Gateway !== undefined) {
    if (guestType !== 'Shared') {
      findings.push(finding('IPV6_RANGE_INVALID', { ...subject, field: 'ip6Cidr' }, `${vpc ? 'VPC tiers' : `${guestType.toLowerCase()} networks`} take no IPv6 range of their own`, 'isolated networks and VPC tiers take a /64 from the zone IPv6 guest prefix (ip6GuestPrefix)'));
    } else {
      checkIpv6Range(zone, cmd.ip6Gateway, cmd.ip6Cidr, subject, findings);
    }
  }

  const physicalNetwork = guestType === 'L2' || guestType === 'Isolated' || guestType === 'Shared' ? guestPhysicalNetwork(state, zone.id, cmd.physicalNetworkId) : undefined;
  if (typeof cmd.vlan === 'number') checkNetworkVlan(state, zone, guestType, cmd.vlan, cmd.bypassVlanOverlapCheck ?? false, subject, findings);
  if (vpc && cidr && gateway !== undefined) checkVpcTier(state, vpc, cidr, gateway, cmd.networkDomain, subject, findings);

  const network: Network = {
    id,
    name: cmd.name,
    zoneId: zone.id,
    guestType,
    redundantRouter: vpc ? vpc.redundantRouter : cmd.redundantRouter ?? false,
    persistent: offering?.persistent ?? cmd.persistent ?? false,
    services: offering ? [...offering.services] : servicesOf(guestType, sourceNat, zone, vpc !== undefined),
    state: cmd.vlan !== undefined ? 'Setup' : 'Allocated',
  };
  if (physicalNetwork) network.physicalNetworkId = physicalNetwork.id;
  if (vpc) network.vpcId = vpc.id;
  if (cmd.accountId !== undefined) network.accountId = cmd.accountId;
  if (cmd.domainId !== undefined) network.domainId = cmd.domainId;
  if (offering) network.networkOfferingId = offering.id;
  if (cmd.displayText !== undefined) network.displayText = cmd.displayText;
  if (cidr) network.cidr = cidr;
  if (gateway !== undefined) network.gateway = gateway;
  else if (cidr && tierOrIsolated) network.gateway = cidr.network + 1;
  if (cmd.vlan !== undefined) network.vlan = cmd.vlan;
  const domain = cmd.networkDomain ?? vpc?.networkDomain;
  if (domain !== undefined) network.networkDomain = domain;
  if (guestType === 'Shared' && cmd.ip6Cidr !== undefined) network.ip6Cidr = cmd.ip6Cidr;
  const events: DomainEvent[] = [{ type: 'networkCreated', idSeq, network }];

  // A shared network created with an address range also creates its first VLAN IP range.
  if (guestType === 'Shared' && zone.networkType === 'Advanced' && hasSubnet && startIp !== undefined) {
    const rangeId = newId(state, 1);
    const last = endIp ?? startIp;
    const vlan: VlanTag = cmd.vlan ?? 'untagged';
    checkRangeAgainstZone(state, { zone, purpose: 'Guest', vlan, gateway, cidr: cidrOf(gateway, prefix), first: startIp, last, networkId: id, bypassVlanCheck: cmd.bypassVlanOverlapCheck ?? false }, subject, findings);
    const range: VlanIpRange = { id: rangeId.id, zoneId: zone.id, networkId: id, purpose: 'Guest', vlan, gateway, cidr: cidrOf(gateway, prefix), first: startIp, last, forSystemVms: false };
    if (physicalNetwork) range.physicalNetworkId = physicalNetwork.id;
    events.push({ type: 'vlanIpRangeCreated', idSeq: rangeId.idSeq, vlanIpRange: range });
  }
  return conclude(ctx, findings, events);
}

function servicesOf(guestType: GuestType, sourceNat: boolean, zone: Zone, inVpc: boolean): string[] {
  if (guestType === 'L2') return [];
  if (guestType === 'Shared') return zone.securityGroupsEnabled || zone.networkType === 'Basic' ? ['Dhcp', 'Dns', 'UserData', 'SecurityGroup'] : ['Dhcp', 'Dns', 'UserData'];
  const base = ['Dhcp', 'Dns', 'UserData', 'Lb', 'StaticNat', 'PortForwarding', 'Vpn'];
  if (inVpc) return [...base, 'SourceNat', 'Gateway', 'NetworkACL'];
  return sourceNat ? [...base, 'SourceNat', 'Gateway', 'Firewall'] : ['Dhcp', 'Dns', 'UserData', 'Firewall'];
}

/** A VLAN asked for by an admin: not from the dynamic pool, not used by another network. */
function checkNetworkVlan(state: CloudState, zone: Zone, guestType: GuestType, vlan: number, bypass: boolean, subject: Subject, out: Finding[]): void {
  const field = { ...subject, field: 'vlan' };
  const pool = vlanInGuestPool(state, zone.id, vlan);
  if (pool && !(guestType === 'Shared' && bypass)) {
    out.push(finding('NETWORK_VLAN_IN_GUEST_POOL', field,
      `VLAN ${vlan} belongs to the dynamic guest range ${formatVnetRanges(pool.vnetRanges)} of physical network ${pool.name}`,
      'pick a VLAN outside the guest VNET ranges, or let CloudStack allocate one'));
  }
  for (const other of networksOf(state, zone.id)) {
    if (other.vlan !== vlan) continue;
    const conflict = guestType === 'Shared' ? other.guestType === 'Isolated' && !bypass : true;
    if (conflict) {
      out.push(finding('NETWORK_VLAN_IN_USE', field, `VLAN ${vlan} is already used by network ${other.name} in zone ${zone.name}`, 'give every isolated and L2 network its own VLAN'));
    }
  }
}

function checkVpcTier(state: CloudState, vpc: Vpc, cidr: Cidr, gateway: number, networkDomain: string | undefined, subject: Subject, out: Finding[]): void {
  const tiers = (state.index.networksByVpc.get(vpc.id) ?? []).map((id) => state.networks.get(id)!).filter(Boolean);
  const max = settingNumber(state, 'vpc.max.networks');
  if (tiers.length >= max) {
    out.push(finding('VPC_TIER_LIMIT', subject, `VPC ${vpc.name} already has ${tiers.length} tiers, the vpc.max.networks limit of ${max}`, `raise vpc.max.networks above ${max}, or spread the tiers over more VPCs`));
  }
  if (!cidrContains(vpc.cidr, cidr)) {
    out.push(finding('VPC_TIER_OUTSIDE_CIDR', { ...subject, field: 'gateway' }, `tier CIDR ${formatCidr(cidr)} is not within VPC CIDR ${formatCidr(vpc.cidr)}`, `carve the tier out of ${formatCidr(vpc.cidr)}`));
  }
  for (const tier of tiers) {
    if (tier.cidr && cidrsOverlap(tier.cidr, cidr)) {
      out.push(finding('VPC_TIER_OVERLAP', { ...subject, field: 'gateway' }, `tier CIDR ${formatCidr(cidr)} overlaps tier ${tier.name} (${formatCidr(tier.cidr)})`, 'give every tier of a VPC a disjoint CIDR'));
    }
  }
  if (gateway === cidr.network) {
    out.push(finding('VPC_TIER_GATEWAY_IS_NETWORK', { ...subject, field: 'gateway' }, `tier gateway ${formatIpv4(gateway)} is the network address of ${formatCidr(cidr)}`, `use ${formatIpv4(cidr.network + 1)} as the gateway`));
  }
  if (networkDomain !== undefined && vpc.networkDomain !== undefined && networkDomain !== vpc.networkDomain) {
    out.push(finding('VPC_TIER_DOMAIN_MISMATCH', { ...subject, field: 'networkDomain' }, `tier network domain ${networkDomain} differs from VPC domain ${vpc.networkDomain}`, 'leave the tier domain out; tiers use the VPC domain'));
  }
}

export function decideCreateVpc(state: CloudState, cmd: CreateVpc, ctx: DecideContext): Decision {
  const zone = state.zones.get(cmd.zoneId);
  if (!zone) return reject('ENTITY_NOT_FOUND', `zone ${cmd.zoneId} does not exist`);
  if (cmd.accountId !== undefined && !state.accounts.has(cmd.accountId)) return reject('ENTITY_NOT_FOUND', `account ${cmd.accountId} does not exist`);
  if (cmd.accountId !== undefined && !mayActOn(state, ctx.actor, cmd.accountId)) return reject('PERMISSION_DENIED', `the caller may not create VPCs for account ${state.accounts.get(cmd.accountId)!.name}`);
  const offering = cmd.vpcOfferingId === undefined ? undefined : state.vpcOfferings.get(cmd.vpcOfferingId);
  if (cmd.vpcOfferingId !== undefined && offering?.state !== 'Enabled') return reject('INVALID_PARAMETER', 'Unable to find vpc offering in Enabled state by specified id');
  if (cmd.accountId !== undefined) {
    const limit = limitExceeded(state, cmd.accountId, { vpc: 1 });
    if (limit) return reject('RESOURCE_LIMIT_EXCEEDED', limit);
  }
  const path = vpcPath(state, { name: cmd.name, zoneId: zone.id });
  const params = new ParamReader(path);
  params.name('name', cmd.name);
  const cidr = params.cidr('cidr', cmd.cidr);
  if (params.failed) return params.rejection();
  const { id, idSeq } = newId(state);
  const subject = { path, entityId: id };
  const findings: Finding[] = [];
  if (zone.zoneType === 'Edge') {
    findings.push(finding('ZONE_EDGE_NETWORK_TYPE', subject, `VPC ${cmd.name} is in edge zone ${zone.name}, which allows no VPCs`, 'use a core zone for VPCs'));
  } else if (zone.networkType === 'Basic' || zone.securityGroupsEnabled) {
    findings.push(finding('NETWORK_TYPE_NOT_ALLOWED_IN_ZONE', subject, `VPCs cannot be created in ${zone.networkType === 'Basic' ? 'basic' : 'security-group enabled'} zone ${zone.name}`, 'use an advanced zone without security groups'));
  }
  if (!isGuestCidrAllowed(cidr) && !settingBoolean(state, 'allow.non.rfc1918.compliant.ips')) {
    findings.push(finding('NETWORK_CIDR_NOT_PRIVATE', { ...subject, field: 'cidr' }, `VPC CIDR ${formatCidr(cidr)} is not in RFC 1918 or RFC 6598 space`, 'use private space such as 10.0.0.0/16'));
  }
  if (cmd.networkDomain !== undefined) findings.push(...checkNetworkDomain({ ...subject, field: 'networkDomain' }, cmd.networkDomain));
  for (const other of vpcsOf(state, zone.id)) {
    if (other.name === cmd.name && other.accountId === cmd.accountId) {
      findings.push(finding('INVALID_PARAMETER', subject, `a VPC named "${cmd.name}" already exists for this owner in zone ${zone.name}`, 'give every VPC of an account its own name'));
    }
  }
  const vpc: Vpc = { id, name: cmd.name, zoneId: zone.id, cidr, redundantRouter: offering?.redundantRouter ?? cmd.redundantRouter ?? false };
  if (cmd.accountId !== undefined) vpc.accountId = cmd.accountId;
  if (offering) vpc.vpcOfferingId = offering.id;
  if (cmd.displayText !== undefined) vpc.displayText = cmd.displayText;
  if (cmd.networkDomain !== undefined) vpc.networkDomain = cmd.networkDomain;
  return conclude(ctx, findings, [{ type: 'vpcCreated', idSeq, vpc }]);
}


const accepted = (events: DomainEvent[]): Decision => ({ ok: true, events, findings: [] });

/** A guest network the caller may change: its account's, or (without an owner) a root admin's. */
function ownNetwork(state: CloudState, ctx: DecideContext, id: string): Network | Decision {
  const network = state.networks.get(id);
  if (!network || network.state === 'Destroy') return reject('ENTITY_NOT_FOUND', `network ${id} does not exist`);
  if (network.accountId !== undefined ? !mayActOn(state, ctx.actor, network.accountId) : ctx.actor.role !== 'RootAdmin') return reject('PERMISSION_DENIED', `the caller may not change network ${network.name}`);
  return network;
}

function ownVpc(state: CloudState, ctx: DecideContext, id: string): Vpc | Decision {
  const vpc = state.vpcs.get(id);
  if (!vpc) return reject('ENTITY_NOT_FOUND', `VPC ${id} does not exist`);
  if (vpc.accountId !== undefined ? !mayActOn(state, ctx.actor, vpc.accountId) : ctx.actor.role !== 'RootAdmin') return reject('PERMISSION_DENIED', `the caller may not change VPC ${vpc.name}`);
  return vpc;
}

function renamed(name: string | undefined, what: string): Decision | undefined {
  return name !== undefined && name.trim() === '' ? reject('INVALID_PARAMETER', `the name of a ${what} must not be empty`) : undefined;
}

export function decideUpdateNetwork(state: CloudState, cmd: UpdateNetwork, ctx: DecideContext): Decision {
  const network = ownNetwork(state, ctx, cmd.id);
  if ('ok' in network) return network;
  const bad = renamed(cmd.name, 'network');
  if (bad) return bad;
  return accepted([{ type: 'networkUpdated', networkId: network.id, ...(cmd.name === undefined ? {} : { name: cmd.name }), ...(cmd.displayText === undefined ? {} : { displayText: cmd.displayText }) }]);
}

/**
 * The network's routers apply its configuration again; with cleanup they are replaced by new
 * ones. A VPC tier's router is the VPC's: cleaning it up is restartVPC's.
 */
export function decideRestartNetwork(state: CloudState, cmd: RestartNetwork, ctx: DecideContext): Decision {
  const network = ownNetwork(state, ctx, cmd.id);
  if ('ok' in network) return network;
  if (network.state !== 'Implemented' && network.state !== 'Setup') return reject('INVALID_PARAMETER', 'Network is not in the right state to be restarted. Correct states are: Implemented, Setup');
  const cleanup = cmd.cleanup ?? false;
  const decision = new DecisionBuilder(state, ctx);
  if (cleanup && network.vpcId === undefined) {
    const failure = replaceRouters(decision, network.id);
    if (failure) return reject('INSUFFICIENT_CAPACITY', failure);
  }
  decision.events.push({ type: 'networkRestarted', networkId: network.id, cleanup, atMs: ctx.nowMs });
  return accepted(decision.events);
}

export function decideUpdateVpc(state: CloudState, cmd: UpdateVpc, ctx: DecideContext): Decision {
  const vpc = ownVpc(state, ctx, cmd.id);
  if ('ok' in vpc) return vpc;
  const bad = renamed(cmd.name, 'VPC');
  if (bad) return bad;
  return accepted([{ type: 'vpcUpdated', vpcId: vpc.id, ...(cmd.name === undefined ? {} : { name: cmd.name }), ...(cmd.displayText === undefined ? {} : { displayText: cmd.displayText }) }]);
}

export function decideRestartVpc(state: CloudState, cmd: RestartVpc, ctx: DecideContext): Decision {
  const vpc = ownVpc(state, ctx, cmd.id);
  if ('ok' in vpc) return vpc;
  const cleanup = cmd.cleanup ?? false;
  const decision = new DecisionBuilder(state, ctx);
  if (cleanup && routersOf(state, vpc.id).length > 0) {
    const failure = replaceRouters(decision, vpc.id);
    if (failure) return reject('INSUFFICIENT_CAPACITY', failure);
  }
  decision.events.push({ type: 'vpcRestarted', vpcId: vpc.id, cleanup, atMs: ctx.nowMs });
  return accepted(decision.events);
}

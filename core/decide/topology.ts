import { capabilitiesOf, DISPLAY_NAME, RECOMMENDED_HOSTS_PER_CLUSTER } from '../data/hypervisors.js';
import { checkSettingValue } from '../data/settings.js';
import { type Finding, finding } from '../findings.js';
import type { Cluster, Host, ManagementPlane, Pod, Zone } from '../model/entities.js';
import type {
  AddCluster,
  AddHost,
  ConfigureManagementPlane,
  CreateManagementNetworkIpRange,
  CreatePod,
  CreateRegion,
  CreateZone,
  DedicateResource,
  RegisterManagementServer,
  UpdateConfiguration,
} from '../model/commands.js';
import {
  type CloudState,
  clustersOf,
  DEFAULT_REGION_ID,
  hostsOf,
  podsOf,
  settingBoolean,
  vlanIpRangesOf,
} from '../model/state.js';
import { parseCidr6 } from '../net/ipv6.js';
import {
  cidrContainsIp,
  cidrLast,
  cidrOf,
  cidrsOverlap,
  formatCidr,
  formatIpv4,
  isGuestCidrAllowed,
  type Cidr,
  type Ipv4,
} from '../net/ipv4.js';
import { intervalsOverlap } from '../net/pool.js';
import { clusterPath, hostPath, podPath, segment, zonePath } from '../paths.js';
import { checkIpRange, formatRange } from '../rules/ip-range.js';
import { checkNetworkDomain } from '../rules/names.js';
import { conclude, type DecideContext, type Decision, newId, ParamReader, reject } from './support.js';

export function decideCreateRegion(state: CloudState, cmd: CreateRegion, ctx: DecideContext): Decision {
  const params = new ParamReader(`regions/${segment(cmd.name)}`);
  params.name('name', cmd.name);
  if (params.failed) return params.rejection();
  const findings: Finding[] = [];
  const { id, idSeq } = newId(state);
  for (const region of state.regions.values()) {
    if (region.name === cmd.name) {
      findings.push(finding('REGION_NAME_DUPLICATE', { path: `regions/${segment(cmd.name)}`, entityId: id },
        `region name "${cmd.name}" is already used`, 'give every region its own name'));
    }
  }
  return conclude(ctx, findings, [{ type: 'regionCreated', idSeq, region: { id, name: cmd.name } }]);
}

export function decideCreateZone(state: CloudState, cmd: CreateZone, ctx: DecideContext): Decision {
  const path = zonePath(cmd);
  const params = new ParamReader(path);
  params.name('name', cmd.name);
  const guestCidr = cmd.guestCidr === undefined ? undefined : params.cidr('guestCidr', cmd.guestCidr);
  if (cmd.zoneType === 'Edge' && cmd.networkType !== 'Advanced') {
    params.problems.push(finding('INVALID_PARAMETER', { path, field: 'networkType' }, 'an edge zone must use advanced networking', 'set networkType: Advanced'));
  }
  const regionId = cmd.regionId ?? DEFAULT_REGION_ID;
  if (!state.regions.has(regionId)) return reject('ENTITY_NOT_FOUND', `region ${regionId} does not exist`);
  if (params.failed) return params.rejection();

  const { id, idSeq } = newId(state);
  const subject = { path, entityId: id };
  const findings: Finding[] = [];
  for (const zone of state.zones.values()) {
    if (zone.name === cmd.name) {
      findings.push(finding('ZONE_NAME_DUPLICATE', subject, `zone name "${cmd.name}" is already used`, 'give every zone its own name'));
    }
  }
  const securityGroupsEnabled = cmd.securityGroupsEnabled ?? false;
  if (guestCidr && !isGuestCidrAllowed(guestCidr) && !settingBoolean(state, 'allow.non.rfc1918.compliant.ips')) {
    findings.push(finding('ZONE_GUEST_CIDR_NOT_PRIVATE', { ...subject, field: 'guestCidr' },
      `guest CIDR ${formatCidr(guestCidr)} is not in RFC 1918 or RFC 6598 space`,
      'use private space such as 10.1.1.0/24, or set allow.non.rfc1918.compliant.ips to true'));
  }
  if (cmd.ip6GuestPrefix !== undefined) {
    const prefix6 = parseCidr6(cmd.ip6GuestPrefix);
    if (cmd.networkType === 'Basic') {
      findings.push(finding('IPV6_BASIC_ZONE', { ...subject, field: 'ip6GuestPrefix' }, 'basic zones do not support IPv6', 'use an advanced zone for dual-stack networks'));
    }
    if (!prefix6 || prefix6.prefix >= 64) {
      findings.push(finding('IPV6_GUEST_PREFIX_INVALID', { ...subject, field: 'ip6GuestPrefix' },
        `IPv6 guest prefix ${cmd.ip6GuestPrefix} must be a valid IPv6 CIDR shorter than /64`,
        'every dual-stack network takes a /64 from this prefix; use e.g. a /56 (256 networks) or a /48 (65,536)'));
    }
  }
  if (cmd.networkDomain !== undefined) findings.push(...checkNetworkDomain({ ...subject, field: 'networkDomain' }, cmd.networkDomain));

  const zone: Zone = {
    id,
    name: cmd.name,
    regionId,
    networkType: cmd.networkType,
    zoneType: cmd.zoneType ?? 'Core',
    securityGroupsEnabled,
    elasticIp: cmd.elasticIp ?? false,
    dns: cmd.dns ?? [],
    internalDns: cmd.internalDns ?? [],
    localStorageEnabled: cmd.localStorageEnabled ?? false,
    allocationState: cmd.allocationState ?? 'Disabled',
  };
  // Isolated networks default to the zone guest CIDR; the UI pre-fills 10.1.1.0/24.
  if (cmd.networkType === 'Advanced' && !securityGroupsEnabled) zone.guestCidr = guestCidr ?? { network: 0x0a010100, prefix: 24 };
  if (cmd.ip6GuestPrefix !== undefined) zone.ip6GuestPrefix = cmd.ip6GuestPrefix;
  if (cmd.networkDomain !== undefined) zone.networkDomain = cmd.networkDomain;
  if (cmd.vmwareDatacenter !== undefined) zone.vmwareDatacenter = cmd.vmwareDatacenter;
  return conclude(ctx, findings, [{ type: 'zoneCreated', idSeq, zone }]);
}

/** Public ranges of a zone that share addresses with [first, last]. */
function publicRangesOverlapping(state: CloudState, zoneId: string, first: number, last: number) {
  return vlanIpRangesOf(state, zoneId).filter((r) => r.purpose === 'Public' && intervalsOverlap(r, { first, last }));
}

export function decideCreatePod(state: CloudState, cmd: CreatePod, ctx: DecideContext): Decision {
  const zone = state.zones.get(cmd.zoneId);
  if (!zone) return reject('ENTITY_NOT_FOUND', `zone ${cmd.zoneId} does not exist`);
  const path = podPath(state, { name: cmd.name, zoneId: zone.id });
  const params = new ParamReader(path);
  params.name('name', cmd.name);
  const gateway = params.ipv4('gateway', cmd.gateway);
  const prefix = params.netmask('netmask', cmd.netmask);
  const first = params.ipv4('startIp', cmd.startIp);
  const last = cmd.endIp === undefined ? first : params.ipv4('endIp', cmd.endIp);
  if (params.failed) return params.rejection();

  const { id, idSeq } = newId(state);
  const subject = { path, entityId: id };
  const cidr = cidrOf(gateway, prefix);
  const findings: Finding[] = [];
  const siblings = podsOf(state, zone.id);
  if (siblings.some((p) => p.name === cmd.name)) {
    findings.push(finding('POD_NAME_DUPLICATE', subject, `a pod named "${cmd.name}" already exists in zone ${zone.name}`, 'give every pod of a zone its own name'));
  }
  if (prefix > 30 || prefix < 8) {
    findings.push(finding('POD_CIDR_INVALID', { ...subject, field: 'netmask' },
      `pod CIDR ${formatCidr(cidr)} is not a usable pod network`,
      'a pod needs a subnet between /8 and /30; a typical pod is a /24'));
  }
  checkIpRange(subject, { gateway, cidr, first, last }, findings, 'reserved system range');
  for (const range of publicRangesOverlapping(state, zone.id, first, last)) {
    findings.push(finding('POD_RANGE_OVERLAPS_PUBLIC_RANGE', { ...subject, field: 'startIp' },
      `reserved range ${formatRange(first, last)} overlaps public range ${formatRange(range.first, range.last)}`,
      'keep management and public address space apart'));
  }
  findings.push(...checkPodCidr(state, zone, cidr, subject));
  const pod: Pod = {
    id,
    name: cmd.name,
    zoneId: zone.id,
    gateway,
    cidr,
    managementRanges: [{ first, last, forSystemVms: false }],
    allocationState: cmd.allocationState ?? 'Disabled',
  };
  return conclude(ctx, findings, [{ type: 'podCreated', idSeq, pod }]);
}

/**
 * checkPodCidrSubnets: with check.pod.cidrs, a pod CIDR may neither contain nor sit inside the
 * zone guest CIDR or another pod's CIDR of the zone. CloudStack does not look across zones; the
 * docs ask for cloud-wide uniqueness of management addresses, so other zones get a warning.
 */
function checkPodCidr(state: CloudState, zone: Zone, cidr: Cidr, subject: { path: string; entityId: string }): Finding[] {
  const out: Finding[] = [];
  const field = { ...subject, field: 'netmask' };
  if (settingBoolean(state, 'check.pod.cidrs')) {
    if (zone.guestCidr && cidrsOverlap(zone.guestCidr, cidr)) {
      out.push(finding('POD_CIDR_OVERLAPS_GUEST_CIDR', field,
        `pod CIDR ${formatCidr(cidr)} conflicts with the zone guest CIDR ${formatCidr(zone.guestCidr)}`,
        'give the pod a management subnet outside the guest CIDR'));
    }
    for (const other of podsOf(state, zone.id)) {
      if (cidrsOverlap(other.cidr, cidr)) {
        out.push(finding('POD_CIDR_OVERLAPS_POD', field,
          `pod CIDR ${formatCidr(cidr)} conflicts with the CIDR ${formatCidr(other.cidr)} of pod ${other.name}`,
          'give every pod of a zone its own management subnet, e.g. one 192.168.x.0/24 per pod'));
      }
    }
  }
  for (const other of state.pods.values()) {
    if (other.zoneId !== zone.id && cidrsOverlap(other.cidr, cidr)) {
      const otherZone = state.zones.get(other.zoneId);
      out.push(finding('POD_CIDR_OVERLAPS_OTHER_ZONE', field,
        `pod CIDR ${formatCidr(cidr)} overlaps the CIDR ${formatCidr(other.cidr)} of pod ${other.name} in zone ${otherZone?.name ?? other.zoneId}`,
        'management and system addresses should be unique across the whole cloud'));
    }
  }
  return out;
}

export function decideCreateManagementNetworkIpRange(state: CloudState, cmd: CreateManagementNetworkIpRange, ctx: DecideContext): Decision {
  const pod = state.pods.get(cmd.podId);
  if (!pod) return reject('ENTITY_NOT_FOUND', `pod ${cmd.podId} does not exist`);
  const path = `${podPath(state, pod)}/reservedRanges/${cmd.startIp}`;
  const params = new ParamReader(path);
  const gateway = params.optionalIpv4('gateway', cmd.gateway);
  const prefix = cmd.netmask === undefined ? undefined : params.netmask('netmask', cmd.netmask);
  const first = params.ipv4('startIp', cmd.startIp);
  const last = cmd.endIp === undefined ? first : params.ipv4('endIp', cmd.endIp);
  const vlan = params.vlan('vlan', cmd.vlan);
  if (params.failed) return params.rejection();

  const subject = { path, entityId: pod.id };
  const findings: Finding[] = [];
  if ((gateway !== undefined && gateway !== pod.gateway) || (prefix !== undefined && prefix !== pod.cidr.prefix)) {
    findings.push(finding('POD_RANGE_GATEWAY_MISMATCH', { ...subject, field: 'gateway' },
      `extra reserved range gives ${[gateway === undefined ? '' : `gateway ${formatIpv4(gateway)}`, prefix === undefined ? '' : `netmask /${prefix}`].filter(Boolean).join(' and ')} but pod ${pod.name} uses gateway ${formatIpv4(pod.gateway)} in ${formatCidr(pod.cidr)}`,
      'every reserved range of a pod shares the pod gateway and netmask; add another pod for another subnet'));
  }
  checkIpRange(subject, { gateway: pod.gateway, cidr: pod.cidr, first, last }, findings, 'reserved system range');
  for (const range of pod.managementRanges) {
    if (intervalsOverlap(range, { first, last })) {
      findings.push(finding('POD_RANGES_OVERLAP', { ...subject, field: 'startIp' },
        `reserved range ${formatRange(first, last)} overlaps reserved range ${formatRange(range.first, range.last)} of pod ${pod.name}`,
        'make the reserved ranges of a pod disjoint'));
    }
  }
  for (const range of publicRangesOverlapping(state, pod.zoneId, first, last)) {
    findings.push(finding('POD_RANGE_OVERLAPS_PUBLIC_RANGE', { ...subject, field: 'startIp' },
      `reserved range ${formatRange(first, last)} overlaps public range ${formatRange(range.first, range.last)}`,
      'keep management and public address space apart'));
  }
  const range = { first, last, forSystemVms: cmd.forSystemVms ?? false, ...(vlan === undefined ? {} : { vlan }) };
  return conclude(ctx, findings, [{ type: 'podManagementRangeAdded', podId: pod.id, range }]);
}

const OVERPROVISIONING_HYPERVISORS = new Set(['XenServer', 'XenProject', 'KVM', 'VMware']);

export function decideAddCluster(state: CloudState, cmd: AddCluster, ctx: DecideContext): Decision {
  const pod = state.pods.get(cmd.podId);
  if (!pod) return reject('ENTITY_NOT_FOUND', `pod ${cmd.podId} does not exist`);
  const zone = state.zones.get(pod.zoneId)!;
  const path = clusterPath(state, { name: cmd.name, podId: pod.id });
  const params = new ParamReader(path);
  params.name('name', cmd.name);
  const cpuRatio = params.ratio('cpuOvercommitRatio', cmd.cpuOvercommitRatio, 1, 1000);
  const memoryRatio = params.ratio('memoryOvercommitRatio', cmd.memoryOvercommitRatio, 1, 1000);
  params.ratio('cpuDisableThreshold', cmd.cpuDisableThreshold, 0, 1);
  params.ratio('memoryDisableThreshold', cmd.memoryDisableThreshold, 0, 1);
  if (params.failed) return params.rejection();

  const { id, idSeq } = newId(state);
  const subject = { path, entityId: id };
  const findings: Finding[] = [];
  if (clustersOf(state, pod.id).some((c) => c.name === cmd.name)) {
    findings.push(finding('CLUSTER_NAME_DUPLICATE', subject, `a cluster named "${cmd.name}" already exists in pod ${pod.name}`, 'give every cluster of a pod its own name'));
  }
  if (zone.zoneType === 'Edge' && cmd.hypervisor !== 'KVM') {
    findings.push(finding('ZONE_EDGE_HYPERVISOR', { ...subject, field: 'hypervisor' },
      `edge zone ${zone.name} runs KVM only, not ${DISPLAY_NAME[cmd.hypervisor]}`, 'use KVM hosts in edge zones, or make the zone a core zone'));
  }
  const cpuOvercommitRatio = cpuRatio ?? Number(state.settings['cpu.overprovisioning.factor']);
  const memoryOvercommitRatio = memoryRatio ?? Number(state.settings['mem.overprovisioning.factor']);
  if ((cpuOvercommitRatio > 1 || memoryOvercommitRatio > 1) && !OVERPROVISIONING_HYPERVISORS.has(cmd.hypervisor)) {
    findings.push(finding('CLUSTER_OVERPROVISIONING_UNSUPPORTED', { ...subject, field: cpuOvercommitRatio > 1 ? 'cpuOvercommitRatio' : 'memoryOvercommitRatio' },
      `over-provisioning (CPU ${cpuOvercommitRatio}, memory ${memoryOvercommitRatio}) is set on a ${DISPLAY_NAME[cmd.hypervisor]} cluster`,
      'CloudStack documents over-provisioning for XenServer, KVM and vSphere only; set the factors to 1'));
  }
  if ((cmd.hypervisor === 'XenServer' || cmd.hypervisor === 'XenProject') && memoryOvercommitRatio > 4) {
    findings.push(finding('CLUSTER_XENSERVER_MEMORY_OVERPROVISIONING', { ...subject, field: 'memoryOvercommitRatio' },
      `XenServer cluster ${cmd.name} sets memory over-provisioning factor ${memoryOvercommitRatio}, above 4`, 'XenServer cannot use a memory over-provisioning factor above 4; lower it to 4 or less'));
  }
  if (cmd.hypervisor === 'VMware') {
    const datacenter = cmd.vmwareDatacenter ?? zone.vmwareDatacenter;
    const others = podsOf(state, zone.id).flatMap((p) => clustersOf(state, p.id)).filter((c) => c.hypervisor === 'VMware');
    const foreign = [zone.vmwareDatacenter, ...others.map((c) => c.vmwareDatacenter)].find((dc) => dc !== undefined && datacenter !== undefined && dc !== datacenter);
    if (foreign !== undefined) {
      findings.push(finding('ZONE_VMWARE_MULTIPLE_DATACENTERS', { ...subject, field: 'vmwareDatacenter' },
        `cluster ${cmd.name} is in VMware datacenter ${datacenter} while zone ${zone.name} already spans ${foreign}`,
        'map each VMware datacenter to its own zone to keep zone-wide primary storage and storage live migration'));
    }
  }
  const cluster: Cluster = {
    id,
    name: cmd.name,
    zoneId: zone.id,
    podId: pod.id,
    hypervisor: cmd.hypervisor,
    arch: cmd.arch ?? 'x86_64',
    clusterType: cmd.clusterType ?? (cmd.hypervisor === 'VMware' ? 'ExternalManaged' : 'CloudManaged'),
    cpuOvercommitRatio,
    memoryOvercommitRatio,
    allocationState: cmd.allocationState ?? 'Enabled',
  };
  if (cmd.hypervisorVersion !== undefined) cluster.hypervisorVersion = cmd.hypervisorVersion;
  const datacenter = cmd.vmwareDatacenter ?? (cmd.hypervisor === 'VMware' ? zone.vmwareDatacenter : undefined);
  if (datacenter !== undefined) cluster.vmwareDatacenter = datacenter;
  if (cmd.cpuDisableThreshold !== undefined) cluster.cpuDisableThreshold = cmd.cpuDisableThreshold;
  if (cmd.memoryDisableThreshold !== undefined) cluster.memoryDisableThreshold = cmd.memoryDisableThreshold;
  return conclude(ctx, findings, [{ type: 'clusterCreated', idSeq, cluster }]);
}

export function decideAddHost(state: CloudState, cmd: AddHost, ctx: DecideContext): Decision {
  const cluster = state.clusters.get(cmd.clusterId);
  if (!cluster) return reject('ENTITY_NOT_FOUND', `cluster ${cmd.clusterId} does not exist`);
  const pod = state.pods.get(cluster.podId)!;
  const path = hostPath(state, { name: cmd.name, clusterId: cluster.id });
  const params = new ParamReader(path);
  params.name('name', cmd.name);
  const ip = params.ipv4('ip', cmd.ip);
  params.positive('cpuCores', cmd.cpuCores, true);
  params.positive('cpuMhz', cmd.cpuMhz);
  params.positive('memoryMiB', cmd.memoryMiB);
  if (cmd.cpuSockets !== undefined) params.positive('cpuSockets', cmd.cpuSockets, true);
  if (cmd.localStorageGiB !== undefined && !(cmd.localStorageGiB >= 0)) params.positive('localStorageGiB', cmd.localStorageGiB);
  if (params.failed) return params.rejection();

  const { id, idSeq } = newId(state);
  const subject = { path, entityId: id };
  const findings: Finding[] = [];
  const siblings = hostsOf(state, cluster.id);
  const hypervisor = cmd.hypervisor ?? cluster.hypervisor;
  const arch = cmd.arch ?? cluster.arch;
  const clusterSubject = { path: clusterPath(state, cluster), entityId: cluster.id };
  if (siblings.some((h) => h.name === cmd.name)) {
    findings.push(finding('HOST_NAME_DUPLICATE', subject, `a host named "${cmd.name}" already exists in cluster ${cluster.name}`, 'give every host of a cluster its own name'));
  }
  if (hypervisor !== cluster.hypervisor) {
    findings.push(finding('CLUSTER_MIXED_HYPERVISOR', { ...subject, field: 'hypervisor' },
      `host ${cmd.name} runs ${DISPLAY_NAME[hypervisor]} but cluster ${cluster.name} is ${DISPLAY_NAME[cluster.hypervisor]}`,
      'a cluster holds one hypervisor; put this host in a cluster of its own hypervisor'));
  }
  if (arch !== cluster.arch) {
    findings.push(finding('CLUSTER_MIXED_ARCH', { ...subject, field: 'arch' },
      `host ${cmd.name} is ${arch} but cluster ${cluster.name} is ${cluster.arch}`,
      'a cluster holds one CPU architecture; put this host in a cluster of its own architecture'));
  }
  const capabilities = capabilitiesOf(cluster.hypervisor, cluster.hypervisorVersion);
  const maxHosts = capabilities.maxHostsPerCluster;
  // CloudStack refuses every host past the limit (">="); a plan reports the first one only.
  if (maxHosts !== undefined && siblings.length >= maxHosts && (ctx.mode === 'enforce' || siblings.length === maxHosts)) {
    findings.push(finding('CLUSTER_HOSTS_OVER_MAX', clusterSubject,
      `cluster ${cluster.name} is too big to add host ${cmd.name}: it has ${siblings.length} hosts and ${DISPLAY_NAME[cluster.hypervisor]} ${capabilities.version} allows ${maxHosts}`,
      `split the hosts over ${Math.ceil((siblings.length + 1) / maxHosts)} clusters of at most ${maxHosts}`));
  }
  const recommended = RECOMMENDED_HOSTS_PER_CLUSTER[cluster.hypervisor];
  if (recommended !== undefined && siblings.length === recommended && (maxHosts === undefined || recommended < maxHosts)) {
    findings.push(finding('CLUSTER_HOSTS_OVER_RECOMMENDED', clusterSubject,
      `cluster ${cluster.name} grows past ${recommended} hosts, the documented recommendation for ${DISPLAY_NAME[cluster.hypervisor]}`,
      `keep ${DISPLAY_NAME[cluster.hypervisor]} clusters at ${recommended} hosts or fewer and add clusters instead`));
  }
  const reference = siblings[0];
  if (reference && (reference.cpuCores !== cmd.cpuCores || reference.cpuMhz !== cmd.cpuMhz || reference.memoryMiB !== cmd.memoryMiB)) {
    findings.push(finding('CLUSTER_HOSTS_HETEROGENEOUS', subject,
      `host ${cmd.name} (${cmd.cpuCores} cores at ${cmd.cpuMhz} MHz, ${cmd.memoryMiB} MiB) differs from host ${reference.name} (${reference.cpuCores} cores at ${reference.cpuMhz} MHz, ${reference.memoryMiB} MiB)`,
      'keep the hosts of a cluster identical so live migration and HA restarts fit anywhere'));
  }
  findings.push(...checkHostAddress(state, pod, ip, cmd.name, subject));
  const host: Host = {
    id,
    name: cmd.name,
    zoneId: cluster.zoneId,
    podId: cluster.podId,
    clusterId: cluster.id,
    ip,
    hypervisor,
    arch,
    cpuSockets: cmd.cpuSockets ?? 1,
    cpuCores: cmd.cpuCores,
    cpuMhz: cmd.cpuMhz,
    memoryMiB: cmd.memoryMiB,
    localStorageGiB: cmd.localStorageGiB ?? 0,
    tags: cmd.tags ?? [],
    resourceState: 'Enabled',
    status: 'Up',
  };
  return conclude(ctx, findings, [{ type: 'hostAdded', idSeq, host }]);
}

/**
 * The address a host added by name gets: the lowest of the pod CIDR that passes checkHostAddress
 * (not the network, broadcast or gateway address, outside the reserved system ranges, held by no
 * host or management server). CloudStack's own simulator likewise draws a simulated host's address
 * from its pod CIDR. Undefined when the pod has no address left.
 */
export function freeHostAddress(state: CloudState, pod: Pod): Ipv4 | undefined {
  const last = cidrLast(pod.cidr);
  for (let ip = pod.cidr.network + 1; ip < last; ip++) {
    if (ip === pod.gateway || (state.index.hostsByIp.get(ip)?.length ?? 0) > 0) continue;
    const range = pod.managementRanges.find((r) => ip >= r.first && ip <= r.last);
    if (range) { ip = range.last; continue; }
    return ip;
  }
  return undefined;
}

/** A host's management IP: inside its pod CIDR, outside the reserved ranges, unique. */
function checkHostAddress(state: CloudState, pod: Pod, ip: number, name: string, subject: { path: string; entityId: string }): Finding[] {
  const out: Finding[] = [];
  const field = { ...subject, field: 'ip' };
  const text = formatIpv4(ip);
  if (!cidrContainsIp(pod.cidr, ip)) {
    out.push(finding('HOST_IP_OUTSIDE_POD_CIDR', field, `host ${name} address ${text} is outside pod ${pod.name} CIDR ${formatCidr(pod.cidr)}`,
      `give the host an address in ${formatCidr(pod.cidr)}, outside the reserved system range`));
  }
  if (ip === pod.gateway) {
    out.push(finding('HOST_IP_IS_GATEWAY', field, `host ${name} address ${text} is the gateway of pod ${pod.name}`, 'give the host its own address'));
  }
  for (const range of pod.managementRanges) {
    if (ip >= range.first && ip <= range.last) {
      out.push(finding('HOST_IP_IN_RESERVED_RANGE', field,
        `host ${name} address ${text} lies in the reserved system range ${formatRange(range.first, range.last)} of pod ${pod.name}`,
        'CloudStack hands reserved addresses to system VMs; give the host an address outside the range'));
    }
  }
  out.push(...checkAddressUnique(state, pod.zoneId, ip, field, `host ${name}`));
  return out;
}

function checkAddressUnique(state: CloudState, zoneId: string, ip: number, field: { path: string; entityId?: string; field?: string }, who: string, sameMachineHostId?: string): Finding[] {
  const out: Finding[] = [];
  for (const otherId of state.index.hostsByIp.get(ip) ?? []) {
    if (otherId === sameMachineHostId) continue;
    const host = state.hosts.get(otherId);
    const server = state.managementServers.get(otherId);
    if (server?.hostId !== undefined && server.hostId === sameMachineHostId) continue;
    const otherName = host ? `host ${host.name}` : `management server ${server?.name ?? otherId}`;
    const otherZoneId = host?.zoneId;
    if (otherZoneId === undefined || otherZoneId === zoneId) {
      out.push(finding('HOST_IP_DUPLICATE', field, `${who} uses address ${formatIpv4(ip)}, already used by ${otherName}`, 'give every host and management server its own address'));
    } else {
      out.push(finding('HOST_IP_DUPLICATE_OTHER_ZONE', field,
        `${who} uses address ${formatIpv4(ip)}, also used by ${otherName} in zone ${state.zones.get(otherZoneId)?.name ?? otherZoneId}`,
        'the docs ask for host addresses unique across the whole cloud'));
    }
  }
  return out;
}

export function decideDedicate(state: CloudState, cmd: DedicateResource, ctx: DecideContext): Decision {
  const resource = ({ dedicateZone: 'zone', dedicatePod: 'pod', dedicateCluster: 'cluster', dedicateHost: 'host' } as const)[cmd.type];
  const records = { zone: state.zones, pod: state.pods, cluster: state.clusters, host: state.hosts }[resource];
  if (!records.has(cmd.id)) return reject('ENTITY_NOT_FOUND', `${resource} ${cmd.id} does not exist`);
  if (!state.domains.has(cmd.domainId)) return reject('ENTITY_NOT_FOUND', `domain ${cmd.domainId} does not exist`);
  if (cmd.accountId !== undefined) {
    const account = state.accounts.get(cmd.accountId);
    if (!account) return reject('ENTITY_NOT_FOUND', `account ${cmd.accountId} does not exist`);
    if (account.domainId !== cmd.domainId) return reject('INVALID_PARAMETER', `account ${account.name} is not in the domain the ${resource} is dedicated to`);
  }
  const dedication = cmd.accountId === undefined ? { domainId: cmd.domainId } : { domainId: cmd.domainId, accountId: cmd.accountId };
  return conclude(ctx, [], [{ type: 'resourceDedicated', resource, id: cmd.id, dedication }]);
}

export function decideUpdateConfiguration(_state: CloudState, cmd: UpdateConfiguration, ctx: DecideContext): Decision {
  const problem = checkSettingValue(cmd.name, cmd.value);
  if (problem !== undefined) return reject('INVALID_PARAMETER', problem, [finding('INVALID_PARAMETER', { path: `settings/${cmd.name}` }, problem, 'see the list of settings in the README')]);
  return conclude(ctx, [], [{ type: 'configurationUpdated', name: cmd.name, value: cmd.value }]);
}

export function decideRegisterManagementServer(state: CloudState, cmd: RegisterManagementServer, ctx: DecideContext): Decision {
  const path = `management/servers/${segment(cmd.name)}`;
  const params = new ParamReader(path);
  params.name('name', cmd.name);
  const ip = params.ipv4('ip', cmd.ip);
  if (params.failed) return params.rejection();
  if (cmd.hostId !== undefined && !state.hosts.has(cmd.hostId)) return reject('ENTITY_NOT_FOUND', `host ${cmd.hostId} does not exist`);
  const { id, idSeq } = newId(state);
  const field = { path, entityId: id, field: 'ip' };
  const findings: Finding[] = [];
  const colocated = cmd.hostId === undefined ? undefined : state.hosts.get(cmd.hostId);
  if (colocated && colocated.ip !== ip) {
    findings.push(finding('MANAGEMENT_SERVER_IP_CONFLICT', field,
      `management server ${cmd.name} runs on host ${colocated.name} but gives address ${formatIpv4(ip)} instead of the host's ${formatIpv4(colocated.ip)}`,
      'a management server on a hypervisor host uses that host\'s management address'));
  }
  for (const otherId of state.index.hostsByIp.get(ip) ?? []) {
    if (otherId === cmd.hostId) continue;
    const host = state.hosts.get(otherId);
    const server = state.managementServers.get(otherId);
    findings.push(finding('MANAGEMENT_SERVER_IP_CONFLICT', field,
      `management server ${cmd.name} uses address ${formatIpv4(ip)}, already used by ${host ? `host ${host.name}` : `management server ${server?.name}`}`,
      'give every management server its own address, or name the host it runs on'));
  }
  for (const pod of state.pods.values()) {
    if (ip === pod.gateway) {
      findings.push(finding('MANAGEMENT_SERVER_IP_CONFLICT', field, `management server ${cmd.name} uses the gateway address of pod ${pod.name}`, 'give the management server its own address'));
    }
    for (const range of pod.managementRanges) {
      if (ip >= range.first && ip <= range.last) {
        findings.push(finding('MANAGEMENT_SERVER_IP_CONFLICT', field,
          `management server ${cmd.name} address ${formatIpv4(ip)} lies in the reserved system range ${formatRange(range.first, range.last)} of pod ${pod.name}`,
          'reserved addresses go to system VMs; move the management server out of the range'));
      }
    }
  }
  const managementServer = { id, name: cmd.name, ip, ...(cmd.hostId === undefined ? {} : { hostId: cmd.hostId }) };
  return conclude(ctx, findings, [{ type: 'managementServerRegistered', idSeq, managementServer }]);
}

export function decideConfigureManagementPlane(state: CloudState, cmd: ConfigureManagementPlane, ctx: DecideContext): Decision {
  const params = new ParamReader('management');
  const vip = params.optionalIpv4('loadBalancerVip', cmd.loadBalancerVip);
  if (cmd.databaseNodes !== undefined) params.positive('databaseNodes', cmd.databaseNodes, true);
  if (params.failed) return params.rejection();
  const current = state.managementPlane;
  const managementPlane: ManagementPlane = {
    databaseEngine: cmd.databaseEngine ?? current.databaseEngine,
    databaseNodes: cmd.databaseNodes ?? current.databaseNodes,
    databaseReplication: cmd.databaseReplication ?? current.databaseReplication,
  };
  const loadBalancerVip = vip ?? current.loadBalancerVip;
  if (loadBalancerVip !== undefined) managementPlane.loadBalancerVip = loadBalancerVip;
  return conclude(ctx, [], [{ type: 'managementPlaneConfigured', managementPlane }]);
}

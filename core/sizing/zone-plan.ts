import { DISPLAY_NAME, routerControlUsesPodIps } from '../data/hypervisors.js';
import { SYSTEM_VM_ROOT_DISK_GIB, SYSTEM_VM_SIZES } from '../data/system-vms.js';
import { IMAGE_STORE_FULL_SHARE, POOL_TYPE } from '../data/storage.js';
import { type Finding, finding } from '../findings.js';
import type { Id, Network, Pod, Zone } from '../model/entities.js';
import {
  type CloudState,
  imageStoresOf,
  networksOf,
  physicalNetworksOf,
  settingNumber,
  storagePoolsOf,
  storageRangesOf,
  vlanIpRangesOf,
  vpcsOf,
  zonesOf,
} from '../model/state.js';
import { cidrContainsIp, cidrSize, formatCidr, smallestPrefixHolding } from '../net/ipv4.js';
import { guestSubnetCount, parseCidr6 } from '../net/ipv6.js';
import { coveredCount } from '../net/pool.js';
import { clusterPath, networkPath, physicalNetworkPath, podPath, zonePath } from '../paths.js';
import { type Budget, type BudgetLine, formatCount, makeBudget } from './budget.js';
import type { Demand, VmGroup, ZoneDemand } from './demand.js';
import { emptyZoneDemand } from './demand.js';
import { type ClusterCapacity, hostsCarry, orderMetric, poolsCarry, spreadGroup, zoneCapacities } from './spread.js';

/** System VM sizes from CloudStack's default system offerings. */
const SYSTEM_VM = {
  secondaryStorageVm: { cpuMhz: SYSTEM_VM_SIZES.SecondaryStorageVm.cpuSpeedMhz, memoryMiB: SYSTEM_VM_SIZES.SecondaryStorageVm.memoryMiB },
  consoleProxy: { cpuMhz: SYSTEM_VM_SIZES.ConsoleProxy.cpuSpeedMhz, memoryMiB: SYSTEM_VM_SIZES.ConsoleProxy.memoryMiB },
  router: { cpuMhz: SYSTEM_VM_SIZES.DomainRouter.cpuSpeedMhz, memoryMiB: SYSTEM_VM_SIZES.DomainRouter.memoryMiB },
  rootDiskGiB: SYSTEM_VM_ROOT_DISK_GIB,
} as const;

/** Link-local control addresses per pod: 169.254.0.2 to 169.254.255.254. */
export const LINK_LOCAL_PER_POD = 65_533;


export interface ZonePlan {
  zoneId: Id;
  budgets: Budget[];
  findings: Finding[];
  capacities: ClusterCapacity[];
  systemVms: { secondaryStorageVms: number; consoleProxies: number; routers: number };
}

interface RouterCounts {
  isolated: number;
  vpc: number;
  shared: number;
  internalLb: number;
}

function sharedRouterPods(zone: Zone): boolean {
  return zone.networkType === 'Basic' || zone.securityGroupsEnabled;
}

function place(c: ClusterCapacity, count: number, cpuMhz: number, memoryMiB: number, ha: boolean, kind: 'user' | 'system' | 'router'): void {
  if (count === 0) return;
  c.load.cpuMhz += count * cpuMhz;
  c.load.memoryMiB += count * memoryMiB;
  if (ha) {
    c.load.haCpuMhz += count * cpuMhz;
    c.load.haMemoryMiB += count * memoryMiB;
  }
  if (kind === 'user') {
    c.load.userVms += count;
  } else if (kind === 'system') {
    c.load.systemVms += count;
    c.load.systemCpuMhz += count * cpuMhz;
    c.load.systemMemoryMiB += count * memoryMiB;
  } else {
    c.load.routers += count;
    c.load.routerCpuMhz += count * cpuMhz;
    c.load.routerMemoryMiB += count * memoryMiB;
  }
  if (kind !== 'user') c.load.sharedStorageGiB += count * SYSTEM_VM.rootDiskGiB;
}

function eligibleFor(c: ClusterCapacity, group: VmGroup, zone: Zone): boolean {
  if (!c.available) return false;
  if (group.hypervisor !== undefined && c.cluster.hypervisor !== group.hypervisor) return false;
  if (!hostsCarry(c, group.hostTags)) return false;
  if (group.rootStorage === 'local' || group.dataStorage === 'local') {
    if (!zone.localStorageEnabled || c.localStorageGiB <= 0) return false;
  }
  if (group.rootStorage === 'shared' || (group.dataDiskGiB > 0 && group.dataStorage === 'shared')) {
    if (!poolsCarry(c, group.storageTags)) return false;
  }
  return true;
}

export function planZone(state: CloudState, zone: Zone, demand: ZoneDemand | undefined, catalog: Pick<Demand, 'templates' | 'isos'>): ZonePlan {
  const zd = demand ?? emptyZoneDemand(zone.id);
  const capacities = zoneCapacities(state, zone);
  const metric = orderMetric(state);
  const findings: Finding[] = [];
  const budgets: Budget[] = [];
  const zoneSubject = { path: zonePath(zone), entityId: zone.id };
  const core = zone.zoneType === 'Core';
  const systemCandidates = capacities.filter((c) => c.available && c.sharedPoolTags.length > 0);
  const systemPool = systemCandidates.length > 0 ? systemCandidates : capacities.filter((c) => c.available);

  // Networks declared in the design count as much as planned ones.
  const networks = networksOf(state, zone.id);
  const explicitIsolated = networks.filter((n) => n.guestType === 'Isolated' && n.vpcId === undefined);
  const explicitTiers = networks.filter((n) => n.vpcId !== undefined);
  const explicitL2 = networks.filter((n) => n.guestType === 'L2');
  const sharedNetworks = networks.filter((n) => n.guestType === 'Shared');
  const explicitVpcs = vpcsOf(state, zone.id);

  const isolatedRedundancy = zd.isolatedNetworks.redundantRouter ? 2 : 1;
  const vpcRedundancy = zd.vpcs.redundantRouter ? 2 : 1;
  const routers: RouterCounts = {
    isolated: zd.isolatedNetworks.count * isolatedRedundancy + explicitIsolated.filter((n) => n.services.includes('SourceNat')).reduce((sum, n) => sum + (n.redundantRouter ? 2 : 1), 0),
    vpc: zd.vpcs.count * vpcRedundancy + explicitVpcs.reduce((sum, v) => sum + (v.redundantRouter ? 2 : 1), 0),
    shared: sharedRouterPods(zone) ? 0 : sharedNetworks.length,
    internalLb: zd.vpcs.internalLbVms,
  };
  const floatingRouters = routers.isolated + routers.vpc + routers.shared + routers.internalLb;

  // System VMs first: they exist before any guest does.
  const secondaryStorageVms = core ? settingNumber(state, 'max.ssvm.count') : 0;
  const sessionsPerProxy = settingNumber(state, 'consoleproxy.session.max');
  const consoleProxies = core ? Math.max(1, Math.ceil((zd.consoleSessions + settingNumber(state, 'consoleproxy.capacity.standby')) / sessionsPerProxy)) : 0;
  for (const [count, size] of [[secondaryStorageVms, SYSTEM_VM.secondaryStorageVm], [consoleProxies, SYSTEM_VM.consoleProxy]] as const) {
    const shares = spreadGroup(systemPool, count, size, metric);
    shares.forEach((n, i) => place(systemPool[i]!, n, size.cpuMhz, size.memoryMiB, true, 'system'));
  }
  if (core && systemPool.length === 0 && capacities.length > 0) {
    findings.push(finding('ZONE_COMPUTE_UNPLACEABLE', zoneSubject, `zone ${zone.name} has no enabled cluster with primary storage for its system VMs`, 'give at least one enabled cluster hosts and primary storage'));
  }
  const routerShares = spreadGroup(systemPool, floatingRouters, SYSTEM_VM.router, metric);
  routerShares.forEach((n, i) => place(systemPool[i]!, n, SYSTEM_VM.router.cpuMhz, SYSTEM_VM.router.memoryMiB, true, 'router'));
  // In basic and security-group zones every pod runs its own DHCP router for each shared network.
  const podRouters = new Map<Id, number>();
  if (sharedRouterPods(zone) && sharedNetworks.length > 0) {
    for (const pod of new Set(capacities.map((c) => c.pod))) {
      const inPod = systemPool.filter((c) => c.pod.id === pod.id);
      const shares = spreadGroup(inPod, sharedNetworks.length, SYSTEM_VM.router, metric);
      shares.forEach((n, i) => place(inPod[i]!, n, SYSTEM_VM.router.cpuMhz, SYSTEM_VM.router.memoryMiB, true, 'router'));
      podRouters.set(pod.id, inPod.length > 0 ? sharedNetworks.length : 0);
    }
  }

  // User VMs, most constrained groups first so flexible ones fill around them.
  const groups = zd.vms
    .map((group) => ({ group, eligible: capacities.filter((c) => eligibleFor(c, group, zone)) }))
    .sort((a, b) => a.eligible.length - b.eligible.length || (a.group.label < b.group.label ? -1 : a.group.label > b.group.label ? 1 : 0));
  const templateBytes = new Map(catalog.templates.map((t) => [t.name, t.sizeGiB]));
  for (const { group, eligible } of groups) {
    if (group.count === 0) continue;
    if (eligible.length === 0) {
      findings.push(finding('ZONE_COMPUTE_UNPLACEABLE', zoneSubject, `${group.count} VMs of ${group.label} fit no cluster of zone ${zone.name}`, unplaceableHint(group, zone)));
      continue;
    }
    const shape = { cpuMhz: group.cpuNumber * group.cpuSpeedMhz, memoryMiB: group.memoryMiB };
    const shares = spreadGroup(eligible, group.count, shape, metric);
    shares.forEach((n, i) => {
      if (n === 0) return;
      const c = eligible[i]!;
      place(c, n, shape.cpuMhz, shape.memoryMiB, group.offerHa, 'user');
      const rootGiB = n * group.rootDiskGiB;
      const dataGiB = n * group.dataDiskGiB;
      if (group.rootStorage === 'local') c.load.localStorageGiB += rootGiB;
      else c.load.sharedStorageGiB += rootGiB;
      if (group.dataStorage === 'local') c.load.localStorageGiB += dataGiB;
      else c.load.sharedStorageGiB += dataGiB;
      if (group.templateId !== undefined) c.load.templates.set(group.templateId, templateBytes.get(group.templateId) ?? group.templateSizeGiB);
      if (group.network.kind === 'shared') c.load.vmsByNetwork.set(group.network.networkId, (c.load.vmsByNetwork.get(group.network.networkId) ?? 0) + n);
    });
  }

  const systemVms = secondaryStorageVms + consoleProxies;
  budgets.push(...clusterBudgets(state, zone, capacities));
  budgets.push(...podBudgets(state, zone, capacities, systemVms, secondaryStorageVms, podRouters));
  budgets.push(...vnetBudgets(state, zone, zd, explicitIsolated, explicitTiers, explicitL2, findings));
  const publicBudget = publicIpBudget(state, zone, zd, explicitIsolated.filter((n) => n.services.includes('SourceNat')).length, explicitVpcs.length, secondaryStorageVms + consoleProxies, capacities);
  if (publicBudget) budgets.push(publicBudget);
  const ipv6 = ipv6Budget(zone, zd);
  if (ipv6) budgets.push(ipv6);
  budgets.push(...sharedNetworkBudgets(state, zone, sharedNetworks, capacities));
  const secondary = secondaryStorageBudget(state, zone, zd, catalog, capacities);
  if (secondary) budgets.push(secondary);

  return {
    zoneId: zone.id,
    budgets,
    findings,
    capacities,
    systemVms: { secondaryStorageVms, consoleProxies, routers: floatingRouters + [...podRouters.values()].reduce((a, b) => a + b, 0) },
  };
}

function unplaceableHint(group: VmGroup, zone: Zone): string {
  const needs: string[] = [];
  if (group.hypervisor) needs.push(`${DISPLAY_NAME[group.hypervisor]} hosts`);
  if (group.hostTags.length > 0) needs.push(`hosts tagged ${group.hostTags.join(', ')}`);
  if (group.rootStorage === 'local' || group.dataStorage === 'local') needs.push(zone.localStorageEnabled ? 'hosts with local storage' : 'local storage enabled on the zone');
  if (group.storageTags.length > 0) needs.push(`primary storage tagged ${group.storageTags.join(', ')}`);
  return needs.length > 0 ? `add an enabled cluster with ${needs.join(' and ')}` : 'add an enabled cluster with hosts and primary storage';
}

function clusterBudgets(state: CloudState, zone: Zone, capacities: ClusterCapacity[]): Budget[] {
  const out: Budget[] = [];
  const pools = storagePoolsOf(state, zone.id);
  const defaultFactor = settingNumber(state, 'storage.overprovisioning.factor');
  const poolThreshold = settingNumber(state, 'pool.storage.allocated.capacity.disablethreshold');
  const factorOf = (p: (typeof pools)[number]): number => p.overprovisioningFactor ?? (POOL_TYPE[p.protocol].overprovisioning ? defaultFactor : 1);
  // Zone-wide pools are shared by the clusters of their hypervisor, in proportion to what each stores.
  const zoneWideDemand = new Map<string, number>();
  for (const c of capacities) zoneWideDemand.set(c.cluster.hypervisor, (zoneWideDemand.get(c.cluster.hypervisor) ?? 0) + sharedDemandGiB(c));

  for (const c of capacities) {
    if (c.allHosts.length === 0) continue;
    const scope = clusterPath(state, c.cluster);
    const base = { scope, entityId: c.cluster.id, zoneId: zone.id };
    const cpuThreshold = c.cluster.cpuDisableThreshold ?? settingNumber(state, 'cluster.cpu.allocated.capacity.disablethreshold');
    const memoryThreshold = c.cluster.memoryDisableThreshold ?? settingNumber(state, 'cluster.memory.allocated.capacity.disablethreshold');
    const memoryTotal = c.memoryMiB * c.cluster.memoryOvercommitRatio;
    const cpuTotal = c.cpuMhz * c.cluster.cpuOvercommitRatio;
    const loadLines = (field: 'memoryMiB' | 'cpuMhz'): BudgetLine[] => {
      const total = c.load[field];
      const routers = field === 'memoryMiB' ? c.load.routerMemoryMiB : c.load.routerCpuMhz;
      const system = field === 'memoryMiB' ? c.load.systemMemoryMiB : c.load.systemCpuMhz;
      return [
        { label: 'user VMs', amount: total - routers - system },
        { label: 'virtual routers', amount: routers },
        { label: 'system VMs', amount: system },
      ];
    };
    const memory = makeBudget({ ...base, kind: 'cluster.memory', resource: 'allocated memory', unit: 'MiB', supply: memoryTotal, disableThreshold: memoryThreshold, breakdown: loadLines('memoryMiB') });
    if (memory.status === 'exhausted') memory.recommendation = addHostsAdvice(c, memory.demand / memoryThreshold - memoryTotal, c.largestHostMemoryMiB * c.cluster.memoryOvercommitRatio, 'memory');
    out.push(memory);
    const cpu = makeBudget({ ...base, kind: 'cluster.cpu', resource: 'allocated CPU', unit: 'MHz', supply: cpuTotal, disableThreshold: cpuThreshold, breakdown: loadLines('cpuMhz') });
    if (cpu.status === 'exhausted') cpu.recommendation = addHostsAdvice(c, cpu.demand / cpuThreshold - cpuTotal, c.largestHostCpuMhz * c.cluster.cpuOvercommitRatio, 'CPU');
    out.push(cpu);
    if (c.maxGuestsPerHost !== undefined) {
      const guests = makeBudget({
        ...base, kind: 'cluster.guests', resource: 'guests (max guests per host)', unit: 'VMs', supply: c.hosts.length * c.maxGuestsPerHost,
        breakdown: [{ label: 'user VMs', amount: c.load.userVms }, { label: 'virtual routers', amount: c.load.routers }, { label: 'system VMs', amount: c.load.systemVms }],
      });
      if (guests.status === 'exhausted') guests.recommendation = `add ${Math.ceil(-guests.headroom / c.maxGuestsPerHost)} host(s): ${DISPLAY_NAME[c.cluster.hypervisor]} runs at most ${c.maxGuestsPerHost} VMs per host`;
      out.push(guests);
    }
    // N-1: when the largest host fails, the survivors keep their own VMs and take its HA VMs,
    // under the same disable thresholds placement applies to HA restarts.
    if (c.hosts.length > 0 && c.load.haMemoryMiB > 0) {
      const resources = [
        { what: 'memory', unit: 'MiB', total: c.memoryMiB, largest: c.largestHostMemoryMiB, ratio: c.cluster.memoryOvercommitRatio, threshold: memoryThreshold, load: c.load.memoryMiB, ha: c.load.haMemoryMiB },
        { what: 'CPU', unit: 'MHz', total: c.cpuMhz, largest: c.largestHostCpuMhz, ratio: c.cluster.cpuOvercommitRatio, threshold: cpuThreshold, load: c.load.cpuMhz, ha: c.load.haCpuMhz },
      ] as const;
      for (const r of resources) {
        const share = r.largest / r.total;
        const nMinus1 = makeBudget({
          ...base, kind: 'cluster.nMinus1', resource: `${r.what} if the largest host fails`, unit: r.unit, supply: (r.total - r.largest) * r.ratio, disableThreshold: r.threshold, notificationThreshold: 1,
          breakdown: [{ label: 'HA VMs to restart or keep', amount: r.ha }, { label: 'non-HA VMs on surviving hosts', amount: (r.load - r.ha) * (1 - share) }],
        });
        if (nMinus1.status === 'exhausted') {
          const perHost = r.largest * r.ratio * r.threshold;
          nMinus1.recommendation = `add ${Math.max(1, Math.ceil(-nMinus1.headroom / perHost))} host(s) like the largest (${formatCount(r.largest)} ${r.unit}) so a host failure leaves room for its HA VMs`;
        }
        out.push(nMinus1);
      }
    }
    const clusterPools = pools.filter((p) => p.scope === 'CLUSTER' && p.clusterId === c.cluster.id && p.state === 'Up');
    const zoneWide = pools.filter((p) => p.scope === 'ZONE' && p.hypervisor === c.cluster.hypervisor && p.state === 'Up');
    const demandGiB = sharedDemandGiB(c);
    const hypervisorDemand = zoneWideDemand.get(c.cluster.hypervisor) ?? 0;
    const zoneShare = hypervisorDemand > 0 ? demandGiB / hypervisorDemand : 1 / capacities.filter((o) => o.cluster.hypervisor === c.cluster.hypervisor).length;
    const sharedSupply = clusterPools.reduce((sum, p) => sum + p.capacityGiB * factorOf(p), 0) + zoneWide.reduce((sum, p) => sum + p.capacityGiB * factorOf(p) * zoneShare, 0);
    if (sharedSupply > 0 || demandGiB > 0) {
      const templatesGiB = [...c.load.templates.values()].reduce((a, b) => a + b, 0);
      const storage = makeBudget({
        ...base, kind: 'cluster.primaryStorage', resource: 'shared primary storage allocated', unit: 'GiB', supply: sharedSupply, disableThreshold: poolThreshold,
        breakdown: [
          { label: 'volumes', amount: demandGiB - templatesGiB - (c.load.systemVms + c.load.routers) * SYSTEM_VM.rootDiskGiB },
          { label: 'system VM and router disks', amount: (c.load.systemVms + c.load.routers) * SYSTEM_VM.rootDiskGiB },
          { label: 'template copies', amount: templatesGiB },
        ],
      });
      if (storage.status === 'exhausted') {
        const rawGiB = Math.ceil((storage.demand / poolThreshold - sharedSupply) / Math.max(1, defaultFactor));
        storage.recommendation = `add about ${rawGiB} GiB of primary storage to cluster ${c.cluster.name} (pools of at most 6 TB each)`;
      }
      out.push(storage);
    }
    if (c.load.localStorageGiB > 0 || (zone.localStorageEnabled && c.localStorageGiB > 0)) {
      const local = makeBudget({
        ...base, kind: 'cluster.localStorage', resource: 'allocated local storage', unit: 'GiB', supply: c.localStorageGiB * (POOL_TYPE.local.overprovisioning ? defaultFactor : 1), disableThreshold: poolThreshold,
        breakdown: [{ label: 'local volumes', amount: c.load.localStorageGiB }],
      });
      if (local.status === 'exhausted') local.recommendation = `add local disks or hosts to cluster ${c.cluster.name}: ${Math.ceil(-local.headroom / poolThreshold / defaultFactor)} GiB more raw local storage`;
      out.push(local);
    }
  }
  return out;
}

function sharedDemandGiB(c: ClusterCapacity): number {
  return c.load.sharedStorageGiB + [...c.load.templates.values()].reduce((a, b) => a + b, 0);
}

function addHostsAdvice(c: ClusterCapacity, missing: number, perHost: number, what: string): string {
  const hosts = Math.max(1, Math.ceil(missing / perHost));
  return `add ${hosts} host(s) like the largest of cluster ${c.cluster.name}, or move load to another cluster: ${what} runs past the disable threshold`;
}

function overlapCount(first: number, last: number, lo: number, hi: number): number {
  return Math.max(0, Math.min(last, hi) - Math.max(first, lo) + 1);
}

/** Addresses of a range that can be handed out: not the network, broadcast or gateway address. */
function usableInRange(first: number, last: number, cidr: { network: number; prefix: number }, gateway?: number): number {
  let count = last - first + 1;
  if (cidr.prefix <= 30) {
    const broadcast = cidr.network + cidrSize(cidr.prefix) - 1;
    if (first <= cidr.network && cidr.network <= last) count--;
    if (first <= broadcast && broadcast <= last) count--;
  }
  if (gateway !== undefined && gateway >= first && gateway <= last) count--;
  return Math.max(0, count);
}

function podBudgets(state: CloudState, zone: Zone, capacities: ClusterCapacity[], systemVms: number, secondaryStorageVms: number, podRouters: Map<Id, number>): Budget[] {
  const out: Budget[] = [];
  const pods = [...new Map(capacities.map((c) => [c.pod.id, c.pod])).values()];
  for (const pod of state.index.podsByZone.get(zone.id) ?? []) {
    const p = state.pods.get(pod);
    if (p && !pods.includes(p)) pods.push(p);
  }
  const managementServers = [...state.managementServers.values()];
  // Routers whose control NIC takes a pod address (VMware, Hyper-V), per pod, for pod-count advice.
  const podIpRouters = new Map<Id, number>();
  for (const c of capacities) {
    if (routerControlUsesPodIps(c.cluster.hypervisor)) podIpRouters.set(c.pod.id, (podIpRouters.get(c.pod.id) ?? 0) + c.load.routers);
  }
  const totalPodIpRouters = [...podIpRouters.values()].reduce((a, b) => a + b, 0);
  for (const pod of pods) {
    const inPod = capacities.filter((c) => c.pod.id === pod.id);
    const scope = podPath(state, pod);
    const base = { scope, entityId: pod.id, zoneId: zone.id };
    const reservedSupply = pod.managementRanges.reduce((sum, r) => sum + usableInRange(r.first, r.last, pod.cidr, pod.gateway), 0);
    const podIpRoutersHere = podIpRouters.get(pod.id) ?? 0;
    const core = zone.zoneType === 'Core';
    // System VMs may be started in any pod of the zone (and are recreated in another pod after a
    // failure), so every pod keeps room for all of them.
    const reserved = makeBudget({
      ...base, kind: 'pod.reservedIps', resource: 'reserved system IPs', unit: 'IPs', supply: reservedSupply,
      notificationThreshold: settingNumber(state, 'pod.privateip.capacity.notificationthreshold'),
      breakdown: [
        { label: 'secondary storage and console proxy VMs', amount: core ? systemVms : 0 },
        { label: 'routers on VMware/Hyper-V (control NIC)', amount: podIpRoutersHere },
      ],
    });
    const hostsInPod = inPod.reduce((sum, c) => sum + c.allHosts.length, 0) + managementServers.filter((m) => m.hostId === undefined && cidrContainsIp(pod.cidr, m.ip)).length;
    if (reserved.status === 'exhausted') {
      reserved.recommendation = reservedAdvice(pod, reserved.demand, reservedSupply, hostsInPod, totalPodIpRouters, core ? systemVms : 0);
    }
    out.push(reserved);
    const guestInPod = vlanIpRangesOf(state, zone.id)
      .filter((r) => r.podId === pod.id)
      .reduce((sum, r) => sum + overlapCount(r.first, r.last, pod.cidr.network, pod.cidr.network + cidrSize(pod.cidr.prefix) - 1), 0);
    const cidrBudget = makeBudget({
      ...base, kind: 'pod.cidr', resource: `addresses of ${formatCidr(pod.cidr)}`, unit: 'IPs', supply: cidrSize(pod.cidr.prefix), notificationThreshold: 0.9,
      breakdown: [
        { label: 'hosts and management servers', amount: hostsInPod },
        { label: 'reserved system range', amount: Math.max(reservedSupply, reserved.demand) },
        { label: 'guest ranges inside the pod CIDR', amount: guestInPod },
        { label: 'gateway', amount: 1 },
        { label: 'network and broadcast', amount: pod.cidr.prefix <= 30 ? 2 : 0 },
      ],
    });
    if (cidrBudget.status === 'exhausted') {
      const prefix = smallestPrefixHolding(cidrBudget.demand - 2);
      cidrBudget.recommendation = `widen pod ${pod.name} to a /${prefix ?? 8} (it needs ${cidrBudget.demand} addresses; the /${pod.cidr.prefix} has ${cidrBudget.supply})`;
    }
    out.push(cidrBudget);
    const linkLocalHere = inPod.filter((c) => !routerControlUsesPodIps(c.cluster.hypervisor));
    if (linkLocalHere.length > 0) {
      const routersHere = linkLocalHere.reduce((sum, c) => sum + c.load.routers, 0);
      const linkLocal = makeBudget({
        ...base, kind: 'pod.linkLocalIps', resource: 'link-local control IPs', unit: 'IPs', supply: LINK_LOCAL_PER_POD,
        breakdown: [{ label: 'system VMs', amount: core ? systemVms : 0 }, { label: 'routers on KVM/XenServer/LXC', amount: routersHere }],
      });
      if (linkLocal.status === 'exhausted') linkLocal.recommendation = `split the routers of pod ${pod.name} over ${Math.ceil(linkLocal.demand / LINK_LOCAL_PER_POD)} pods`;
      out.push(linkLocal);
    }
    const storageRanges = storageRangesOf(state, pod.id);
    if (storageRanges.length > 0) {
      const storage = makeBudget({
        ...base, kind: 'pod.storageIps', resource: 'storage network IPs', unit: 'IPs',
        supply: storageRanges.reduce((sum, r) => sum + usableInRange(r.first, r.last, r.cidr, r.gateway), 0),
        breakdown: [{ label: 'secondary storage VMs (storage NIC)', amount: core ? secondaryStorageVms : 0 }],
      });
      if (storage.status === 'exhausted') storage.recommendation = `extend the storage range of pod ${pod.name} by ${-storage.headroom} addresses`;
      out.push(storage);
    }
    if (zone.networkType === 'Basic') {
      const guestRanges = vlanIpRangesOf(state, zone.id).filter((r) => r.purpose === 'Guest' && r.podId === pod.id);
      const vms = inPod.reduce((sum, c) => sum + c.load.userVms, 0);
      const guest = makeBudget({
        ...base, kind: 'pod.guestIps', resource: 'guest IPs of the pod', unit: 'IPs',
        supply: guestRanges.reduce((sum, r) => sum + usableInRange(r.first, r.last, r.cidr, r.gateway), 0),
        notificationThreshold: settingNumber(state, 'zone.directnetwork.publicip.capacity.notificationthreshold'),
        breakdown: [
          { label: 'user VMs', amount: vms },
          { label: 'pod DHCP router', amount: podRouters.get(pod.id) ?? 0 },
          { label: 'system VMs (basic zones use guest IPs)', amount: core ? systemVms : 0 },
        ],
      });
      if (guest.status === 'exhausted') guest.recommendation = `extend the guest range of pod ${pod.name} by ${-guest.headroom} addresses, or add a second guest subnet to the pod`;
      out.push(guest);
    }
  }
  return out;
}

function reservedAdvice(pod: Pod, demand: number, supply: number, hostsInPod: number, zoneRouterIps: number, systemVms: number): string {
  const cidrRoom = cidrSize(pod.cidr.prefix) - (pod.cidr.prefix <= 30 ? 2 : 0) - 1 - hostsInPod;
  const parts: string[] = [];
  if (cidrRoom >= demand) {
    parts.push(`grow the reserved range of pod ${pod.name} to ${demand} addresses; its /${pod.cidr.prefix} has room for ${cidrRoom}`);
  } else {
    const prefix = smallestPrefixHolding(hostsInPod + demand + 1) ?? 8;
    parts.push(`widen pod ${pod.name} to a /${prefix} with a reserved range of ${demand} addresses`);
  }
  const perPod = supply - systemVms;
  if (perPod > 0 && zoneRouterIps > 0) {
    parts.push(`or split the load over ${Math.ceil(zoneRouterIps / perPod)} pods with ranges like this one`);
  }
  return parts.join(', ');
}

function vnetBudgets(state: CloudState, zone: Zone, zd: ZoneDemand, explicitIsolated: Network[], explicitTiers: Network[], explicitL2: Network[], findings: Finding[]): Budget[] {
  if (zone.networkType === 'Basic') return [];
  const guestNetworks = physicalNetworksOf(state, zone.id).filter((n) => n.traffic.some((t) => t.type === 'Guest'));
  if (guestNetworks.length === 0) return [];
  const fallback = guestNetworks.find((n) => n.tags.length === 0) ?? guestNetworks[0]!;
  const lines = new Map<Id, BudgetLine[]>(guestNetworks.map((n) => [n.id, []]));
  const add = (physicalNetworkId: Id | undefined, label: string, amount: number): void => {
    if (amount > 0) lines.get(physicalNetworkId !== undefined && lines.has(physicalNetworkId) ? physicalNetworkId : fallback.id)!.push({ label, amount });
  };
  add(zd.isolatedNetworks.physicalNetworkId, 'planned isolated networks', zd.isolatedNetworks.count);
  add(zd.vpcs.physicalNetworkId, 'planned VPC tiers', zd.vpcs.count * zd.vpcs.tiersPerVpc);
  add(zd.l2Networks.physicalNetworkId, 'planned L2 networks', zd.l2Networks.count);
  // Declared networks without a fixed VLAN take one from the pool when first implemented.
  for (const [list, label] of [[explicitIsolated, 'declared isolated networks'], [explicitTiers, 'declared VPC tiers'], [explicitL2, 'declared L2 networks']] as const) {
    const byPn = new Map<Id | undefined, number>();
    for (const n of list) if (n.vlan === undefined) byPn.set(n.physicalNetworkId, (byPn.get(n.physicalNetworkId) ?? 0) + 1);
    for (const [pn, count] of byPn) add(pn, label, count);
  }
  const out: Budget[] = [];
  for (const network of guestNetworks) {
    // Security-group zones isolate on L3: with no VNET range and nothing to put in one, no budget.
    if (network.vnetRanges.length === 0 && lines.get(network.id)!.length === 0) continue;
    let supply = coveredCount(network.vnetRanges);
    if (network.isolationMethod === 'VLAN') {
      supply -= network.vnetRanges.some((r) => r.first === 0) ? 1 : 0;
      supply -= network.vnetRanges.some((r) => r.last === 4095) ? 1 : 0;
    }
    const unit = network.isolationMethod === 'VXLAN' ? 'VNIs' : network.isolationMethod === 'GRE' ? 'GRE keys' : 'VLANs';
    const budget = makeBudget({
      kind: 'physicalNetwork.guestVnets', scope: physicalNetworkPath(state, network), entityId: network.id, zoneId: zone.id,
      resource: `guest ${unit}`, unit, supply, notificationThreshold: settingNumber(state, 'zone.vlan.capacity.notificationthreshold'),
      breakdown: lines.get(network.id)!,
    });
    if (budget.status === 'exhausted') {
      const missing = -budget.headroom;
      budget.recommendation =
        network.isolationMethod === 'VLAN' && budget.demand > 4094
          ? `${budget.demand} networks exceed the 4094 usable VLAN ids: use VXLAN isolation (16,777,214 VNIs), or split the networks over more zones or physical networks with their own switching`
          : `add ${missing} ${unit} to the guest ranges of physical network ${network.name} (it has ${supply})`;
    }
    out.push(budget);
    if (network.isolationMethod === 'VXLAN' && budget.demand > 20) {
      findings.push(finding('VXLAN_MULTICAST_MEMBERSHIP_LIMIT', { path: physicalNetworkPath(state, network), entityId: network.id },
        `up to ${budget.demand} VXLAN networks may reach one host, above Linux's default igmp_max_memberships of 20`,
        'raise net.ipv4.igmp_max_memberships on the hosts, or use VXLAN with EVPN instead of multicast'));
    }
  }
  return out;
}

function publicIpBudget(state: CloudState, zone: Zone, zd: ZoneDemand, explicitIsolated: number, explicitVpcs: number, systemVms: number, capacities: ClusterCapacity[]): Budget | undefined {
  const eip = zone.networkType === 'Basic' && zone.elasticIp;
  if (!(zone.networkType === 'Advanced' && !zone.securityGroupsEnabled) && !eip) return undefined;
  const ranges = vlanIpRangesOf(state, zone.id).filter((r) => r.purpose === 'Public');
  const shared = ranges.filter((r) => r.dedication === undefined);
  const supply = shared.reduce((sum, r) => sum + usableInRange(r.first, r.last, r.cidr, r.gateway), 0);
  const userVms = capacities.reduce((sum, c) => sum + c.load.userVms, 0);
  const breakdown: BudgetLine[] = [
    { label: 'source NAT of isolated networks', amount: zd.isolatedNetworks.count + explicitIsolated },
    { label: 'source NAT of VPCs', amount: zd.vpcs.count + explicitVpcs },
    { label: 'acquired IPs (static NAT, port forwarding, LB)', amount: zd.acquiredPublicIps },
    { label: 'secondary storage and console proxy VMs', amount: zone.zoneType === 'Core' ? systemVms : 0 },
  ];
  if (eip) breakdown.push({ label: 'elastic IPs (one per VM)', amount: userVms });
  const budget = makeBudget({
    kind: 'zone.publicIps', scope: zonePath(zone), entityId: zone.id, zoneId: zone.id, resource: 'public IPs', unit: 'IPs', supply,
    notificationThreshold: settingNumber(state, 'zone.virtualnetwork.publicip.capacity.notificationthreshold'), breakdown,
  });
  if (budget.status === 'exhausted') {
    const missing = -budget.headroom;
    budget.recommendation = `add ${missing} public IPs to zone ${zone.name}: a /${smallestPrefixHolding(missing + 1) ?? 8} range holds them`;
  }
  return budget;
}

function ipv6Budget(zone: Zone, zd: ZoneDemand): Budget | undefined {
  const demand = (zd.isolatedNetworks.dualStack ? zd.isolatedNetworks.count : 0) + (zd.vpcs.dualStack ? zd.vpcs.count * zd.vpcs.tiersPerVpc : 0);
  if (demand === 0 && zone.ip6GuestPrefix === undefined) return undefined;
  const prefix = zone.ip6GuestPrefix === undefined ? undefined : parseCidr6(zone.ip6GuestPrefix);
  const supply = prefix ? guestSubnetCount(prefix.prefix) : 0;
  const budget = makeBudget({
    kind: 'zone.ipv6Subnets', scope: zonePath(zone), entityId: zone.id, zoneId: zone.id, resource: 'IPv6 guest /64 subnets', unit: 'subnets', supply,
    breakdown: [{ label: 'dual-stack networks and VPC tiers', amount: demand }],
  });
  if (budget.status === 'exhausted') {
    const bits = Math.ceil(Math.log2(Math.max(2, demand)));
    budget.recommendation = prefix ? `use a /${64 - bits} guest prefix or shorter` : `give zone ${zone.name} an IPv6 guest prefix of /${64 - bits} or shorter`;
  }
  return budget;
}

function sharedNetworkBudgets(state: CloudState, zone: Zone, sharedNetworks: Network[], capacities: ClusterCapacity[]): Budget[] {
  if (zone.networkType === 'Basic') return [];
  const out: Budget[] = [];
  const podCount = new Set(capacities.map((c) => c.pod.id)).size;
  for (const network of sharedNetworks) {
    const ranges = vlanIpRangesOf(state, zone.id).filter((r) => r.networkId === network.id);
    const vms = capacities.reduce((sum, c) => sum + (c.load.vmsByNetwork.get(network.id) ?? 0), 0);
    const budget = makeBudget({
      kind: 'network.guestIps', scope: networkPath(state, network), entityId: network.id, zoneId: zone.id, resource: 'shared network guest IPs', unit: 'IPs',
      supply: ranges.reduce((sum, r) => sum + usableInRange(r.first, r.last, r.cidr, r.gateway), 0),
      notificationThreshold: settingNumber(state, 'zone.directnetwork.publicip.capacity.notificationthreshold'),
      breakdown: [{ label: 'VMs', amount: vms }, { label: 'DHCP routers', amount: zone.securityGroupsEnabled ? podCount : 1 }],
    });
    if (budget.status === 'exhausted') budget.recommendation = `extend the range of shared network ${network.name} by ${-budget.headroom} addresses, or add a second subnet on its VLAN`;
    out.push(budget);
  }
  return out;
}

function secondaryStorageBudget(state: CloudState, zone: Zone, zd: ZoneDemand, catalog: Pick<Demand, 'templates' | 'isos'>, capacities: ClusterCapacity[]): Budget | undefined {
  if (zone.zoneType === 'Edge') return undefined;
  const hypervisors = new Set(capacities.map((c) => c.cluster.hypervisor));
  const zoneStores = imageStoresOf(state, zone.id).filter((s) => s.role === 'Image');
  let supply = zoneStores.reduce((sum, s) => sum + s.capacityGiB, 0);
  if (zoneStores.length === 0) {
    const regionStores = [...state.imageStores.values()].filter((s) => s.role === 'Image' && s.zoneId === undefined && s.regionId === zone.regionId);
    const zonesInRegion = Math.max(1, zonesOf(state, zone.regionId).length);
    supply = regionStores.reduce((sum, s) => sum + s.capacityGiB, 0) / zonesInRegion;
  }
  const templatesGiB = catalog.templates.filter((t) => t.hypervisor === undefined || hypervisors.has(t.hypervisor)).reduce((sum, t) => sum + t.sizeGiB, 0);
  const isosGiB = catalog.isos.reduce((sum, i) => sum + i.sizeGiB, 0);
  const snapshotsGiB = zd.vms.reduce((sum, g) => sum + g.count * (g.rootDiskGiB + g.dataDiskGiB) * zd.snapshots.perVolume * zd.snapshots.sizeRatio, 0);
  const budget = makeBudget({
    kind: 'zone.secondaryStorage', scope: zonePath(zone), entityId: zone.id, zoneId: zone.id, resource: 'secondary storage', unit: 'GiB', supply, disableThreshold: IMAGE_STORE_FULL_SHARE,
    notificationThreshold: settingNumber(state, 'zone.secstorage.capacity.notificationthreshold'),
    breakdown: [{ label: 'templates', amount: templatesGiB }, { label: 'ISOs', amount: isosGiB }, { label: 'volume snapshots', amount: snapshotsGiB }],
  });
  if (budget.status === 'exhausted') budget.recommendation = `add ${Math.ceil(budget.demand / IMAGE_STORE_FULL_SHARE - supply)} GiB of secondary storage to zone ${zone.name}`;
  return budget;
}

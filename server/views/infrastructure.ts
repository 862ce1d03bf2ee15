import type { MigrationCandidate } from '../../core/decide/vm.js';
import type { Cluster, Host, Network, Pod, Zone } from '../../core/model/entities.js';
import { formatCidr, formatIpv4, prefixToNetmask } from '../../core/net/ipv4.js';
import { CLOUDSTACK_VERSION, type JsonObject } from '../http/respond.js';
import { networkServiceProviderView, physicalNetworkView, providersOf, trafficTypesOf, trafficTypeView, virtualRouterElementView } from './physical-networks.js';
import { storagePoolView } from './storage-infrastructure.js';
import { createdOf, defineView, field, type FieldSpec, type ViewContext } from './view.js';

// Offerings and templates have views of their own; these names stay importable from here.
export { serviceOfferingView } from './offerings.js';
export { type TemplateInZone, templateView } from './templates.js';

/**
 * Zones, pods, clusters, hosts, offerings, templates and networks as CloudStack reports them.
 * Field names and JSON types follow cloudstack-go's generated structs: ids and dates are strings,
 * counts and sizes numbers, flags booleans, and a few numeric-looking fields (overcommit ratios,
 * percentages) strings, as the real server sends them.
 */

const MIB_BYTES = 1024 ** 2;

const nameOfZone = (ctx: ViewContext, id: string | undefined): string | undefined => (id === undefined ? undefined : ctx.state.zones.get(id)?.name);

export const zoneView = defineView<Zone>([
  field('id', 'string', 'the ID of the zone', (z) => z.id),
  field('name', 'string', 'the name of the zone', (z) => z.name),
  field('allocationstate', 'string', 'the allocation state of the zone', (z) => z.allocationState),
  field('networktype', 'string', 'the network type of the zone: Basic or Advanced', (z) => z.networkType),
  field('type', 'string', 'the type of the zone: Core or Edge', (z) => z.zoneType),
  field('dns1', 'string', 'the first DNS for the zone', (z) => z.dns[0]),
  field('dns2', 'string', 'the second DNS for the zone', (z) => z.dns[1]),
  field('internaldns1', 'string', 'the first internal DNS for the zone', (z) => z.internalDns[0]),
  field('internaldns2', 'string', 'the second internal DNS for the zone', (z) => z.internalDns[1]),
  field('guestcidraddress', 'string', 'the guest CIDR address of the zone', (z) => (z.guestCidr ? formatCidr(z.guestCidr) : undefined)),
  field('domain', 'string', 'the network domain of the zone', (z) => z.networkDomain),
  field('localstorageenabled', 'boolean', 'true if local storage offering is enabled', (z) => z.localStorageEnabled),
  field('securitygroupsenabled', 'boolean', 'true if security groups support is enabled', (z) => z.securityGroupsEnabled),
  field('dhcpprovider', 'string', 'the DHCP provider of the zone', () => 'VirtualRouter'),
  field('hasannotations', 'boolean', 'whether the zone has annotations', () => false),
  field('tags', 'list', 'the tags of the zone', () => []),
]);

export const podView = defineView<Pod>([
  field('id', 'string', 'the ID of the pod', (p) => p.id),
  field('name', 'string', 'the name of the pod', (p) => p.name),
  field('zoneid', 'string', 'the zone ID of the pod', (p) => p.zoneId),
  field('zonename', 'string', 'the zone name of the pod', (p, ctx) => nameOfZone(ctx, p.zoneId)),
  field('gateway', 'string', 'the gateway of the pod', (p) => formatIpv4(p.gateway)),
  field('netmask', 'string', 'the netmask of the pod', (p) => prefixToNetmask(p.cidr.prefix)),
  field('startip', 'list', 'the starting IPs of the pod management ranges', (p) => p.managementRanges.map((r) => formatIpv4(r.first))),
  field('endip', 'list', 'the ending IPs of the pod management ranges', (p) => p.managementRanges.map((r) => formatIpv4(r.last))),
  field('forsystemvms', 'list', 'whether each range is for system VMs only ("1") or not ("0")', (p) => p.managementRanges.map((r) => (r.forSystemVms ? '1' : '0'))),
  field('vlanid', 'list', 'the VLAN of each range', (p) => p.managementRanges.map((r) => (r.vlan === undefined ? '' : String(r.vlan)))),
  {
    name: 'ipranges',
    type: 'list',
    description: 'the management IP ranges of the pod',
    fields: [
      { name: 'startip', type: 'string', description: 'the starting IP' },
      { name: 'endip', type: 'string', description: 'the ending IP' },
      { name: 'gateway', type: 'string', description: 'the gateway' },
      { name: 'cidr', type: 'string', description: 'the CIDR' },
      { name: 'forsystemvms', type: 'string', description: 'whether the range is for system VMs only' },
      { name: 'vlanid', type: 'string', description: 'the VLAN' },
    ],
    get: (p) =>
      p.managementRanges.map((r) => ({
        startip: formatIpv4(r.first),
        endip: formatIpv4(r.last),
        gateway: formatIpv4(p.gateway),
        cidr: formatCidr(p.cidr),
        forsystemvms: r.forSystemVms ? '1' : '0',
        ...(r.vlan === undefined ? {} : { vlanid: String(r.vlan) }),
      })),
  },
  field('allocationstate', 'string', 'the allocation state of the pod', (p) => p.allocationState),
  field('hasannotations', 'boolean', 'whether the pod has annotations', () => false),
]);

export const clusterView = defineView<Cluster>([
  field('id', 'string', 'the ID of the cluster', (c) => c.id),
  field('name', 'string', 'the name of the cluster', (c) => c.name),
  field('podid', 'string', 'the pod ID of the cluster', (c) => c.podId),
  field('podname', 'string', 'the pod name of the cluster', (c, ctx) => ctx.state.pods.get(c.podId)?.name),
  field('zoneid', 'string', 'the zone ID of the cluster', (c) => c.zoneId),
  field('zonename', 'string', 'the zone name of the cluster', (c, ctx) => nameOfZone(ctx, c.zoneId)),
  field('hypervisortype', 'string', 'the hypervisor type of the cluster', (c) => c.hypervisor),
  field('clustertype', 'string', 'the type of the cluster', (c) => c.clusterType),
  field('allocationstate', 'string', 'the allocation state of the cluster', (c) => c.allocationState),
  field('managedstate', 'string', 'whether the cluster is managed', () => 'Managed'),
  field('arch', 'string', 'the CPU architecture of the cluster', (c) => c.arch),
  field('cpuovercommitratio', 'string', 'the CPU overcommit ratio of the cluster', (c) => String(c.cpuOvercommitRatio)),
  field('memoryovercommitratio', 'string', 'the memory overcommit ratio of the cluster', (c) => String(c.memoryOvercommitRatio)),
  field('hasannotations', 'boolean', 'whether the cluster has annotations', () => false),
]);

const percent = (part: number, whole: number): string => `${whole > 0 ? ((part / whole) * 100).toFixed(2) : '0.00'}%`;

/** What a host has allocated (running and reserved VMs) and offers (with the cluster's overcommit). */
function hostCapacity(host: Host, ctx: ViewContext) {
  const capacity = ctx.state.capacity;
  const ordinal = capacity.hostOrdinal.get(host.id);
  const cluster = ctx.state.clusters.get(host.clusterId);
  const cpuTotalMhz = host.cpuCores * host.cpuMhz;
  const cpuOfferedMhz = cpuTotalMhz * (cluster?.cpuOvercommitRatio ?? 1);
  const memoryOfferedMiB = host.memoryMiB * (cluster?.memoryOvercommitRatio ?? 1);
  const cpuAllocatedMhz = ordinal === undefined ? 0 : capacity.hostCpuUsedMhz[ordinal]! + capacity.hostCpuReservedMhz[ordinal]!;
  const memoryAllocatedMiB = ordinal === undefined ? 0 : capacity.hostMemoryUsedMiB[ordinal]! + capacity.hostMemoryReservedMiB[ordinal]!;
  const memoryUsedMiB = ordinal === undefined ? 0 : capacity.hostMemoryUsedMiB[ordinal]!;
  return { cpuTotalMhz, cpuOfferedMhz, memoryOfferedMiB, cpuAllocatedMhz, memoryAllocatedMiB, memoryUsedMiB };
}

export const hostView = defineView<Host>([
  field('id', 'string', 'the ID of the host', (h) => h.id),
  field('name', 'string', 'the name of the host', (h) => h.name),
  field('type', 'string', 'the host type', () => 'Routing'),
  field('state', 'string', 'the state of the host', (h) => h.status),
  field('resourcestate', 'string', 'the resource state of the host', (h) => h.resourceState),
  field('ipaddress', 'string', 'the IP address of the host', (h) => formatIpv4(h.ip)),
  field('zoneid', 'string', 'the zone ID of the host', (h) => h.zoneId),
  field('zonename', 'string', 'the zone name of the host', (h, ctx) => nameOfZone(ctx, h.zoneId)),
  field('podid', 'string', 'the pod ID of the host', (h) => h.podId),
  field('podname', 'string', 'the pod name of the host', (h, ctx) => ctx.state.pods.get(h.podId)?.name),
  field('clusterid', 'string', 'the cluster ID of the host', (h) => h.clusterId),
  field('clustername', 'string', 'the cluster name of the host', (h, ctx) => ctx.state.clusters.get(h.clusterId)?.name),
  field('clustertype', 'string', 'the cluster type of the host', (h, ctx) => ctx.state.clusters.get(h.clusterId)?.clusterType),
  field('hypervisor', 'string', 'the hypervisor of the host', (h) => h.hypervisor),
  field('arch', 'string', 'the CPU architecture of the host', (h) => h.arch),
  field('cpusockets', 'integer', 'the number of CPU sockets of the host', (h) => h.cpuSockets),
  field('cpunumber', 'integer', 'the number of CPU cores of the host', (h) => h.cpuCores),
  field('cpuspeed', 'long', 'the speed of one CPU core in MHz', (h) => h.cpuMhz),
  field('cpuwithoverprovisioning', 'string', 'the CPU the host offers in MHz, with overprovisioning', (h, ctx) => hostCapacity(h, ctx).cpuOfferedMhz.toFixed(1)),
  field('cpuallocated', 'string', 'the share of the CPU allocated to VMs', (h, ctx) => {
    const c = hostCapacity(h, ctx);
    return percent(c.cpuAllocatedMhz, c.cpuOfferedMhz);
  }),
  field('cpuallocatedvalue', 'long', 'the CPU allocated to VMs in MHz', (h, ctx) => hostCapacity(h, ctx).cpuAllocatedMhz),
  field('cpuallocatedpercentage', 'string', 'the share of the CPU allocated to VMs', (h, ctx) => {
    const c = hostCapacity(h, ctx);
    return percent(c.cpuAllocatedMhz, c.cpuOfferedMhz);
  }),
  field('memorytotal', 'long', 'the memory of the host in bytes', (h) => h.memoryMiB * MIB_BYTES),
  field('memorywithoverprovisioning', 'string', 'the memory the host offers in bytes, with overprovisioning', (h, ctx) => String(hostCapacity(h, ctx).memoryOfferedMiB * MIB_BYTES)),
  field('memoryallocated', 'long', 'the memory allocated to VMs in bytes', (h, ctx) => hostCapacity(h, ctx).memoryAllocatedMiB * MIB_BYTES),
  field('memoryallocatedbytes', 'long', 'the memory allocated to VMs in bytes', (h, ctx) => hostCapacity(h, ctx).memoryAllocatedMiB * MIB_BYTES),
  field('memoryallocatedpercentage', 'string', 'the share of the memory allocated to VMs', (h, ctx) => {
    const c = hostCapacity(h, ctx);
    return percent(c.memoryAllocatedMiB, c.memoryOfferedMiB);
  }),
  field('memoryused', 'long', 'the memory used by running VMs in bytes', (h, ctx) => hostCapacity(h, ctx).memoryUsedMiB * MIB_BYTES),
  field('hosttags', 'string', 'the tags of the host, comma-separated', (h) => (h.tags.length > 0 ? h.tags.join(',') : undefined)),
  field('islocalstorageactive', 'boolean', 'whether local storage is active on the host', (h, ctx) => (ctx.state.zones.get(h.zoneId)?.localStorageEnabled ?? false) && h.localStorageGiB > 0),
  field('hahost', 'boolean', 'whether the host is reserved for HA VMs', () => false),
  field('version', 'string', 'the version of the host agent', () => CLOUDSTACK_VERSION),
  field('created', 'date', 'the date the host was added', (h, ctx) => createdOf(h.id, ctx)),
  field('events', 'string', 'the events the host status machine accepts', () => 'AgentConnected; PingTimeout; ShutdownRequested; AgentDisconnected; HostDown; Ping; ManagementServerDown; StartAgentRebalance; Remove'),
  field('hasannotations', 'boolean', 'whether the host has annotations', () => false),
]);

/**
 * findHostsForMigration's host: every field of the host, whether live migration would take the
 * VM there now, and whether that needs storage motion (never: live migration stays in the
 * cluster, on the storage the VM's volumes are on).
 */
export const hostForMigrationView = defineView<MigrationCandidate>([
  ...hostView.specs.map((spec): FieldSpec<MigrationCandidate> => ({ ...spec, get: (candidate, ctx) => spec.get(candidate.host, ctx) })),
  field('suitableformigration', 'boolean', 'true if the virtual machine can be migrated to this host now (state, host tags, capacity, affinity), false otherwise', (c) => c.suitable),
  field('requiresStorageMotion', 'boolean', 'true if migrating the virtual machine to this host requires storage motion, false otherwise', () => false),
]);

// networkView lives in network.ts with the other guest networking views.

/** The netmask of an address's network, when the network has a CIDR. */
export function netmaskOf(network: Network | undefined): string | undefined {
  return network?.cidr ? prefixToNetmask(network.cidr.prefix) : undefined;
}

/** The result objects of the infrastructure jobs, by object name (see results.ts). */
export const INFRASTRUCTURE_JOB_RESULTS: Record<string, (id: string, ctx: ViewContext) => JsonObject | undefined> = {
  host: (id, ctx) => {
    const host = ctx.state.hosts.get(id);
    return host ? { host: hostView.render(host, ctx) } : undefined;
  },
  storagepool: (id, ctx) => {
    const pool = ctx.state.storagePools.get(id);
    return pool ? { storagepool: storagePoolView.render(pool, ctx) } : undefined;
  },
  physicalnetwork: (id, ctx) => {
    const network = ctx.state.physicalNetworks.get(id);
    return network ? { physicalnetwork: physicalNetworkView.render(network, ctx) } : undefined;
  },
  traffictype: (id, ctx) => {
    for (const network of ctx.state.physicalNetworks.values()) {
      const traffic = trafficTypesOf(ctx, network).find((t) => t.id === id);
      if (traffic) return { traffictype: trafficTypeView.render(traffic, ctx) };
    }
    return undefined;
  },
  networkserviceprovider: (id, ctx) => {
    for (const services of ctx.state.physicalNetworkServices.values()) {
      const record = providersOf(ctx, services.id).find((p) => p.provider.id === id);
      if (record) return { networkserviceprovider: networkServiceProviderView.render(record, ctx) };
    }
    return undefined;
  },
  virtualrouterelement: (id, ctx) => {
    for (const services of ctx.state.physicalNetworkServices.values()) {
      const record = providersOf(ctx, services.id).find((p) => p.provider.element?.id === id);
      if (record) return { virtualrouterelement: virtualRouterElementView.render(record, ctx) };
    }
    return undefined;
  },
};

import type { Id, PhysicalNetwork, PhysicalNetworkTraffic, VlanIpRange } from '../../core/model/entities.js';
import type { NetworkServiceProvider } from '../../core/model/infrastructure.js';
import { formatCidr, formatIpv4, prefixToNetmask } from '../../core/net/ipv4.js';
import { formatVnetRanges } from '../../core/net/vnet.js';
import { createdOf, defineView, field, type ViewContext } from './view.js';

/**
 * Physical networks, their traffic types, network service providers and virtual router
 * elements, and public / guest IP ranges, as listPhysicalNetworks, listTrafficTypes,
 * listNetworkServiceProviders, listVirtualRouterElements and listVlanIpRanges report them.
 * JSON types follow cloudstack-go's generated structs (a physical network's vlan and tags are
 * comma-separated strings).
 */

const zoneName = (ctx: ViewContext, id: Id | undefined): string | undefined => (id === undefined ? undefined : ctx.state.zones.get(id)?.name);

export const physicalNetworkView = defineView<PhysicalNetwork>([
  field('id', 'string', 'the ID of the physical network', (n) => n.id),
  field('name', 'string', 'the name of the physical network', (n) => n.name),
  field('zoneid', 'string', 'the zone of the physical network', (n) => n.zoneId),
  field('zonename', 'string', 'the name of that zone', (n, ctx) => zoneName(ctx, n.zoneId)),
  field('state', 'string', 'the state of the physical network: Enabled or Disabled', (n) => n.state),
  field('isolationmethods', 'string', 'the isolation method of the physical network', (n) => n.isolationMethod),
  field('vlan', 'string', 'the guest VNET ranges, comma-separated', (n) => (n.vnetRanges.length === 0 ? undefined : formatVnetRanges(n.vnetRanges))),
  field('tags', 'string', 'the tags of the physical network, comma-separated', (n) => (n.tags.length === 0 ? undefined : n.tags.join(','))),
  field('broadcastdomainrange', 'string', 'the broadcast domain range: ZONE', () => 'ZONE'),
]);

export interface TrafficTypeRecord {
  id: Id;
  physicalNetworkId: Id;
  traffic: PhysicalNetworkTraffic;
}

/** The traffic types a physical network carries, with the ids the core gave them. */
export function trafficTypesOf(ctx: Pick<ViewContext, 'state'>, network: PhysicalNetwork): TrafficTypeRecord[] {
  const ids = ctx.state.physicalNetworkServices.get(network.id)?.trafficTypeIds;
  return ids === undefined ? [] : network.traffic.map((traffic) => ({ id: ids[traffic.type], physicalNetworkId: network.id, traffic }));
}

export const trafficTypeView = defineView<TrafficTypeRecord>([
  field('id', 'string', 'the ID of the traffic type', (t) => t.id),
  field('traffictype', 'string', 'the traffic type: Guest, Public, Management, Storage or Control', (t) => t.traffic.type),
  field('physicalnetworkid', 'string', 'the physical network carrying it', (t) => t.physicalNetworkId),
  field('kvmnetworklabel', 'string', 'the network label of the KVM bridge', (t) => t.traffic.labels.kvm),
  field('xennetworklabel', 'string', 'the network label of the XenServer network', (t) => t.traffic.labels.xen),
  field('vmwarenetworklabel', 'string', 'the network label of the vSphere port group', (t) => t.traffic.labels.vmware),
  field('hypervnetworklabel', 'string', 'the network label of the Hyper-V switch', (t) => t.traffic.labels.hyperv),
]);

export interface ProviderRecord {
  physicalNetworkId: Id;
  provider: NetworkServiceProvider;
}

export function providersOf(ctx: Pick<ViewContext, 'state'>, physicalNetworkId: Id): ProviderRecord[] {
  return (ctx.state.physicalNetworkServices.get(physicalNetworkId)?.providers ?? []).map((provider) => ({ physicalNetworkId, provider }));
}

export const networkServiceProviderView = defineView<ProviderRecord>([
  field('id', 'string', 'the ID of the provider', (p) => p.provider.id),
  field('name', 'string', 'the name of the provider', (p) => p.provider.name),
  field('physicalnetworkid', 'string', 'the physical network of the provider', (p) => p.physicalNetworkId),
  field('state', 'string', 'the state of the provider: Enabled or Disabled', (p) => p.provider.state),
  field('servicelist', 'list', 'the services the provider offers', (p) => [...p.provider.services]),
  field('canenableindividualservice', 'boolean', 'whether services can be enabled one by one', () => false),
]);

export const virtualRouterElementView = defineView<ProviderRecord>([
  field('id', 'string', 'the ID of the virtual router element', (p) => p.provider.element?.id),
  field('nspid', 'string', 'the network service provider of the element', (p) => p.provider.id),
  field('enabled', 'boolean', 'whether the element is enabled', (p) => p.provider.element?.enabled ?? false),
]);

function vlanText(range: VlanIpRange): string {
  return range.vlan === 'untagged' ? 'vlan://untagged' : `vlan://${range.vlan}`;
}

export const vlanIpRangeView = defineView<VlanIpRange>([
  field('id', 'string', 'the ID of the IP range', (r) => r.id),
  field('zoneid', 'string', 'the zone of the range', (r) => r.zoneId),
  field('vlan', 'string', 'the VLAN of the range', vlanText),
  field('forvirtualnetwork', 'boolean', 'true for a public range, false for a guest range', (r) => r.purpose === 'Public'),
  field('forsystemvms', 'boolean', 'whether the range is for system VMs only', (r) => r.forSystemVms),
  field('podid', 'string', 'the pod of a basic zone guest range', (r) => r.podId),
  field('podname', 'string', 'the name of that pod', (r, ctx) => (r.podId === undefined ? undefined : ctx.state.pods.get(r.podId)?.name)),
  field('networkid', 'string', 'the network of a shared network range', (r) => r.networkId),
  field('physicalnetworkid', 'string', 'the physical network of the range', (r) => r.physicalNetworkId),
  field('gateway', 'string', 'the gateway of the range', (r) => formatIpv4(r.gateway)),
  field('netmask', 'string', 'the netmask of the range', (r) => prefixToNetmask(r.cidr.prefix)),
  field('cidr', 'string', 'the CIDR of the range', (r) => formatCidr(r.cidr)),
  field('startip', 'string', 'the first address of the range', (r) => formatIpv4(r.first)),
  field('endip', 'string', 'the last address of the range', (r) => formatIpv4(r.last)),
  field('description', 'string', 'the range in words', (r) => `${formatIpv4(r.first)}-${formatIpv4(r.last)}`),
  field('ip6gateway', 'string', 'the IPv6 gateway of the range', (r) => r.ip6Gateway),
  field('ip6cidr', 'string', 'the IPv6 CIDR of the range', (r) => r.ip6Cidr),
  field('account', 'string', 'the account the range is dedicated to', (r, ctx) => (r.dedication?.accountId === undefined ? undefined : ctx.state.accounts.get(r.dedication.accountId)?.name)),
  field('domainid', 'string', 'the domain the range is dedicated to', (r) => r.dedication?.domainId),
  field('domain', 'string', 'the name of that domain', (r, ctx) => (r.dedication === undefined ? undefined : ctx.state.domains.get(r.dedication.domainId)?.name)),
  field('created', 'date', 'the date the range was created', (r, ctx) => createdOf(r.id, ctx)),
]);

import type { Nic, NicRole, Vm } from '../../core/model/compute.js';
import type { Id } from '../../core/model/entities.js';
import { vlanIpRangesOf } from '../../core/model/state.js';
import { formatIpv4, LINK_LOCAL_CIDR, prefixToNetmask } from '../../core/net/ipv4.js';
import { CLOUDSTACK_VERSION } from '../http/respond.js';
import { macAddress, nicId } from './compute.js';
import { createdOf, defineView, field, type ViewContext } from './view.js';

/**
 * System VMs (secondary storage VMs and console proxies) and virtual routers as listSystemVms
 * and listRouters report them: where they run, and the address of each of their NICs (public,
 * management, link-local control, guest), which the core chose when it placed them.
 */

const SYSTEM_VM_TYPE: Partial<Record<Vm['kind'], string>> = { SecondaryStorageVm: 'secondarystoragevm', ConsoleProxy: 'consoleproxy' };

export function systemVmTypeOf(vm: Vm): string | undefined {
  return SYSTEM_VM_TYPE[vm.kind];
}

const nicOf = (vm: Vm, role: NicRole): Nic | undefined => vm.nics.find((n) => n.role === role);
const ipOf = (nic: Nic | undefined): string | undefined => (nic?.ip === undefined ? undefined : formatIpv4(nic.ip));

/** The pod a system VM or router is in: its host's, else the pod of its pod-scoped NICs. */
function podOf(vm: Vm, ctx: ViewContext): Id | undefined {
  const host = vm.hostId ?? vm.lastHostId;
  return (host === undefined ? undefined : ctx.state.hosts.get(host)?.podId) ?? vm.nics.find((n) => n.podId !== undefined)?.podId;
}

/** The public range a public address came from: its gateway and netmask. */
function publicRangeOf(vm: Vm, ctx: ViewContext) {
  const ip = nicOf(vm, 'public')?.ip;
  return ip === undefined ? undefined : vlanIpRangesOf(ctx.state, vm.zoneId).find((r) => r.purpose === 'Public' && ip >= r.first && ip <= r.last);
}

function placementFields<T extends Vm>() {
  return [
    field<T>('id', 'string', 'the ID of the VM', (vm) => vm.id),
    field<T>('name', 'string', 'the name of the VM', (vm) => vm.name),
    field<T>('state', 'string', 'the state of the VM', (vm) => vm.state),
    field<T>('zoneid', 'string', 'the zone of the VM', (vm) => vm.zoneId),
    field<T>('zonename', 'string', 'the name of that zone', (vm, ctx) => ctx.state.zones.get(vm.zoneId)?.name),
    field<T>('podid', 'string', 'the pod of the VM', (vm, ctx) => podOf(vm, ctx)),
    field<T>('podname', 'string', 'the name of that pod', (vm, ctx) => ctx.state.pods.get(podOf(vm, ctx) ?? '')?.name),
    field<T>('hostid', 'string', 'the host the VM runs on', (vm) => vm.hostId),
    field<T>('hostname', 'string', 'the name of that host', (vm, ctx) => (vm.hostId === undefined ? undefined : ctx.state.hosts.get(vm.hostId)?.name)),
    field<T>('hypervisor', 'string', 'the hypervisor of that host', (vm, ctx) => ctx.state.hosts.get(vm.hostId ?? vm.lastHostId ?? '')?.hypervisor),
    field<T>('dns1', 'string', 'the first DNS of the VM', (vm, ctx) => ctx.state.zones.get(vm.zoneId)?.dns[0]),
    field<T>('dns2', 'string', 'the second DNS of the VM', (vm, ctx) => ctx.state.zones.get(vm.zoneId)?.dns[1]),
    field<T>('publicip', 'string', 'the public address of the VM', (vm) => ipOf(nicOf(vm, 'public'))),
    field<T>('publicnetmask', 'string', 'the netmask of that address', (vm, ctx) => {
      const range = publicRangeOf(vm, ctx);
      return range ? prefixToNetmask(range.cidr.prefix) : undefined;
    }),
    field<T>('publicmacaddress', 'string', 'the MAC address of the public NIC', (vm) => {
      const at = vm.nics.findIndex((n) => n.role === 'public');
      return at < 0 ? undefined : macAddress(vm.id, at);
    }),
    field<T>('gateway', 'string', 'the gateway of the public address', (vm, ctx) => {
      const range = publicRangeOf(vm, ctx);
      return range ? formatIpv4(range.gateway) : undefined;
    }),
    field<T>('linklocalip', 'string', 'the link-local control address of the VM', (vm) => ipOf(nicOf(vm, 'control'))),
    field<T>('linklocalnetmask', 'string', 'the netmask of that address', (vm) => (nicOf(vm, 'control')?.ip === undefined ? undefined : prefixToNetmask(LINK_LOCAL_CIDR.prefix))),
    field<T>('linklocalmacaddress', 'string', 'the MAC address of the control NIC', (vm) => {
      const at = vm.nics.findIndex((n) => n.role === 'control');
      return at < 0 ? undefined : macAddress(vm.id, at);
    }),
    field<T>('serviceofferingid', 'string', 'the system offering of the VM', (vm) => vm.serviceOfferingId),
    field<T>('serviceofferingname', 'string', 'the name of that offering', (vm, ctx) => ctx.state.serviceOfferings.get(vm.serviceOfferingId)?.name),
    field<T>('templateid', 'string', 'the template of the VM', (vm) => vm.templateId),
    field<T>('created', 'date', 'the date the VM was created', (vm, ctx) => createdOf(vm.id, ctx)),
    field<T>('version', 'string', 'the version of the VM\'s software', () => CLOUDSTACK_VERSION),
    field<T>('hasannotations', 'boolean', 'whether the VM has annotations', () => false),
  ];
}

export const systemVmView = defineView<Vm>([
  ...placementFields<Vm>(),
  field('systemvmtype', 'string', 'the type of the system VM: secondarystoragevm or consoleproxy', systemVmTypeOf),
  field('privateip', 'string', 'the management address of the system VM', (vm) => ipOf(nicOf(vm, 'management'))),
  field('privatenetmask', 'string', 'the netmask of that address', (vm, ctx) => {
    const nic = nicOf(vm, 'management');
    const pod = nic?.podId === undefined ? undefined : ctx.state.pods.get(nic.podId);
    return nic?.ip === undefined || !pod ? undefined : prefixToNetmask(pod.cidr.prefix);
  }),
  field('agentstate', 'string', 'the state of the agent in the system VM', (vm) => (vm.state === 'Running' ? 'Up' : undefined)),
  field('activeviewersessions', 'integer', 'the console sessions of a console proxy', (vm) => (vm.kind === 'ConsoleProxy' ? 0 : undefined)),
]);

interface RouterNic {
  vm: Vm;
  nic: Nic;
  index: number;
}

const TRAFFIC_OF_ROLE: Record<NicRole, string> = { guest: 'Guest', public: 'Public', control: 'Control', management: 'Management', storage: 'Storage' };

const routerNicView = defineView<RouterNic>([
  field('id', 'string', 'the ID of the NIC', (n) => nicId(n.vm.id, n.index)),
  field('networkid', 'string', 'the network of the NIC', (n) => n.nic.networkId),
  field('networkname', 'string', 'the name of that network', (n, ctx) => (n.nic.networkId === undefined ? undefined : ctx.state.networks.get(n.nic.networkId)?.name)),
  field('ipaddress', 'string', 'the address of the NIC', (n) => ipOf(n.nic)),
  field('traffictype', 'string', 'the traffic the NIC carries', (n) => TRAFFIC_OF_ROLE[n.nic.role]),
  field('isdefault', 'boolean', 'whether it is the default NIC', (n) => n.nic.isDefault),
  field('macaddress', 'string', 'the MAC address of the NIC', (n) => macAddress(n.vm.id, n.index)),
  field('deviceid', 'string', 'the device number of the NIC', (n) => String(n.index)),
]);

const firstGuest = (vm: Vm): Nic | undefined => nicOf(vm, 'guest');
const guestNetworkOf = (vm: Vm, ctx: ViewContext) => {
  const id = firstGuest(vm)?.networkId;
  return id === undefined ? undefined : ctx.state.networks.get(id);
};
const vpcOf = (vm: Vm, ctx: ViewContext) => (vm.servesId === undefined ? undefined : ctx.state.vpcs.get(vm.servesId));

export const routerView = defineView<Vm>([
  ...placementFields<Vm>(),
  field('role', 'string', 'the role of the router', () => 'VIRTUAL_ROUTER'),
  field('guestipaddress', 'string', 'the address of the router on its guest network', (vm) => ipOf(firstGuest(vm))),
  field('guestnetworkid', 'string', 'the guest network the router serves', (vm) => firstGuest(vm)?.networkId),
  field('guestnetworkname', 'string', 'the name of that network', (vm, ctx) => guestNetworkOf(vm, ctx)?.name),
  field('guestnetmask', 'string', 'the netmask of that network', (vm, ctx) => {
    const cidr = guestNetworkOf(vm, ctx)?.cidr;
    return cidr ? prefixToNetmask(cidr.prefix) : undefined;
  }),
  field('networkdomain', 'string', 'the network domain of that network', (vm, ctx) => guestNetworkOf(vm, ctx)?.networkDomain ?? vpcOf(vm, ctx)?.networkDomain),
  field('vpcid', 'string', 'the VPC the router serves', (vm, ctx) => vpcOf(vm, ctx)?.id),
  field('vpcname', 'string', 'the name of that VPC', (vm, ctx) => vpcOf(vm, ctx)?.name),
  field('isredundantrouter', 'boolean', 'whether the router is one of a redundant pair', (vm, ctx) => guestNetworkOf(vm, ctx)?.redundantRouter ?? vpcOf(vm, ctx)?.redundantRouter ?? false),
  field('redundantstate', 'string', 'the redundant state of the router', () => 'UNKNOWN'),
  field('account', 'string', 'the account the router belongs to', (vm, ctx) => ctx.state.accounts.get(vm.accountId)?.name),
  field('domainid', 'string', 'the domain of that account', (vm, ctx) => ctx.state.accounts.get(vm.accountId)?.domainId),
  field('domain', 'string', 'the name of that domain', (vm, ctx) => ctx.state.domains.get(ctx.state.accounts.get(vm.accountId)?.domainId ?? '')?.name),
  field('requiresupgrade', 'boolean', 'whether the router needs an upgrade', () => false),
  field('healthchecksfailed', 'boolean', 'whether a health check of the router failed', () => false),
  {
    name: 'nic',
    type: 'list',
    description: 'the NICs of the router',
    fields: routerNicView.fields,
    get: (vm, ctx) => vm.nics.map((nic, index) => routerNicView.render({ vm, nic, index }, ctx)),
  },
]);

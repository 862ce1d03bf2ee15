import { createHash } from 'node:crypto';
import type { Nic, Vm } from '../../core/model/compute.js';
import { formatIpv4, prefixToNetmask } from '../../core/net/ipv4.js';
import type { JsonObject } from '../http/respond.js';
import { tagsField } from './tags.js';
import { idsIn, type RenderCache } from './render-cache.js';
import { createdOf, defineView, field, isAdmin, nested, type ViewContext } from './view.js';

/**
 * Virtual machines as listVirtualMachines and the VM jobs report them, with their NICs,
 * security groups and affinity groups. The core's NICs have no ids of their own; the API's NIC
 * id and MAC address are derived from the VM id and the NIC's position, so they never change.
 */

function digest(text: string): Buffer {
  return createHash('sha1').update(text).digest();
}

/** A stable UUID-shaped id for the `index`-th NIC of a VM. */
export function nicId(vmId: string, index: number): string {
  const hex = digest(`${vmId}/nic/${index}`).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A locally administered MAC address, stable for the NIC. */
export function macAddress(vmId: string, index: number): string {
  const bytes = digest(`${vmId}/mac/${index}`);
  return ['02', '00', ...[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

interface VmNic {
  vm: Vm;
  nic: Nic;
  index: number;
}

const nicView = defineView<VmNic>([
  field('id', 'string', 'the ID of the NIC', (n) => nicId(n.vm.id, n.index)),
  field('networkid', 'string', 'the network of the NIC', (n) => n.nic.networkId),
  field('networkname', 'string', 'the name of that network', (n, ctx) => (n.nic.networkId === undefined ? undefined : ctx.state.networks.get(n.nic.networkId)?.name)),
  field('ipaddress', 'string', 'the IPv4 address of the NIC', (n) => (n.nic.ip === undefined ? undefined : formatIpv4(n.nic.ip))),
  field('netmask', 'string', 'the netmask of the NIC', (n, ctx) => {
    const cidr = n.nic.networkId === undefined ? undefined : ctx.state.networks.get(n.nic.networkId)?.cidr;
    return cidr && n.nic.ip !== undefined ? prefixToNetmask(cidr.prefix) : undefined;
  }),
  field('gateway', 'string', 'the gateway of the NIC', (n, ctx) => {
    const gateway = n.nic.networkId === undefined ? undefined : ctx.state.networks.get(n.nic.networkId)?.gateway;
    return gateway === undefined || n.nic.ip === undefined ? undefined : formatIpv4(gateway);
  }),
  field('isdefault', 'boolean', 'whether it is the default NIC', (n) => n.nic.isDefault),
  field('traffictype', 'string', 'the traffic type of the NIC', () => 'Guest'),
  field('type', 'string', 'the guest type of the network', (n, ctx) => (n.nic.networkId === undefined ? undefined : ctx.state.networks.get(n.nic.networkId)?.guestType)),
  field('macaddress', 'string', 'the MAC address of the NIC', (n) => macAddress(n.vm.id, n.index)),
  field('broadcasturi', 'string', 'the broadcast URI of the NIC', (n, ctx) => {
    const vlan = n.nic.networkId === undefined ? undefined : ctx.state.networks.get(n.nic.networkId)?.vlan;
    return vlan === undefined ? undefined : `vlan://${vlan}`;
  }),
  field('isolationuri', 'string', 'the isolation URI of the NIC', (n, ctx) => {
    const vlan = n.nic.networkId === undefined ? undefined : ctx.state.networks.get(n.nic.networkId)?.vlan;
    return vlan === undefined ? undefined : `vlan://${vlan}`;
  }),
  field('deviceid', 'string', 'the device number of the NIC', (n) => String(n.index)),
  field('virtualmachineid', 'string', 'the VM the NIC belongs to', (n) => n.vm.id),
]);

interface GroupRef {
  id: string;
  name: string;
  accountId: string;
  type?: string;
}

const groupView = defineView<GroupRef>([
  field('id', 'string', 'the ID of the group', (g) => g.id),
  field('name', 'string', 'the name of the group', (g) => g.name),
  field('type', 'string', 'the type of the affinity group', (g) => g.type),
  field('account', 'string', 'the account of the group', (g, ctx) => ctx.state.accounts.get(g.accountId)?.name),
  field('domainid', 'string', 'the domain of the group', (g, ctx) => ctx.state.accounts.get(g.accountId)?.domainId),
  field('domain', 'string', 'the domain name of the group', (g, ctx) => ctx.state.domains.get(ctx.state.accounts.get(g.accountId)?.domainId ?? '')?.name),
]);

function hostOf(vm: Vm, ctx: ViewContext) {
  const hostId = vm.hostId ?? vm.lastHostId;
  return hostId === undefined ? undefined : ctx.state.hosts.get(hostId);
}

function ownerDomain(vm: Vm, ctx: ViewContext) {
  return ctx.state.domains.get(ctx.state.accounts.get(vm.accountId)?.domainId ?? '');
}

export const virtualMachineView = defineView<Vm>([
  field('id', 'string', 'the ID of the virtual machine', (vm) => vm.id),
  field('name', 'string', 'the name of the virtual machine', (vm) => vm.name),
  field('displayname', 'string', 'the display name of the virtual machine', (vm) => vm.displayName ?? vm.name),
  field('instancename', 'string', 'the instance name on the hypervisor', (vm) => `i-${vm.id.slice(0, 8)}-VM`),
  field('state', 'string', 'the state of the virtual machine', (vm) => vm.state),
  field('account', 'string', 'the account that owns the virtual machine', (vm, ctx) => ctx.state.accounts.get(vm.accountId)?.name),
  field('domainid', 'string', 'the domain of the owner', (vm, ctx) => ctx.state.accounts.get(vm.accountId)?.domainId),
  field('domain', 'string', 'the domain name of the owner', (vm, ctx) => ownerDomain(vm, ctx)?.name),
  field('domainpath', 'string', 'the domain path of the owner', (vm, ctx) => ownerDomain(vm, ctx)?.path),
  field('created', 'date', 'the date the virtual machine was created', (vm, ctx) => createdOf(vm.id, ctx)),
  field('zoneid', 'string', 'the zone of the virtual machine', (vm) => vm.zoneId),
  field('zonename', 'string', 'the zone name of the virtual machine', (vm, ctx) => ctx.state.zones.get(vm.zoneId)?.name),
  field('hostid', 'string', 'the host the virtual machine runs on (admins only)', (vm, ctx) => (isAdmin(ctx) ? vm.hostId : undefined)),
  field('hostname', 'string', 'the name of that host (admins only)', (vm, ctx) => (isAdmin(ctx) && vm.hostId !== undefined ? ctx.state.hosts.get(vm.hostId)?.name : undefined)),
  field('hypervisor', 'string', 'the hypervisor of the virtual machine', (vm, ctx) => hostOf(vm, ctx)?.hypervisor ?? (vm.templateId === undefined ? undefined : ctx.state.templates.get(vm.templateId)?.hypervisor)),
  field('templateid', 'string', 'the template of the virtual machine', (vm) => vm.templateId),
  field('templatename', 'string', 'the name of that template', (vm, ctx) => (vm.templateId === undefined ? undefined : ctx.state.templates.get(vm.templateId)?.name)),
  field('templatedisplaytext', 'string', 'the display text of that template', (vm, ctx) => {
    const template = vm.templateId === undefined ? undefined : ctx.state.templates.get(vm.templateId);
    return template ? template.displayText ?? template.name : undefined;
  }),
  field('ostypeid', 'string', 'the guest OS type of the virtual machine (its template\'s)', (vm, ctx) => (vm.templateId === undefined ? undefined : ctx.state.templates.get(vm.templateId)?.osTypeId)),
  field('serviceofferingid', 'string', 'the service offering of the virtual machine', (vm) => vm.serviceOfferingId),
  field('serviceofferingname', 'string', 'the name of that offering', (vm, ctx) => ctx.state.serviceOfferings.get(vm.serviceOfferingId)?.name),
  field('cpunumber', 'integer', 'the number of CPUs', (vm) => vm.cpuNumber),
  field('cpuspeed', 'integer', 'the clock rate of a CPU in MHz', (vm) => vm.cpuSpeedMhz),
  field('memory', 'integer', 'the memory in MiB', (vm) => vm.memoryMiB),
  field('haenable', 'boolean', 'whether HA restarts the virtual machine', (vm) => vm.haEnabled),
  field('keypairs', 'string', 'the SSH key pair the virtual machine was given', (vm) => vm.keyPairName),
  field('ipaddress', 'string', 'the address of the default NIC', (vm) => {
    const nic = vm.nics.find((n) => n.isDefault);
    return nic?.ip === undefined ? undefined : formatIpv4(nic.ip);
  }),
  nested<Vm, VmNic>('nic', 'the NICs of the virtual machine', nicView, (vm) => vm.nics.filter((n) => n.role === 'guest').map((nic, index) => ({ vm, nic, index }))),
  nested<Vm, GroupRef>('securitygroup', 'the security groups of the virtual machine', groupView, (vm, ctx) =>
    vm.securityGroupIds.flatMap((id) => {
      const group = ctx.state.securityGroups.get(id);
      return group ? [{ id, name: group.name, accountId: group.accountId }] : [];
    })),
  nested<Vm, GroupRef>('affinitygroup', 'the affinity groups of the virtual machine', groupView, (vm, ctx) =>
    vm.affinityGroupIds.flatMap((id) => {
      const group = ctx.state.affinityGroups.get(id);
      return group ? [{ id, name: group.name, accountId: group.accountId, type: group.type }] : [];
    })),
  field('rootdeviceid', 'long', 'the device number of the root disk', () => 0),
  field('rootdevicetype', 'string', 'the type of the root disk', () => 'ROOT'),
  field('vmtype', 'string', 'the type of the virtual machine', () => 'User'),
  field('passwordenabled', 'boolean', 'whether the password can be reset', () => false),
  field('isdynamicallyscalable', 'boolean', 'whether the virtual machine can be scaled while running', () => false),
  tagsField<Vm>('the tags of the virtual machine', (vm) => vm.id),
  field('hasannotations', 'boolean', 'whether the virtual machine has annotations', () => false),
]);

/**
 * A VM as JSON text, from the render cache: what it shows depends on the VM record, the records
 * it names, its owner's domain, its tags, and whether the caller is an admin.
 */
export function virtualMachineJson(vm: Vm, ctx: ViewContext, cache: RenderCache): string {
  const admin = isAdmin(ctx);
  return cache.json(
    `vm:${admin ? 'admin' : 'user'}:${vm.id}`,
    () => idsIn(vm, [ctx.state.accounts.get(vm.accountId)?.domainId, ...(ctx.state.index.tagsByResource.get(vm.id) ?? [])]),
    () => JSON.stringify(virtualMachineView.render(vm, ctx)),
  );
}

/** `{virtualmachine: {...}}`, the result object of the VM jobs. */
export function vmResult(vm: Vm, ctx: ViewContext): JsonObject {
  return { virtualmachine: virtualMachineView.render(vm, ctx) };
}

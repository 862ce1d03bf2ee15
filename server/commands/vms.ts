import type { VmState } from '../../core/model/compute.js';
import type { DomainEvent } from '../../core/model/events.js';
import { mayActOn } from '../../core/decide/access.js';
import { migrationCandidates } from '../../core/decide/vm.js';
import { apiErrorOfRejection, badValue } from '../errors.js';
import type { JsonObject } from '../http/respond.js';
import { ANY_ROLE, type Call, defineCommand, listResult, ROOT_ADMIN_ONLY } from '../registry/command.js';
import { accountScope, LIST_PARAMS, matchesKeyword, SCOPED_LIST_PARAMS } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { virtualMachineJson, virtualMachineView } from '../views/compute.js';
import { hostForMigrationView } from '../views/infrastructure.js';
import { SUCCESS_FIELDS } from '../views/results.js';
import { matchesTags, TAGS_FILTER } from '../views/tags.js';

/**
 * Virtual machines: the list, the async lifecycle commands and the sync updates. Each async
 * command decides its core command at once and returns the job; the job ends when the VM
 * reaches the command's end state (Running for a deploy or start, Stopped for a stop, Destroyed
 * for a destroy) or, for what the core does at once (reboot, scale, migrate, expunge), at once.
 */

const VM_STATES: readonly VmState[] = ['Starting', 'Running', 'Stopping', 'Stopped', 'Migrating', 'Destroyed', 'Expunging', 'Error'];

/** CloudStack's rule for VM names: a hostname label. */
const HOSTNAME = /^[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/** The account a resource is created for: the caller's, or (admins) the one named by account and domainid. */
export function ownerAccountId(call: Call, account: string | undefined, domainId: string | undefined): string {
  const me = call.me();
  if (account === undefined) {
    if (domainId !== undefined && domainId !== me.account.domainId) throw badValue('Unable to deploy in domain ' + domainId + ' without an account: give account with domainid');
    return me.account.id;
  }
  const inDomain = domainId ?? me.account.domainId;
  if (!call.state.domains.has(inDomain)) throw badValue(`Unable to find domain by id ${inDomain}`);
  const id = (call.state.index.accountsByDomain.get(inDomain) ?? []).find((a) => call.state.accounts.get(a)?.name === account);
  if (id === undefined) throw badValue(`Unable to find account ${account} in domain ${call.state.domains.get(inDomain)?.path ?? inDomain}`);
  return id;
}

function createdVmId(events: readonly DomainEvent[]): string | undefined {
  for (const event of events) if (event.type === 'vmCreated' && event.vm.kind === 'User') return event.vm.id;
  return undefined;
}

export const listVirtualMachines = defineCommand({
  name: 'listVirtualMachines',
  description: 'List the virtual machines owned by the account.',
  isAsync: false,
  since: '3.0.0',
  related: 'deployVirtualMachine,startVirtualMachine,stopVirtualMachine,destroyVirtualMachine',
  params: {
    ...SCOPED_LIST_PARAMS,
    id: param.uuid('the ID of the virtual machine', { related: 'listVirtualMachines' }),
    ids: param.list('the IDs of the virtual machines', { related: 'listVirtualMachines' }),
    name: param.string('the name of the virtual machine'),
    state: param.string('the state of the virtual machines'),
    zoneid: param.uuid('the zone of the virtual machines', { related: 'listZones' }),
    hostid: param.uuid('the host of the virtual machines (admins)', { related: 'listHosts' }),
    networkid: param.uuid('the network the virtual machines have a NIC on', { related: 'listNetworks' }),
    templateid: param.uuid('the template of the virtual machines', { related: 'listTemplates' }),
    serviceofferingid: param.uuid('the service offering of the virtual machines', { related: 'listServiceOfferings' }),
    affinitygroupid: param.uuid('the affinity group of the virtual machines', { related: 'listAffinityGroups' }),
    keypair: param.string('the SSH key pair the virtual machines were given'),
    details: param.list('the groups of details to return (all are returned)'),
    ...TAGS_FILTER,
  },
  responseObject: 'virtualmachine',
  response: virtualMachineView.fields,
  roles: ANY_ROLE,
  cacheable: true,
  handle(call, p) {
    const state = p.state === undefined ? undefined : VM_STATES.find((s) => s.toLowerCase() === p.state!.toLowerCase());
    if (p.state !== undefined && state === undefined && p.state.toLowerCase() !== 'present') throw badValue(`Invalid state ${p.state}; use one of ${VM_STATES.join(', ')}`);
    const inScope = accountScope(call, p, 'own');
    const admin = call.me().caller.role !== 'User';
    // The same query at the same state version filters once, whichever page is asked for.
    const { page: _page, pagesize: _pagesize, ...query } = p;
    const identity = call.me();
    const key = `listVirtualMachines ${identity.user.id} ${identity.caller.role} ${JSON.stringify(query)}`;
    const vms = call.services.memo.get(key, () => [...call.state.vms.values()].filter(
      (vm) =>
        vm.kind === 'User' &&
        vm.state !== 'Expunging' &&
        inScope(vm.accountId) &&
        (p.id === undefined || vm.id === p.id) &&
        (p.ids === undefined || p.ids.includes(vm.id)) &&
        (p.name === undefined || vm.name === p.name) &&
        // Destroyed VMs wait for their expunge in admins' lists; users never see them (allow.user.view.destroyed.vm).
        (state === undefined ? vm.state !== 'Destroyed' || (admin && p.state === undefined) : vm.state === state && (state !== 'Destroyed' || admin)) &&
        (p.zoneid === undefined || vm.zoneId === p.zoneid) &&
        (p.hostid === undefined || (call.me().caller.role === 'RootAdmin' && vm.hostId === p.hostid)) &&
        (p.networkid === undefined || vm.nics.some((n) => n.networkId === p.networkid)) &&
        (p.templateid === undefined || vm.templateId === p.templateid) &&
        (p.serviceofferingid === undefined || vm.serviceOfferingId === p.serviceofferingid) &&
        (p.affinitygroupid === undefined || vm.affinityGroupIds.includes(p.affinitygroupid)) &&
        (p.keypair === undefined || vm.keyPairName === p.keypair) &&
        matchesTags(call.state, vm.id, p.tags) &&
        matchesKeyword(p.keyword, vm.name, vm.displayName),
    ));
    const ctx = call.view();
    return listResult(vms, (vm) => virtualMachineView.render(vm, ctx), (vm) => virtualMachineJson(vm, ctx, call.services.renderCache));
  },
});

export const deployVirtualMachine = defineCommand({
  name: 'deployVirtualMachine',
  description: 'Creates and automatically starts a virtual machine based on a service offering, disk offering, and template.',
  isAsync: true,
  since: '3.0.0',
  related: 'listVirtualMachines',
  cmdClass: 'org.apache.cloudstack.api.command.user.vm.DeployVMCmd',
  params: {
    serviceofferingid: param.uuid('the ID of the service offering', { required: true, related: 'listServiceOfferings' }),
    templateid: param.uuid('the ID of the template', { required: true, related: 'listTemplates' }),
    zoneid: param.uuid('the zone to deploy in', { required: true, related: 'listZones' }),
    name: param.string('the host name of the virtual machine'),
    displayname: param.string('the display name of the virtual machine; the name when absent'),
    networkids: param.list('the networks of the virtual machine, the default first', { related: 'listNetworks' }),
    account: param.string('the account to deploy for (admins; with domainid)'),
    domainid: param.uuid('the domain of that account', { related: 'listDomains' }),
    hostid: param.uuid('the host to deploy on (admins)', { related: 'listHosts' }),
    startvm: param.boolean('false to create the virtual machine without starting it; default true'),
    ipaddress: param.string('the IPv4 address of the default NIC'),
    diskofferingid: param.uuid('the disk offering of a data disk', { related: 'listDiskOfferings' }),
    size: param.long('the size of that data disk in GiB, for a customized disk offering'),
    rootdisksize: param.long('the size of the root disk in GiB'),
    affinitygroupids: param.list('the affinity groups of the virtual machine', { related: 'listAffinityGroups' }),
    securitygroupids: param.list('the security groups of the virtual machine', { related: 'listSecurityGroups' }),
    keypair: param.string('the SSH key pair of the account whose public key the virtual machine gets', { related: 'listSSHKeyPairs' }),
    keypairs: param.list('SSH key pairs (the first is used, as keypair)', { related: 'listSSHKeyPairs' }),
    userdata: param.string('user data, Base64 (accepted, not used yet)', { length: 1048576 }),
    details: param.map('details of the virtual machine (accepted, not used yet)'),
  },
  responseObject: 'virtualmachine',
  response: virtualMachineView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    if (p.name !== undefined && !HOSTNAME.test(p.name)) {
      throw badValue('Invalid name. Vm name can contain ASCII letters \'a\' through \'z\', the digits \'0\' through \'9\', and the hyphen (\'-\'), must be between 1 and 63 characters long, and can\'t start or end with "-" and can\'t start with digit');
    }
    if (p.hostid !== undefined && call.me().caller.role !== 'RootAdmin') throw badValue('Only root admin can choose the host (hostid)');
    const accountId = ownerAccountId(call, p.account, p.domainid);
    const start = p.startvm ?? true;
    const keyPairName = p.keypair ?? p.keypairs?.[0];
    const { job, events } = call.startJob(
      {
        type: 'deployVirtualMachine',
        zoneId: p.zoneid,
        accountId,
        serviceOfferingId: p.serviceofferingid,
        templateId: p.templateid,
        startVm: start,
        ...(p.name === undefined ? {} : { name: p.name }),
        ...(p.networkids === undefined ? {} : { networkIds: p.networkids }),
        ...(p.hostid === undefined ? {} : { hostId: p.hostid }),
        ...(p.ipaddress === undefined ? {} : { ipAddress: p.ipaddress }),
        ...(p.diskofferingid === undefined ? {} : { diskOfferingId: p.diskofferingid }),
        ...(p.size === undefined ? {} : { dataDiskSizeGiB: p.size }),
        ...(p.rootdisksize === undefined ? {} : { rootDiskSizeGiB: p.rootdisksize }),
        ...(p.affinitygroupids === undefined ? {} : { affinityGroupIds: p.affinitygroupids }),
        ...(p.securitygroupids === undefined ? {} : { securityGroupIds: p.securitygroupids }),
        ...(p.displayname === undefined ? {} : { displayName: p.displayname }),
        ...(keyPairName === undefined ? {} : { keyPairName }),
      },
      {
        instanceType: 'VirtualMachine',
        instanceId: createdVmId,
        awaiting: (vmId) =>
          vmId === undefined
            ? undefined
            : start
              ? { kind: 'vm', vmId, success: ['Running'], failure: ['Stopped', 'Error', 'Destroyed'], goneIs: 'failure', errorCode: 533 }
              : { kind: 'vm', vmId, success: ['Stopped'], failure: ['Error', 'Destroyed'], goneIs: 'failure', errorCode: 530 },
      },
    );
    const vmId = createdVmId(events) ?? job.instanceId;
    return { kind: 'async', jobId: job.id, ...(vmId === undefined ? {} : { id: vmId }) };
  },
});

/** The VM of an id, for the commands that act on one; unknown ids are a parameter error. */
function vmView(call: Call, id: string): JsonObject {
  const vm = call.state.vms.get(id);
  if (!vm || vm.kind !== 'User') throw badValue(`Unable to find virtual machine with id ${id}`);
  return virtualMachineView.render(vm, call.view());
}

export const startVirtualMachine = defineCommand({
  name: 'startVirtualMachine',
  description: 'Starts a virtual machine.',
  isAsync: true,
  since: '3.0.0',
  related: 'listVirtualMachines',
  cmdClass: 'org.apache.cloudstack.api.command.user.vm.StartVMCmd',
  params: {
    id: param.uuid('the ID of the virtual machine', { required: true, related: 'listVirtualMachines' }),
    hostid: param.uuid('the host to start on (admins)', { related: 'listHosts' }),
  },
  responseObject: 'virtualmachine',
  response: virtualMachineView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    vmView(call, p.id);
    if (p.hostid !== undefined && call.me().caller.role !== 'RootAdmin') throw badValue('Only root admin can choose the host (hostid)');
    const { job } = call.startJob(
      { type: 'startVirtualMachine', id: p.id, ...(p.hostid === undefined ? {} : { hostId: p.hostid }) },
      { instanceType: 'VirtualMachine', instanceId: p.id, awaiting: () => ({ kind: 'vm', vmId: p.id, success: ['Running'], failure: ['Stopped', 'Error', 'Destroyed'], goneIs: 'failure', errorCode: 533 }) },
    );
    return { kind: 'async', jobId: job.id };
  },
});

export const stopVirtualMachine = defineCommand({
  name: 'stopVirtualMachine',
  description: 'Stops a virtual machine.',
  isAsync: true,
  since: '3.0.0',
  related: 'listVirtualMachines',
  cmdClass: 'org.apache.cloudstack.api.command.user.vm.StopVMCmd',
  params: {
    id: param.uuid('the ID of the virtual machine', { required: true, related: 'listVirtualMachines' }),
    forced: param.boolean('true to stop at once, without waiting for the guest; default false'),
  },
  responseObject: 'virtualmachine',
  response: virtualMachineView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    vmView(call, p.id);
    const { job } = call.startJob(
      { type: 'stopVirtualMachine', id: p.id, ...(p.forced === undefined ? {} : { forced: p.forced }) },
      { instanceType: 'VirtualMachine', instanceId: p.id, awaiting: () => ({ kind: 'vm', vmId: p.id, success: ['Stopped'], failure: ['Error', 'Destroyed'], goneIs: 'failure', errorCode: 530 }) },
    );
    return { kind: 'async', jobId: job.id };
  },
});

export const destroyVirtualMachine = defineCommand({
  name: 'destroyVirtualMachine',
  description: 'Destroys a virtual machine.',
  isAsync: true,
  since: '3.0.0',
  related: 'listVirtualMachines',
  cmdClass: 'org.apache.cloudstack.api.command.user.vm.DestroyVMCmd',
  params: {
    id: param.uuid('the ID of the virtual machine', { required: true, related: 'listVirtualMachines' }),
    expunge: param.boolean('true to expunge it at once rather than after expunge.delay; default false'),
  },
  responseObject: 'virtualmachine',
  response: virtualMachineView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    // An expunged VM is gone when the job ends: its result is the VM as it was, now expunging.
    const before = vmView(call, p.id);
    const { job } = call.startJob(
      { type: 'destroyVirtualMachine', id: p.id, ...(p.expunge === undefined ? {} : { expunge: p.expunge }) },
      {
        instanceType: 'VirtualMachine',
        instanceId: p.id,
        awaiting: () => ({ kind: 'vm', vmId: p.id, success: ['Destroyed'], failure: ['Error'], goneIs: 'success', errorCode: 530 }),
        fallbackResult: { virtualmachine: { ...before, state: 'Expunging' } },
      },
    );
    return { kind: 'async', jobId: job.id };
  },
});

/** The job of a VM command the core carries out at once: its result is the VM when it is decided. */
function immediateVmJob(call: Call, command: Parameters<Call['startJob']>[0], vmId: string) {
  const { job } = call.startJob(command, { instanceType: 'VirtualMachine', instanceId: vmId });
  return { kind: 'async' as const, jobId: job.id };
}

export const rebootVirtualMachine = defineCommand({
  name: 'rebootVirtualMachine',
  description: 'Reboots a virtual machine.',
  isAsync: true,
  since: '3.0.0',
  related: 'listVirtualMachines',
  cmdClass: 'org.apache.cloudstack.api.command.user.vm.RebootVMCmd',
  params: {
    id: param.uuid('the ID of the virtual machine', { required: true, related: 'listVirtualMachines' }),
    forced: param.boolean('true to reset the virtual machine rather than reboot it (the same here)'),
  },
  responseObject: 'virtualmachine',
  response: virtualMachineView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    vmView(call, p.id);
    return immediateVmJob(call, { type: 'rebootVirtualMachine', id: p.id }, p.id);
  },
});

export const expungeVirtualMachine = defineCommand({
  name: 'expungeVirtualMachine',
  description: 'Expunges a destroyed virtual machine: its root disk, addresses and rules go at once.',
  isAsync: true,
  since: '4.2.0',
  related: 'destroyVirtualMachine',
  cmdClass: 'org.apache.cloudstack.api.command.admin.vm.ExpungeVMCmd',
  params: {
    id: param.uuid('the ID of the virtual machine', { required: true, related: 'listVirtualMachines' }),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    vmView(call, p.id);
    const { job } = call.startJob({ type: 'expungeVirtualMachine', id: p.id }, { instanceType: 'VirtualMachine', instanceId: p.id });
    return { kind: 'async', jobId: job.id };
  },
});

export const scaleVirtualMachine = defineCommand({
  name: 'scaleVirtualMachine',
  description: 'Gives a virtual machine another service offering: while stopped, or running where the hypervisor scales in place.',
  isAsync: true,
  since: '4.2.0',
  related: 'listVirtualMachines',
  cmdClass: 'org.apache.cloudstack.api.command.user.vm.ScaleVMCmd',
  params: {
    id: param.uuid('the ID of the virtual machine', { required: true, related: 'listVirtualMachines' }),
    serviceofferingid: param.uuid('the new service offering', { required: true, related: 'listServiceOfferings' }),
    details: param.map('custom CPU and memory of a customized offering (accepted; offerings here are fixed)'),
  },
  responseObject: 'virtualmachine',
  response: virtualMachineView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    vmView(call, p.id);
    return immediateVmJob(call, { type: 'scaleVirtualMachine', id: p.id, serviceOfferingId: p.serviceofferingid }, p.id);
  },
});

export const changeServiceForVirtualMachine = defineCommand({
  name: 'changeServiceForVirtualMachine',
  description: '(Deprecated in CloudStack 4.18, use scaleVirtualMachine) Changes the service offering of a virtual machine, which must be stopped (or running where the hypervisor scales in place). Synchronous.',
  isAsync: false,
  related: 'scaleVirtualMachine,listVirtualMachines',
  cmdClass: 'org.apache.cloudstack.api.command.user.vm.UpgradeVMCmd',
  params: {
    id: param.uuid('the ID of the virtual machine', { required: true, related: 'listVirtualMachines' }),
    serviceofferingid: param.uuid('the service offering ID to apply to the virtual machine', { required: true, related: 'listServiceOfferings' }),
    details: param.map('custom CPU and memory of a customized offering (accepted; offerings here are fixed)'),
  },
  responseObject: 'virtualmachine',
  response: virtualMachineView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    vmView(call, p.id);
    const vm = call.state.vms.get(p.id)!;
    const offering = call.state.serviceOfferings.get(p.serviceofferingid);
    if (!offering || offering.systemVmType !== undefined) throw badValue(`Unable to find service offering: ${p.serviceofferingid}`);
    // Told only to whoever may act on the VM; anyone else hears the core's refusal.
    if (vm.serviceOfferingId === offering.id && mayActOn(call.state, call.me().caller, vm.accountId)) throw badValue(`Not upgrading vm ${vm.name} since it already has the requested service offering (${offering.name})`);
    call.run({ type: 'scaleVirtualMachine', id: p.id, serviceOfferingId: p.serviceofferingid });
    return { kind: 'object', object: vmView(call, p.id) };
  },
});

export const migrateVirtualMachine = defineCommand({
  name: 'migrateVirtualMachine',
  description: 'Moves a running virtual machine to another host of its cluster (hostid, or one chosen), or a stopped one\'s volumes to another storage pool (storageid).',
  isAsync: true,
  since: '3.0.0',
  related: 'listVirtualMachines',
  cmdClass: 'org.apache.cloudstack.api.command.admin.vm.MigrateVMCmd',
  params: {
    virtualmachineid: param.uuid('the ID of the virtual machine', { required: true, related: 'listVirtualMachines' }),
    hostid: param.uuid('the host to move a running virtual machine to; one is chosen when absent', { related: 'listHosts' }),
    storageid: param.uuid('the storage pool to move a stopped virtual machine\'s volumes to', { related: 'listStoragePools' }),
    autoselect: param.boolean('choose the host (the default when hostid is absent)'),
  },
  responseObject: 'virtualmachine',
  response: virtualMachineView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    vmView(call, p.virtualmachineid);
    return immediateVmJob(
      call,
      { type: 'migrateVirtualMachine', id: p.virtualmachineid, ...(p.hostid === undefined ? {} : { hostId: p.hostid }), ...(p.storageid === undefined ? {} : { storagePoolId: p.storageid }) },
      p.virtualmachineid,
    );
  },
});

export const findHostsForMigration = defineCommand({
  name: 'findHostsForMigration',
  description: 'Find hosts suitable for migrating a virtual machine: the other hosts of its cluster, each flagged with whether migrateVirtualMachine would move it there now.',
  isAsync: false,
  related: 'migrateVirtualMachine,listHosts',
  cmdClass: 'org.apache.cloudstack.api.command.admin.host.FindHostsForMigrationCmd',
  params: {
    ...LIST_PARAMS,
    virtualmachineid: param.uuid('find hosts to which this virtual machine can be migrated and flag the hosts with enough CPU/RAM to host it', { required: true, related: 'listVirtualMachines' }),
  },
  responseObject: 'host',
  response: hostForMigrationView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const found = migrationCandidates(call.state, p.virtualmachineid, call.runtime.queryContext(call.me().caller));
    if (!found.ok) throw apiErrorOfRejection(found.rejection);
    const ctx = call.view();
    return listResult(found.candidates.filter((c) => matchesKeyword(p.keyword, c.host.name)), (c) => hostForMigrationView.render(c, ctx));
  },
});

export const updateVirtualMachine = defineCommand({
  name: 'updateVirtualMachine',
  description: 'Updates the name (while stopped), display name or HA flag of a virtual machine.',
  isAsync: false,
  since: '3.0.0',
  related: 'listVirtualMachines',
  params: {
    id: param.uuid('the ID of the virtual machine', { required: true, related: 'listVirtualMachines' }),
    name: param.string('the new host name, while the virtual machine is stopped'),
    displayname: param.string('the new display name'),
    haenable: param.boolean('whether HA restarts the virtual machine (its offering must offer HA)'),
    group: param.string('the group of the virtual machine (accepted, not kept)'),
    ostypeid: param.uuid('the guest OS type (accepted; the template\'s is shown)', { related: 'listOsTypes' }),
    displayvm: param.boolean('whether users see the virtual machine (accepted, always shown)'),
    isdynamicallyscalable: param.boolean('whether it may be scaled while running (accepted)'),
    userdata: param.string('user data, Base64 (accepted, not used yet)', { length: 1048576 }),
    details: param.map('details of the virtual machine (accepted, not used yet)'),
  },
  responseObject: 'virtualmachine',
  response: virtualMachineView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    vmView(call, p.id);
    if (p.name !== undefined && !HOSTNAME.test(p.name)) throw badValue(`Invalid name ${p.name}: a virtual machine name is a host name label (letters, digits and hyphens, 1 to 63 characters, starting with a letter)`);
    call.run({
      type: 'updateVirtualMachine',
      id: p.id,
      ...(p.name === undefined ? {} : { name: p.name }),
      ...(p.displayname === undefined ? {} : { displayName: p.displayname }),
      ...(p.haenable === undefined ? {} : { haEnabled: p.haenable }),
    });
    return { kind: 'object', object: vmView(call, p.id) };
  },
});

export const recoverVirtualMachine = defineCommand({
  name: 'recoverVirtualMachine',
  description: 'Recovers a destroyed virtual machine that is not yet expunged: it is Stopped again.',
  isAsync: false,
  since: '3.0.0',
  related: 'listVirtualMachines',
  params: {
    id: param.uuid('the ID of the virtual machine', { required: true, related: 'listVirtualMachines' }),
  },
  responseObject: 'virtualmachine',
  response: virtualMachineView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    vmView(call, p.id);
    call.run({ type: 'recoverVirtualMachine', id: p.id });
    return { kind: 'object', object: vmView(call, p.id) };
  },
});

import { AFFINITY_TYPES } from '../../core/model/compute.js';
import type { DomainEvent } from '../../core/model/events.js';
import { badValue } from '../errors.js';
import { ANY_ROLE, type Call, defineCommand, listResult } from '../registry/command.js';
import { accountScope, LIST_PARAMS, matchesKeyword, SCOPED_LIST_PARAMS } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { virtualMachineView } from '../views/compute.js';
import { SUCCESS_FIELDS } from '../views/results.js';
import { affinityGroupTypeView, affinityGroupView } from '../views/tenant.js';
import { ownerAccountId } from './vms.js';

/**
 * Affinity groups of an account: placement rules among its VMs (host anti-affinity, host
 * affinity and their non-strict kinds). A VM's groups change only while it is stopped.
 */

/** ExplicitDedication groups come with dedicating resources, which root admins do. */
function typesFor(call: Call): readonly string[] {
  return call.me().caller.role === 'RootAdmin' ? AFFINITY_TYPES : AFFINITY_TYPES.filter((t) => t !== 'ExplicitDedication');
}

function createdGroupId(events: readonly DomainEvent[]): string | undefined {
  for (const event of events) if (event.type === 'affinityGroupCreated') return event.affinityGroup.id;
  return undefined;
}

/** A group by id, or by name in the account (the caller's, or the one named by account and domainid). */
function groupOf(call: Call, id: string | undefined, name: string | undefined, account: string | undefined, domainId: string | undefined) {
  if (id !== undefined) {
    const group = call.state.affinityGroups.get(id);
    if (!group) throw badValue(`Unable to find affinity group by id ${id}`);
    return group;
  }
  if (name === undefined) throw badValue('Either the affinity group id or name must be given');
  const accountId = ownerAccountId(call, account, domainId);
  const group = [...call.state.affinityGroups.values()].find((g) => g.accountId === accountId && g.name === name);
  if (!group) throw badValue(`Unable to find affinity group by name ${name}`);
  return group;
}

export const listAffinityGroups = defineCommand({
  name: 'listAffinityGroups',
  description: 'Lists affinity groups',
  isAsync: false,
  since: '4.2.0',
  related: 'createAffinityGroup',
  params: {
    ...SCOPED_LIST_PARAMS,
    id: param.uuid('the ID of the affinity group', { related: 'listAffinityGroups' }),
    name: param.string('the name of the affinity group'),
    type: param.string('the type of the affinity groups'),
    virtualmachineid: param.uuid('the VM whose groups to list', { related: 'listVirtualMachines' }),
  },
  responseObject: 'affinitygroup',
  response: affinityGroupView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const inScope = accountScope(call, p, 'own');
    const groups = [...call.state.affinityGroups.values()].filter(
      (g) =>
        inScope(g.accountId) &&
        (p.id === undefined || g.id === p.id) &&
        (p.name === undefined || g.name === p.name) &&
        (p.type === undefined || g.type === p.type) &&
        (p.virtualmachineid === undefined || g.vmIds.includes(p.virtualmachineid)) &&
        matchesKeyword(p.keyword, g.name),
    );
    const ctx = call.view();
    return listResult(groups, (g) => affinityGroupView.render(g, ctx));
  },
});

export const listAffinityGroupTypes = defineCommand({
  name: 'listAffinityGroupTypes',
  description: 'Lists affinity group types available',
  isAsync: false,
  since: '4.2.0',
  related: 'createAffinityGroup',
  params: { ...LIST_PARAMS },
  responseObject: 'affinitygrouptype',
  response: affinityGroupTypeView.fields,
  roles: ANY_ROLE,
  handle(call) {
    const ctx = call.view();
    return listResult([...typesFor(call)], (t) => affinityGroupTypeView.render(t, ctx));
  },
});

export const createAffinityGroup = defineCommand({
  name: 'createAffinityGroup',
  description: 'Creates an affinity/anti-affinity group',
  isAsync: true,
  since: '4.2.0',
  related: 'listAffinityGroups',
  cmdClass: 'org.apache.cloudstack.api.command.user.affinitygroup.CreateAffinityGroupCmd',
  params: {
    name: param.string('the name of the affinity group', { required: true }),
    type: param.string(`the type of the affinity group: ${AFFINITY_TYPES.filter((t) => t !== 'ExplicitDedication').join(', ')}`, { required: true }),
    description: param.string('the description of the affinity group'),
    account: param.string('the account of the group (admins; with domainid)'),
    domainid: param.uuid('the domain of that account', { related: 'listDomains' }),
  },
  responseObject: 'affinitygroup',
  response: affinityGroupView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const type = typesFor(call).find((t) => t.toLowerCase() === p.type.toLowerCase()) as (typeof AFFINITY_TYPES)[number] | undefined;
    if (type === undefined) throw badValue(`Unable to create affinity group, invalid affinity group type ${p.type}`);
    const accountId = ownerAccountId(call, p.account, p.domainid);
    const { job, events } = call.startJob(
      { type: 'createAffinityGroup', name: p.name, affinityType: type, accountId, ...(p.description === undefined ? {} : { description: p.description }) },
      { instanceType: 'AffinityGroup', instanceId: createdGroupId },
    );
    const id = createdGroupId(events);
    return { kind: 'async', jobId: job.id, ...(id === undefined ? {} : { id }) };
  },
});

export const deleteAffinityGroup = defineCommand({
  name: 'deleteAffinityGroup',
  description: 'Deletes affinity group',
  isAsync: true,
  since: '4.2.0',
  related: 'listAffinityGroups',
  cmdClass: 'org.apache.cloudstack.api.command.user.affinitygroup.DeleteAffinityGroupCmd',
  params: {
    id: param.uuid('the ID of the affinity group', { related: 'listAffinityGroups' }),
    name: param.string('the name of the affinity group (with account and domainid for another account\'s)'),
    account: param.string('the account of the group (admins; with domainid)'),
    domainid: param.uuid('the domain of that account', { related: 'listDomains' }),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    const group = groupOf(call, p.id, p.name, p.account, p.domainid);
    const { job } = call.startJob({ type: 'deleteAffinityGroup', id: group.id }, { instanceType: 'AffinityGroup', instanceId: group.id });
    return { kind: 'async', jobId: job.id };
  },
});

export const updateVMAffinityGroup = defineCommand({
  name: 'updateVMAffinityGroup',
  description: 'Updates the affinity/anti-affinity group associations of a virtual machine. The VM has to be stopped and restarted for the new properties to take effect.',
  isAsync: true,
  since: '4.2.0',
  related: 'listVirtualMachines,listAffinityGroups',
  cmdClass: 'org.apache.cloudstack.api.command.user.affinitygroup.UpdateVMAffinityGroupCmd',
  params: {
    id: param.uuid('the ID of the virtual machine', { required: true, related: 'listVirtualMachines' }),
    affinitygroupids: param.list('the affinity groups the VM is to be in (all of them; empty for none)', { related: 'listAffinityGroups' }),
    affinitygroupnames: param.list('the same by name, in the VM\'s account', { related: 'listAffinityGroups' }),
  },
  responseObject: 'virtualmachine',
  response: virtualMachineView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const vm = call.state.vms.get(p.id);
    if (!vm || vm.kind !== 'User') throw badValue(`Unable to find virtual machine with id ${p.id}`);
    if (p.affinitygroupids !== undefined && p.affinitygroupnames !== undefined) throw badValue('affinitygroupids parameter is mutually exclusive with affinitygroupnames parameter');
    const ids = p.affinitygroupids ?? (p.affinitygroupnames ?? []).map((name) => {
      const group = [...call.state.affinityGroups.values()].find((g) => g.accountId === vm.accountId && g.name === name);
      if (!group) throw badValue(`Unable to find affinity group by name ${name}`);
      return group.id;
    });
    const { job } = call.startJob({ type: 'updateVMAffinityGroup', id: vm.id, affinityGroupIds: ids }, { instanceType: 'VirtualMachine', instanceId: vm.id });
    return { kind: 'async', jobId: job.id };
  },
});

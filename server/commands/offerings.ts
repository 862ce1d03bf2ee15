import type { DomainEvent } from '../../core/model/events.js';
import { badValue } from '../errors.js';
import { ANY_ROLE, type Call, defineCommand, listResult, ROOT_ADMIN_ONLY } from '../registry/command.js';
import { LIST_PARAMS, matchesKeyword } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { diskOfferingView, serviceOfferingView } from '../views/offerings.js';
import { SUCCESS_FIELDS } from '../views/results.js';

/**
 * Compute and disk offerings: the lists every account reads, and the root admin's create,
 * update (name, display text) and delete. A deleted offering turns Inactive: it leaves the lists
 * and no new VM or volume takes it, while those that have it keep it, as in CloudStack.
 */

const matchesId = (wanted: string | undefined, id: string): boolean => wanted === undefined || wanted === id;

const tagList = (text: string | undefined): string[] | undefined => (text === undefined ? undefined : text.split(',').map((t) => t.trim()).filter((t) => t !== ''));

/** The id of the offering a create decided. */
function createdId(events: readonly DomainEvent[]): string {
  for (const event of events) {
    if (event.type === 'serviceOfferingCreated') return event.serviceOffering.id;
    if (event.type === 'diskOfferingCreated') return event.diskOffering.id;
  }
  throw new Error('an offering create decided no offering');
}

function serviceOffering(call: Call, id: string) {
  const offering = call.state.serviceOfferings.get(id);
  if (!offering || offering.state === 'Inactive') throw badValue(`Unable to find service offering with id ${id}`);
  return offering;
}

function diskOffering(call: Call, id: string) {
  const offering = call.state.diskOfferings.get(id);
  if (!offering || offering.state === 'Inactive') throw badValue(`Unable to find disk offering with id ${id}`);
  return offering;
}

export const listServiceOfferings = defineCommand({
  name: 'listServiceOfferings',
  description: 'Lists all available service offerings.',
  isAsync: false,
  since: '3.0.0',
  related: 'createServiceOffering',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the service offering', { related: 'listServiceOfferings' }),
    name: param.string('the name of the service offering'),
    issystem: param.boolean('true to list system VM offerings (admins only)'),
    systemvmtype: param.choice('the system VM type of the offerings', ['domainrouter', 'consoleproxy', 'secondarystoragevm'] as const),
    zoneid: param.uuid('the zone the offerings are for (every offering serves every zone here)', { related: 'listZones' }),
    virtualmachineid: param.uuid('list the offerings a virtual machine could be scaled to (all here, but its own)', { related: 'listVirtualMachines' }),
  },
  responseObject: 'serviceoffering',
  response: serviceOfferingView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    if (p.issystem && call.me().caller.role !== 'RootAdmin') throw badValue('Only root admin can list system offerings');
    const system = p.issystem ?? p.systemvmtype !== undefined;
    const current = p.virtualmachineid === undefined ? undefined : call.state.vms.get(p.virtualmachineid)?.serviceOfferingId;
    const offerings = [...call.state.serviceOfferings.values()].filter(
      (o) =>
        o.state !== 'Inactive' &&
        (o.systemVmType !== undefined) === system &&
        matchesId(p.id, o.id) &&
        o.id !== current &&
        (p.name === undefined || o.name === p.name) &&
        (p.systemvmtype === undefined || o.systemVmType === p.systemvmtype) &&
        matchesKeyword(p.keyword, o.name, o.displayText),
    );
    const ctx = call.view();
    return listResult(offerings, (o) => serviceOfferingView.render(o, ctx));
  },
});

export const createServiceOffering = defineCommand({
  name: 'createServiceOffering',
  description: 'Creates a service offering.',
  isAsync: false,
  since: '3.0.0',
  related: 'listServiceOfferings',
  params: {
    name: param.string('the name of the service offering', { required: true }),
    displaytext: param.string('the display text of the service offering', { required: true }),
    cpunumber: param.integer('the number of CPUs'),
    cpuspeed: param.integer('the clock rate of a CPU in MHz'),
    memory: param.integer('the memory in MiB'),
    rootdisksize: param.long('the root disk size in GiB; the template\'s size when absent'),
    storagetype: param.choice('the storage type of the root disk; default shared', ['shared', 'local'] as const),
    offerha: param.boolean('whether HA restarts VMs of the offering; default false'),
    hosttags: param.string('host tags VMs of the offering need, comma-separated'),
    tags: param.string('storage tags the root disk needs, comma-separated'),
    networkrate: param.integer('the network rate in Mb/s'),
    limitcpuuse: param.boolean('whether the CPU use is capped; default false'),
    deploymentplanner: param.string('the deployment planner (FirstFitPlanner, UserDispersingPlanner, UserConcentratedPodPlanner, ImplicitDedicationPlanner)'),
    issystem: param.boolean('true for a system VM offering'),
    systemvmtype: param.choice('the system VM type of a system offering', ['domainrouter', 'consoleproxy', 'secondarystoragevm'] as const),
    customized: param.boolean('whether CPU and memory are chosen at deployment (not supported: give cpunumber, cpuspeed and memory)'),
  },
  responseObject: 'serviceoffering',
  response: serviceOfferingView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    if (p.cpunumber === undefined || p.cpuspeed === undefined || p.memory === undefined || p.customized) {
      throw badValue('Give cpunumber, cpuspeed and memory: offerings whose CPU and memory are chosen at deployment are not supported');
    }
    if (p.issystem && p.systemvmtype === undefined) throw badValue('A system offering needs its systemvmtype');
    const hostTags = tagList(p.hosttags);
    const storageTags = tagList(p.tags);
    const events = call.run({
      type: 'createServiceOffering',
      name: p.name,
      displayText: p.displaytext,
      cpuNumber: p.cpunumber,
      cpuSpeedMhz: p.cpuspeed,
      memoryMiB: p.memory,
      ...(p.rootdisksize === undefined ? {} : { rootDiskGiB: p.rootdisksize }),
      ...(p.storagetype === undefined ? {} : { storageType: p.storagetype }),
      ...(p.offerha === undefined ? {} : { offerHa: p.offerha }),
      ...(hostTags === undefined ? {} : { hostTags }),
      ...(storageTags === undefined ? {} : { storageTags }),
      ...(p.networkrate === undefined ? {} : { networkRateMbps: p.networkrate }),
      ...(p.limitcpuuse === undefined ? {} : { limitCpuUse: p.limitcpuuse }),
      ...(p.deploymentplanner === undefined ? {} : { deploymentPlanner: p.deploymentplanner }),
      ...(p.systemvmtype === undefined ? {} : { systemVmType: p.systemvmtype }),
    });
    const offering = call.state.serviceOfferings.get(createdId(events))!;
    return { kind: 'object', object: serviceOfferingView.render(offering, call.view()) };
  },
});

export const updateServiceOffering = defineCommand({
  name: 'updateServiceOffering',
  description: 'Updates the name or display text of a service offering.',
  isAsync: false,
  since: '3.0.0',
  related: 'listServiceOfferings',
  params: {
    id: param.uuid('the ID of the service offering', { required: true, related: 'listServiceOfferings' }),
    name: param.string('the new name'),
    displaytext: param.string('the new display text'),
    sortkey: param.integer('the sort key (accepted, lists keep creation order)'),
  },
  responseObject: 'serviceoffering',
  response: serviceOfferingView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    serviceOffering(call, p.id);
    call.run({ type: 'updateServiceOffering', id: p.id, ...(p.name === undefined ? {} : { name: p.name }), ...(p.displaytext === undefined ? {} : { displayText: p.displaytext }) });
    return { kind: 'object', object: serviceOfferingView.render(serviceOffering(call, p.id), call.view()) };
  },
});

export const deleteServiceOffering = defineCommand({
  name: 'deleteServiceOffering',
  description: 'Deletes a service offering: it turns Inactive, and the VMs that have it keep it.',
  isAsync: false,
  since: '3.0.0',
  related: 'listServiceOfferings',
  params: {
    id: param.uuid('the ID of the service offering', { required: true, related: 'listServiceOfferings' }),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    serviceOffering(call, p.id);
    call.run({ type: 'deleteServiceOffering', id: p.id });
    return { kind: 'success' };
  },
});

export const listDiskOfferings = defineCommand({
  name: 'listDiskOfferings',
  description: 'Lists all available disk offerings.',
  isAsync: false,
  since: '3.0.0',
  related: 'createDiskOffering',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the disk offering', { related: 'listDiskOfferings' }),
    name: param.string('the name of the disk offering'),
    zoneid: param.uuid('the zone the offerings are for (every offering serves every zone here)', { related: 'listZones' }),
  },
  responseObject: 'diskoffering',
  response: diskOfferingView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const offerings = [...call.state.diskOfferings.values()].filter(
      (o) => o.state !== 'Inactive' && matchesId(p.id, o.id) && (p.name === undefined || o.name === p.name) && matchesKeyword(p.keyword, o.name, o.displayText),
    );
    const ctx = call.view();
    return listResult(offerings, (o) => diskOfferingView.render(o, ctx));
  },
});

export const createDiskOffering = defineCommand({
  name: 'createDiskOffering',
  description: 'Creates a disk offering.',
  isAsync: false,
  since: '3.0.0',
  related: 'listDiskOfferings',
  params: {
    name: param.string('the name of the disk offering', { required: true }),
    displaytext: param.string('the display text of the disk offering', { required: true }),
    disksize: param.long('the size of the disk in GiB; for a customized offering the size is given per volume'),
    customized: param.boolean('whether the size is chosen per volume; default false'),
    storagetype: param.choice('the storage type; default shared', ['shared', 'local'] as const),
    tags: param.string('storage tags the volumes need, comma-separated'),
  },
  responseObject: 'diskoffering',
  response: diskOfferingView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const storageTags = tagList(p.tags);
    const events = call.run({
      type: 'createDiskOffering',
      name: p.name,
      displayText: p.displaytext,
      ...(p.disksize === undefined ? {} : { sizeGiB: p.disksize }),
      ...(p.customized === undefined ? {} : { customized: p.customized }),
      ...(p.storagetype === undefined ? {} : { storageType: p.storagetype }),
      ...(storageTags === undefined ? {} : { storageTags }),
    });
    const offering = call.state.diskOfferings.get(createdId(events))!;
    return { kind: 'object', object: diskOfferingView.render(offering, call.view()) };
  },
});

export const updateDiskOffering = defineCommand({
  name: 'updateDiskOffering',
  description: 'Updates the name or display text of a disk offering.',
  isAsync: false,
  since: '3.0.0',
  related: 'listDiskOfferings',
  params: {
    id: param.uuid('the ID of the disk offering', { required: true, related: 'listDiskOfferings' }),
    name: param.string('the new name'),
    displaytext: param.string('the new display text'),
    sortkey: param.integer('the sort key (accepted, lists keep creation order)'),
  },
  responseObject: 'diskoffering',
  response: diskOfferingView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    diskOffering(call, p.id);
    call.run({ type: 'updateDiskOffering', id: p.id, ...(p.name === undefined ? {} : { name: p.name }), ...(p.displaytext === undefined ? {} : { displayText: p.displaytext }) });
    return { kind: 'object', object: diskOfferingView.render(diskOffering(call, p.id), call.view()) };
  },
});

export const deleteDiskOffering = defineCommand({
  name: 'deleteDiskOffering',
  description: 'Deletes a disk offering: it turns Inactive, and the volumes that have it keep it.',
  isAsync: false,
  since: '3.0.0',
  related: 'listDiskOfferings',
  params: {
    id: param.uuid('the ID of the disk offering', { required: true, related: 'listDiskOfferings' }),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    diskOffering(call, p.id);
    call.run({ type: 'deleteDiskOffering', id: p.id });
    return { kind: 'success' };
  },
});

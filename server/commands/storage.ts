import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '../../core/model/events.js';
import { badValue, missingParameter } from '../errors.js';
import { ANY_ROLE, type Call, defineCommand, listResult } from '../registry/command.js';
import { accountScope, matchesKeyword, SCOPED_LIST_PARAMS } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { SUCCESS_FIELDS } from '../views/results.js';
import { deviceIdOf, snapshotView, volumeView } from '../views/storage.js';
import { matchesTags, TAGS_FILTER } from '../views/tags.js';
import { ownerAccountId } from './vms.js';

/**
 * Volumes and snapshots. Creating, attaching, detaching and resizing volumes and taking,
 * deleting and reverting snapshots are async in CloudStack; the core carries each out when it
 * decides it, so their jobs end at once with the volume or snapshot as it then is.
 */

function volumeOf(call: Call, id: string) {
  const volume = call.state.volumes.get(id);
  if (!volume || volume.state === 'Destroy') throw badValue(`Unable to find volume with id ${id}`);
  return volume;
}

function snapshotOf(call: Call, id: string) {
  const snapshot = call.state.snapshots.get(id);
  if (!snapshot || snapshot.state !== 'BackedUp') throw badValue(`Unable to find snapshot with id ${id}`);
  return snapshot;
}

/** The job of a volume or snapshot command: the core does it when it decides it. */
function immediateJob(call: Call, command: Parameters<Call['startJob']>[0], instanceType: 'Volume' | 'Snapshot', id: string | ((events: readonly DomainEvent[]) => string | undefined)) {
  const { job, events } = call.startJob(command, { instanceType, instanceId: id });
  return { job, events };
}

export const listVolumes = defineCommand({
  name: 'listVolumes',
  description: 'Lists all volumes.',
  isAsync: false,
  since: '3.0.0',
  related: 'createVolume',
  params: {
    ...SCOPED_LIST_PARAMS,
    id: param.uuid('the ID of the volume', { related: 'listVolumes' }),
    ids: param.list('the IDs of the volumes', { related: 'listVolumes' }),
    name: param.string('the name of the volume'),
    virtualmachineid: param.uuid('the VM the volumes are attached to', { related: 'listVirtualMachines' }),
    type: param.choice('the volume type', ['ROOT', 'DATADISK'] as const),
    zoneid: param.uuid('the zone of the volumes', { related: 'listZones' }),
    diskofferingid: param.uuid('the disk offering of the volumes', { related: 'listDiskOfferings' }),
    state: param.choice('the state of the volumes', ['Allocated', 'Ready'] as const),
    ...TAGS_FILTER,
  },
  responseObject: 'volume',
  response: volumeView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const inScope = accountScope(call, p, 'own');
    const rootAdmin = call.me().caller.role === 'RootAdmin';
    const volumes = [...call.state.volumes.values()].filter((v) => {
      if (v.state === 'Destroy' || !inScope(v.accountId)) return false;
      // Routers' and system VMs' disks are the cloud's business, not their owners'.
      const vm = v.vmId === undefined ? undefined : call.state.vms.get(v.vmId);
      if (vm && vm.kind !== 'User' && !rootAdmin) return false;
      return (
        (p.id === undefined || v.id === p.id) &&
        (p.ids === undefined || p.ids.includes(v.id)) &&
        (p.name === undefined || v.name === p.name) &&
        (p.virtualmachineid === undefined || v.vmId === p.virtualmachineid) &&
        (p.type === undefined || v.type === p.type) &&
        (p.zoneid === undefined || v.zoneId === p.zoneid) &&
        (p.diskofferingid === undefined || v.diskOfferingId === p.diskofferingid) &&
        (p.state === undefined || v.state === p.state) &&
        matchesTags(call.state, v.id, p.tags) &&
        matchesKeyword(p.keyword, v.name)
      );
    });
    const ctx = call.view();
    return listResult(volumes, (v) => volumeView.render(v, ctx));
  },
});

export const createVolume = defineCommand({
  name: 'createVolume',
  description: 'Creates a data volume from a disk offering, or from a snapshot. It is placed on primary storage when first attached.',
  isAsync: true,
  since: '3.0.0',
  related: 'listVolumes,attachVolume',
  cmdClass: 'org.apache.cloudstack.api.command.user.volume.CreateVolumeCmd',
  params: {
    name: param.string('the name of the volume; a random one when absent'),
    zoneid: param.uuid('the zone of the volume (the snapshot\'s zone when absent)', { related: 'listZones' }),
    diskofferingid: param.uuid('the disk offering of the volume', { related: 'listDiskOfferings' }),
    snapshotid: param.uuid('the snapshot to create the volume from', { related: 'listSnapshots' }),
    size: param.long('the size in GiB, for a customized disk offering (or more than the snapshot\'s)'),
    account: param.string('the account to create the volume for (admins; with domainid)'),
    domainid: param.uuid('the domain of that account', { related: 'listDomains' }),
    displayvolume: param.boolean('whether users see the volume (accepted, always shown)'),
  },
  responseObject: 'volume',
  response: volumeView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    if (p.diskofferingid === undefined && p.snapshotid === undefined) throw badValue('Either disk Offering Id or snapshot Id must be passed whilst creating volume');
    const snapshot = p.snapshotid === undefined ? undefined : snapshotOf(call, p.snapshotid);
    const zoneId = p.zoneid ?? snapshot?.zoneId;
    if (zoneId === undefined) throw missingParameter('createVolume', 'zoneid');
    const accountId = ownerAccountId(call, p.account, p.domainid);
    const { job, events } = immediateJob(
      call,
      {
        type: 'createVolume',
        zoneId,
        accountId,
        name: p.name ?? randomUUID(),
        ...(p.diskofferingid === undefined ? {} : { diskOfferingId: p.diskofferingid }),
        ...(p.snapshotid === undefined ? {} : { snapshotId: p.snapshotid }),
        ...(p.size === undefined ? {} : { sizeGiB: p.size }),
      },
      'Volume',
      (evs) => evs.find((e) => e.type === 'volumeCreated')?.volume.id,
    );
    const id = events.find((e) => e.type === 'volumeCreated')?.volume.id;
    return { kind: 'async', jobId: job.id, ...(id === undefined ? {} : { id }) };
  },
});

export const attachVolume = defineCommand({
  name: 'attachVolume',
  description: 'Attaches a data volume to a virtual machine of its account and zone.',
  isAsync: true,
  since: '3.0.0',
  related: 'detachVolume,listVolumes',
  cmdClass: 'org.apache.cloudstack.api.command.user.volume.AttachVolumeCmd',
  params: {
    id: param.uuid('the ID of the volume', { required: true, related: 'listVolumes' }),
    virtualmachineid: param.uuid('the virtual machine', { required: true, related: 'listVirtualMachines' }),
    deviceid: param.long('the device number (accepted; the next free one is used)'),
  },
  responseObject: 'volume',
  response: volumeView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    volumeOf(call, p.id);
    const vm = call.state.vms.get(p.virtualmachineid);
    if (!vm || vm.kind !== 'User') throw badValue(`Unable to find virtual machine with id ${p.virtualmachineid}`);
    const { job } = immediateJob(call, { type: 'attachVolume', id: p.id, vmId: p.virtualmachineid }, 'Volume', p.id);
    return { kind: 'async', jobId: job.id };
  },
});

export const detachVolume = defineCommand({
  name: 'detachVolume',
  description: 'Detaches a data volume from its virtual machine: by id, or by the VM and the device number.',
  isAsync: true,
  since: '3.0.0',
  related: 'attachVolume,listVolumes',
  cmdClass: 'org.apache.cloudstack.api.command.user.volume.DetachVolumeCmd',
  params: {
    id: param.uuid('the ID of the volume', { related: 'listVolumes' }),
    virtualmachineid: param.uuid('the virtual machine (with deviceid)', { related: 'listVirtualMachines' }),
    deviceid: param.long('the device number of the volume on that virtual machine'),
  },
  responseObject: 'volume',
  response: volumeView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    let id = p.id;
    if (id === undefined) {
      if (p.virtualmachineid === undefined || p.deviceid === undefined) throw badValue('Please provide either a volume id, or a tuple(device id, instance id)');
      const vm = call.state.vms.get(p.virtualmachineid);
      if (!vm || vm.kind !== 'User') throw badValue(`Unable to find virtual machine with id ${p.virtualmachineid}`);
      id = vm.volumeIds.find((volumeId) => {
        const volume = call.state.volumes.get(volumeId);
        return volume !== undefined && deviceIdOf(volume, call.state) === p.deviceid;
      });
      if (id === undefined) throw badValue(`Unable to find volume with device id ${p.deviceid} on virtual machine ${vm.name}`);
    } else if (p.virtualmachineid !== undefined || p.deviceid !== undefined) {
      throw badValue('Please provide either a volume id, or a tuple(device id, instance id)');
    }
    volumeOf(call, id);
    const { job } = immediateJob(call, { type: 'detachVolume', id }, 'Volume', id);
    return { kind: 'async', jobId: job.id };
  },
});

export const resizeVolume = defineCommand({
  name: 'resizeVolume',
  description: 'Grows a volume to a new size in GiB.',
  isAsync: true,
  since: '4.0.0',
  related: 'listVolumes',
  cmdClass: 'org.apache.cloudstack.api.command.user.volume.ResizeVolumeCmd',
  params: {
    id: param.uuid('the ID of the volume', { required: true, related: 'listVolumes' }),
    size: param.long('the new size in GiB'),
    diskofferingid: param.uuid('a disk offering of fixed size to take the size from (the volume keeps its offering)', { related: 'listDiskOfferings' }),
    shrinkok: param.boolean('allow shrinking (volumes never shrink here)'),
  },
  responseObject: 'volume',
  response: volumeView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    volumeOf(call, p.id);
    let sizeGiB = p.size;
    if (p.diskofferingid !== undefined) {
      const offering = call.state.diskOfferings.get(p.diskofferingid);
      if (!offering || offering.state === 'Inactive') throw badValue(`Unable to find disk offering with id ${p.diskofferingid}`);
      sizeGiB ??= offering.sizeGiB;
    }
    if (sizeGiB === undefined) throw badValue('Give the new size (size, in GiB)');
    const { job } = immediateJob(call, { type: 'resizeVolume', id: p.id, sizeGiB }, 'Volume', p.id);
    return { kind: 'async', jobId: job.id };
  },
});

export const deleteVolume = defineCommand({
  name: 'deleteVolume',
  description: 'Deletes a data volume that is not attached.',
  isAsync: false,
  since: '3.0.0',
  related: 'listVolumes',
  params: {
    id: param.uuid('the ID of the volume', { required: true, related: 'listVolumes' }),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    volumeOf(call, p.id);
    call.run({ type: 'deleteVolume', id: p.id });
    return { kind: 'success' };
  },
});

export const listSnapshots = defineCommand({
  name: 'listSnapshots',
  description: 'Lists all available snapshots for the account.',
  isAsync: false,
  since: '3.0.0',
  related: 'createSnapshot',
  params: {
    ...SCOPED_LIST_PARAMS,
    id: param.uuid('the ID of the snapshot', { related: 'listSnapshots' }),
    ids: param.list('the IDs of the snapshots', { related: 'listSnapshots' }),
    name: param.string('the name of the snapshot'),
    volumeid: param.uuid('the volume the snapshots were taken of', { related: 'listVolumes' }),
    zoneid: param.uuid('the zone of the snapshots', { related: 'listZones' }),
    snapshottype: param.string('the type of the snapshots (MANUAL here)'),
    intervaltype: param.string('the interval of recurring snapshots (none here)'),
    ...TAGS_FILTER,
  },
  responseObject: 'snapshot',
  response: snapshotView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const inScope = accountScope(call, p, 'own');
    const snapshots = [...call.state.snapshots.values()].filter(
      (s) =>
        s.state === 'BackedUp' &&
        inScope(s.accountId) &&
        (p.id === undefined || s.id === p.id) &&
        (p.ids === undefined || p.ids.includes(s.id)) &&
        (p.name === undefined || s.name === p.name) &&
        (p.volumeid === undefined || s.volumeId === p.volumeid) &&
        (p.zoneid === undefined || s.zoneId === p.zoneid) &&
        (p.snapshottype === undefined || p.snapshottype.toUpperCase() === 'MANUAL') &&
        p.intervaltype === undefined &&
        matchesTags(call.state, s.id, p.tags) &&
        matchesKeyword(p.keyword, s.name),
    );
    const ctx = call.view();
    return listResult(snapshots, (s) => snapshotView.render(s, ctx));
  },
});

export const createSnapshot = defineCommand({
  name: 'createSnapshot',
  description: 'Takes a snapshot of a volume on primary storage and backs it up to secondary storage.',
  isAsync: true,
  since: '3.0.0',
  related: 'listSnapshots',
  cmdClass: 'org.apache.cloudstack.api.command.user.snapshot.CreateSnapshotCmd',
  params: {
    volumeid: param.uuid('the ID of the volume', { required: true, related: 'listVolumes' }),
    name: param.string('the name of the snapshot; volume name and -snapshot when absent'),
    quiescevm: param.boolean('quiesce the VM first (accepted)'),
    asyncbackup: param.boolean('back up to secondary storage in the background (accepted; the backup is part of the job)'),
    account: param.string('the account of the snapshot (accepted; it is the volume\'s)'),
    domainid: param.uuid('the domain of that account (accepted)', { related: 'listDomains' }),
  },
  responseObject: 'snapshot',
  response: snapshotView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    volumeOf(call, p.volumeid);
    const { job, events } = immediateJob(
      call,
      { type: 'createSnapshot', volumeId: p.volumeid, ...(p.name === undefined ? {} : { name: p.name }) },
      'Snapshot',
      (evs) => evs.find((e) => e.type === 'snapshotCreated')?.snapshot.id,
    );
    const id = events.find((e) => e.type === 'snapshotCreated')?.snapshot.id;
    return { kind: 'async', jobId: job.id, ...(id === undefined ? {} : { id }) };
  },
});

export const deleteSnapshot = defineCommand({
  name: 'deleteSnapshot',
  description: 'Deletes a snapshot and gives its secondary storage back.',
  isAsync: true,
  since: '3.0.0',
  related: 'listSnapshots',
  cmdClass: 'org.apache.cloudstack.api.command.user.snapshot.DeleteSnapshotCmd',
  params: {
    id: param.uuid('the ID of the snapshot', { required: true, related: 'listSnapshots' }),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    snapshotOf(call, p.id);
    const { job } = immediateJob(call, { type: 'deleteSnapshot', id: p.id }, 'Snapshot', p.id);
    return { kind: 'async', jobId: job.id };
  },
});

export const revertSnapshot = defineCommand({
  name: 'revertSnapshot',
  description: 'Reverts a volume to a snapshot of it; the volume must be detached or its VM stopped.',
  isAsync: true,
  since: '4.2.0',
  related: 'listSnapshots',
  cmdClass: 'org.apache.cloudstack.api.command.user.snapshot.RevertSnapshotCmd',
  params: {
    id: param.uuid('the ID of the snapshot', { required: true, related: 'listSnapshots' }),
  },
  responseObject: 'snapshot',
  response: snapshotView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    snapshotOf(call, p.id);
    const { job } = immediateJob(call, { type: 'revertSnapshot', id: p.id }, 'Snapshot', p.id);
    return { kind: 'async', jobId: job.id };
  },
});

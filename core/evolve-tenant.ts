import { assertNever } from './assert.js';
import { addPoolUse, addTemplateCopy, countState, evolveLifecycle } from './evolve-lifecycle.js';
import type { Id } from './model/entities.js';
import type { ResourceTag } from './model/tenant.js';
import type { TenantEvent } from './model/tenant-events.js';
import { type CloudState, pushIndex, usageOf } from './model/state.js';
import { copyRecord } from './record.js';

/**
 * Applies the tenant events of VMs, templates, volumes, key pairs, tags, affinity groups and
 * offerings (the network offering events are applied elsewhere). As everywhere, evolve only
 * applies what decide chose; derived structures change here in step with the records.
 */

/** The tenant events applied here. */
export type ComputeTenantEvent = Extract<
  TenantEvent,
  {
    type:
      | 'vmUpdated'
      | 'vmRecovered'
      | 'sshKeyPairRegistered'
      | 'sshKeyPairDeleted'
      | 'tagsCreated'
      | 'tagsDeleted'
      | 'volumeReverted'
      | 'volumeMigrated'
      | 'templateUpdated'
      | 'vmAffinityGroupsChanged'
      | 'offeringUpdated'
      | 'offeringDeleted';
  }
>;

export function evolveTenant(state: CloudState, event: ComputeTenantEvent): void {
  switch (event.type) {
    case 'vmUpdated': {
      const vm = state.vms.get(event.vmId)!;
      if (event.name !== undefined) vm.name = event.name;
      if (event.displayName !== undefined) vm.displayName = event.displayName;
      if (event.haEnabled !== undefined) vm.haEnabled = event.haEnabled;
      return;
    }
    case 'vmRecovered': {
      const vm = state.vms.get(event.vmId)!;
      countState(state, vm, vm.state, -1);
      countState(state, vm, 'Stopped', 1);
      vm.state = 'Stopped';
      vm.stateChangedMs = event.atMs;
      const usage = usageOf(state, vm.accountId);
      usage.user_vm++;
      usage.cpu += vm.cpuNumber;
      usage.memory += vm.memoryMiB;
      return;
    }
    case 'sshKeyPairRegistered':
      state.sshKeyPairs.set(event.sshKeyPair.id, copyRecord(event.sshKeyPair));
      return;
    case 'sshKeyPairDeleted':
      state.sshKeyPairs.delete(event.sshKeyPairId);
      return;
    case 'tagsCreated':
      for (const tag of event.tags) {
        const record = copyRecord(tag);
        state.tags.set(record.id, record);
        indexTag(state, record);
      }
      return;
    case 'tagsDeleted':
      for (const id of event.tagIds) dropTag(state, id);
      return;
    case 'volumeReverted':
      evolveLifecycle(state, { type: 'volumeResized', volumeId: event.volumeId, sizeGiB: event.sizeGiB });
      return;
    case 'volumeMigrated': {
      const volume = state.volumes.get(event.volumeId)!;
      addPoolUse(state, event.fromStoragePoolId, -volume.sizeGiB);
      addPoolUse(state, event.toStoragePoolId, volume.sizeGiB);
      volume.storagePoolId = event.toStoragePoolId;
      const vm = volume.vmId === undefined ? undefined : state.vms.get(volume.vmId);
      if (volume.type === 'ROOT') addTemplateCopy(state, event.toStoragePoolId, vm?.templateId);
      return;
    }
    case 'templateUpdated':
      Object.assign(state.templates.get(event.templateId)!, event.changes);
      return;
    case 'vmAffinityGroupsChanged': {
      const vm = state.vms.get(event.vmId)!;
      for (const id of vm.affinityGroupIds) {
        const group = state.affinityGroups.get(id);
        if (group && !event.affinityGroupIds.includes(id)) group.vmIds = group.vmIds.filter((vmId) => vmId !== vm.id);
      }
      for (const id of event.affinityGroupIds) {
        const group = state.affinityGroups.get(id);
        if (group && !group.vmIds.includes(vm.id)) group.vmIds = [...group.vmIds, vm.id];
      }
      vm.affinityGroupIds = [...event.affinityGroupIds];
      return;
    }
    case 'offeringUpdated': {
      const offering = event.offering === 'service' ? state.serviceOfferings.get(event.offeringId) : state.diskOfferings.get(event.offeringId);
      if (!offering) return;
      if (event.name !== undefined) offering.name = event.name;
      if (event.displayText !== undefined) offering.displayText = event.displayText;
      return;
    }
    case 'offeringDeleted': {
      const offering = event.offering === 'service' ? state.serviceOfferings.get(event.offeringId) : state.diskOfferings.get(event.offeringId);
      if (offering) offering.state = 'Inactive';
      return;
    }
    default:
      assertNever(event, 'tenant event');
  }
}

/** A tag in its resource's list (restore.ts calls this for every tag record, in creation order). */
export function indexTag(state: CloudState, tag: ResourceTag): void {
  pushIndex(state.index.tagsByResource, tag.resourceId, tag.id);
}

function dropTag(state: CloudState, tagId: Id): void {
  const tag = state.tags.get(tagId);
  if (!tag) return;
  state.tags.delete(tagId);
  const list = state.index.tagsByResource.get(tag.resourceId);
  if (!list) return;
  const rest = list.filter((id) => id !== tagId);
  if (rest.length === 0) state.index.tagsByResource.delete(tag.resourceId);
  else state.index.tagsByResource.set(tag.resourceId, rest);
}

/** A resource that is gone takes its tags with it. */
export function dropTagsOf(state: CloudState, resourceId: Id): void {
  const ids = state.index.tagsByResource.get(resourceId);
  if (!ids) return;
  for (const id of ids) state.tags.delete(id);
  state.index.tagsByResource.delete(resourceId);
}

import { osTypeById } from '../data/os-types.js';
import { IMAGE_STORE_FULL_SHARE } from '../data/storage.js';
import type { AffinityGroup, Snapshot, Template, Volume } from '../model/compute.js';
import type { Id } from '../model/entities.js';
import type {
  AttachVolume,
  CreateAffinityGroup,
  CreateSnapshot,
  CreateVolume,
  DeleteAffinityGroup,
  DeleteNetwork,
  DeleteSnapshot,
  DeleteTemplate,
  DeleteVpc,
  RegisterTemplate,
  ResizeVolume,
  TimerCommand,
  VolumeCommand,
} from '../model/lifecycle-commands.js';
import { type CloudState, imageStoresOf, settingNumber } from '../model/state.js';
import { placeVm } from '../placement/placement.js';
import { limitExceeded, mayActOn } from './access.js';
import { routersOf } from './implement.js';
import { revokeAll } from './services.js';
import { Scratch } from './scratch.js';
import { type DecideContext, type Decision, reject } from './support.js';

/**
 * Templates and ISOs, affinity groups, volumes and snapshots, and the end of networks and VPCs.
 */

type Events = Extract<Decision, { ok: true }>['events'];

const ok = (events: Events): Decision => ({ ok: true, events, findings: [] });

/** The image store of a zone with the most free space (CloudStack's default heuristic). */
function freestImageStore(state: CloudState, zoneId: Id): Id | undefined {
  let best: Id | undefined;
  let bestFree = -Infinity;
  for (const store of imageStoresOf(state, zoneId)) {
    if (store.role !== 'Image' || store.readOnly) continue;
    const free = store.capacityGiB - (state.index.imageStoreUsedGiB.get(store.id) ?? 0);
    if (free > bestFree) {
      bestFree = free;
      best = store.id;
    }
  }
  if (best !== undefined) return best;
  const zone = state.zones.get(zoneId);
  for (const store of state.imageStores.values()) {
    if (store.role === 'Image' && store.zoneId === undefined && store.regionId === zone?.regionId) return store.id;
  }
  return undefined;
}

/** Free secondary storage of the image store, counting a store as full at 90 % (CapacityChecker). */
function imageStoreFits(state: CloudState, storeId: Id, sizeGiB: number): boolean {
  const store = state.imageStores.get(storeId)!;
  return (state.index.imageStoreUsedGiB.get(storeId) ?? 0) + sizeGiB <= store.capacityGiB * IMAGE_STORE_FULL_SHARE;
}

export function decideRegisterTemplate(state: CloudState, cmd: RegisterTemplate, ctx: DecideContext): Decision {
  if (!state.accounts.has(cmd.accountId)) return reject('ENTITY_NOT_FOUND', `account ${cmd.accountId} does not exist`);
  if (!mayActOn(state, ctx.actor, cmd.accountId)) return reject('PERMISSION_DENIED', 'the caller may not register templates for this account');
  if (!(cmd.sizeGiB > 0)) return reject('INVALID_PARAMETER', `template size must be positive, got ${cmd.sizeGiB}`);
  if (cmd.osTypeId !== undefined && !osTypeById(cmd.osTypeId)) return reject('INVALID_PARAMETER', `Please specify a valid guest OS type: ${cmd.osTypeId} is none`);
  const zoneIds = cmd.zoneIds ?? [...state.zones.keys()];
  const stores: Id[] = [];
  for (const zoneId of zoneIds) {
    const zone = state.zones.get(zoneId);
    if (!zone) return reject('ENTITY_NOT_FOUND', `zone ${zoneId} does not exist`);
    const store = freestImageStore(state, zoneId);
    if (store === undefined) return reject('INSUFFICIENT_CAPACITY', `zone ${zone.name} has no secondary storage for template ${cmd.name}`);
    if (!imageStoreFits(state, store, cmd.sizeGiB)) return reject('INSUFFICIENT_CAPACITY', `secondary storage of zone ${zone.name} has no room for ${cmd.sizeGiB} GiB (stores count as full at 90 %)`);
    stores.push(store);
  }
  const limit = limitExceeded(state, cmd.accountId, { template: 1, secondary_storage: cmd.sizeGiB });
  if (limit) return reject('RESOURCE_LIMIT_EXCEEDED', limit);
  const scratch = new Scratch(state);
  const template: Template = {
    id: scratch.id(),
    name: cmd.name,
    accountId: cmd.accountId,
    format: cmd.format,
    sizeGiB: cmd.sizeGiB,
    zoneIds,
    imageStoreIds: stores,
    isPublic: cmd.isPublic ?? false,
    state: 'Ready',
    ...(cmd.hypervisor ? { hypervisor: cmd.hypervisor } : {}),
    ...(cmd.displayText === undefined ? {} : { displayText: cmd.displayText }),
    ...(cmd.osTypeId === undefined ? {} : { osTypeId: cmd.osTypeId }),
    ...(cmd.sourceVolumeId === undefined ? {} : { sourceVolumeId: cmd.sourceVolumeId }),
    ...(cmd.sourceSnapshotId === undefined ? {} : { sourceSnapshotId: cmd.sourceSnapshotId }),
    ...(cmd.isFeatured === undefined ? {} : { isFeatured: cmd.isFeatured }),
  };
  return ok([{ type: 'templateRegistered', idSeq: scratch.lastSeq, template }]);
}

export function decideDeleteTemplate(state: CloudState, cmd: DeleteTemplate, ctx: DecideContext): Decision {
  const template = state.templates.get(cmd.id);
  if (!template || template.state === 'Destroyed') return reject('ENTITY_NOT_FOUND', `template ${cmd.id} does not exist`);
  if (!mayActOn(state, ctx.actor, template.accountId)) return reject('PERMISSION_DENIED', `the caller may not delete template ${template.name}`);
  if (!cmd.forced) {
    const users: string[] = [];
    for (const vm of state.vms.values()) if (vm.templateId === template.id && vm.kind === 'User' && vm.state !== 'Expunging') users.push(vm.name);
    if (users.length > 0) return reject('INVALID_PARAMETER', `Unable to delete template with id: ${template.id} because VM instances: [${users.join(',')}] are using it.`);
  }
  return ok([{ type: 'templateDeleted', templateId: template.id }]);
}

export function decideCreateAffinityGroup(state: CloudState, cmd: CreateAffinityGroup, ctx: DecideContext): Decision {
  if (!state.accounts.has(cmd.accountId)) return reject('ENTITY_NOT_FOUND', `account ${cmd.accountId} does not exist`);
  if (!mayActOn(state, ctx.actor, cmd.accountId)) return reject('PERMISSION_DENIED', 'the caller may not create affinity groups for this account');
  for (const group of state.affinityGroups.values()) {
    if (group.accountId === cmd.accountId && group.name === cmd.name) return reject('INVALID_PARAMETER', `affinity group ${cmd.name} already exists`);
  }
  const scratch = new Scratch(state);
  const affinityGroup: AffinityGroup = { id: scratch.id(), name: cmd.name, type: cmd.affinityType, accountId: cmd.accountId, vmIds: [], ...(cmd.description === undefined ? {} : { description: cmd.description }) };
  return ok([{ type: 'affinityGroupCreated', idSeq: scratch.lastSeq, affinityGroup }]);
}

export function decideDeleteAffinityGroup(state: CloudState, cmd: DeleteAffinityGroup, ctx: DecideContext): Decision {
  const group = state.affinityGroups.get(cmd.id);
  if (!group) return reject('ENTITY_NOT_FOUND', `affinity group ${cmd.id} does not exist`);
  if (!mayActOn(state, ctx.actor, group.accountId)) return reject('PERMISSION_DENIED', `the caller may not delete affinity group ${group.name}`);
  if (group.vmIds.length > 0) return reject('RESOURCE_IN_USE', `affinity group ${group.name} still has ${group.vmIds.length} VM(s)`);
  return ok([{ type: 'affinityGroupDeleted', affinityGroupId: group.id }]);
}

export function decideCreateVolume(state: CloudState, cmd: CreateVolume, ctx: DecideContext): Decision {
  const zone = state.zones.get(cmd.zoneId);
  if (!zone) return reject('ENTITY_NOT_FOUND', `zone ${cmd.zoneId} does not exist`);
  if (!state.accounts.has(cmd.accountId)) return reject('ENTITY_NOT_FOUND', `account ${cmd.accountId} does not exist`);
  if (!mayActOn(state, ctx.actor, cmd.accountId)) return reject('PERMISSION_DENIED', 'the caller may not create volumes for this account');
  if (cmd.diskOfferingId === undefined && cmd.snapshotId === undefined) return reject('INVALID_PARAMETER', 'Either disk Offering Id or snapshot Id must be passed whilst creating volume');
  const snapshot = cmd.snapshotId === undefined ? undefined : state.snapshots.get(cmd.snapshotId);
  if (cmd.snapshotId !== undefined) {
    if (!snapshot || snapshot.state !== 'BackedUp') return reject('ENTITY_NOT_FOUND', `snapshot ${cmd.snapshotId} does not exist`);
    if (!mayActOn(state, ctx.actor, snapshot.accountId)) return reject('PERMISSION_DENIED', `the caller may not create volumes from snapshot ${snapshot.name}`);
    if (snapshot.zoneId !== zone.id) return reject('INVALID_PARAMETER', `snapshot ${snapshot.name} is in zone ${state.zones.get(snapshot.zoneId)?.name}, not in zone ${zone.name}`);
  }
  // From a snapshot, the offering is the one given or that of the snapshotted volume; the size is the snapshot's, or more.
  const offeringId = cmd.diskOfferingId ?? snapshot?.diskOfferingId;
  const offering = offeringId === undefined ? undefined : state.diskOfferings.get(offeringId);
  if (cmd.diskOfferingId !== undefined && (!offering || offering.state === 'Inactive')) return reject('ENTITY_NOT_FOUND', `disk offering ${cmd.diskOfferingId} does not exist`);
  let sizeGiB: number | undefined;
  if (snapshot) {
    sizeGiB = cmd.sizeGiB ?? snapshot.sizeGiB;
    if (sizeGiB < snapshot.sizeGiB) return reject('INVALID_PARAMETER', `a volume from snapshot ${snapshot.name} needs at least its ${snapshot.sizeGiB} GiB, got ${sizeGiB}`);
  } else {
    sizeGiB = offering!.sizeGiB ?? cmd.sizeGiB;
    if (sizeGiB === undefined || !(sizeGiB > 0)) return reject('INVALID_PARAMETER', `disk offering ${offering!.name} is customized: give a positive size`);
  }
  if (sizeGiB > settingNumber(state, 'storage.max.volume.size')) return reject('INVALID_PARAMETER', `volume size ${sizeGiB} GiB is above storage.max.volume.size`);
  const limit = limitExceeded(state, cmd.accountId, { volume: 1, primary_storage: sizeGiB });
  if (limit) return reject('RESOURCE_LIMIT_EXCEEDED', limit);
  const source = snapshot ? state.volumes.get(snapshot.volumeId) : undefined;
  const scratch = new Scratch(state);
  // A new data volume exists only in the database until it is first attached (state Allocated);
  // one from a snapshot gets the snapshot's content when it is placed.
  const volume: Volume = {
    id: scratch.id(),
    name: cmd.name,
    accountId: cmd.accountId,
    zoneId: zone.id,
    type: 'DATADISK',
    sizeGiB,
    storageType: offering?.storageType ?? source?.storageType ?? 'shared',
    storageTags: [...(offering?.storageTags ?? source?.storageTags ?? [])],
    state: 'Allocated',
    ...(offering ? { diskOfferingId: offering.id } : {}),
    ...(snapshot ? { snapshotId: snapshot.id } : {}),
  };
  return ok([{ type: 'volumeCreated', idSeq: scratch.lastSeq, volume }]);
}

function volumeOf(state: CloudState, ctx: DecideContext, id: Id): Volume | Decision {
  const volume = state.volumes.get(id);
  if (!volume) return reject('ENTITY_NOT_FOUND', `volume ${id} does not exist`);
  if (!mayActOn(state, ctx.actor, volume.accountId)) return reject('PERMISSION_DENIED', `the caller may not act on volume ${volume.name}`);
  return volume;
}

const isDecision = (x: unknown): x is Decision => typeof x === 'object' && x !== null && 'ok' in x;

export function decideAttachVolume(state: CloudState, cmd: AttachVolume, ctx: DecideContext): Decision {
  const volume = volumeOf(state, ctx, cmd.id);
  if (isDecision(volume)) return volume;
  const vm = state.vms.get(cmd.vmId);
  if (!vm || vm.state === 'Destroyed') return reject('ENTITY_NOT_FOUND', `virtual machine ${cmd.vmId} does not exist`);
  if (vm.accountId !== volume.accountId) return reject('PERMISSION_DENIED', `volume ${volume.name} and VM ${vm.name} belong to different accounts`);
  if (vm.zoneId !== volume.zoneId) {
    return reject('INVALID_PARAMETER', `volume ${volume.name} is in zone ${state.zones.get(volume.zoneId)?.name} and VM ${vm.name} in zone ${state.zones.get(vm.zoneId)?.name}; a volume attaches only to a VM of its zone`);
  }
  if (volume.vmId !== undefined) return reject('INVALID_STATE', `volume ${volume.name} is already attached`);
  if (volume.type !== 'DATADISK') return reject('INVALID_STATE', `volume ${volume.name} is a root volume`);
  const hostId = vm.hostId ?? vm.lastHostId;
  if (volume.state === 'Ready' && volume.storagePoolId !== undefined) return ok([{ type: 'volumeAttached', volumeId: volume.id, vmId: vm.id, storagePoolId: volume.storagePoolId }]);
  if (hostId === undefined) return reject('INVALID_STATE', `VM ${vm.name} has never run; start it before attaching volume ${volume.name}`);
  const account = state.accounts.get(vm.accountId)!;
  const placed = placeVm(state, {
    vmId: vm.id, kind: vm.kind, accountId: vm.accountId, domainId: account.domainId, ownerIsRootAdmin: true, zoneId: vm.zoneId,
    cpuNumber: 0, cpuSpeedMhz: 0, memoryMiB: 0, hostTags: [], affinityGroupIds: [], hostId, freshDeploy: false,
    volumes: [{ sizeGiB: volume.sizeGiB, storageType: volume.storageType, storageTags: volume.storageTags }],
  }, ctx.rng);
  if (!placed.ok) return reject('INSUFFICIENT_CAPACITY', `no storage pool reachable from the VM's host takes volume ${volume.name}: ${placed.message}`);
  return ok([{ type: 'volumeAttached', volumeId: volume.id, vmId: vm.id, storagePoolId: placed.poolIds[0]! }]);
}

export function decideVolumeCommand(state: CloudState, cmd: VolumeCommand, ctx: DecideContext): Decision {
  const volume = volumeOf(state, ctx, cmd.id);
  if (isDecision(volume)) return volume;
  if (cmd.type === 'detachVolume') {
    if (volume.vmId === undefined) return reject('INVALID_STATE', `volume ${volume.name} is not attached`);
    if (volume.type === 'ROOT') return reject('INVALID_STATE', `the root volume ${volume.name} cannot be detached`);
    return ok([{ type: 'volumeDetached', volumeId: volume.id }]);
  }
  // CloudStack refuses this as a parameter error (431) in these words; the detail says what to do.
  if (volume.vmId !== undefined) {
    const vmName = state.vms.get(volume.vmId)?.name ?? volume.vmId;
    const detail = volume.type === 'ROOT' ? `volume ${volume.name} is the root volume of ${vmName} and goes when the VM is expunged` : `volume ${volume.name} is attached to ${vmName}; detach it first`;
    return reject('INVALID_PARAMETER', `Please specify a volume that is not attached to any VM. (${detail})`);
  }
  return ok([{ type: 'volumeDeleted', volumeId: volume.id }]);
}

export function decideResizeVolume(state: CloudState, cmd: ResizeVolume, ctx: DecideContext): Decision {
  const volume = volumeOf(state, ctx, cmd.id);
  if (isDecision(volume)) return volume;
  if (!(cmd.sizeGiB > 0)) return reject('INVALID_PARAMETER', `size must be positive, got ${cmd.sizeGiB}`);
  if (cmd.sizeGiB < volume.sizeGiB) return reject('INVALID_PARAMETER', `volume ${volume.name} cannot shrink from ${volume.sizeGiB} to ${cmd.sizeGiB} GiB`);
  const limit = limitExceeded(state, volume.accountId, { primary_storage: cmd.sizeGiB - volume.sizeGiB });
  if (limit) return reject('RESOURCE_LIMIT_EXCEEDED', limit);
  if (volume.storagePoolId !== undefined) {
    const pool = state.storagePools.get(volume.storagePoolId)!;
    const allocated = state.index.poolAllocatedGiB.get(pool.id) ?? 0;
    const factor = pool.overprovisioningFactor ?? 1;
    if ((allocated + cmd.sizeGiB - volume.sizeGiB) / (pool.capacityGiB * Math.max(1, factor)) > 1) {
      return reject('INSUFFICIENT_CAPACITY', `pool ${pool.name} has no room to grow volume ${volume.name} to ${cmd.sizeGiB} GiB`);
    }
  }
  return ok([{ type: 'volumeResized', volumeId: volume.id, sizeGiB: cmd.sizeGiB }]);
}

export function decideCreateSnapshot(state: CloudState, cmd: CreateSnapshot, ctx: DecideContext): Decision {
  const volume = volumeOf(state, ctx, cmd.volumeId);
  if (isDecision(volume)) return volume;
  if (volume.state !== 'Ready') return reject('INVALID_STATE', `volume ${volume.name} is ${volume.state}; only a volume on primary storage can be snapshotted`);
  const limit = limitExceeded(state, volume.accountId, { snapshot: 1, secondary_storage: volume.sizeGiB });
  if (limit) return reject('RESOURCE_LIMIT_EXCEEDED', limit);
  const store = freestImageStore(state, volume.zoneId);
  if (store === undefined || !imageStoreFits(state, store, volume.sizeGiB)) return reject('INSUFFICIENT_CAPACITY', `secondary storage of the zone has no room for a ${volume.sizeGiB} GiB snapshot`);
  const scratch = new Scratch(state);
  // A full backup to secondary storage: the snapshot takes the size of the volume.
  const snapshot: Snapshot = {
    id: scratch.id(),
    name: cmd.name ?? `${volume.name}-snapshot`,
    accountId: volume.accountId,
    zoneId: volume.zoneId,
    volumeId: volume.id,
    sizeGiB: volume.sizeGiB,
    imageStoreId: store,
    state: 'BackedUp',
    volumeType: volume.type,
    ...(volume.diskOfferingId === undefined ? {} : { diskOfferingId: volume.diskOfferingId }),
  };
  return ok([{ type: 'snapshotCreated', idSeq: scratch.lastSeq, snapshot }]);
}

export function decideDeleteSnapshot(state: CloudState, cmd: DeleteSnapshot, ctx: DecideContext): Decision {
  const snapshot = state.snapshots.get(cmd.id);
  if (!snapshot || snapshot.state === 'Destroyed') return reject('ENTITY_NOT_FOUND', `snapshot ${cmd.id} does not exist`);
  if (!mayActOn(state, ctx.actor, snapshot.accountId)) return reject('PERMISSION_DENIED', `the caller may not delete snapshot ${snapshot.name}`);
  return ok([{ type: 'snapshotDeleted', snapshotId: snapshot.id }]);
}

/** Running user VMs on a network. */
function runningMembers(state: CloudState, networkId: Id): number {
  return state.index.vmsByNetwork.get(networkId)?.running ?? 0;
}

/** Shutdown: its routers destroyed and, for pool VLANs, the VLAN back to the pool. */
function shutdownEvents(state: CloudState, networkId: Id, nowMs: number): Events {
  const events: Events = [];
  for (const router of routersOf(state, networkId)) {
    events.push({ type: 'vmStateChanged', vmId: router.id, state: 'Destroyed', atMs: nowMs }, { type: 'vmExpunged', vmId: router.id });
  }
  events.push({ type: 'networkStateChanged', networkId, state: 'Allocated', releaseVlan: true, atMs: nowMs });
  return events;
}

/**
 * Network garbage collection: a non-persistent network with no running VM for network.gc.wait
 * is shut down (routers destroyed, VLAN back to the pool); the source NAT address stays.
 */
export function decideNetworkGc(state: CloudState, cmd: TimerCommand, ctx: DecideContext): Decision {
  const network = state.networks.get(cmd.id);
  if (!network || network.state !== 'Implemented' || network.persistent || network.guestType === 'Shared' || network.vpcId !== undefined) return ok([]);
  if (runningMembers(state, network.id) > 0) return ok([]);
  return ok(shutdownEvents(state, network.id, ctx.nowMs));
}

export function decideDeleteNetwork(state: CloudState, cmd: DeleteNetwork, ctx: DecideContext): Decision {
  const network = state.networks.get(cmd.id);
  if (!network || network.state === 'Destroy') return reject('ENTITY_NOT_FOUND', `network ${cmd.id} does not exist`);
  if (network.accountId !== undefined ? !mayActOn(state, ctx.actor, network.accountId) : ctx.actor.role !== 'RootAdmin') return reject('PERMISSION_DENIED', `the caller may not delete network ${network.name}`);
  const members = state.index.vmsByNetwork.get(network.id)?.members ?? 0;
  if (members > 0) return reject('RESOURCE_IN_USE', `network ${network.name} still has ${members} VM(s)`);
  const events: Events = [];
  // A VPC tier first unplugs the VPC router from it.
  if (network.vpcId !== undefined) {
    for (const router of routersOf(state, network.vpcId)) if (router.nics.some((nic) => nic.networkId === network.id)) events.push({ type: 'vmNicRemoved', vmId: router.id, networkId: network.id });
  }
  if (network.state === 'Implemented') events.push(...shutdownEvents(state, network.id, ctx.nowMs));
  // The network's addresses go back with their rules revoked first, and its egress rules go too.
  for (const ip of state.publicIps.values()) if (ip.networkId === network.id && ip.vpcId === undefined) events.push(...revokeAll(state, ip), { type: 'publicIpReleased', publicIpId: ip.id });
  for (const rule of state.firewallRules.values()) if (rule.networkId === network.id) events.push({ type: 'ruleDeleted', kind: 'firewall', ruleId: rule.id });
  events.push({ type: 'networkDeleted', networkId: network.id });
  return ok(events);
}

export function decideDeleteVpc(state: CloudState, cmd: DeleteVpc, ctx: DecideContext): Decision {
  const vpc = state.vpcs.get(cmd.id);
  if (!vpc) return reject('ENTITY_NOT_FOUND', `VPC ${cmd.id} does not exist`);
  if (vpc.accountId !== undefined ? !mayActOn(state, ctx.actor, vpc.accountId) : ctx.actor.role !== 'RootAdmin') return reject('PERMISSION_DENIED', `the caller may not delete VPC ${vpc.name}`);
  const tiers = (state.index.networksByVpc.get(vpc.id) ?? []).filter((id) => state.networks.get(id)?.state !== 'Destroy');
  if (tiers.length > 0) return reject('RESOURCE_IN_USE', `VPC ${vpc.name} still has ${tiers.length} tier(s)`);
  const events: Events = [];
  for (const router of routersOf(state, vpc.id)) events.push({ type: 'vmStateChanged', vmId: router.id, state: 'Destroyed', atMs: ctx.nowMs }, { type: 'vmExpunged', vmId: router.id });
  for (const ip of state.publicIps.values()) if (ip.vpcId === vpc.id) events.push(...revokeAll(state, ip), { type: 'publicIpReleased', publicIpId: ip.id });
  events.push({ type: 'vpcDeleted', vpcId: vpc.id });
  return ok(events);
}

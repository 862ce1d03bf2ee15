import type { Snapshot, Vm, Volume } from '../../core/model/compute.js';
import type { CloudState } from '../../core/model/state.js';
import { tagsField } from './tags.js';
import { createdOf, defineView, field, isAdmin, type ViewContext } from './view.js';

/** Volumes and snapshots as listVolumes, listSnapshots and their jobs report them. */

const GIB_BYTES = 1024 ** 3;

function vmOf(volume: Volume, state: Readonly<CloudState>): Vm | undefined {
  return volume.vmId === undefined ? undefined : state.vms.get(volume.vmId);
}

/**
 * The device number of an attached volume: 0 for the root disk; data disks count from 1 in the
 * order they came to the VM, skipping 3, which CloudStack keeps for the CD-ROM.
 */
export function deviceIdOf(volume: Volume, state: Readonly<CloudState>): number | undefined {
  const vm = vmOf(volume, state);
  if (!vm) return undefined;
  if (volume.type === 'ROOT') return 0;
  let device = 0;
  for (const id of vm.volumeIds) {
    if (state.volumes.get(id)?.type !== 'DATADISK') continue;
    device = device + 1 === 3 ? 4 : device + 1;
    if (id === volume.id) return device;
  }
  return undefined;
}

const ownerDomain = (accountId: string, ctx: ViewContext) => ctx.state.domains.get(ctx.state.accounts.get(accountId)?.domainId ?? '');

export const volumeView = defineView<Volume>([
  field('id', 'string', 'the ID of the volume', (v) => v.id),
  field('name', 'string', 'the name of the volume', (v) => v.name),
  field('type', 'string', 'the type of the volume: ROOT or DATADISK', (v) => v.type),
  field('state', 'string', 'the state of the volume: Allocated (not on primary storage yet), Ready or Destroy', (v) => v.state),
  field('size', 'long', 'the size of the volume in bytes', (v) => v.sizeGiB * GIB_BYTES),
  field('account', 'string', 'the account that owns the volume', (v, ctx) => ctx.state.accounts.get(v.accountId)?.name),
  field('domainid', 'string', 'the domain of the owner', (v, ctx) => ctx.state.accounts.get(v.accountId)?.domainId),
  field('domain', 'string', 'the domain name of the owner', (v, ctx) => ownerDomain(v.accountId, ctx)?.name),
  field('domainpath', 'string', 'the domain path of the owner', (v, ctx) => ownerDomain(v.accountId, ctx)?.path),
  field('zoneid', 'string', 'the zone of the volume', (v) => v.zoneId),
  field('zonename', 'string', 'the zone name of the volume', (v, ctx) => ctx.state.zones.get(v.zoneId)?.name),
  field('virtualmachineid', 'string', 'the VM the volume is attached to', (v) => v.vmId),
  field('vmname', 'string', 'the name of that VM', (v, ctx) => vmOf(v, ctx.state)?.name),
  field('vmdisplayname', 'string', 'the display name of that VM', (v, ctx) => {
    const vm = vmOf(v, ctx.state);
    return vm ? vm.displayName ?? vm.name : undefined;
  }),
  field('vmstate', 'string', 'the state of that VM', (v, ctx) => vmOf(v, ctx.state)?.state),
  field('vmtype', 'string', 'the type of that VM', (v, ctx) => vmOf(v, ctx.state)?.kind),
  field('deviceid', 'long', 'the device number of the volume on its VM', (v, ctx) => deviceIdOf(v, ctx.state)),
  field('diskofferingid', 'string', 'the disk offering of the volume', (v) => v.diskOfferingId),
  field('diskofferingname', 'string', 'the name of that disk offering', (v, ctx) => (v.diskOfferingId === undefined ? undefined : ctx.state.diskOfferings.get(v.diskOfferingId)?.name)),
  field('diskofferingdisplaytext', 'string', 'the display text of that disk offering', (v, ctx) => {
    const offering = v.diskOfferingId === undefined ? undefined : ctx.state.diskOfferings.get(v.diskOfferingId);
    return offering ? offering.displayText ?? offering.name : undefined;
  }),
  field('serviceofferingid', 'string', 'the service offering of the VM of a root volume', (v, ctx) => (v.type === 'ROOT' ? vmOf(v, ctx.state)?.serviceOfferingId : undefined)),
  field('serviceofferingname', 'string', 'the name of that service offering', (v, ctx) => {
    const vm = v.type === 'ROOT' ? vmOf(v, ctx.state) : undefined;
    return vm ? ctx.state.serviceOfferings.get(vm.serviceOfferingId)?.name : undefined;
  }),
  field('templateid', 'string', 'the template a root volume was made from', (v, ctx) => (v.type === 'ROOT' ? vmOf(v, ctx.state)?.templateId : undefined)),
  field('templatename', 'string', 'the name of that template', (v, ctx) => {
    const templateId = v.type === 'ROOT' ? vmOf(v, ctx.state)?.templateId : undefined;
    return templateId === undefined ? undefined : ctx.state.templates.get(templateId)?.name;
  }),
  field('snapshotid', 'string', 'the snapshot the volume was created from', (v) => v.snapshotId),
  field('storageid', 'string', 'the primary storage pool of the volume (admins only)', (v, ctx) => (isAdmin(ctx) ? v.storagePoolId : undefined)),
  field('storage', 'string', 'the name of that pool (admins only)', (v, ctx) => (isAdmin(ctx) && v.storagePoolId !== undefined ? ctx.state.storagePools.get(v.storagePoolId)?.name : undefined)),
  field('storagetype', 'string', 'the storage type: shared or local', (v) => v.storageType),
  field('hypervisor', 'string', 'the hypervisor of the volume', (v, ctx) => {
    const vm = vmOf(v, ctx.state);
    const hostId = vm?.hostId ?? vm?.lastHostId;
    return hostId === undefined ? undefined : ctx.state.hosts.get(hostId)?.hypervisor;
  }),
  field('provisioningtype', 'string', 'the provisioning type of the volume', () => 'thin'),
  field('destroyed', 'boolean', 'whether the volume is destroyed', (v) => v.state === 'Destroy'),
  field('isextractable', 'boolean', 'whether the volume can be downloaded', () => false),
  field('displayvolume', 'boolean', 'whether the volume is shown to users', () => true),
  field('quiescevm', 'boolean', 'whether the VM is quiesced for snapshots', () => false),
  field('deleteprotection', 'boolean', 'whether the volume is protected from deletion', () => false),
  field('created', 'date', 'the date the volume was created', (v, ctx) => createdOf(v.id, ctx) ?? (v.vmId === undefined ? undefined : createdOf(v.vmId, ctx))),
  tagsField<Volume>('the tags of the volume', (v) => v.id),
  field('hasannotations', 'boolean', 'whether the volume has annotations', () => false),
]);

export const snapshotView = defineView<Snapshot>([
  field('id', 'string', 'the ID of the snapshot', (s) => s.id),
  field('name', 'string', 'the name of the snapshot', (s) => s.name),
  field('state', 'string', 'the state of the snapshot', (s) => s.state),
  field('snapshottype', 'string', 'the type of the snapshot: MANUAL or a recurring interval', () => 'MANUAL'),
  field('intervaltype', 'string', 'the interval of a recurring snapshot, MANUAL otherwise', () => 'MANUAL'),
  field('account', 'string', 'the account that owns the snapshot', (s, ctx) => ctx.state.accounts.get(s.accountId)?.name),
  field('domainid', 'string', 'the domain of the owner', (s, ctx) => ctx.state.accounts.get(s.accountId)?.domainId),
  field('domain', 'string', 'the domain name of the owner', (s, ctx) => ownerDomain(s.accountId, ctx)?.name),
  field('domainpath', 'string', 'the domain path of the owner', (s, ctx) => ownerDomain(s.accountId, ctx)?.path),
  field('zoneid', 'string', 'the zone of the snapshot', (s) => s.zoneId),
  field('zonename', 'string', 'the zone name of the snapshot', (s, ctx) => ctx.state.zones.get(s.zoneId)?.name),
  field('volumeid', 'string', 'the volume the snapshot was taken of', (s) => s.volumeId),
  field('volumename', 'string', 'the name of that volume, while it exists', (s, ctx) => ctx.state.volumes.get(s.volumeId)?.name),
  field('volumestate', 'string', 'the state of that volume, while it exists', (s, ctx) => ctx.state.volumes.get(s.volumeId)?.state),
  field('volumetype', 'string', 'the type of that volume when the snapshot was taken', (s) => s.volumeType),
  field('physicalsize', 'long', 'the size of the snapshot on secondary storage in bytes', (s) => s.sizeGiB * GIB_BYTES),
  field('virtualsize', 'long', 'the size of the volume the snapshot holds, in bytes', (s) => s.sizeGiB * GIB_BYTES),
  field('locationtype', 'string', 'where the snapshot is kept', () => 'Secondary'),
  field('revertable', 'boolean', 'whether its volume can be reverted to it (the volume still exists)', (s, ctx) => s.state === 'BackedUp' && ctx.state.volumes.has(s.volumeId)),
  field('created', 'date', 'the date the snapshot was taken', (s, ctx) => createdOf(s.id, ctx)),
  tagsField<Snapshot>('the tags of the snapshot', (s) => s.id),
  field('hasannotations', 'boolean', 'whether the snapshot has annotations', () => false),
]);

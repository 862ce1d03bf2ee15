import type { Hypervisor } from '../data/hypervisors.js';
import { osTypeById } from '../data/os-types.js';
import type { Template, Volume } from '../model/compute.js';
import type { Id } from '../model/entities.js';
import type { RegisterTemplate } from '../model/lifecycle-commands.js';
import type { CloudState } from '../model/state.js';
import type {
  CreateTags,
  CreateTemplate,
  DeleteOffering,
  DeleteSshKeyPair,
  DeleteTags,
  RecoverVirtualMachine,
  RegisterSshKeyPair,
  RevertSnapshot,
  UpdateOffering,
  UpdateTemplate,
  UpdateVirtualMachine,
  UpdateVmAffinityGroups,
} from '../model/tenant-commands.js';
import type { ResourceTag, TaggableType } from '../model/tenant.js';
import { limitExceeded, mayActOn } from './access.js';
import { decideRegisterTemplate } from './resources.js';
import { Scratch } from './scratch.js';
import { type DecideContext, type Decision, reject } from './support.js';

/**
 * What tenants change on their VMs and around them: a VM's name, display name and HA flag, a
 * destroyed VM brought back, templates made from volumes and snapshots, volumes reverted to a
 * snapshot, SSH key pairs, tags, a stopped VM's affinity groups, and (root admins) the names and
 * the end of offerings.
 */

type Events = Extract<Decision, { ok: true }>['events'];

const ok = (events: Events): Decision => ({ ok: true, events, findings: [] });

function userVm(state: CloudState, ctx: DecideContext, id: Id) {
  const vm = state.vms.get(id);
  if (!vm || vm.kind !== 'User' || vm.state === 'Expunging') return reject('ENTITY_NOT_FOUND', `virtual machine ${id} does not exist`);
  if (!mayActOn(state, ctx.actor, vm.accountId)) return reject('PERMISSION_DENIED', `the caller may not act on virtual machine ${vm.name}`);
  return vm;
}

export function decideUpdateVirtualMachine(state: CloudState, cmd: UpdateVirtualMachine, ctx: DecideContext): Decision {
  const vm = userVm(state, ctx, cmd.id);
  if ('ok' in vm) return vm;
  if (vm.state === 'Destroyed') return reject('INVALID_STATE', `virtual machine ${vm.name} is destroyed; recover it before updating it`);
  const changes: { name?: string; displayName?: string; haEnabled?: boolean } = {};
  if (cmd.name !== undefined && cmd.name !== vm.name) {
    // The host name is the guest's own; CloudStack changes it only while the guest is off.
    if (vm.state !== 'Stopped') return reject('INVALID_STATE', `virtual machine ${vm.name} is ${vm.state}; its name can be changed only while it is stopped`);
    if (cmd.name.trim() === '') return reject('INVALID_PARAMETER', 'the name of a virtual machine must not be empty');
    changes.name = cmd.name;
  }
  if (cmd.displayName !== undefined) changes.displayName = cmd.displayName;
  if (cmd.haEnabled !== undefined) {
    const offering = state.serviceOfferings.get(vm.serviceOfferingId);
    if (cmd.haEnabled && !offering?.offerHa) return reject('INVALID_PARAMETER', `Can't enable ha for the vm as it's created from the Service offering having HA disabled (${offering?.name ?? vm.serviceOfferingId})`);
    changes.haEnabled = cmd.haEnabled;
  }
  return ok([{ type: 'vmUpdated', vmId: vm.id, ...changes }]);
}

export function decideRecoverVirtualMachine(state: CloudState, cmd: RecoverVirtualMachine, ctx: DecideContext): Decision {
  const vm = userVm(state, ctx, cmd.id);
  if ('ok' in vm) return vm;
  if (vm.state !== 'Destroyed') return reject('INVALID_STATE', `virtual machine ${vm.name} is ${vm.state}; only a destroyed VM that is not yet expunged can be recovered`);
  // A destroyed VM gave its share of the account's limits back; recovering takes it again.
  const limit = limitExceeded(state, vm.accountId, { user_vm: 1, cpu: vm.cpuNumber, memory: vm.memoryMiB });
  if (limit) return reject('RESOURCE_LIMIT_EXCEEDED', limit);
  return ok([{ type: 'vmRecovered', vmId: vm.id, atMs: ctx.nowMs }]);
}

/** The hypervisor a volume's data is for: its VM's template's or host's, else its pool's. */
function hypervisorOfVolume(state: CloudState, volume: Volume): Hypervisor | undefined {
  const vm = volume.vmId === undefined ? undefined : state.vms.get(volume.vmId);
  const template = vm?.templateId === undefined ? undefined : state.templates.get(vm.templateId);
  if (template?.hypervisor) return template.hypervisor;
  const hostId = vm?.hostId ?? vm?.lastHostId;
  const host = hostId === undefined ? undefined : state.hosts.get(hostId);
  if (host) return host.hypervisor;
  const pool = volume.storagePoolId === undefined ? undefined : state.storagePools.get(volume.storagePoolId);
  if (!pool) return undefined;
  if (pool.hypervisor) return pool.hypervisor;
  if (pool.clusterId !== undefined) return state.clusters.get(pool.clusterId)?.hypervisor;
  return pool.hostId === undefined ? undefined : state.hosts.get(pool.hostId)?.hypervisor;
}

const FORMAT_OF: Partial<Record<Hypervisor, Template['format']>> = { VMware: 'OVA', XenServer: 'VHD', XenProject: 'VHD', Hyperv: 'VHD' };

/**
 * A template from a volume or a snapshot of the account, in the zone of its source, at the
 * source's size; it is then registered like any template (secondary storage, limits).
 */
export function decideCreateTemplate(state: CloudState, cmd: CreateTemplate, ctx: DecideContext): Decision {
  if ((cmd.volumeId === undefined) === (cmd.snapshotId === undefined)) {
    return reject('INVALID_PARAMETER', cmd.volumeId === undefined ? 'Failed to create private template record, need to specify snapshotId or volumeId' : 'Failed to create private template record, please specify only one of volume ID and snapshot ID');
  }
  let source: { zoneId: Id; sizeGiB: number; hypervisor?: Hypervisor; osTypeId?: Id; accountId: Id };
  if (cmd.volumeId !== undefined) {
    const volume = state.volumes.get(cmd.volumeId);
    if (!volume || volume.state === 'Destroy') return reject('ENTITY_NOT_FOUND', `volume ${cmd.volumeId} does not exist`);
    if (!mayActOn(state, ctx.actor, volume.accountId)) return reject('PERMISSION_DENIED', `the caller may not make templates of volume ${volume.name}`);
    if (volume.state !== 'Ready') return reject('INVALID_STATE', `volume ${volume.name} is ${volume.state}; only a volume on primary storage can become a template`);
    const vm = volume.vmId === undefined ? undefined : state.vms.get(volume.vmId);
    if (vm && vm.state !== 'Stopped') return reject('INVALID_STATE', `volume ${volume.name} is attached to virtual machine ${vm.name}, which is ${vm.state}; stop it first`);
    const template = vm?.templateId === undefined ? undefined : state.templates.get(vm.templateId);
    const hypervisor = hypervisorOfVolume(state, volume);
    source = { zoneId: volume.zoneId, sizeGiB: volume.sizeGiB, accountId: volume.accountId, ...(hypervisor ? { hypervisor } : {}), ...(template?.osTypeId ? { osTypeId: template.osTypeId } : {}) };
  } else {
    const snapshot = state.snapshots.get(cmd.snapshotId!);
    if (!snapshot || snapshot.state !== 'BackedUp') return reject('ENTITY_NOT_FOUND', `snapshot ${cmd.snapshotId} does not exist`);
    if (!mayActOn(state, ctx.actor, snapshot.accountId)) return reject('PERMISSION_DENIED', `the caller may not make templates of snapshot ${snapshot.name}`);
    const volume = state.volumes.get(snapshot.volumeId);
    const hypervisor = volume ? hypervisorOfVolume(state, volume) : undefined;
    source = { zoneId: snapshot.zoneId, sizeGiB: snapshot.sizeGiB, accountId: snapshot.accountId, ...(hypervisor ? { hypervisor } : {}) };
  }
  if (!mayActOn(state, ctx.actor, cmd.accountId)) return reject('PERMISSION_DENIED', 'the caller may not create templates for this account');
  const osTypeId = cmd.osTypeId ?? source.osTypeId;
  const register: RegisterTemplate = {
    type: 'registerTemplate',
    name: cmd.name,
    accountId: cmd.accountId,
    format: (source.hypervisor && FORMAT_OF[source.hypervisor]) ?? 'QCOW2',
    sizeGiB: source.sizeGiB,
    zoneIds: [source.zoneId],
    isPublic: cmd.isPublic ?? false,
    ...(source.hypervisor ? { hypervisor: source.hypervisor } : {}),
    ...(cmd.displayText === undefined ? {} : { displayText: cmd.displayText }),
    ...(osTypeId === undefined ? {} : { osTypeId }),
    ...(cmd.volumeId === undefined ? {} : { sourceVolumeId: cmd.volumeId }),
    ...(cmd.snapshotId === undefined ? {} : { sourceSnapshotId: cmd.snapshotId }),
  };
  return decideRegisterTemplate(state, register, ctx);
}

export function decideUpdateTemplate(state: CloudState, cmd: UpdateTemplate, ctx: DecideContext): Decision {
  const template = state.templates.get(cmd.id);
  if (!template || template.state === 'Destroyed') return reject('ENTITY_NOT_FOUND', `template ${cmd.id} does not exist`);
  if (!mayActOn(state, ctx.actor, template.accountId)) return reject('PERMISSION_DENIED', `the caller may not update template ${template.name}`);
  if (cmd.name !== undefined && cmd.name.trim() === '') return reject('INVALID_PARAMETER', 'the name of a template must not be empty');
  if (cmd.osTypeId !== undefined && !osTypeById(cmd.osTypeId)) return reject('INVALID_PARAMETER', `Please specify a valid guest OS type: ${cmd.osTypeId} is none`);
  const changes = {
    ...(cmd.name === undefined ? {} : { name: cmd.name }),
    ...(cmd.displayText === undefined ? {} : { displayText: cmd.displayText }),
    ...(cmd.osTypeId === undefined ? {} : { osTypeId: cmd.osTypeId }),
  };
  return ok([{ type: 'templateUpdated', templateId: template.id, changes }]);
}

export function decideRevertSnapshot(state: CloudState, cmd: RevertSnapshot, ctx: DecideContext): Decision {
  const snapshot = state.snapshots.get(cmd.id);
  if (!snapshot || snapshot.state !== 'BackedUp') return reject('ENTITY_NOT_FOUND', `snapshot ${cmd.id} does not exist`);
  if (!mayActOn(state, ctx.actor, snapshot.accountId)) return reject('PERMISSION_DENIED', `the caller may not revert to snapshot ${snapshot.name}`);
  const volume = state.volumes.get(snapshot.volumeId);
  if (!volume || volume.state === 'Destroy') return reject('INVALID_STATE', `the volume of snapshot ${snapshot.name} no longer exists; create a volume from the snapshot instead`);
  const vm = volume.vmId === undefined ? undefined : state.vms.get(volume.vmId);
  if (vm && vm.state !== 'Stopped') return reject('INVALID_STATE', `The VM the specified disk is attached to is not in the shutdown state: ${vm.name} is ${vm.state}`);
  const limit = limitExceeded(state, volume.accountId, { primary_storage: snapshot.sizeGiB - volume.sizeGiB });
  if (limit) return reject('RESOURCE_LIMIT_EXCEEDED', limit);
  return ok([{ type: 'volumeReverted', volumeId: volume.id, snapshotId: snapshot.id, sizeGiB: snapshot.sizeGiB }]);
}

export function decideUpdateVmAffinityGroups(state: CloudState, cmd: UpdateVmAffinityGroups, ctx: DecideContext): Decision {
  const vm = userVm(state, ctx, cmd.id);
  if ('ok' in vm) return vm;
  if (vm.state !== 'Stopped') return reject('INVALID_STATE', `virtual machine ${vm.name} is ${vm.state}; stop it to change its affinity groups`);
  const ids = [...new Set(cmd.affinityGroupIds)];
  for (const id of ids) {
    const group = state.affinityGroups.get(id);
    if (!group) return reject('ENTITY_NOT_FOUND', `affinity group ${id} does not exist`);
    if (group.accountId !== vm.accountId) return reject('PERMISSION_DENIED', `affinity group ${group.name} belongs to another account than virtual machine ${vm.name}`);
  }
  return ok([{ type: 'vmAffinityGroupsChanged', vmId: vm.id, affinityGroupIds: ids }]);
}

// ----- SSH key pairs -----

/** `type base64-blob [comment]`, the one-line form OpenSSH writes public keys in. */
const OPENSSH_PUBLIC_KEY = /^(ssh-rsa|ssh-dss|ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]{16,}={0,2}( [^\n]*)?$/;

function keyPairNamed(state: CloudState, accountId: Id, name: string) {
  for (const pair of state.sshKeyPairs.values()) if (pair.accountId === accountId && pair.name === name) return pair;
  return undefined;
}

export function decideRegisterSshKeyPair(state: CloudState, cmd: RegisterSshKeyPair, ctx: DecideContext): Decision {
  const account = state.accounts.get(cmd.accountId);
  if (!account) return reject('ENTITY_NOT_FOUND', `account ${cmd.accountId} does not exist`);
  if (!mayActOn(state, ctx.actor, account.id)) return reject('PERMISSION_DENIED', `the caller may not register key pairs for account ${account.name}`);
  if (cmd.name.trim() === '') return reject('INVALID_PARAMETER', 'the name of a key pair must not be empty');
  if (!OPENSSH_PUBLIC_KEY.test(cmd.publicKey)) return reject('INVALID_PARAMETER', 'Public key is invalid');
  if (keyPairNamed(state, account.id, cmd.name)) return reject('INVALID_PARAMETER', `A key pair with name '${cmd.name}' already exists.`);
  for (const pair of state.sshKeyPairs.values()) {
    if (pair.accountId === account.id && pair.fingerprint === cmd.fingerprint) return reject('INVALID_PARAMETER', `A key pair with key '${cmd.fingerprint}' already exists: ${pair.name}`);
  }
  const scratch = new Scratch(state);
  const sshKeyPair = { id: scratch.id(), name: cmd.name, accountId: account.id, publicKey: cmd.publicKey, fingerprint: cmd.fingerprint };
  return ok([{ type: 'sshKeyPairRegistered', idSeq: scratch.lastSeq, sshKeyPair }]);
}

export function decideDeleteSshKeyPair(state: CloudState, cmd: DeleteSshKeyPair, ctx: DecideContext): Decision {
  const account = state.accounts.get(cmd.accountId);
  if (!account) return reject('ENTITY_NOT_FOUND', `account ${cmd.accountId} does not exist`);
  if (!mayActOn(state, ctx.actor, account.id)) return reject('PERMISSION_DENIED', `the caller may not delete key pairs of account ${account.name}`);
  const pair = keyPairNamed(state, account.id, cmd.name);
  if (!pair) return reject('ENTITY_NOT_FOUND', `A key pair with name '${cmd.name}' does not exist for account ${account.name} in specified domain id ${account.domainId}`);
  return ok([{ type: 'sshKeyPairDeleted', sshKeyPairId: pair.id }]);
}

// ----- tags -----

/** The account that owns a taggable resource (the system account for cloud-wide networks), if it exists. */
export function taggedOwner(state: CloudState, type: TaggableType, id: Id): Id | undefined {
  const ipOwner = (ipId: Id | undefined) => (ipId === undefined ? undefined : state.publicIps.get(ipId)?.accountId);
  switch (type) {
    case 'UserVm': {
      const vm = state.vms.get(id);
      return vm && vm.kind === 'User' && vm.state !== 'Expunging' ? vm.accountId : undefined;
    }
    case 'Template':
    case 'ISO': {
      const template = state.templates.get(id);
      return template && template.state === 'Ready' && (template.format === 'ISO') === (type === 'ISO') ? template.accountId : undefined;
    }
    case 'Volume': {
      const volume = state.volumes.get(id);
      return volume && volume.state !== 'Destroy' ? volume.accountId : undefined;
    }
    case 'Snapshot': {
      const snapshot = state.snapshots.get(id);
      return snapshot?.state === 'BackedUp' ? snapshot.accountId : undefined;
    }
    case 'Network': {
      const network = state.networks.get(id);
      return network && network.state !== 'Destroy' ? network.accountId ?? 'system' : undefined;
    }
    case 'Vpc': {
      const vpc = state.vpcs.get(id);
      return vpc ? vpc.accountId ?? 'system' : undefined;
    }
    case 'PublicIpAddress':
      return ipOwner(id);
    case 'PortForwardingRule':
      return ipOwner(state.portForwardingRules.get(id)?.publicIpId);
    case 'LoadBalancer':
      return ipOwner(state.loadBalancerRules.get(id)?.publicIpId);
    case 'FirewallRule': {
      const rule = state.firewallRules.get(id);
      if (!rule) return undefined;
      if (rule.publicIpId !== undefined) return ipOwner(rule.publicIpId);
      const network = rule.networkId === undefined ? undefined : state.networks.get(rule.networkId);
      return network ? network.accountId ?? 'system' : undefined;
    }
    case 'SecurityGroup':
      return state.securityGroups.get(id)?.accountId;
  }
}

export function decideCreateTags(state: CloudState, cmd: CreateTags, ctx: DecideContext): Decision {
  if (cmd.resourceIds.length === 0) return reject('INVALID_PARAMETER', 'give at least one resource id');
  if (cmd.tags.length === 0) return reject('INVALID_PARAMETER', 'give at least one tag (tags[0].key, tags[0].value)');
  const keys = new Set<string>();
  for (const { key, value } of cmd.tags) {
    if (key.trim() === '') return reject('INVALID_PARAMETER', 'the key of a tag must not be empty');
    if (value === '') return reject('INVALID_PARAMETER', `Value for the key ${key} is either null or empty`);
    if (keys.has(key)) return reject('INVALID_PARAMETER', `tag key ${key} is given twice`);
    keys.add(key);
  }
  const scratch = new Scratch(state);
  const tags: ResourceTag[] = [];
  for (const resourceId of new Set(cmd.resourceIds)) {
    const owner = taggedOwner(state, cmd.resourceType, resourceId);
    if (owner === undefined) return reject('ENTITY_NOT_FOUND', `Unable to find resource by id ${resourceId} and type ${cmd.resourceType}`);
    if (!mayActOn(state, ctx.actor, owner)) return reject('PERMISSION_DENIED', `the caller may not tag ${cmd.resourceType} ${resourceId}`);
    for (const tagId of state.index.tagsByResource.get(resourceId) ?? []) {
      const existing = state.tags.get(tagId)!;
      if (keys.has(existing.key)) return reject('INVALID_PARAMETER', `tag ${existing.key} already exists on ${cmd.resourceType} ${resourceId}; delete it first`);
    }
    for (const { key, value } of cmd.tags) tags.push({ id: scratch.id(), key, value, resourceType: cmd.resourceType, resourceId, accountId: owner });
  }
  return ok([{ type: 'tagsCreated', idSeq: scratch.lastSeq, tags }]);
}

export function decideDeleteTags(state: CloudState, cmd: DeleteTags, ctx: DecideContext): Decision {
  if (cmd.resourceIds.length === 0) return reject('INVALID_PARAMETER', 'give at least one resource id');
  const tagIds: Id[] = [];
  for (const resourceId of new Set(cmd.resourceIds)) {
    for (const tagId of state.index.tagsByResource.get(resourceId) ?? []) {
      const tag = state.tags.get(tagId)!;
      if (tag.resourceType !== cmd.resourceType) continue;
      if (cmd.tags && cmd.tags.length > 0 && !cmd.tags.some((t) => t.key === tag.key && (t.value === undefined || t.value === tag.value))) continue;
      if (!mayActOn(state, ctx.actor, tag.accountId)) return reject('PERMISSION_DENIED', `the caller may not delete the tags of ${cmd.resourceType} ${resourceId}`);
      tagIds.push(tag.id);
    }
  }
  if (tagIds.length === 0) return reject('INVALID_PARAMETER', 'Unable to find any tags which conform to specified delete parameters.');
  return ok([{ type: 'tagsDeleted', tagIds }]);
}

// ----- offerings -----

export function decideUpdateOffering(state: CloudState, cmd: UpdateOffering, ctx: DecideContext): Decision {
  const kind = cmd.type === 'updateServiceOffering' ? 'service' : 'disk';
  const records: ReadonlyMap<Id, { id: Id; name: string; state?: string }> = kind === 'service' ? state.serviceOfferings : state.diskOfferings;
  const offering = records.get(cmd.id);
  if (!offering || offering.state === 'Inactive') return reject('ENTITY_NOT_FOUND', `${kind} offering ${cmd.id} does not exist`);
  if (ctx.actor.role !== 'RootAdmin') return reject('PERMISSION_DENIED', `only a root admin can update ${kind} offerings`);
  if (cmd.name !== undefined) {
    if (cmd.name.trim() === '') return reject('INVALID_PARAMETER', `the name of a ${kind} offering must not be empty`);
    for (const other of records.values()) if (other.id !== offering.id && other.name === cmd.name) return reject('INVALID_PARAMETER', `a ${kind} offering named "${cmd.name}" already exists`);
  }
  return ok([{ type: 'offeringUpdated', offering: kind, offeringId: offering.id, ...(cmd.name === undefined ? {} : { name: cmd.name }), ...(cmd.displayText === undefined ? {} : { displayText: cmd.displayText }) }]);
}

export function decideDeleteOffering(state: CloudState, cmd: DeleteOffering, ctx: DecideContext): Decision {
  const kind = cmd.type === 'deleteServiceOffering' ? 'service' : 'disk';
  const offering = kind === 'service' ? state.serviceOfferings.get(cmd.id) : state.diskOfferings.get(cmd.id);
  if (!offering || offering.state === 'Inactive') return reject('ENTITY_NOT_FOUND', `${kind} offering ${cmd.id} does not exist`);
  if (ctx.actor.role !== 'RootAdmin') return reject('PERMISSION_DENIED', `only a root admin can delete ${kind} offerings`);
  if ('systemVmType' in offering && offering.systemVmType !== undefined) return reject('INVALID_PARAMETER', `${offering.name} is a system offering; system VMs need it`);
  return ok([{ type: 'offeringDeleted', offering: kind, offeringId: offering.id }]);
}

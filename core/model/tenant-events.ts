import type { Template } from './compute.js';
import type { Id } from './entities.js';
import type { NetworkOffering, ResourceTag, SshKeyPair } from './tenant.js';

/** Facts of the tenant commands (tenant-commands.ts); createTemplate is a templateRegistered. */
interface Created {
  idSeq: number;
}

export type TenantEvent =
  | ({ type: 'networkOfferingCreated'; networkOffering: NetworkOffering } & Created)
  | { type: 'networkOfferingUpdated'; networkOfferingId: Id; changes: Partial<Pick<NetworkOffering, 'name' | 'displayText' | 'state' | 'availability' | 'tags'>> }
  | { type: 'networkUpdated'; networkId: Id; name?: string; displayText?: string }
  /** The network's router applies its configuration again. */
  | { type: 'networkRestarted'; networkId: Id; cleanup: boolean; atMs: number }
  | { type: 'vmUpdated'; vmId: Id; name?: string; displayName?: string; haEnabled?: boolean }
  /** A destroyed VM that was not yet expunged is Stopped again, and counts for its account again. */
  | { type: 'vmRecovered'; vmId: Id; atMs: number }
  | ({ type: 'sshKeyPairRegistered'; sshKeyPair: SshKeyPair } & Created)
  | { type: 'sshKeyPairDeleted'; sshKeyPairId: Id }
  | ({ type: 'tagsCreated'; tags: ResourceTag[] } & Created)
  | { type: 'tagsDeleted'; tagIds: Id[] }
  /** The volume holds the snapshot's content again, at the snapshot's size. */
  | { type: 'volumeReverted'; volumeId: Id; snapshotId: Id; sizeGiB: number }
  /** A stopped VM's volume now lives on another pool of primary storage. */
  | { type: 'volumeMigrated'; volumeId: Id; fromStoragePoolId: Id; toStoragePoolId: Id }
  | { type: 'templateUpdated'; templateId: Id; changes: Partial<Pick<Template, 'name' | 'displayText' | 'osTypeId'>> }
  | { type: 'vmAffinityGroupsChanged'; vmId: Id; affinityGroupIds: Id[] }
  | { type: 'offeringUpdated'; offering: 'service' | 'disk'; offeringId: Id; name?: string; displayText?: string }
  | { type: 'offeringDeleted'; offering: 'service' | 'disk'; offeringId: Id };

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
  | { type: 'tagsDeleted'; tagIds: Id[] };

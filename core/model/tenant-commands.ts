import type { Id } from './entities.js';
import type { GuestType } from './entities.js';
import type { OfferingState, TaggableType } from './tenant.js';

/**
 * Commands of tenants and of the offering catalogue that the first slice of the core left out:
 * network offerings, network and VM updates, network restarts, recovering a destroyed VM,
 * templates made from volumes, SSH key pairs and tags.
 */

export interface CreateNetworkOffering {
  type: 'createNetworkOffering';
  name: string;
  displayText: string;
  guestType: GuestType;
  services?: string[];
  forVpc?: boolean;
  specifyVlan?: boolean;
  specifyIpRanges?: boolean;
  persistent?: boolean;
  conserveMode?: boolean;
  egressDefaultPolicy?: boolean;
  availability?: 'Optional' | 'Required';
  networkRateMbps?: number;
  tags?: string;
  /** New offerings are Disabled until enabled, as in CloudStack. */
  state?: OfferingState;
}

export interface UpdateNetworkOffering {
  type: 'updateNetworkOffering';
  id: Id;
  name?: string;
  displayText?: string;
  state?: OfferingState;
  availability?: 'Optional' | 'Required';
  tags?: string;
}

export interface UpdateNetwork {
  type: 'updateNetwork';
  id: Id;
  name?: string;
  displayText?: string;
}

export interface RestartNetwork {
  type: 'restartNetwork';
  id: Id;
  /** Routers are recreated rather than reconfigured (accepted; the rules are pushed again either way). */
  cleanup?: boolean;
}

export interface UpdateVirtualMachine {
  type: 'updateVirtualMachine';
  id: Id;
  /** A new host name: only while the VM is stopped. */
  name?: string;
  displayName?: string;
  haEnabled?: boolean;
}

export interface RecoverVirtualMachine {
  type: 'recoverVirtualMachine';
  id: Id;
}

/** A template from a volume (a stopped VM's root disk, or a detached data disk) or a snapshot. */
export interface CreateTemplate {
  type: 'createTemplate';
  name: string;
  accountId: Id;
  volumeId?: Id;
  snapshotId?: Id;
  displayText?: string;
  osTypeId?: Id;
  isPublic?: boolean;
}

export interface RegisterSshKeyPair {
  type: 'registerSSHKeyPair';
  name: string;
  accountId: Id;
  publicKey: string;
  fingerprint: string;
}

export interface DeleteSshKeyPair {
  type: 'deleteSSHKeyPair';
  name: string;
  accountId: Id;
}

export interface CreateTags {
  type: 'createTags';
  resourceType: TaggableType;
  resourceIds: Id[];
  tags: { key: string; value: string }[];
}

export interface DeleteTags {
  type: 'deleteTags';
  resourceType: TaggableType;
  resourceIds: Id[];
  /** Only these keys (and, with a value, only that value); every tag of the resources when absent. */
  tags?: { key: string; value?: string }[];
}

/** A volume goes back to the content of one of its snapshots (detached, or its VM stopped). */
export interface RevertSnapshot {
  type: 'revertSnapshot';
  id: Id;
}

export interface UpdateTemplate {
  type: 'updateTemplate';
  id: Id;
  name?: string;
  displayText?: string;
  osTypeId?: Id;
}

/** A stopped VM's affinity groups, all of them at once. */
export interface UpdateVmAffinityGroups {
  type: 'updateVMAffinityGroup';
  id: Id;
  affinityGroupIds: Id[];
}

export interface UpdateOffering {
  type: 'updateServiceOffering' | 'updateDiskOffering';
  id: Id;
  name?: string;
  displayText?: string;
}

/** The offering turns Inactive: hidden and refused for new VMs and volumes; those that have it keep it. */
export interface DeleteOffering {
  type: 'deleteServiceOffering' | 'deleteDiskOffering';
  id: Id;
}

export type TenantCommand =
  | CreateNetworkOffering
  | UpdateNetworkOffering
  | UpdateNetwork
  | RestartNetwork
  | UpdateVirtualMachine
  | RecoverVirtualMachine
  | CreateTemplate
  | RegisterSshKeyPair
  | DeleteSshKeyPair
  | CreateTags
  | DeleteTags
  | RevertSnapshot
  | UpdateTemplate
  | UpdateVmAffinityGroups
  | UpdateOffering
  | DeleteOffering;

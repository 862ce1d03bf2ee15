import type { Hypervisor } from '../data/hypervisors.js';
import type { Ipv4 } from '../net/ipv4.js';
import type { Id, StorageType } from './entities.js';

/**
 * Running things: virtual machines (user and system), their volumes and NICs, snapshots,
 * templates and ISOs, and affinity groups. A VM record carries its size and owner denormalised
 * so placement and capacity accounting never look up the offering on the hot path.
 */

export type VmKind = 'User' | 'DomainRouter' | 'ConsoleProxy' | 'SecondaryStorageVm' | 'InternalLbVm';

/** The system VMs a zone's own managers keep running: its secondary storage VMs and console proxies. */
export type ZoneSystemVmKind = 'SecondaryStorageVm' | 'ConsoleProxy';

export function isZoneSystemVm(kind: VmKind): kind is ZoneSystemVmKind {
  return kind === 'SecondaryStorageVm' || kind === 'ConsoleProxy';
}

export type VmState = 'Starting' | 'Running' | 'Stopping' | 'Stopped' | 'Migrating' | 'Destroyed' | 'Expunging' | 'Error';

export type NicRole = 'guest' | 'public' | 'control' | 'management' | 'storage';

export interface Nic {
  role: NicRole;
  /** Guest and public NICs: the network. */
  networkId?: Id;
  /** Pod-scoped addresses (control, management, storage, basic zone guest): the pod. */
  podId?: Id;
  /** The address; undefined on L2 networks. */
  ip?: Ipv4;
  isDefault: boolean;
}

export interface Vm {
  id: Id;
  name: string;
  kind: VmKind;
  accountId: Id;
  zoneId: Id;
  serviceOfferingId: Id;
  templateId?: Id;
  state: VmState;
  /** Where it runs (or is starting / migrating to). */
  hostId?: Id;
  /** Where it ran last; capacity stays reserved there for a while after a stop. */
  lastHostId?: Id;
  cpuNumber: number;
  cpuSpeedMhz: number;
  memoryMiB: number;
  haEnabled: boolean;
  /** Root disk on local storage: no HA, no live migration. */
  usesLocalStorage: boolean;
  hostTags: string[];
  affinityGroupIds: Id[];
  securityGroupIds: Id[];
  nics: Nic[];
  volumeIds: Id[];
  /** When the state last changed, for the capacity skip-counting window and reports. */
  stateChangedMs: number;
  /** Placed by the ImplicitDedicationPlanner: keeps hosts to its account (Strict) or prefers to. */
  implicitDedication?: 'Strict' | 'Preferred';
  /** For routers and system VMs: the network, VPC or zone they serve. */
  servesId?: Id;
  /** Why the VM is in Error or was not restarted, in words. */
  reason?: string;
  /** Hosts where starting failed during the current start, avoided by the next attempt. */
  failedHostIds?: Id[];
  /** An HA VM whose restart failed: the failed attempts so far, while it waits for the next one. */
  haAttempts?: number;
  /**
   * While it holds a host: its place in the order of arrivals on hosts (`CloudState.hostArrivals`).
   * A host lists its VMs in the order they came and HA restarts a failed host's VMs in that order,
   * so the order is a fact of the records, not only of the host index, and a restored state keeps it.
   */
  hostArrival?: number;
  /**
   * A stopped VM whose capacity stays reserved on its last host (capacity.skipcounting.hours).
   * Whether the window is still open depends on a timer that already fired or not, which the other
   * fields cannot tell; the record says it so a restored state reserves exactly what this one does.
   */
  capacityReserved?: true;
  /** The name users see; the host name (`name`) when absent. */
  displayName?: string;
  /** The SSH key pair of the account whose public key the VM was given. */
  keyPairName?: string;
}

export type VolumeType = 'ROOT' | 'DATADISK';
export type VolumeState = 'Allocated' | 'Ready' | 'Destroy';

export interface Volume {
  id: Id;
  name: string;
  accountId: Id;
  zoneId: Id;
  type: VolumeType;
  sizeGiB: number;
  storageType: StorageType;
  storageTags: string[];
  diskOfferingId?: Id;
  vmId?: Id;
  storagePoolId?: Id;
  state: VolumeState;
  /** The snapshot a volume was created from. */
  snapshotId?: Id;
}

export interface Snapshot {
  id: Id;
  name: string;
  accountId: Id;
  zoneId: Id;
  volumeId: Id;
  sizeGiB: number;
  imageStoreId?: Id;
  state: 'BackedUp' | 'Destroyed';
  /** Of the volume when it was taken: a volume made from the snapshot later is a data disk of that offering. */
  volumeType?: VolumeType;
  diskOfferingId?: Id;
}

export interface Template {
  id: Id;
  name: string;
  accountId: Id;
  /** ISO images are templates with format ISO, as in CloudStack. */
  format: 'QCOW2' | 'VHD' | 'OVA' | 'RAW' | 'ISO';
  hypervisor?: Hypervisor;
  sizeGiB: number;
  /** Zones holding a copy (on their secondary storage). */
  zoneIds: Id[];
  /** The image store holding the copy in each of those zones, in the same order. */
  imageStoreIds: Id[];
  isPublic: boolean;
  state: 'Ready' | 'Destroyed';
  displayText?: string;
  /** The guest OS type (core/data/os-types.ts). */
  osTypeId?: Id;
  /** The volume a template was created from (createTemplate). */
  sourceVolumeId?: Id;
  /** The snapshot a template was created from (createTemplate). */
  sourceSnapshotId?: Id;
  /** Shown to every account under templatefilter=featured; absent: public templates of the system account are. */
  isFeatured?: boolean;
}

export const AFFINITY_TYPES = ['host anti-affinity', 'host affinity', 'non-strict host anti-affinity', 'non-strict host affinity', 'ExplicitDedication'] as const;
export type AffinityType = (typeof AFFINITY_TYPES)[number];

export interface AffinityGroup {
  id: Id;
  name: string;
  type: AffinityType;
  accountId: Id;
  vmIds: Id[];
  description?: string;
}

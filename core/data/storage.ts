import type { Hypervisor, Support } from './hypervisors.js';

/**
 * Primary storage protocols as a scenario names them, the CloudStack StoragePoolType each becomes,
 * and which hypervisor can use which. Sources: `Storage.StoragePoolType` (shared and
 * over-provisioning flags) and the primary storage tables of the concepts and admin guides.
 */

export const STORAGE_PROTOCOLS = [
  'NFS',
  'iSCSI',
  'FC',
  'SharedMountPoint',
  'RBD',
  'PowerFlex',
  'SMB',
  'VMFS',
  'PreSetup',
  'CLVM',
  'DatastoreCluster',
  'Gluster',
  'Linstor',
  'StorPool',
  'local',
] as const;
export type StorageProtocol = (typeof STORAGE_PROTOCOLS)[number];

export interface StoragePoolTypeInfo {
  /** CloudStack's StoragePoolType name. */
  poolType: string;
  /** Reachable by more than one host. */
  shared: boolean;
  /** Whether `storage.overprovisioning.factor` applies to this type. */
  overprovisioning: boolean;
}

export const POOL_TYPE: Readonly<Record<StorageProtocol, StoragePoolTypeInfo>> = {
  NFS: { poolType: 'NetworkFilesystem', shared: true, overprovisioning: true },
  iSCSI: { poolType: 'IscsiLUN', shared: true, overprovisioning: false },
  FC: { poolType: 'FiberChannel', shared: true, overprovisioning: true },
  SharedMountPoint: { poolType: 'SharedMountPoint', shared: true, overprovisioning: true },
  RBD: { poolType: 'RBD', shared: true, overprovisioning: true },
  PowerFlex: { poolType: 'PowerFlex', shared: true, overprovisioning: true },
  SMB: { poolType: 'SMB', shared: true, overprovisioning: false },
  VMFS: { poolType: 'VMFS', shared: true, overprovisioning: true },
  PreSetup: { poolType: 'PreSetup', shared: true, overprovisioning: true },
  CLVM: { poolType: 'CLVM', shared: true, overprovisioning: false },
  DatastoreCluster: { poolType: 'DatastoreCluster', shared: true, overprovisioning: true },
  Gluster: { poolType: 'Gluster', shared: true, overprovisioning: false },
  Linstor: { poolType: 'Linstor', shared: true, overprovisioning: true },
  StorPool: { poolType: 'StorPool', shared: true, overprovisioning: true },
  local: { poolType: 'Filesystem', shared: false, overprovisioning: true },
};

/** Names accepted in scenario files, case-insensitively, for each protocol. */
export const STORAGE_PROTOCOL_ALIASES: Readonly<Record<string, StorageProtocol>> = {
  nfs: 'NFS',
  networkfilesystem: 'NFS',
  iscsi: 'iSCSI',
  iscsilun: 'iSCSI',
  fc: 'FC',
  fiberchannel: 'FC',
  fibrechannel: 'FC',
  sharedmountpoint: 'SharedMountPoint',
  rbd: 'RBD',
  ceph: 'RBD',
  powerflex: 'PowerFlex',
  scaleio: 'PowerFlex',
  smb: 'SMB',
  cifs: 'SMB',
  vmfs: 'VMFS',
  presetup: 'PreSetup',
  clvm: 'CLVM',
  datastorecluster: 'DatastoreCluster',
  gluster: 'Gluster',
  linstor: 'Linstor',
  storpool: 'StorPool',
  local: 'local',
  filesystem: 'local',
};

export function storageProtocolFromText(text: string): StorageProtocol | undefined {
  return STORAGE_PROTOCOL_ALIASES[text.trim().toLowerCase()];
}

type ProtocolSupport = Readonly<Partial<Record<StorageProtocol, Support>>>;

/**
 * Which protocols each hypervisor can use for primary storage. Missing entries are 'no'.
 * Notes carried from the docs: KVM and LXC reach iSCSI and FC through a clustered file system
 * mounted as SharedMountPoint; XenServer reaches iSCSI through CLVM and FC through a pre-existing
 * SR (PreSetup); vSphere reaches both through VMFS; LXC may use RBD for data disks only.
 */
export const PRIMARY_STORAGE_SUPPORT: Readonly<Record<Hypervisor, ProtocolSupport>> = {
  XenServer: { NFS: 'yes', iSCSI: 'yes', FC: 'yes', PreSetup: 'yes', CLVM: 'yes', local: 'yes' },
  XenProject: { NFS: 'yes', iSCSI: 'yes', FC: 'yes', PreSetup: 'yes', CLVM: 'yes', local: 'yes' },
  VMware: { NFS: 'yes', iSCSI: 'yes', FC: 'yes', VMFS: 'yes', PreSetup: 'yes', DatastoreCluster: 'yes', local: 'yes' },
  KVM: {
    NFS: 'yes', iSCSI: 'yes', FC: 'yes', SharedMountPoint: 'yes', RBD: 'yes', PowerFlex: 'yes', CLVM: 'unknown',
    Gluster: 'yes', Linstor: 'yes', StorPool: 'yes', local: 'yes',
  },
  LXC: { NFS: 'yes', iSCSI: 'yes', FC: 'yes', SharedMountPoint: 'yes', RBD: 'yes', local: 'yes' },
  Hyperv: { SMB: 'yes', local: 'yes' },
  BareMetal: {},
};

export function protocolSupport(hypervisor: Hypervisor, protocol: StorageProtocol): Support {
  return PRIMARY_STORAGE_SUPPORT[hypervisor][protocol] ?? 'no';
}

/**
 * Zone-wide primary storage per hypervisor. StorageManagerImpl accepts KVM, VMware, Hyperv and LXC
 * and refuses everything else ("Zone wide storage pool is not supported for hypervisor type X");
 * the documentation says Hyper-V does not support it, so Hyper-V is refused here as well.
 */
export const ZONE_WIDE_STORAGE_SUPPORT: Readonly<Record<Hypervisor, Support>> = {
  VMware: 'yes',
  KVM: 'yes',
  LXC: 'yes',
  Hyperv: 'no',
  XenServer: 'no',
  XenProject: 'no',
  BareMetal: 'no',
};

const GB_IN_GIB = 1e9 / 2 ** 30;

/** Pools that are one mount point or one LUN, where the 6 TB advice applies (not scale-out storage). */
export const SINGLE_VOLUME_PROTOCOLS: ReadonlySet<StorageProtocol> = new Set(['NFS', 'iSCSI', 'FC', 'SharedMountPoint', 'SMB', 'VMFS', 'PreSetup', 'CLVM']);

/** The doc's best practice: keep a primary storage mount point or LUN at or under 6 TB (decimal). */
export const PRIMARY_STORAGE_RECOMMENDED_MAX_GIB = 6000 * GB_IN_GIB;

/** Secondary storage must hold at least 100 GB (decimal). */
export const SECONDARY_STORAGE_MIN_GIB = 100 * GB_IN_GIB;

export const IMAGE_STORE_PROVIDERS = ['NFS', 'SMB', 'S3', 'Swift'] as const;
export type ImageStoreProvider = (typeof IMAGE_STORE_PROVIDERS)[number];

/** Object-backed image stores are region-wide and need an NFS staging store in every zone. */
export function isObjectImageStore(provider: ImageStoreProvider): boolean {
  return provider === 'S3' || provider === 'Swift';
}

/**
 * An image store above this share used is treated as full: no more templates or snapshots go
 * there (CloudStack's secondary storage capacity checker, a fixed value rather than a setting).
 */
export const IMAGE_STORE_FULL_SHARE = 0.9;

import { assert } from '../assert.js';

/**
 * The hypervisors cloudplane models, and what each can do, as data. A rule about a hypervisor is a
 * lookup here, so changing what CloudStack supports is a change to these tables, not to code.
 * Sources: CloudStack's "choosing a deployment architecture" feature matrix, the primary storage
 * tables of the concepts and admin guides, and the `cloud.hypervisor_capabilities` rows seeded by
 * the schema upgrades.
 */

export const HYPERVISORS = ['BareMetal', 'Hyperv', 'KVM', 'LXC', 'VMware', 'XenServer', 'XenProject'] as const;
export type Hypervisor = (typeof HYPERVISORS)[number];

/** Names a scenario may use for a hypervisor, mapped to the canonical name. Case-insensitive. */
export const HYPERVISOR_ALIASES: Readonly<Record<string, Hypervisor>> = {
  baremetal: 'BareMetal',
  'bare metal': 'BareMetal',
  hyperv: 'Hyperv',
  'hyper-v': 'Hyperv',
  kvm: 'KVM',
  lxc: 'LXC',
  vmware: 'VMware',
  vsphere: 'VMware',
  xenserver: 'XenServer',
  'xcp-ng': 'XenServer',
  xenproject: 'XenProject',
  'xen project': 'XenProject',
  xen: 'XenProject',
};

export function hypervisorFromText(text: string): Hypervisor | undefined {
  return HYPERVISOR_ALIASES[text.trim().toLowerCase()];
}

export const DISPLAY_NAME: Readonly<Record<Hypervisor, string>> = {
  BareMetal: 'Bare Metal',
  Hyperv: 'Hyper-V',
  KVM: 'KVM',
  LXC: 'LXC',
  VMware: 'vSphere',
  XenServer: 'XenServer',
  XenProject: 'Xen Project',
};

export const ARCHITECTURES = ['x86_64', 'aarch64'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** 'yes' and 'no' are documented; 'unknown' is a "?" in the documentation; 'n/a' does not apply. */
export type Support = 'yes' | 'no' | 'unknown' | 'n/a';

export const FEATURES = [
  'networkThrottling',
  'securityGroupsInBasicZone',
  'iscsi',
  'fibreChannel',
  'localDisk',
  'highAvailability',
  'localDiskSnapshots',
  'localDiskAsDataDisk',
  'workloadBalancing',
  'manualLiveMigration',
  'linkLocalControlTraffic',
] as const;
export type Feature = (typeof FEATURES)[number];

export const FEATURE_DESCRIPTION: Readonly<Record<Feature, string>> = {
  networkThrottling: 'network throttling',
  securityGroupsInBasicZone: 'security groups in basic zones',
  iscsi: 'iSCSI',
  fibreChannel: 'Fibre Channel',
  localDisk: 'local disk',
  highAvailability: 'HA',
  localDiskSnapshots: 'snapshots of local disk',
  localDiskAsDataDisk: 'local disk as data disk',
  workloadBalancing: 'workload balancing',
  manualLiveMigration: 'manual live migration of VMs from host to host',
  linkLocalControlTraffic: 'link-local control traffic to the virtual router',
};

const XEN_FEATURES: Readonly<Record<Feature, Support>> = {
  networkThrottling: 'yes',
  securityGroupsInBasicZone: 'yes',
  iscsi: 'yes',
  fibreChannel: 'yes',
  localDisk: 'yes',
  highAvailability: 'yes',
  localDiskSnapshots: 'yes',
  localDiskAsDataDisk: 'yes',
  workloadBalancing: 'no',
  manualLiveMigration: 'yes',
  linkLocalControlTraffic: 'yes',
};

/** The documented feature matrix. Xen Project has no column in the docs; it shares XenServer's. */
export const FEATURE_SUPPORT: Readonly<Record<Hypervisor, Readonly<Record<Feature, Support>>>> = {
  XenServer: XEN_FEATURES,
  XenProject: XEN_FEATURES,
  VMware: {
    networkThrottling: 'yes',
    securityGroupsInBasicZone: 'no',
    iscsi: 'yes',
    fibreChannel: 'yes',
    localDisk: 'yes',
    highAvailability: 'yes', // vSphere's native HA
    localDiskSnapshots: 'yes',
    localDiskAsDataDisk: 'no',
    workloadBalancing: 'yes', // DRS
    manualLiveMigration: 'yes',
    linkLocalControlTraffic: 'no',
  },
  KVM: {
    networkThrottling: 'yes',
    securityGroupsInBasicZone: 'yes',
    iscsi: 'yes',
    fibreChannel: 'yes',
    localDisk: 'yes',
    highAvailability: 'yes',
    localDiskSnapshots: 'yes',
    localDiskAsDataDisk: 'yes',
    workloadBalancing: 'no',
    manualLiveMigration: 'yes',
    linkLocalControlTraffic: 'yes',
  },
  LXC: {
    networkThrottling: 'no',
    securityGroupsInBasicZone: 'yes',
    iscsi: 'yes',
    fibreChannel: 'yes',
    localDisk: 'yes',
    highAvailability: 'unknown',
    localDiskSnapshots: 'unknown',
    localDiskAsDataDisk: 'yes',
    workloadBalancing: 'no',
    manualLiveMigration: 'unknown',
    linkLocalControlTraffic: 'yes',
  },
  Hyperv: {
    networkThrottling: 'unknown',
    securityGroupsInBasicZone: 'unknown',
    iscsi: 'yes',
    fibreChannel: 'yes',
    localDisk: 'yes',
    highAvailability: 'yes',
    localDiskSnapshots: 'unknown',
    localDiskAsDataDisk: 'yes',
    workloadBalancing: 'unknown',
    manualLiveMigration: 'yes',
    linkLocalControlTraffic: 'unknown',
  },
  BareMetal: {
    networkThrottling: 'n/a',
    securityGroupsInBasicZone: 'no',
    iscsi: 'n/a',
    fibreChannel: 'n/a',
    localDisk: 'yes',
    highAvailability: 'n/a',
    localDiskSnapshots: 'n/a',
    localDiskAsDataDisk: 'n/a',
    workloadBalancing: 'n/a',
    manualLiveMigration: 'n/a',
    linkLocalControlTraffic: 'n/a',
  },
};

/**
 * Whether a hypervisor's virtual routers and system VMs take their control address from the
 * link-local pool (169.254.0.0/16) or from the pod's reserved management range. This decides
 * whether routers eat pod IPs, the most common sizing trap of VMware advanced zones.
 */
export function routerControlUsesPodIps(hypervisor: Hypervisor): boolean {
  return hypervisor === 'VMware' || hypervisor === 'Hyperv';
}

/** One row of `cloud.hypervisor_capabilities`. `undefined` limits are NULL in the database. */
export interface HypervisorCapabilities {
  hypervisor: Hypervisor;
  version: string;
  maxGuestsLimit: number;
  maxDataVolumesLimit: number;
  maxHostsPerCluster: number | undefined;
  securityGroupEnabled: boolean;
  storageMotionSupported: boolean;
}

function rows(
  hypervisor: Hypervisor,
  versions: readonly string[],
  limits: Omit<HypervisorCapabilities, 'hypervisor' | 'version'>,
): HypervisorCapabilities[] {
  return versions.map((version) => ({ hypervisor, version, ...limits }));
}

/** The capability rows as CloudStack seeds them; lookups fall back to the `default` row. */
export const HYPERVISOR_CAPABILITIES: readonly HypervisorCapabilities[] = [
  ...rows('XenServer', ['default', 'XCP 1.0', '5.6', '5.6 FP1', '5.6 SP2'], {
    maxGuestsLimit: 50, maxDataVolumesLimit: 6, maxHostsPerCluster: undefined, securityGroupEnabled: true, storageMotionSupported: false,
  }),
  ...rows('XenServer', ['6.0', '6.0.2'], {
    maxGuestsLimit: 50, maxDataVolumesLimit: 13, maxHostsPerCluster: undefined, securityGroupEnabled: true, storageMotionSupported: false,
  }),
  ...rows('XenServer', ['6.1.0', '6.2.0'], {
    maxGuestsLimit: 50, maxDataVolumesLimit: 13, maxHostsPerCluster: undefined, securityGroupEnabled: true, storageMotionSupported: true,
  }),
  ...rows('XenServer', ['7.0.0'], {
    maxGuestsLimit: 500, maxDataVolumesLimit: 252, maxHostsPerCluster: undefined, securityGroupEnabled: true, storageMotionSupported: true,
  }),
  ...rows('XenServer', ['7.1.0', '7.2.0'], {
    maxGuestsLimit: 500, maxDataVolumesLimit: 13, maxHostsPerCluster: undefined, securityGroupEnabled: false, storageMotionSupported: true,
  }),
  ...rows('XenServer', ['8.2.0'], {
    maxGuestsLimit: 1000, maxDataVolumesLimit: 253, maxHostsPerCluster: 64, securityGroupEnabled: false, storageMotionSupported: true,
  }),
  ...rows('XenProject', ['default'], {
    maxGuestsLimit: 50, maxDataVolumesLimit: 6, maxHostsPerCluster: undefined, securityGroupEnabled: true, storageMotionSupported: false,
  }),
  ...rows('VMware', ['default', '4.0', '4.1'], {
    maxGuestsLimit: 128, maxDataVolumesLimit: 13, maxHostsPerCluster: 32, securityGroupEnabled: false, storageMotionSupported: false,
  }),
  ...rows('VMware', ['5.0', '5.1'], {
    maxGuestsLimit: 128, maxDataVolumesLimit: 13, maxHostsPerCluster: 32, securityGroupEnabled: false, storageMotionSupported: true,
  }),
  ...rows('VMware', ['6.0', '6.5', '6.7.3', '7.0', '7.0.1.0', '7.0.2.0', '7.0.3.0', '8.0', '8.0.0.1', '8.0.0.2', '8.0.0.3'], {
    maxGuestsLimit: 1024, maxDataVolumesLimit: 59, maxHostsPerCluster: 64, securityGroupEnabled: false, storageMotionSupported: true,
  }),
  ...rows('KVM', ['default'], {
    maxGuestsLimit: 50, maxDataVolumesLimit: 6, maxHostsPerCluster: undefined, securityGroupEnabled: true, storageMotionSupported: false,
  }),
  ...rows('LXC', ['default'], {
    maxGuestsLimit: 50, maxDataVolumesLimit: 6, maxHostsPerCluster: undefined, securityGroupEnabled: true, storageMotionSupported: false,
  }),
  ...rows('Hyperv', ['default', '6.2'], {
    maxGuestsLimit: 1024, maxDataVolumesLimit: 64, maxHostsPerCluster: undefined, securityGroupEnabled: false, storageMotionSupported: false,
  }),
  ...rows('BareMetal', ['default'], {
    maxGuestsLimit: 1, maxDataVolumesLimit: 0, maxHostsPerCluster: undefined, securityGroupEnabled: false, storageMotionSupported: false,
  }),
];

/** CloudStack's lookup: the exact (hypervisor, version) row, else that hypervisor's `default` row. */
export function capabilitiesOf(hypervisor: Hypervisor, version: string | undefined): HypervisorCapabilities {
  const exact = version === undefined ? undefined : HYPERVISOR_CAPABILITIES.find((r) => r.hypervisor === hypervisor && r.version === version);
  const row = exact ?? HYPERVISOR_CAPABILITIES.find((r) => r.hypervisor === hypervisor && r.version === 'default');
  assert(row !== undefined, `no default capability row for ${hypervisor}`);
  return row;
}

/** The max-guests limit is not enforced for KVM (checkIfHostReachMaxGuestLimit skips it). */
export function enforcesMaxGuests(hypervisor: Hypervisor): boolean {
  return hypervisor !== 'KVM';
}

/** The documented recommendation for hosts per cluster, below the hard limit. */
export const RECOMMENDED_HOSTS_PER_CLUSTER: Readonly<Partial<Record<Hypervisor, number>>> = {
  XenServer: 8,
  XenProject: 8,
  VMware: 8,
  KVM: 16,
};

/** Primary storage disk format per hypervisor, for reports. */
export const DISK_FORMAT: Readonly<Record<Hypervisor, string>> = {
  XenServer: 'VHD',
  XenProject: 'VHD',
  VMware: 'VMDK',
  KVM: 'QCOW2',
  LXC: 'RAW',
  Hyperv: 'VHD',
  BareMetal: 'none',
};

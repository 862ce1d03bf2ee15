import type { Hypervisor } from '../data/hypervisors.js';
import type { Id } from '../model/entities.js';

/**
 * Planned load of one zone, resolved to the model's ids. This is what the architect expects to
 * run at the end of the planning horizon; sizing turns it into budgets.
 */
export interface ZoneDemand {
  zoneId: Id;
  accounts: number;
  isolatedNetworks: { count: number; redundantRouter: boolean; dualStack: boolean; physicalNetworkId?: Id };
  vpcs: { count: number; tiersPerVpc: number; redundantRouter: boolean; internalLbVms: number; dualStack: boolean; physicalNetworkId?: Id };
  l2Networks: { count: number; physicalNetworkId?: Id };
  acquiredPublicIps: number;
  consoleSessions: number;
  vms: VmGroup[];
  snapshots: { perVolume: number; sizeRatio: number };
}

export type VmNetwork = { kind: 'isolated' } | { kind: 'vpc' } | { kind: 'l2' } | { kind: 'shared'; networkId: Id } | { kind: 'none' };

export interface VmGroup {
  /** Label for reports: the offering name, and the network when it is not the default. */
  label: string;
  offeringId: Id;
  count: number;
  cpuNumber: number;
  cpuSpeedMhz: number;
  memoryMiB: number;
  rootDiskGiB: number;
  dataDiskGiB: number;
  /** Where the root and data disks live. */
  rootStorage: 'shared' | 'local';
  dataStorage: 'shared' | 'local';
  offerHa: boolean;
  hostTags: string[];
  storageTags: string[];
  /** Only clusters of this hypervisor (the template's), when the template names one. */
  hypervisor?: Hypervisor;
  templateId?: string;
  templateSizeGiB: number;
  network: VmNetwork;
}

export interface TemplateDemand {
  name: string;
  sizeGiB: number;
  hypervisor?: Hypervisor;
}

export interface Demand {
  zones: ZoneDemand[];
  templates: TemplateDemand[];
  isos: { name: string; sizeGiB: number }[];
}

export function emptyZoneDemand(zoneId: Id): ZoneDemand {
  return {
    zoneId,
    accounts: 0,
    isolatedNetworks: { count: 0, redundantRouter: false, dualStack: false },
    vpcs: { count: 0, tiersPerVpc: 0, redundantRouter: false, internalLbVms: 0, dualStack: false },
    l2Networks: { count: 0 },
    acquiredPublicIps: 0,
    consoleSessions: 0,
    vms: [],
    snapshots: { perVolume: 0, sizeRatio: 1 },
  };
}

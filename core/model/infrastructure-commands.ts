import type { AllocationState, Id } from './entities.js';
import type { NetworkServiceProviderState } from './infrastructure.js';

/**
 * Changes and removals of infrastructure after it was built: the update and delete verbs of
 * zones, pods, clusters, hosts, storage, physical networks, their providers and IP ranges.
 * Optional fields that are absent stay as they are.
 */

export interface DeleteInfrastructure {
  type: 'deleteZone' | 'deletePod' | 'deleteCluster' | 'deleteImageStore' | 'deletePhysicalNetwork' | 'deleteVlanIpRange';
  id: Id;
}

export interface DeleteHost {
  type: 'deleteHost';
  id: Id;
  /** Delete a host that is not in maintenance: the VMs on it are stopped. */
  forced?: boolean;
}

export interface DeleteStoragePool {
  type: 'deleteStoragePool';
  id: Id;
  forced?: boolean;
}

export interface EditZone {
  type: 'editZone';
  id: Id;
  name?: string;
  dns1?: string;
  dns2?: string;
  internalDns1?: string;
  internalDns2?: string;
  guestCidr?: string;
  /** An empty string clears it. */
  networkDomain?: string;
  localStorageEnabled?: boolean;
  allocationState?: AllocationState;
}

export interface EditPod {
  type: 'editPod';
  id: Id;
  name?: string;
  allocationState?: AllocationState;
}

export interface EditCluster {
  type: 'editCluster';
  id: Id;
  name?: string;
  allocationState?: AllocationState;
}

export interface EditHost {
  type: 'editHost';
  id: Id;
  name?: string;
  tags?: string[];
  allocationState?: AllocationState;
}

export interface UpdateStoragePool {
  type: 'updateStoragePool';
  id: Id;
  name?: string;
  tags?: string[];
  capacityGiB?: number;
  /** false disables the pool (no new volumes), true enables it again. */
  enabled?: boolean;
}

export interface UpdatePhysicalNetwork {
  type: 'updatePhysicalNetwork';
  id: Id;
  /** The whole new set of VNET ranges ("100-199,300-310"); VNETs left out must be free. */
  vlan?: string;
  state?: 'Enabled' | 'Disabled';
  tags?: string[];
}

export interface UpdateNetworkServiceProvider {
  type: 'updateNetworkServiceProvider';
  id: Id;
  state: NetworkServiceProviderState;
}

export interface ConfigureVirtualRouterElement {
  type: 'configureVirtualRouterElement';
  id: Id;
  enabled: boolean;
}

export type InfrastructureCommand =
  | DeleteInfrastructure
  | DeleteHost
  | DeleteStoragePool
  | EditZone
  | EditPod
  | EditCluster
  | EditHost
  | UpdateStoragePool
  | UpdatePhysicalNetwork
  | UpdateNetworkServiceProvider
  | ConfigureVirtualRouterElement;

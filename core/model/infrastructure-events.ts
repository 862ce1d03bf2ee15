import type { Cidr } from '../net/ipv4.js';
import type { Interval } from '../net/pool.js';
import type { Id } from './entities.js';
import type { NetworkServiceProviderState, PhysicalNetworkServices } from './infrastructure.js';

/**
 * Facts of infrastructure changed or removed after it was built. A removal comes after the
 * events that empty what it removes (the ranges of a zone, the VMs of a forced host deletion),
 * so its evolve only takes the record and its derived entries away.
 */

export interface ZoneChanges {
  name?: string;
  dns?: string[];
  internalDns?: string[];
  guestCidr?: Cidr;
  /** An empty string clears it. */
  networkDomain?: string;
  localStorageEnabled?: boolean;
}

export type InfrastructureEvent =
  | { type: 'zoneEdited'; zoneId: Id; changes: ZoneChanges }
  | { type: 'podEdited'; podId: Id; name: string }
  | { type: 'clusterEdited'; clusterId: Id; name: string }
  | { type: 'hostEdited'; hostId: Id; name?: string; tags?: string[] }
  | { type: 'storagePoolEdited'; storagePoolId: Id; name?: string; tags?: string[]; capacityGiB?: number }
  | { type: 'physicalNetworkEdited'; physicalNetworkId: Id; vnetRanges?: Interval[]; state?: 'Enabled' | 'Disabled'; tags?: string[] }
  | { type: 'physicalNetworkServicesAdded'; physicalNetworkId: Id; services: PhysicalNetworkServices }
  | { type: 'networkServiceProviderStateChanged'; physicalNetworkId: Id; providerId: Id; state: NetworkServiceProviderState }
  | { type: 'virtualRouterElementConfigured'; physicalNetworkId: Id; elementId: Id; enabled: boolean }
  | { type: 'zoneDeleted'; zoneId: Id }
  | { type: 'podDeleted'; podId: Id }
  | { type: 'clusterDeleted'; clusterId: Id }
  | { type: 'hostDeleted'; hostId: Id }
  | { type: 'storagePoolDeleted'; storagePoolId: Id }
  | { type: 'imageStoreDeleted'; imageStoreId: Id }
  | { type: 'physicalNetworkDeleted'; physicalNetworkId: Id }
  | { type: 'vlanIpRangeDeleted'; vlanIpRangeId: Id };

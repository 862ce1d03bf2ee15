import type { ConfigurationEvent } from './configuration.js';
import type { IdentityEvent } from './identity-events.js';
import type { InfrastructureEvent } from './infrastructure-events.js';
import type { LifecycleEvent } from './lifecycle-events.js';
import type { TenantEvent } from './tenant-events.js';
import type { NetworkEvent } from './network-events.js';
import type {
  Account,
  Bucket,
  Cluster,
  Dedication,
  DiskOffering,
  Domain,
  Host,
  Id,
  ImageStore,
  ManagementIpRange,
  ManagementPlane,
  ManagementServer,
  Network,
  ObjectStore,
  PhysicalNetwork,
  PhysicalNetworkTraffic,
  Pod,
  Region,
  ServiceOffering,
  StorageNetworkIpRange,
  StoragePool,
  VlanIpRange,
  Vpc,
  Zone,
} from './entities.js';

/**
 * Events are facts: everything decide chose (ids, addresses, hosts) is written into them, so that
 * evolve replays them without a clock or a random source. A creation event carries the id
 * sequence number it consumed, which keeps the id generator in step on replay.
 */
interface Created {
  idSeq: number;
}

export type DomainEvent =
  | ({ type: 'regionCreated'; region: Region } & Created)
  | ({ type: 'zoneCreated'; zone: Zone } & Created)
  | ({ type: 'podCreated'; pod: Pod } & Created)
  | { type: 'podManagementRangeAdded'; podId: Id; range: ManagementIpRange }
  | ({ type: 'clusterCreated'; cluster: Cluster } & Created)
  | ({ type: 'hostAdded'; host: Host } & Created)
  | ({ type: 'storagePoolCreated'; storagePool: StoragePool } & Created)
  | ({ type: 'imageStoreAdded'; imageStore: ImageStore } & Created)
  | ({ type: 'objectStoreAdded'; objectStore: ObjectStore } & Created)
  | ({ type: 'bucketCreated'; bucket: Bucket } & Created)
  | ({ type: 'physicalNetworkCreated'; physicalNetwork: PhysicalNetwork } & Created)
  | { type: 'trafficTypeAdded'; physicalNetworkId: Id; traffic: PhysicalNetworkTraffic }
  | ({ type: 'vlanIpRangeCreated'; vlanIpRange: VlanIpRange } & Created)
  | ({ type: 'storageNetworkIpRangeCreated'; storageNetworkIpRange: StorageNetworkIpRange } & Created)
  | ({ type: 'domainCreated'; domain: Domain } & Created)
  | ({ type: 'accountCreated'; account: Account } & Created)
  | ({ type: 'serviceOfferingCreated'; serviceOffering: ServiceOffering } & Created)
  | ({ type: 'diskOfferingCreated'; diskOffering: DiskOffering } & Created)
  | ({ type: 'networkCreated'; network: Network } & Created)
  | ({ type: 'vpcCreated'; vpc: Vpc } & Created)
  | { type: 'resourceDedicated'; resource: 'zone' | 'pod' | 'cluster' | 'host'; id: Id; dedication: Dedication }
  | { type: 'configurationUpdated'; name: string; value: number | boolean | string }
  | ({ type: 'managementServerRegistered'; managementServer: ManagementServer } & Created)
  | { type: 'managementPlaneConfigured'; managementPlane: ManagementPlane }
  | IdentityEvent
  | ConfigurationEvent
  | LifecycleEvent
  | TenantEvent
  | NetworkEvent
  | InfrastructureEvent;

export type DomainEventType = DomainEvent['type'];

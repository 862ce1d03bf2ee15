import type { Id } from './model/entities.js';
import type { DomainEvent } from './model/events.js';
import type { CloudState } from './model/state.js';
import { hostsOf } from './model/state.js';

/**
 * Effects are what the outside world must do after an event is stored: connect to a host's agent,
 * mount a storage pool on the hosts that reach it, register an image store. Drivers interpret
 * them (simulated or live) and report back with commands; the core never performs them.
 */
export type Effect =
  | { kind: 'host.connect'; hostId: Id }
  | { kind: 'storagePool.attach'; storagePoolId: Id; hostIds: Id[] }
  | { kind: 'imageStore.register'; imageStoreId: Id }
  | { kind: 'physicalNetwork.setup'; physicalNetworkId: Id };

export type EffectKind = Effect['kind'];

export function effectsOf(event: DomainEvent, state: Readonly<CloudState>): Effect[] {
  switch (event.type) {
    case 'hostAdded':
      return [{ kind: 'host.connect', hostId: event.host.id }];
    case 'storagePoolCreated': {
      const pool = event.storagePool;
      const hostIds =
        pool.scope === 'HOST'
          ? pool.hostId === undefined ? [] : [pool.hostId]
          : pool.scope === 'CLUSTER'
            ? pool.clusterId === undefined ? [] : hostsOf(state as CloudState, pool.clusterId).map((h) => h.id)
            : [...state.hosts.values()].filter((h) => h.zoneId === pool.zoneId && (pool.hypervisor === undefined || h.hypervisor === pool.hypervisor)).map((h) => h.id);
      return [{ kind: 'storagePool.attach', storagePoolId: pool.id, hostIds }];
    }
    case 'imageStoreAdded':
      return [{ kind: 'imageStore.register', imageStoreId: event.imageStore.id }];
    case 'trafficTypeAdded':
      return [{ kind: 'physicalNetwork.setup', physicalNetworkId: event.physicalNetworkId }];
    default:
      return [];
  }
}

import { assertNever } from './assert.js';
import type { NetworkEvent } from './model/network-events.js';
import type { CloudState } from './model/state.js';
import type { TenantEvent } from './model/tenant-events.js';

/**
 * Applies the events of the network offering catalogue and of network and VPC updates and
 * restarts. None of them touches a derived structure: offerings are records only, and a restart's
 * new routers come as vmCreated events of their own.
 */

export type GuestNetworkEvent =
  | NetworkEvent
  | Extract<TenantEvent, { type: 'networkOfferingCreated' | 'networkOfferingUpdated' | 'networkUpdated' | 'networkRestarted' }>;

export function evolveNetwork(state: CloudState, event: GuestNetworkEvent): void {
  switch (event.type) {
    case 'networkOfferingCreated': {
      const offering = { ...event.networkOffering, services: [...event.networkOffering.services] };
      state.networkOfferings.set(offering.id, offering);
      return;
    }
    case 'networkOfferingUpdated': {
      const offering = state.networkOfferings.get(event.networkOfferingId)!;
      Object.assign(offering, event.changes);
      return;
    }
    case 'networkOfferingDeleted':
      state.networkOfferings.delete(event.networkOfferingId);
      return;
    case 'networkUpdated': {
      const network = state.networks.get(event.networkId)!;
      if (event.name !== undefined) network.name = event.name;
      if (event.displayText !== undefined) network.displayText = event.displayText;
      return;
    }
    case 'vpcUpdated': {
      const vpc = state.vpcs.get(event.vpcId)!;
      if (event.name !== undefined) vpc.name = event.name;
      if (event.displayText !== undefined) vpc.displayText = event.displayText;
      return;
    }
    case 'networkRestarted':
    case 'vpcRestarted':
      return;
    default:
      assertNever(event, 'network event');
  }
}

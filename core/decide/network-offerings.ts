import type { DeleteNetworkOffering } from '../model/network-commands.js';
import type { CloudState } from '../model/state.js';
import type { CreateNetworkOffering, UpdateNetworkOffering } from '../model/tenant-commands.js';
import { type NetworkOffering, networkOfferingIdOf } from '../model/tenant.js';
import { type DecideContext, type Decision, newId, reject } from './support.js';

/**
 * The catalogue of network offerings (ConfigurationManagerImpl): root admins create them
 * Disabled, enable, rename and retire them; a default offering stays, and an offering a
 * network was created from stays while that network does.
 */

/** CloudStack's Network.Service names, as offerings list them. */
export const NETWORK_SERVICES: readonly string[] = ['Vpn', 'Dhcp', 'Dns', 'SourceNat', 'PortForwarding', 'Lb', 'UserData', 'StaticNat', 'NetworkACL', 'Firewall', 'Gateway', 'SecurityGroup', 'Connectivity'];

/** Services a shared network cannot offer (networking.md §3.4). */
const NOT_FOR_SHARED: readonly string[] = ['PortForwarding', 'Vpn', 'NetworkACL'];

const ok = (events: Extract<Decision, { ok: true }>['events']): Decision => ({ ok: true, events, findings: [] });

function rootAdminOnly(ctx: DecideContext): Decision | undefined {
  return ctx.actor.role === 'RootAdmin' ? undefined : reject('PERMISSION_DENIED', 'only a root admin may change the network offering catalogue');
}

function checkAvailability(availability: 'Optional' | 'Required', guestType: NetworkOffering['guestType'], services: readonly string[]): Decision | undefined {
  if (availability === 'Required' && (guestType !== 'Isolated' || !services.includes('SourceNat'))) {
    return reject('INVALID_PARAMETER', 'Availability can be Required only for networkOfferings of type Isolated with the SourceNat service');
  }
  return undefined;
}

export function decideCreateNetworkOffering(state: CloudState, cmd: CreateNetworkOffering, ctx: DecideContext): Decision {
  const denied = rootAdminOnly(ctx);
  if (denied) return denied;
  if (cmd.name.trim() === '') return reject('INVALID_PARAMETER', 'the name of a network offering must not be empty');
  const services: string[] = [];
  for (const name of cmd.services ?? []) {
    const service = NETWORK_SERVICES.find((s) => s.toLowerCase() === name.toLowerCase());
    if (service === undefined) return reject('INVALID_PARAMETER', `Invalid service ${name}`);
    if (!services.includes(service)) services.push(service);
  }
  const forVpc = cmd.forVpc ?? false;
  if (cmd.guestType === 'L2' && services.some((s) => s !== 'UserData')) return reject('INVALID_PARAMETER', `L2 network offerings offer no services but UserData; got ${services.join(', ')}`);
  if (cmd.guestType === 'Shared') {
    const refused = services.find((s) => NOT_FOR_SHARED.includes(s));
    if (refused !== undefined) return reject('INVALID_PARAMETER', `Service ${refused} is not supported by shared network offerings`);
  }
  if (forVpc && cmd.guestType !== 'Isolated') return reject('INVALID_PARAMETER', 'only offerings of isolated networks can be for VPC tiers');
  if (forVpc && services.includes('Firewall')) return reject('INVALID_PARAMETER', 'VPC tier offerings use network ACLs, not the Firewall service');
  if (cmd.guestType !== 'Isolated' && services.includes('SourceNat')) return reject('INVALID_PARAMETER', `SourceNat is offered by isolated networks only, not by ${cmd.guestType} networks`);
  const availability = cmd.availability ?? 'Optional';
  const unavailable = checkAvailability(availability, cmd.guestType, services);
  if (unavailable) return unavailable;
  if (cmd.networkRateMbps !== undefined && (!Number.isInteger(cmd.networkRateMbps) || cmd.networkRateMbps < 0)) return reject('INVALID_PARAMETER', `network rate ${cmd.networkRateMbps} Mbps is not a whole number of at least 0`);
  const { id, idSeq } = newId(state);
  const networkOffering: NetworkOffering = {
    id,
    name: cmd.name,
    displayText: cmd.displayText,
    guestType: cmd.guestType,
    services,
    forVpc,
    specifyVlan: cmd.specifyVlan ?? false,
    specifyIpRanges: cmd.specifyIpRanges ?? cmd.guestType === 'Shared',
    persistent: cmd.persistent ?? false,
    conserveMode: cmd.conserveMode ?? true,
    // CreateNetworkOfferingCmd: egress is allowed unless the offering says otherwise.
    egressDefaultPolicy: cmd.egressDefaultPolicy ?? true,
    availability,
    isDefault: false,
    state: cmd.state ?? 'Disabled',
    ...(cmd.networkRateMbps === undefined ? {} : { networkRateMbps: cmd.networkRateMbps }),
    ...(cmd.tags === undefined || cmd.tags === '' ? {} : { tags: cmd.tags }),
  };
  return ok([{ type: 'networkOfferingCreated', idSeq, networkOffering }]);
}

export function decideUpdateNetworkOffering(state: CloudState, cmd: UpdateNetworkOffering, ctx: DecideContext): Decision {
  const denied = rootAdminOnly(ctx);
  if (denied) return denied;
  const offering = state.networkOfferings.get(cmd.id);
  if (!offering) return reject('ENTITY_NOT_FOUND', `unable to find network offering ${cmd.id}`);
  const changes: Partial<Pick<NetworkOffering, 'name' | 'displayText' | 'state' | 'availability' | 'tags'>> = {};
  if (cmd.name !== undefined) {
    if (cmd.name.trim() === '') return reject('INVALID_PARAMETER', 'the name of a network offering must not be empty');
    changes.name = cmd.name;
  }
  if (cmd.displayText !== undefined) changes.displayText = cmd.displayText;
  if (cmd.state !== undefined) changes.state = cmd.state;
  if (cmd.availability !== undefined) {
    const unavailable = checkAvailability(cmd.availability, offering.guestType, offering.services);
    if (unavailable) return unavailable;
    changes.availability = cmd.availability;
  }
  if (cmd.tags !== undefined) changes.tags = cmd.tags;
  return ok([{ type: 'networkOfferingUpdated', networkOfferingId: offering.id, changes }]);
}

export function decideDeleteNetworkOffering(state: CloudState, cmd: DeleteNetworkOffering, ctx: DecideContext): Decision {
  const denied = rootAdminOnly(ctx);
  if (denied) return denied;
  const offering = state.networkOfferings.get(cmd.id);
  if (!offering) return reject('ENTITY_NOT_FOUND', `unable to find network offering ${cmd.id}`);
  if (offering.isDefault) return reject('INVALID_PARAMETER', "Default network offering can't be deleted");
  let networks = 0;
  for (const network of state.networks.values()) if (network.state !== 'Destroy' && networkOfferingIdOf(network) === offering.id) networks++;
  if (networks > 0) {
    return reject('INVALID_PARAMETER', `Can't delete network offering ${offering.name} as its used by ${networks} networks. To make the network offering unavailable, disable it`);
  }
  return ok([{ type: 'networkOfferingDeleted', networkOfferingId: offering.id }]);
}

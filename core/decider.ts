import { assertNever } from './assert.js';
import { decideCreateAccount, decideCreateDiskOffering, decideCreateDomain, decideCreateServiceOffering } from './decide/accounts.js';
import {
  decideAddTrafficType,
  decideCreateNetwork,
  decideCreatePhysicalNetwork,
  decideCreateStorageNetworkIpRange,
  decideCreateVlanIpRange,
  decideCreateVpc,
} from './decide/network.js';
import { decideAddImageStore, decideAddObjectStoragePool, decideCreateBucket, decideCreateStoragePool } from './decide/storage.js';
import type { DecideContext, Decision } from './decide/support.js';
import {
  decideAddCluster,
  decideAddHost,
  decideConfigureManagementPlane,
  decideCreateManagementNetworkIpRange,
  decideCreatePod,
  decideCreateRegion,
  decideCreateZone,
  decideDedicate,
  decideRegisterManagementServer,
  decideUpdateConfiguration,
} from './decide/topology.js';
import { type Effect, effectsOf } from './effects.js';
import { evolve } from './evolve.js';
import type { Finding } from './findings.js';
import type { Command } from './model/commands.js';
import type { DomainEvent } from './model/events.js';
import type { CloudState } from './model/state.js';

export type { DecideContext, Decision, Rejection } from './decide/support.js';
export { evolve } from './evolve.js';
export { effectsOf, type Effect } from './effects.js';

/**
 * The core's one entry point for change: reads state, checks every rule, and either rejects with
 * a reason a user can act on or returns the events that record the change. Pure: it never
 * mutates state and draws time and randomness only from the context.
 */
export function decide(state: Readonly<CloudState>, command: Command, ctx: DecideContext): Decision {
  const s = state as CloudState;
  switch (command.type) {
    case 'createRegion': return decideCreateRegion(s, command, ctx);
    case 'createZone': return decideCreateZone(s, command, ctx);
    case 'createPod': return decideCreatePod(s, command, ctx);
    case 'createManagementNetworkIpRange': return decideCreateManagementNetworkIpRange(s, command, ctx);
    case 'addCluster': return decideAddCluster(s, command, ctx);
    case 'addHost': return decideAddHost(s, command, ctx);
    case 'createStoragePool': return decideCreateStoragePool(s, command, ctx);
    case 'addImageStore': return decideAddImageStore(s, command, ctx);
    case 'addObjectStoragePool': return decideAddObjectStoragePool(s, command, ctx);
    case 'createBucket': return decideCreateBucket(s, command, ctx);
    case 'createPhysicalNetwork': return decideCreatePhysicalNetwork(s, command, ctx);
    case 'addTrafficType': return decideAddTrafficType(s, command, ctx);
    case 'createVlanIpRange': return decideCreateVlanIpRange(s, command, ctx);
    case 'createStorageNetworkIpRange': return decideCreateStorageNetworkIpRange(s, command, ctx);
    case 'createDomain': return decideCreateDomain(s, command, ctx);
    case 'createAccount': return decideCreateAccount(s, command, ctx);
    case 'createServiceOffering': return decideCreateServiceOffering(s, command, ctx);
    case 'createDiskOffering': return decideCreateDiskOffering(s, command, ctx);
    case 'createNetwork': return decideCreateNetwork(s, command, ctx);
    case 'createVPC': return decideCreateVpc(s, command, ctx);
    case 'dedicateZone':
    case 'dedicatePod':
    case 'dedicateCluster':
    case 'dedicateHost':
      return decideDedicate(s, command, ctx);
    case 'updateConfiguration': return decideUpdateConfiguration(s, command, ctx);
    case 'registerManagementServer': return decideRegisterManagementServer(s, command, ctx);
    case 'configureManagementPlane': return decideConfigureManagementPlane(s, command, ctx);
    default: return assertNever(command, 'command');
  }
}

export interface Step {
  events: DomainEvent[];
  effects: Effect[];
  findings: Finding[];
}

/**
 * Decides a command and, when accepted, evolves the state with its events and collects the
 * effects those events call for. The runtime's single-writer loop and the scenario builder both
 * go through here.
 */
export function step(state: CloudState, command: Command, ctx: DecideContext): { ok: true; step: Step } | Extract<Decision, { ok: false }> {
  const decision = decide(state, command, ctx);
  if (!decision.ok) return decision;
  const effects: Effect[] = [];
  for (const event of decision.events) {
    evolve(state, event);
    effects.push(...effectsOf(event, state));
  }
  return { ok: true, step: { events: decision.events, effects, findings: decision.findings } };
}

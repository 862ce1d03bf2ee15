import { assertNever } from './assert.js';
import {
  decideCreateAccount,
  decideCreateDiskOffering,
  decideCreateDomain,
  decideCreateServiceOffering,
  decideDeleteAccount,
  decideDeleteDomain,
  decideUpdateAccount,
  decideUpdateDomain,
  decideUpdateResourceLimit,
} from './decide/accounts.js';
import { decideScopedConfiguration } from './decide/configuration.js';
import { decideAddAccountToProject, decideCreateProject, decideDeleteProject } from './decide/projects.js';
import {
  decideAccountState,
  decideCreateRole,
  decideCreateRolePermission,
  decideCreateUser,
  decideDeleteRole,
  decideDeleteRolePermission,
  decideDeleteUser,
  decideRegisterUserKeys,
  decideUpdateRole,
  decideUpdateRolePermission,
  decideUpdateUser,
  decideUserState,
} from './decide/identity.js';
import {
  decideAddTrafficType,
  decideCreateNetwork,
  decideCreatePhysicalNetwork,
  decideCreateStorageNetworkIpRange,
  decideCreateVlanIpRange,
  decideCreateVpc,
  decideRestartNetwork,
  decideRestartVpc,
  decideUpdateNetwork,
  decideUpdateVpc,
} from './decide/network.js';
import { decideCreateNetworkOffering, decideDeleteNetworkOffering, decideUpdateNetworkOffering } from './decide/network-offerings.js';
import { decideAddImageStore, decideAddObjectStoragePool, decideCreateBucket, decideCreateStoragePool } from './decide/storage.js';
import { type DecideContext, type Decision, reject } from './decide/support.js';
import { decideInfrastructure, withPhysicalNetworkServices } from './decide/infrastructure-updates.js';
import {
  decideCreateTags,
  decideCreateTemplate,
  decideDeleteOffering,
  decideDeleteSshKeyPair,
  decideDeleteTags,
  decideRecoverVirtualMachine,
  decideRegisterSshKeyPair,
  decideRevertSnapshot,
  decideUpdateOffering,
  decideUpdateTemplate,
  decideUpdateVirtualMachine,
  decideUpdateVmAffinityGroups,
} from './decide/tenant.js';
import {
  decideEnsureSystemVms,
  decideHostMaintenance,
  decideHaRestartDue,
  decideSystemVmScan,
  decideHostReport,
  decideManagementReport,
  decideStorageRecovered,
  decideStorageReport,
  decideUpdateAllocationState,
} from './decide/ha.js';
import {
  decideAttachVolume,
  decideCreateAffinityGroup,
  decideCreateSnapshot,
  decideCreateVolume,
  decideDeleteAffinityGroup,
  decideDeleteNetwork,
  decideDeleteSnapshot,
  decideDeleteTemplate,
  decideDeleteVpc,
  decideNetworkGc,
  decideRegisterTemplate,
  decideResizeVolume,
  decideVolumeCommand,
} from './decide/resources.js';
import {
  decideAssignToLoadBalancerRule,
  decideAssociateIpAddress,
  decideAuthorizeSecurityGroupRule,
  decideCreateFirewallRule,
  decideCreateLoadBalancerRule,
  decideCreatePortForwardingRule,
  decideCreateSecurityGroup,
  decideDeleteSecurityGroup,
  decideDisableStaticNat,
  decideDisassociateIpAddress,
  decideEnableStaticNat,
  decideRuleDeletion,
} from './decide/services.js';
import {
  decideDeployVirtualMachine,
  decideDestroyVirtualMachine,
  decideEffectFailed,
  decideExpungeVirtualMachine,
  decideMigrateVirtualMachine,
  decideRebootVirtualMachine,
  decideScaleVirtualMachine,
  decideStartVirtualMachine,
  decideStopVirtualMachine,
  decideVmReport,
  decideVmTimer,
} from './decide/vm.js';
import type { LifecycleCommand } from './model/lifecycle-commands.js';
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
import type { Id } from './model/entities.js';
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
  if (!s.managementUp && !WHILE_MANAGEMENT_DOWN.has(command.type)) {
    return reject('RESOURCE_UNAVAILABLE', 'the management server is down; running VMs go on, but nothing can be changed until it returns');
  }
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
    case 'createPhysicalNetwork': return withPhysicalNetworkServices(s, decideCreatePhysicalNetwork(s, command, ctx));
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
    case 'updateConfiguration': return command.scope ? decideScopedConfiguration(s, { ...command, scope: command.scope }, ctx) : decideUpdateConfiguration(s, command, ctx);
    case 'registerManagementServer': return decideRegisterManagementServer(s, command, ctx);
    case 'configureManagementPlane': return decideConfigureManagementPlane(s, command, ctx);
    case 'createUser': return decideCreateUser(s, command, ctx);
    case 'updateUser': return decideUpdateUser(s, command, ctx);
    case 'disableUser':
    case 'enableUser':
    case 'lockUser':
      return decideUserState(s, command, ctx);
    case 'deleteUser': return decideDeleteUser(s, command, ctx);
    case 'registerUserKeys': return decideRegisterUserKeys(s, command, ctx);
    case 'disableAccount':
    case 'enableAccount':
    case 'lockAccount':
      return decideAccountState(s, command, ctx);
    case 'createRole': return decideCreateRole(s, command, ctx);
    case 'createRolePermission': return decideCreateRolePermission(s, command, ctx);
    case 'updateRole': return decideUpdateRole(s, command, ctx);
    case 'deleteRole': return decideDeleteRole(s, command, ctx);
    case 'updateRolePermission': return decideUpdateRolePermission(s, command, ctx);
    case 'deleteRolePermission': return decideDeleteRolePermission(s, command, ctx);
    case 'updateAccount': return decideUpdateAccount(s, command, ctx);
    case 'deleteAccount': return decideDeleteAccount(s, command, ctx);
    case 'updateDomain': return decideUpdateDomain(s, command, ctx);
    case 'deleteDomain': return decideDeleteDomain(s, command, ctx);
    case 'updateResourceLimit': return decideUpdateResourceLimit(s, command, ctx);
    case 'createProject': return decideCreateProject(s, command, ctx);
    case 'deleteProject': return decideDeleteProject(s, command, ctx);
    case 'addAccountToProject': return decideAddAccountToProject(s, command, ctx);
    case 'updateVirtualMachine': return decideUpdateVirtualMachine(s, command, ctx);
    case 'recoverVirtualMachine': return decideRecoverVirtualMachine(s, command, ctx);
    case 'createTemplate': return decideCreateTemplate(s, command, ctx);
    case 'updateTemplate': return decideUpdateTemplate(s, command, ctx);
    case 'registerSSHKeyPair': return decideRegisterSshKeyPair(s, command, ctx);
    case 'deleteSSHKeyPair': return decideDeleteSshKeyPair(s, command, ctx);
    case 'createTags': return decideCreateTags(s, command, ctx);
    case 'deleteTags': return decideDeleteTags(s, command, ctx);
    case 'revertSnapshot': return decideRevertSnapshot(s, command, ctx);
    case 'updateVMAffinityGroup': return decideUpdateVmAffinityGroups(s, command, ctx);
    case 'updateServiceOffering':
    case 'updateDiskOffering':
      return decideUpdateOffering(s, command, ctx);
    case 'deleteServiceOffering':
    case 'deleteDiskOffering':
      return decideDeleteOffering(s, command, ctx);
    case 'createNetworkOffering': return decideCreateNetworkOffering(s, command, ctx);
    case 'updateNetworkOffering': return decideUpdateNetworkOffering(s, command, ctx);
    case 'deleteNetworkOffering': return decideDeleteNetworkOffering(s, command, ctx);
    case 'updateNetwork': return decideUpdateNetwork(s, command, ctx);
    case 'restartNetwork': return decideRestartNetwork(s, command, ctx);
    case 'updateVPC': return decideUpdateVpc(s, command, ctx);
    case 'restartVPC': return decideRestartVpc(s, command, ctx);
    case 'deleteZone':
    case 'deletePod':
    case 'deleteCluster':
    case 'deleteHost':
    case 'deleteStoragePool':
    case 'deleteImageStore':
    case 'deletePhysicalNetwork':
    case 'deleteVlanIpRange':
    case 'editZone':
    case 'editPod':
    case 'editCluster':
    case 'editHost':
    case 'updateStoragePool':
    case 'updatePhysicalNetwork':
    case 'updateNetworkServiceProvider':
    case 'configureVirtualRouterElement':
      return decideInfrastructure(s, command, ctx);
    default: return decideLifecycle(s, command, ctx);
  }
}

/** Commands a stopped management server still takes: reports of the world going on without it. */
const WHILE_MANAGEMENT_DOWN: ReadonlySet<string> = new Set(['managementServerUp', 'managementServerDown']);

function decideLifecycle(s: CloudState, command: LifecycleCommand, ctx: DecideContext): Decision {
  switch (command.type) {
    case 'registerTemplate': return decideRegisterTemplate(s, command, ctx);
    case 'deleteTemplate': return decideDeleteTemplate(s, command, ctx);
    case 'createAffinityGroup': return decideCreateAffinityGroup(s, command, ctx);
    case 'deleteAffinityGroup': return decideDeleteAffinityGroup(s, command, ctx);
    case 'deployVirtualMachine': return decideDeployVirtualMachine(s, command, ctx);
    case 'startVirtualMachine': return decideStartVirtualMachine(s, command, ctx);
    case 'stopVirtualMachine': return decideStopVirtualMachine(s, command, ctx);
    case 'rebootVirtualMachine': return decideRebootVirtualMachine(s, command, ctx);
    case 'expungeVirtualMachine': return decideExpungeVirtualMachine(s, command, ctx);
    case 'destroyVirtualMachine': return decideDestroyVirtualMachine(s, command, ctx);
    case 'migrateVirtualMachine': return decideMigrateVirtualMachine(s, command, ctx);
    case 'scaleVirtualMachine': return decideScaleVirtualMachine(s, command, ctx);
    case 'createVolume': return decideCreateVolume(s, command, ctx);
    case 'attachVolume': return decideAttachVolume(s, command, ctx);
    case 'detachVolume':
    case 'deleteVolume':
      return decideVolumeCommand(s, command, ctx);
    case 'resizeVolume': return decideResizeVolume(s, command, ctx);
    case 'createSnapshot': return decideCreateSnapshot(s, command, ctx);
    case 'deleteSnapshot': return decideDeleteSnapshot(s, command, ctx);
    case 'associateIpAddress': return decideAssociateIpAddress(s, command, ctx);
    case 'disassociateIpAddress': return decideDisassociateIpAddress(s, command, ctx);
    case 'enableStaticNat': return decideEnableStaticNat(s, command, ctx);
    case 'disableStaticNat': return decideDisableStaticNat(s, command, ctx);
    case 'createPortForwardingRule': return decideCreatePortForwardingRule(s, command, ctx);
    case 'createFirewallRule':
    case 'createEgressFirewallRule':
      return decideCreateFirewallRule(s, command, ctx);
    case 'createLoadBalancerRule': return decideCreateLoadBalancerRule(s, command, ctx);
    case 'assignToLoadBalancerRule':
    case 'removeFromLoadBalancerRule':
      return decideAssignToLoadBalancerRule(s, command, ctx);
    case 'deletePortForwardingRule':
    case 'deleteFirewallRule':
    case 'deleteLoadBalancerRule':
    case 'revokeSecurityGroupRule':
      return decideRuleDeletion(s, command, ctx);
    case 'createSecurityGroup': return decideCreateSecurityGroup(s, command, ctx);
    case 'authorizeSecurityGroupIngress':
    case 'authorizeSecurityGroupEgress':
      return decideAuthorizeSecurityGroupRule(s, command, ctx);
    case 'deleteSecurityGroup': return decideDeleteSecurityGroup(s, command, ctx);
    case 'deleteNetwork': return decideDeleteNetwork(s, command, ctx);
    case 'deleteVPC': return decideDeleteVpc(s, command, ctx);
    case 'updateZone':
    case 'updatePod':
    case 'updateCluster':
    case 'updateHost':
      return decideUpdateAllocationState(s, command, ctx);
    case 'prepareHostForMaintenance':
    case 'cancelHostMaintenance':
      return decideHostMaintenance(s, command, ctx);
    case 'enableStorageMaintenance':
    case 'cancelStorageMaintenance':
    case 'storagePoolDown':
    case 'storagePoolUp':
      return decideStorageReport(s, command, ctx);
    case 'ensureSystemVms': return decideEnsureSystemVms(s, command, ctx);
    case 'vmStarted':
    case 'vmStopped':
      return decideVmReport(s, command, ctx);
    case 'effectFailed': return decideEffectFailed(s, command, ctx);
    case 'hostDown':
    case 'hostUp':
      return decideHostReport(s, command, ctx);
    case 'managementServerDown':
    case 'managementServerUp':
      return decideManagementReport(s, command, ctx);
    case 'releaseStoppedCapacity':
    case 'expungeDue':
      return decideVmTimer(s, command, ctx);
    case 'networkGarbageCollection': return decideNetworkGc(s, command, ctx);
    case 'storageRecovered': return decideStorageRecovered(s, command.id, ctx);
    case 'haRestartDue': return decideHaRestartDue(s, command.id, ctx);
    case 'secondaryStorageVmScan':
    case 'consoleProxyScan':
      return decideSystemVmScan(s, command, ctx);
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
  let effects: Effect[] = [];
  let expunged: Set<Id> | undefined;
  for (const event of decision.events) {
    evolve(state, event);
    if (event.type === 'vmExpunged') (expunged ??= new Set()).add(event.vmId);
    effects.push(...effectsOf(event, state));
  }
  // A VM destroyed and expunged by one decision (destroyVirtualMachine with expunge, a system VM
  // manager replacing its VM) needs no expunge timer, though its Destroyed event, seen alone,
  // asks for one.
  if (expunged) effects = effects.filter((e) => !(e.kind === 'timer' && e.command.type === 'expungeDue' && expunged.has(e.command.id)));
  return { ok: true, step: { events: decision.events, effects, findings: decision.findings } };
}

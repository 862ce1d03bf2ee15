import { uuidFor } from '../core/ids.js';
import type { Vm } from '../core/model/compute.js';
import type { DomainEvent } from '../core/model/events.js';
import type { CloudState } from '../core/model/state.js';
import { AlertLog, type AlertSnapshot } from './alerts.js';
import type { ActorRef } from './store/store.js';
import { UsageLog, type UsageSnapshot } from './usage.js';

/**
 * What the event log tells a user, derived from the core's events as they are applied (and
 * again, identically, when a restart replays them): CloudStack's event records (VM.CREATE,
 * VM.START, USER.CREATE, ...) for listEvents, and when each entity was created, for the
 * `created` field of every response.
 */

export type EventLevel = 'INFO' | 'WARN' | 'ERROR';

export interface CloudEvent {
  id: string;
  /** CloudStack's event type, `ENTITY.ACTION`. */
  type: string;
  level: EventLevel;
  description: string;
  /** The account the event is about (the owner of the resource), and its domain. */
  accountId: string;
  domainId: string;
  /** Who caused it: the API caller, or the system for reports of the drivers. */
  userId: string;
  createdMs: number;
  resourceId?: string;
  resourceType?: string;
  resourceName?: string;
}

/** Salt of the event ids, so they never collide with entity ids from the same namespace. */
const EVENT_ID_SALT = 0x45564e54;

export interface ActivitySnapshot {
  events: CloudEvent[];
  createdMs: [string, number][];
  seq: number;
  /** Absent in snapshots taken before alerts were derived. */
  alerts?: AlertSnapshot;
  /** Absent in snapshots taken before usage was derived. */
  usage?: UsageSnapshot;
}

export class ActivityLog {
  readonly events: CloudEvent[] = [];
  private readonly createdMs = new Map<string, number>();
  private seq = 0;
  /** Alerts (listAlerts), derived from the same events. */
  alerts: AlertLog;
  /** Usage periods (listUsageRecords), derived from the same events. */
  usage = new UsageLog();

  constructor(private readonly idNamespace: number) {
    this.alerts = new AlertLog(idNamespace);
  }

  /** The log as plain data, for a snapshot of the server. */
  toSnapshot(): ActivitySnapshot {
    return { events: this.events, createdMs: [...this.createdMs], seq: this.seq, alerts: this.alerts.toSnapshot(), usage: this.usage.toSnapshot() };
  }

  /** The log a snapshot was taken of; later events are observed onto it as they are replayed. */
  static fromSnapshot(idNamespace: number, snapshot: ActivitySnapshot): ActivityLog {
    const log = new ActivityLog(idNamespace);
    for (const event of snapshot.events) log.events.push(event);
    for (const [id, ms] of snapshot.createdMs) log.createdMs.set(id, ms);
    log.seq = snapshot.seq;
    log.alerts = AlertLog.fromSnapshot(idNamespace, snapshot.alerts);
    log.usage = UsageLog.fromSnapshot(snapshot.usage);
    return log;
  }

  /** When an entity was created (the time of the command that created it). */
  createdMsOf(id: string): number | undefined {
    return this.createdMs.get(id);
  }

  /** Observes one event before it is applied: `state` is the state it applies to. */
  observe(event: DomainEvent, state: Readonly<CloudState>, atMs: number, actor: ActorRef): void {
    this.alerts.observe(event, state, atMs);
    this.usage.observe(event, state, atMs);
    const created = createdIdOf(event);
    if (created !== undefined && !this.createdMs.has(created)) this.createdMs.set(created, atMs);
    const add = (type: string, accountId: string, description: string, resource?: { id: string; type: string; name: string }, level: EventLevel = 'INFO'): void => {
      const domainId = state.accounts.get(accountId)?.domainId ?? (event.type === 'accountCreated' ? event.account.domainId : 'ROOT');
      this.events.push({
        id: uuidFor((this.idNamespace ^ EVENT_ID_SALT) >>> 0, ++this.seq),
        type,
        level,
        description,
        accountId,
        domainId,
        userId: actor.userId,
        createdMs: atMs,
        ...(resource ? { resourceId: resource.id, resourceType: resource.type, resourceName: resource.name } : {}),
      });
    };
    const vmResource = (vm: Vm) => ({ id: vm.id, type: EVENT_ENTITY_OF_VM[vm.kind]?.resourceType ?? 'VirtualMachine', name: vm.name });
    switch (event.type) {
      case 'vmCreated': {
        const entity = EVENT_ENTITY_OF_VM[event.vm.kind];
        if (entity) add(`${entity.type}.CREATE`, event.vm.accountId, `Successfully created ${entity.name} ${event.vm.name}`, vmResource(event.vm));
        return;
      }
      case 'vmStateChanged': {
        const vm = state.vms.get(event.vmId);
        const entity = vm && EVENT_ENTITY_OF_VM[vm.kind];
        if (!vm || !entity) return;
        const { type, name } = entity;
        // A system VM's event says why it stopped or went; a user's VM is the user's business.
        const why = vm.kind === 'User' || event.reason === undefined ? '' : `: ${event.reason}`;
        if (event.state === 'Running' && vm.state === 'Starting') add(`${type}.START`, vm.accountId, `Successfully started ${name} ${vm.name}`, vmResource(vm));
        else if (event.state === 'Error' || event.startFailed) add(`${type}.START`, vm.accountId, `Error while starting ${name} ${vm.name}: ${event.reason ?? 'unknown reason'}`, vmResource(vm), 'ERROR');
        else if (event.state === 'Stopped' && (vm.state === 'Running' || vm.state === 'Stopping' || vm.state === 'Starting')) add(`${type}.STOP`, vm.accountId, `Successfully stopped ${name} ${vm.name}${why}`, vmResource(vm));
        else if (event.state === 'Destroyed') add(`${type}.DESTROY`, vm.accountId, `Successfully destroyed ${name} ${vm.name}${why}`, vmResource(vm));
        return;
      }
      case 'vmExpunged': {
        const vm = state.vms.get(event.vmId);
        if (vm?.kind === 'User') add('VM.EXPUNGE', vm.accountId, `Expunged VM ${vm.name}`, vmResource(vm));
        return;
      }
      case 'vmRebooted': {
        const vm = state.vms.get(event.vmId);
        if (vm?.kind === 'User') add('VM.REBOOT', vm.accountId, `Successfully rebooted VM ${vm.name}`, vmResource(vm));
        return;
      }
      case 'vmMigrated': {
        const vm = state.vms.get(event.vmId);
        if (vm?.kind === 'User') add('VM.MIGRATE', vm.accountId, `Migrated VM ${vm.name}`, vmResource(vm));
        return;
      }
      case 'templateRegistered':
        add('TEMPLATE.CREATE', event.template.accountId, `Registered template ${event.template.name}`, { id: event.template.id, type: 'Template', name: event.template.name });
        return;
      case 'networkCreated':
        add('NETWORK.CREATE', event.network.accountId ?? 'system', `Created network ${event.network.name}`, { id: event.network.id, type: 'Network', name: event.network.name });
        return;
      case 'domainCreated':
        add('DOMAIN.CREATE', actor.accountId, `Created domain ${event.domain.path}`, { id: event.domain.id, type: 'Domain', name: event.domain.name });
        return;
      case 'accountCreated':
        add('ACCOUNT.CREATE', event.account.id, `Created account ${event.account.name}`, { id: event.account.id, type: 'Account', name: event.account.name });
        return;
      case 'accountStateChanged': {
        const account = state.accounts.get(event.accountId);
        if (!account) return;
        const action = { enabled: 'ENABLE', disabled: 'DISABLE', locked: 'LOCK' }[event.state];
        add(`ACCOUNT.${action}`, account.id, `Account ${account.name} is ${event.state}`, { id: account.id, type: 'Account', name: account.name });
        return;
      }
      case 'userCreated':
        add('USER.CREATE', event.user.accountId, `Created user ${event.user.username}`, { id: event.user.id, type: 'User', name: event.user.username });
        return;
      case 'userUpdated':
      case 'userStateChanged':
      case 'userDeleted':
      case 'userKeysRegistered': {
        const user = state.users.get(event.userId);
        if (!user) return;
        const type =
          event.type === 'userUpdated' ? 'USER.UPDATE'
            : event.type === 'userDeleted' ? 'USER.DELETE'
              : event.type === 'userKeysRegistered' ? 'REGISTER.USER.KEY'
                : `USER.${{ enabled: 'ENABLE', disabled: 'DISABLE', locked: 'LOCK' }[event.state]}`;
        const what = event.type === 'userKeysRegistered' ? `Registered API keys of user ${user.username}` : `${type === 'USER.UPDATE' ? 'Updated' : type === 'USER.DELETE' ? 'Deleted' : 'Changed the state of'} user ${user.username}`;
        add(type, user.accountId, what, { id: user.id, type: 'User', name: user.username });
        return;
      }
      case 'roleCreated':
        add('ROLE.CREATE', actor.accountId, `Created role ${event.role.name}`, { id: event.role.id, type: 'Role', name: event.role.name });
        return;
      case 'rolePermissionCreated': {
        const role = state.roles.get(event.permission.roleId);
        add('ROLE.PERMISSION.CREATE', actor.accountId, `Added rule ${event.permission.rule} (${event.permission.permission}) to role ${role?.name ?? event.permission.roleId}`, { id: event.permission.id, type: 'RolePermission', name: event.permission.rule });
        return;
      }
      case 'accountUpdated':
      case 'accountDeleted': {
        const account = state.accounts.get(event.accountId);
        if (!account) return;
        const deleted = event.type === 'accountDeleted';
        add(deleted ? 'ACCOUNT.DELETE' : 'ACCOUNT.UPDATE', account.id, `${deleted ? 'Deleted' : 'Updated'} account ${event.type === 'accountUpdated' && event.name !== undefined ? event.name : account.name}`, { id: account.id, type: 'Account', name: account.name });
        return;
      }
      case 'domainUpdated':
      case 'domainDeleted': {
        const domain = state.domains.get(event.domainId);
        if (!domain) return;
        const deleted = event.type === 'domainDeleted';
        add(deleted ? 'DOMAIN.DELETE' : 'DOMAIN.UPDATE', actor.accountId, `${deleted ? 'Deleted' : 'Updated'} domain ${domain.path}`, { id: domain.id, type: 'Domain', name: domain.name });
        return;
      }
      case 'roleUpdated':
      case 'roleDeleted': {
        const role = state.roles.get(event.roleId);
        if (!role) return;
        const deleted = event.type === 'roleDeleted';
        add(deleted ? 'ROLE.DELETE' : 'ROLE.UPDATE', actor.accountId, `${deleted ? 'Deleted' : 'Updated'} role ${role.name}`, { id: role.id, type: 'Role', name: role.name });
        return;
      }
      case 'rolePermissionUpdated':
      case 'rolePermissionsReordered':
      case 'rolePermissionDeleted': {
        const role = state.roles.get(event.roleId);
        if (!role) return;
        const type = event.type === 'rolePermissionDeleted' ? 'ROLE.PERMISSION.DELETE' : 'ROLE.PERMISSION.UPDATE';
        const what = event.type === 'rolePermissionsReordered' ? `Reordered the rules of role ${role.name}` : `${event.type === 'rolePermissionDeleted' ? 'Deleted' : 'Changed'} rule ${role.permissions.find((p) => p.id === event.permissionId)?.rule ?? event.permissionId} of role ${role.name}`;
        add(type, actor.accountId, what, { id: role.id, type: 'Role', name: role.name });
        return;
      }
      case 'projectCreated':
        add('PROJECT.CREATE', event.project.members[0]?.accountId ?? actor.accountId, `Created project ${event.project.name}`, { id: event.project.id, type: 'Project', name: event.project.name });
        return;
      case 'projectDeleted':
      case 'projectAccountAdded': {
        const project = state.projects.get(event.projectId);
        if (!project) return;
        const owner = project.members.find((m) => m.role === 'Admin')?.accountId ?? actor.accountId;
        if (event.type === 'projectDeleted') add('PROJECT.DELETE', owner, `Deleted project ${project.name}`, { id: project.id, type: 'Project', name: project.name });
        else add('PROJECT.ACCOUNT.ADD', owner, `Added account ${state.accounts.get(event.accountId)?.name ?? event.accountId} to project ${project.name}`, { id: project.id, type: 'Project', name: project.name });
        return;
      }
      case 'configurationUpdated':
        add('CONFIGURATION.VALUE.EDIT', actor.accountId, `Set ${event.name} to ${String(event.value)}`);
        return;
      case 'scopedConfigurationUpdated':
        add('CONFIGURATION.VALUE.EDIT', actor.accountId, `Set ${event.name} to ${String(event.value)} for ${event.scope} ${event.scopeId}`);
        return;
      default:
        return;
    }
  }
}

/** The event types the log records, for listEventTypes (with the usual CloudStack ones clients filter on). */
/** The event entity of each VM kind, as CloudStack names them (VM.*, ROUTER.*, PROXY.*, SSVM.*), and the type of the resource. */
const EVENT_ENTITY_OF_VM: Readonly<Record<Vm['kind'], { type: string; name: string; resourceType: string } | undefined>> = {
  User: { type: 'VM', name: 'VM', resourceType: 'VirtualMachine' },
  DomainRouter: { type: 'ROUTER', name: 'router', resourceType: 'DomainRouter' },
  ConsoleProxy: { type: 'PROXY', name: 'console proxy', resourceType: 'SystemVm' },
  SecondaryStorageVm: { type: 'SSVM', name: 'secondary storage VM', resourceType: 'SystemVm' },
  InternalLbVm: undefined,
};

export const EVENT_TYPES: readonly string[] = [
  'VM.CREATE', 'VM.DESTROY', 'VM.START', 'VM.STOP', 'VM.REBOOT', 'VM.UPDATE', 'VM.UPGRADE', 'VM.MIGRATE', 'VM.RESTORE', 'VM.EXPUNGE',
  'ROUTER.CREATE', 'ROUTER.START', 'ROUTER.STOP', 'ROUTER.DESTROY',
  'PROXY.CREATE', 'PROXY.START', 'PROXY.STOP', 'PROXY.DESTROY',
  'SSVM.CREATE', 'SSVM.START', 'SSVM.STOP', 'SSVM.DESTROY',
  'TEMPLATE.CREATE', 'TEMPLATE.DELETE', 'VOLUME.CREATE', 'VOLUME.DELETE', 'VOLUME.ATTACH', 'VOLUME.DETACH', 'VOLUME.RESIZE',
  'SNAPSHOT.CREATE', 'SNAPSHOT.DELETE', 'NET.IPASSIGN', 'NET.IPRELEASE', 'NETWORK.CREATE', 'NETWORK.DELETE',
  'ACCOUNT.CREATE', 'ACCOUNT.UPDATE', 'ACCOUNT.DELETE', 'ACCOUNT.ENABLE', 'ACCOUNT.DISABLE', 'ACCOUNT.LOCK',
  'USER.CREATE', 'USER.UPDATE', 'USER.DELETE', 'USER.ENABLE', 'USER.DISABLE', 'USER.LOCK', 'USER.LOGIN', 'USER.LOGOUT', 'REGISTER.USER.KEY',
  'DOMAIN.CREATE', 'DOMAIN.UPDATE', 'DOMAIN.DELETE',
  'ROLE.CREATE', 'ROLE.UPDATE', 'ROLE.DELETE', 'ROLE.PERMISSION.CREATE', 'ROLE.PERMISSION.UPDATE', 'ROLE.PERMISSION.DELETE',
  'PROJECT.CREATE', 'PROJECT.DELETE', 'PROJECT.ACCOUNT.ADD',
  'CONFIGURATION.VALUE.EDIT',
];

/** The id of the entity a creation event creates. */
function createdIdOf(event: DomainEvent): string | undefined {
  switch (event.type) {
    case 'regionCreated': return event.region.id;
    case 'zoneCreated': return event.zone.id;
    case 'podCreated': return event.pod.id;
    case 'clusterCreated': return event.cluster.id;
    case 'hostAdded': return event.host.id;
    case 'storagePoolCreated': return event.storagePool.id;
    case 'imageStoreAdded': return event.imageStore.id;
    case 'physicalNetworkCreated': return event.physicalNetwork.id;
    case 'vlanIpRangeCreated': return event.vlanIpRange.id;
    case 'domainCreated': return event.domain.id;
    case 'accountCreated': return event.account.id;
    case 'serviceOfferingCreated': return event.serviceOffering.id;
    case 'diskOfferingCreated': return event.diskOffering.id;
    case 'networkCreated': return event.network.id;
    case 'vpcCreated': return event.vpc.id;
    case 'templateRegistered': return event.template.id;
    case 'vmCreated': return event.vm.id;
    case 'volumeCreated': return event.volume.id;
    case 'snapshotCreated': return event.snapshot.id;
    case 'userCreated': return event.user.id;
    case 'roleCreated': return event.role.id;
    case 'publicIpAllocated': return event.publicIp.id;
    default: return undefined;
  }
}

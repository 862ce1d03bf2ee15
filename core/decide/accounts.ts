import { evolve } from '../evolve.js';
import { type Finding, finding } from '../findings.js';
import { domainLimit, domainSubtree, isInDomainSubtree, mayManageDomain, usersOf } from '../identity.js';
import type { CreateAccount, CreateDiskOffering, CreateDomain, CreateServiceOffering } from '../model/commands.js';
import type { Account, Id } from '../model/entities.js';
import type { DomainEvent } from '../model/events.js';
import type { DeleteAccount, DeleteDomain, UpdateAccount, UpdateDomain, UpdateResourceLimit } from '../model/identity-commands.js';
import { ACCOUNT_TYPE_OF_ROLE_TYPE, DEFAULT_ROLE_IDS, RESOURCE_TYPE_BY_NAME, ROLE_TYPE_OF_ACCOUNT_TYPE, UNLIMITED } from '../model/identity.js';
import { restoreState } from '../model/restore.js';
import { snapshotOf } from '../model/snapshot.js';
import { type CloudState, ROOT_DOMAIN_ID } from '../model/state.js';
import { segment } from '../paths.js';
import { mayActOn } from './access.js';
import { checkNewUser, domainScopeRefusal, userRecord } from './identity.js';
import { decideDeleteAffinityGroup, decideDeleteNetwork, decideDeleteSnapshot, decideDeleteTemplate, decideDeleteVpc, decideVolumeCommand } from './resources.js';
import { decideDeleteSecurityGroup, decideDisassociateIpAddress } from './services.js';
import { conclude, type DecideContext, type Decision, newId, ParamReader, reject } from './support.js';
import { decideDeleteSshKeyPair } from './tenant.js';
import { decideDestroyVirtualMachine } from './vm.js';

export function decideCreateDomain(state: CloudState, cmd: CreateDomain, ctx: DecideContext): Decision {
  const parentId = cmd.parentId ?? ROOT_DOMAIN_ID;
  const parent = state.domains.get(parentId);
  if (!parent) return reject('ENTITY_NOT_FOUND', `domain ${parentId} does not exist`);
  const outOfScope = domainScopeRefusal(state, ctx.actor, parentId, 'create domains');
  if (outOfScope) return outOfScope;
  const params = new ParamReader(`domains/${segment(cmd.name)}`);
  params.name('name', cmd.name);
  if (params.failed) return params.rejection();
  for (const domain of state.domains.values()) {
    if (domain.parentId === parentId && domain.name === cmd.name) return reject('INVALID_PARAMETER', `domain ${parent.path}/${cmd.name} already exists`);
  }
  const { id, idSeq } = newId(state);
  return conclude(ctx, [], [{ type: 'domainCreated', idSeq, domain: { id, name: cmd.name, parentId, path: `${parent.path}/${cmd.name}` } }]);
}

export function decideCreateAccount(state: CloudState, cmd: CreateAccount, ctx: DecideContext): Decision {
  const domainId = cmd.domainId ?? ROOT_DOMAIN_ID;
  const domain = state.domains.get(domainId);
  if (!domain) return reject('ENTITY_NOT_FOUND', `domain ${domainId} does not exist`);
  const outOfScope = domainScopeRefusal(state, ctx.actor, domainId, 'create accounts');
  if (outOfScope) return outOfScope;
  const path = `accounts/${segment(cmd.name)}`;
  const params = new ParamReader(path);
  params.name('name', cmd.name);
  if (params.failed) return params.rejection();
  for (const id of state.index.accountsByDomain.get(domainId) ?? []) {
    if (state.accounts.get(id)?.name === cmd.name) return reject('INVALID_PARAMETER', `account ${cmd.name} already exists in domain ${domain.path}`);
  }
  const role = cmd.roleId === undefined ? undefined : state.roles.get(cmd.roleId);
  if (cmd.roleId !== undefined && !role) return reject('ENTITY_NOT_FOUND', `role ${cmd.roleId} does not exist`);
  if (role && cmd.accountType !== undefined && ROLE_TYPE_OF_ACCOUNT_TYPE[cmd.accountType] !== role.type) {
    return reject('INVALID_PARAMETER', `role ${role.name} is of type ${role.type}; it cannot be the role of a ${cmd.accountType} account`);
  }
  const accountType = role ? ACCOUNT_TYPE_OF_ROLE_TYPE[role.type] : cmd.accountType ?? 'User';
  // Nobody hands out more than they hold: only a root admin makes root admin accounts.
  if (ctx.actor.role !== 'RootAdmin' && accountType === 'Admin') return reject('PERMISSION_DENIED', 'only a root admin can create root admin accounts');
  if (cmd.user) {
    const invalid = checkNewUser(state, cmd.user, domainId, `${path}/users/${segment(cmd.user.username)}`);
    if (invalid) return invalid;
  }
  const { id, idSeq } = newId(state);
  const events: DomainEvent[] = [{ type: 'accountCreated', idSeq, account: { id, name: cmd.name, domainId, accountType, state: 'enabled', roleId: role?.id ?? DEFAULT_ROLE_IDS[ROLE_TYPE_OF_ACCOUNT_TYPE[accountType]] } }];
  if (cmd.user) {
    const user = newId(state, 1);
    events.push({ type: 'userCreated', idSeq: user.idSeq, user: userRecord(user.id, id, cmd.user, ctx.nowMs) });
  }
  return conclude(ctx, [], events);
}

export function decideCreateServiceOffering(state: CloudState, cmd: CreateServiceOffering, ctx: DecideContext): Decision {
  const path = `offerings/compute/${segment(cmd.name)}`;
  const params = new ParamReader(path);
  params.name('name', cmd.name);
  params.positive('cpuNumber', cmd.cpuNumber, true);
  params.positive('cpuSpeedMhz', cmd.cpuSpeedMhz);
  params.positive('memoryMiB', cmd.memoryMiB);
  if (cmd.rootDiskGiB !== undefined) params.positive('rootDiskGiB', cmd.rootDiskGiB);
  if (cmd.networkRateMbps !== undefined) params.positive('networkRateMbps', cmd.networkRateMbps);
  if (params.failed) return params.rejection();
  if ([...state.serviceOfferings.values()].some((o) => o.name === cmd.name)) return reject('INVALID_PARAMETER', `a service offering named "${cmd.name}" already exists`);
  const { id, idSeq } = newId(state);
  const findings: Finding[] = [];
  const storageType = cmd.storageType ?? 'shared';
  if (cmd.offerHa && storageType === 'local') {
    findings.push(finding('OFFERING_HA_ON_LOCAL_STORAGE', { path, entityId: id, field: 'offerHa' },
      `offering ${cmd.name} offers HA on local storage`, 'HA restarts need shared primary storage; use storageType: shared or drop offerHa'));
  }
  const offering = {
    id,
    name: cmd.name,
    cpuNumber: cmd.cpuNumber,
    cpuSpeedMhz: cmd.cpuSpeedMhz,
    memoryMiB: cmd.memoryMiB,
    storageType,
    offerHa: cmd.offerHa ?? false,
    hostTags: cmd.hostTags ?? [],
    storageTags: cmd.storageTags ?? [],
    limitCpuUse: cmd.limitCpuUse ?? false,
    ...(cmd.rootDiskGiB === undefined ? {} : { rootDiskGiB: cmd.rootDiskGiB }),
    ...(cmd.networkRateMbps === undefined ? {} : { networkRateMbps: cmd.networkRateMbps }),
    ...(cmd.displayText === undefined ? {} : { displayText: cmd.displayText }),
    ...(cmd.deploymentPlanner === undefined ? {} : { deploymentPlanner: cmd.deploymentPlanner }),
    ...(cmd.systemVmType === undefined ? {} : { systemVmType: cmd.systemVmType }),
  };
  return conclude(ctx, findings, [{ type: 'serviceOfferingCreated', idSeq, serviceOffering: offering }]);
}

export function decideCreateDiskOffering(state: CloudState, cmd: CreateDiskOffering, ctx: DecideContext): Decision {
  const params = new ParamReader(`offerings/disk/${segment(cmd.name)}`);
  params.name('name', cmd.name);
  if (cmd.sizeGiB !== undefined) params.positive('sizeGiB', cmd.sizeGiB);
  if (params.failed) return params.rejection();
  if (cmd.sizeGiB === undefined && !cmd.customized) return reject('INVALID_PARAMETER', `disk offering ${cmd.name} needs a size or customized: true`);
  if ([...state.diskOfferings.values()].some((o) => o.name === cmd.name)) return reject('INVALID_PARAMETER', `a disk offering named "${cmd.name}" already exists`);
  const { id, idSeq } = newId(state);
  const offering = {
    id,
    name: cmd.name,
    customized: cmd.customized ?? false,
    storageType: cmd.storageType ?? 'shared',
    storageTags: cmd.storageTags ?? [],
    ...(cmd.sizeGiB === undefined ? {} : { sizeGiB: cmd.sizeGiB }),
    ...(cmd.displayText === undefined ? {} : { displayText: cmd.displayText }),
  } as const;
  return conclude(ctx, [], [{ type: 'diskOfferingCreated', idSeq, diskOffering: offering }]);
}

// ----- accounts and domains after they were made -----

const accepted = (events: DomainEvent[]): Decision => ({ ok: true, events, findings: [] });

/** A network domain as CloudStack's NetUtils.verifyDomainName takes it. */
const NETWORK_DOMAIN = /^(?=.{1,190}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const NETWORK_DOMAIN_TEXT =
  'Invalid network domain. Total length shouldn\'t exceed 190 chars. Each domain label must be between 1 and 63 characters long, can contain ASCII letters \'a\' through \'z\', the digits \'0\' through \'9\', and the hyphen (\'-\'); can\'t start or end with "-"';

function networkDomainRefusal(value: string | undefined): Decision | undefined {
  return value === undefined || value === '' || NETWORK_DOMAIN.test(value) ? undefined : reject('INVALID_PARAMETER', NETWORK_DOMAIN_TEXT);
}

/** An account the caller may change: not the system account, and within the caller's reach. */
function managedAccount(state: Readonly<CloudState>, ctx: DecideContext, id: Id): Account | Decision {
  const account = state.accounts.get(id);
  if (!account) return reject('ENTITY_NOT_FOUND', 'The specified account does not exist in the system');
  if (account.id === 'system') return reject('PERMISSION_DENIED', `Account id : ${account.id} is a system account, it cannot be changed`);
  if (ctx.actor.role === 'User' || !mayActOn(state, ctx.actor, account.id)) return reject('PERMISSION_DENIED', `the caller may not manage account ${account.name}`);
  return account;
}

const isDecision = (value: object): value is Decision => 'ok' in value;

export function decideUpdateAccount(state: CloudState, cmd: UpdateAccount, ctx: DecideContext): Decision {
  const account = managedAccount(state, ctx, cmd.id);
  if (isDecision(account)) return account;
  const invalidDomain = networkDomainRefusal(cmd.networkDomain);
  if (invalidDomain) return invalidDomain;
  let name: string | undefined;
  if (cmd.newName !== undefined && cmd.newName !== account.name) {
    const params = new ParamReader(`accounts/${segment(account.name)}`);
    params.name('newname', cmd.newName);
    if (params.failed) return params.rejection();
    for (const id of state.index.accountsByDomain.get(account.domainId) ?? []) {
      const other = state.accounts.get(id);
      if (other && other.id !== account.id && other.name === cmd.newName) {
        return reject('INVALID_PARAMETER', `There already exists an account with the name:${cmd.newName} in the domain:${account.domainId} with existing account id:${other.id}`);
      }
    }
    name = cmd.newName;
  }
  const networkDomain = cmd.networkDomain !== undefined && cmd.networkDomain !== (account.networkDomain ?? '') ? cmd.networkDomain : undefined;
  if (name === undefined && networkDomain === undefined) return accepted([]);
  return accepted([{ type: 'accountUpdated', accountId: account.id, ...(name === undefined ? {} : { name }), ...(networkDomain === undefined ? {} : { networkDomain }) }]);
}

/**
 * Decisions taken one after another on a copy of the state, each seeing what the earlier ones
 * did: how an account's clean-up reuses the decisions that delete each kind of resource. The
 * copy is made only when there is something to do (a snapshot restored, as a restart does).
 */
class Rehearsal {
  readonly events: DomainEvent[] = [];
  private copy: CloudState | undefined;

  constructor(private readonly original: Readonly<CloudState>) {}

  /** The state as the events so far left it. */
  get state(): CloudState {
    return this.copy ?? (this.original as CloudState);
  }

  /** Decides on the copy and applies the events there; returns the refusal, if any. */
  decide(decideOne: (state: CloudState) => Decision): string | undefined {
    const decision = decideOne(this.work());
    if (!decision.ok) return decision.rejection.message;
    this.apply(decision.events);
    return undefined;
  }

  apply(events: readonly DomainEvent[]): void {
    const work = this.work();
    for (const event of events) {
      evolve(work, event);
      this.events.push(event);
    }
  }

  private work(): CloudState {
    this.copy ??= restoreState(snapshotOf(this.original as CloudState));
    return this.copy;
  }
}

/**
 * Everything an account owns goes, in CloudStack's clean-up order: VMs (destroyed and expunged
 * at once), then the volumes, snapshots and templates left, the addresses, the networks (VPC
 * tiers first) and VPCs, security and affinity groups, key pairs, the projects it alone runs,
 * its users and the account. Returns why it cannot, if a step is refused.
 */
function cleanUpAccount(rehearsal: Rehearsal, ctx: DecideContext, accountId: Id): string | undefined {
  const failed = (what: string, reason: string) => `Failed to clean up account ${rehearsal.state.accounts.get(accountId)?.name ?? accountId}: ${what}: ${reason}`;
  const owned = <T extends { id: Id; accountId: Id }>(records: Map<Id, T>, live: (record: T) => boolean): Id[] =>
    [...records.values()].filter((r) => r.accountId === accountId && live(r)).map((r) => r.id);
  const steps: [string, (state: CloudState) => Id[], (state: CloudState, id: Id) => Decision][] = [
    ['virtual machine', (s) => [...(s.index.vmsByAccount.get(accountId) ?? [])].filter((id) => s.vms.get(id)?.kind === 'User'),
      (s, id) => decideDestroyVirtualMachine(s, { type: 'destroyVirtualMachine', id, expunge: true }, ctx)],
    // Volumes still attached are routers' root disks: they go with the routers' networks.
    ['volume', (s) => owned(s.volumes, (v) => v.state !== 'Destroy' && v.vmId === undefined), (s, id) => decideVolumeCommand(s, { type: 'deleteVolume', id }, ctx)],
    ['snapshot', (s) => owned(s.snapshots, (v) => v.state !== 'Destroyed'), (s, id) => decideDeleteSnapshot(s, { type: 'deleteSnapshot', id }, ctx)],
    ['template', (s) => owned(s.templates, (t) => t.state !== 'Destroyed'), (s, id) => decideDeleteTemplate(s, { type: 'deleteTemplate', id, forced: true }, ctx)],
    ['public IP', (s) => owned(s.publicIps, (ip) => !ip.sourceNat), (s, id) => decideDisassociateIpAddress(s, { type: 'disassociateIpAddress', id }, ctx)],
    ['network', (s) => {
      const live = (s.index.networksByAccount.get(accountId) ?? []).map((id) => s.networks.get(id)!).filter((n) => n && n.state !== 'Destroy');
      return [...live.filter((n) => n.vpcId !== undefined), ...live.filter((n) => n.vpcId === undefined)].map((n) => n.id);
    }, (s, id) => decideDeleteNetwork(s, { type: 'deleteNetwork', id }, ctx)],
    ['VPC', (s) => [...s.vpcs.values()].filter((v) => v.accountId === accountId).map((v) => v.id), (s, id) => decideDeleteVpc(s, { type: 'deleteVPC', id }, ctx)],
    ['security group', (s) => owned(s.securityGroups, (g) => s.index.defaultSecurityGroupByAccount.get(accountId) !== g.id),
      (s, id) => decideDeleteSecurityGroup(s, { type: 'deleteSecurityGroup', id }, ctx)],
    ['affinity group', (s) => owned(s.affinityGroups, () => true), (s, id) => decideDeleteAffinityGroup(s, { type: 'deleteAffinityGroup', id }, ctx)],
    ['SSH key pair', (s) => owned(s.sshKeyPairs, () => true),
      (s, id) => decideDeleteSshKeyPair(s, { type: 'deleteSSHKeyPair', name: s.sshKeyPairs.get(id)!.name, accountId }, ctx)],
  ];
  for (const [what, idsOf, deleteOne] of steps) {
    for (const id of idsOf(rehearsal.state)) {
      const refused = rehearsal.decide((s) => deleteOne(s, id));
      if (refused !== undefined) return failed(`${what} ${id}`, refused);
    }
  }
  const state = rehearsal.state;
  const events: DomainEvent[] = [];
  // The default security group cannot be deleted on its own; it goes with its account.
  const defaultGroup = state.index.defaultSecurityGroupByAccount.get(accountId);
  if (defaultGroup !== undefined && state.securityGroups.has(defaultGroup)) events.push({ type: 'securityGroupDeleted', securityGroupId: defaultGroup });
  for (const project of state.projects.values()) {
    const admins = project.members.filter((m) => m.role === 'Admin');
    if (admins.length === 1 && admins[0]!.accountId === accountId) events.push({ type: 'projectDeleted', projectId: project.id });
  }
  for (const user of usersOf(state, accountId)) events.push({ type: 'userDeleted', userId: user.id });
  events.push({ type: 'accountDeleted', accountId });
  rehearsal.apply(events);
  return undefined;
}

export function decideDeleteAccount(state: CloudState, cmd: DeleteAccount, ctx: DecideContext): Decision {
  const account = managedAccount(state, ctx, cmd.id);
  if (isDecision(account)) return account;
  if (account.id === ctx.actor.accountId) return reject('PERMISSION_DENIED', 'Deletion of your own account is not allowed. To delete your account please contact your administrator.');
  const rehearsal = new Rehearsal(state);
  const refused = cleanUpAccount(rehearsal, ctx, account.id);
  if (refused !== undefined) return reject('RESOURCE_IN_USE', refused);
  return accepted(rehearsal.events);
}

function siblingNamed(state: Readonly<CloudState>, parentId: Id | undefined, name: string, except: Id): boolean {
  for (const domain of state.domains.values()) if (domain.parentId === parentId && domain.id !== except && domain.name === name) return true;
  return false;
}

export function decideUpdateDomain(state: CloudState, cmd: UpdateDomain, ctx: DecideContext): Decision {
  const domain = state.domains.get(cmd.id);
  if (!domain) return reject('ENTITY_NOT_FOUND', 'Unable to find domain with specified domain id');
  if (domain.parentId === undefined && cmd.name !== undefined && cmd.name !== domain.name) return reject('INVALID_PARAMETER', 'ROOT domain can not be edited with a new name');
  if (!mayManageDomain(state, ctx.actor, domain.id)) return reject('PERMISSION_DENIED', `the caller may not manage domain ${domain.path}`);
  const invalidDomain = networkDomainRefusal(cmd.networkDomain);
  if (invalidDomain) return invalidDomain;
  let name: string | undefined;
  if (cmd.name !== undefined && cmd.name !== domain.name) {
    const params = new ParamReader(`domains/${segment(domain.name)}`);
    params.name('name', cmd.name);
    if (cmd.name.includes('/')) return reject('INVALID_PARAMETER', 'Domain name cannot contain "/"');
    if (params.failed) return params.rejection();
    if (siblingNamed(state, domain.parentId, cmd.name, domain.id)) {
      return reject('INVALID_PARAMETER', `Failed to update specified domain id with name '${cmd.name}' since it already exists in the system`);
    }
    name = cmd.name;
  }
  const networkDomain = cmd.networkDomain !== undefined && cmd.networkDomain !== (domain.networkDomain ?? '') ? cmd.networkDomain : undefined;
  if (name === undefined && networkDomain === undefined) return accepted([]);
  return accepted([{ type: 'domainUpdated', domainId: domain.id, ...(name === undefined ? {} : { name }), ...(networkDomain === undefined ? {} : { networkDomain }) }]);
}

/**
 * Deletes a domain. With `cleanup` its sub-domains go too, deepest first, each with its accounts
 * and everything they own; without it the domain must hold no account and no sub-domain.
 */
export function decideDeleteDomain(state: CloudState, cmd: DeleteDomain, ctx: DecideContext): Decision {
  const domain = state.domains.get(cmd.id);
  if (!domain) return reject('ENTITY_NOT_FOUND', `Unable to find domain by id ${cmd.id}`);
  if (domain.id === ROOT_DOMAIN_ID) return reject('PERMISSION_DENIED', 'Can\'t delete ROOT domain');
  if (!mayManageDomain(state, ctx.actor, domain.id)) return reject('PERMISSION_DENIED', `the caller may not manage domain ${domain.path}`);
  if (isInDomainSubtree(state, ctx.actor.domainId, domain.id)) return reject('PERMISSION_DENIED', `the caller belongs to domain ${domain.path} or below it, and cannot delete it`);
  const subtree = domainSubtree(state, domain.id);
  const accountsOf = (s: Readonly<CloudState>, domainId: Id): Id[] => (s.index.accountsByDomain.get(domainId) ?? []).filter((id) => s.accounts.has(id));
  if (!cmd.cleanup && (subtree.length > 1 || accountsOf(state, domain.id).length > 0)) {
    return reject('RESOURCE_IN_USE', `Delete failed on domain ${domain.name} (id: ${domain.id}); Please make sure all users and sub domains have been removed from the domain before deleting`);
  }
  const rehearsal = new Rehearsal(state);
  for (const domainId of [...subtree].reverse()) {
    for (const accountId of accountsOf(rehearsal.state, domainId)) {
      const refused = cleanUpAccount(rehearsal, ctx, accountId);
      if (refused !== undefined) return reject('RESOURCE_IN_USE', `Failed to clean up domain resources and sub domains, delete failed on domain ${domain.name} (id: ${domain.id}). ${refused}`);
    }
    const projects = [...rehearsal.state.projects.values()].filter((p) => p.domainId === domainId).map((p): DomainEvent => ({ type: 'projectDeleted', projectId: p.id }));
    rehearsal.apply([...projects, { type: 'domainDeleted', domainId }]);
  }
  return accepted(rehearsal.events);
}

// ----- resource limits -----

/**
 * Sets the limit of one resource type on an account, a domain or a project, with CloudStack's
 * rules: -1 is no limit and anything below it is refused; root admin accounts take only -1; an
 * admin may not raise its own account's or domain's limits; ROOT has none; a domain's limit
 * may not exceed its parent's.
 */
export function decideUpdateResourceLimit(state: CloudState, cmd: UpdateResourceLimit, ctx: DecideContext): Decision {
  const type = RESOURCE_TYPE_BY_NAME.get(cmd.resourceType);
  if (!type) return reject('INVALID_PARAMETER', 'Please specify valid resource type');
  if (!Number.isInteger(cmd.max) || cmd.max < UNLIMITED) return reject('INVALID_PARAMETER', 'Please specify either \'-1\' for an infinite limit, or a limit that is at least \'0\'.');
  if (ctx.actor.role === 'User') return reject('PERMISSION_DENIED', 'only an admin can change resource limits');
  const event = (ownerId: Id, owner: 'account' | 'domain' | 'project'): Decision => {
    const current = state.resourceLimits.get(ownerId)?.limits[cmd.resourceType];
    return accepted(current === cmd.max ? [] : [{ type: 'resourceLimitUpdated', ownerId, owner, resourceType: cmd.resourceType, max: cmd.max }]);
  };
  if (cmd.accountId !== undefined) {
    const account = state.accounts.get(cmd.accountId);
    if (!account) return reject('ENTITY_NOT_FOUND', `Unable to find account by id ${cmd.accountId}`);
    if (account.id === 'system') return reject('INVALID_PARAMETER', 'Can\'t update system account');
    if (account.accountType === 'Admin' && cmd.max !== UNLIMITED) return reject('INVALID_PARAMETER', 'Only -1 limit is supported for Root Admin accounts');
    if (account.id === ctx.actor.accountId && ctx.actor.role !== 'RootAdmin') return reject('PERMISSION_DENIED', `Unable to update resource limit for his own account ${account.id}, permission denied`);
    if (!mayActOn(state, ctx.actor, account.id)) return reject('PERMISSION_DENIED', `the caller may not manage account ${account.name}`);
    return event(account.id, 'account');
  }
  if (cmd.projectId !== undefined) {
    const project = state.projects.get(cmd.projectId);
    if (!project) return reject('ENTITY_NOT_FOUND', `Unable to find project by id ${cmd.projectId}`);
    if (!mayManageDomain(state, ctx.actor, project.domainId)) return reject('PERMISSION_DENIED', `the caller may not manage project ${project.name}`);
    return event(project.id, 'project');
  }
  if (cmd.domainId !== undefined) {
    const domain = state.domains.get(cmd.domainId);
    if (!domain) return reject('ENTITY_NOT_FOUND', `Unable to find domain by id ${cmd.domainId}`);
    if (!mayManageDomain(state, ctx.actor, domain.id)) return reject('PERMISSION_DENIED', `the caller may not manage domain ${domain.path}`);
    if (domain.id === ROOT_DOMAIN_ID) return reject('PERMISSION_DENIED', `Cannot update resource limit for ROOT domain ${domain.id}, permission denied`);
    if (domain.id === ctx.actor.domainId && ctx.actor.role !== 'RootAdmin') return reject('PERMISSION_DENIED', `Unable to update resource limit for domain ${domain.id}, permission denied`);
    const parentMax = domain.parentId === undefined ? UNLIMITED : domainLimit(state, domain.parentId, cmd.resourceType);
    if (parentMax >= 0 && (cmd.max === UNLIMITED || cmd.max > parentMax)) {
      return reject('INVALID_PARAMETER', `Domain ${domain.name}(id: ${domain.parentId}) has maximum allowed resource limit ${parentMax} for ${cmd.resourceType}, please specify a value less than or equal to ${parentMax}`);
    }
    return event(domain.id, 'domain');
  }
  return reject('INVALID_PARAMETER', 'AccountId or domainId have to be specified in order to update resource limit');
}

import { type Finding, finding } from '../findings.js';
import type { CreateAccount, CreateDiskOffering, CreateDomain, CreateServiceOffering } from '../model/commands.js';
import type { DomainEvent } from '../model/events.js';
import { ACCOUNT_TYPE_OF_ROLE_TYPE, DEFAULT_ROLE_IDS, ROLE_TYPE_OF_ACCOUNT_TYPE } from '../model/identity.js';
import { type CloudState, ROOT_DOMAIN_ID } from '../model/state.js';
import { segment } from '../paths.js';
import { checkNewUser, domainScopeRefusal, userRecord } from './identity.js';
import { conclude, type DecideContext, type Decision, newId, ParamReader, reject } from './support.js';

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

import { accountLimit, accountResourceCount, domainLimit, domainResourceCount, isInDomainSubtree, mayManageDomain } from '../../core/identity.js';
import type { Account } from '../../core/model/entities.js';
import { RESOURCE_TYPES, type ResourceTypeName, type RoleType } from '../../core/model/identity.js';
import { settingNumber } from '../../core/model/state.js';
import type { CloudState } from '../../core/model/state.js';
import { badValue, permissionDenied } from '../errors.js';
import { ANY_ROLE, type Call, defineCommand, listResult } from '../registry/command.js';
import { LIST_PARAMS } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { type ResourceCountRow, resourceCountView, type ResourceLimitRow, resourceLimitView } from '../views/identity.js';

/**
 * Resource limits (resource types 0 to 11, as CloudStack numbers them): what each account,
 * domain or project may hold, changed by admins, enforced by the core with error 535; and the
 * counts behind them, which the core keeps exact (updateResourceCount reports them).
 */

const LIMIT_ADMINS: readonly RoleType[] = ['Admin', 'ResourceAdmin', 'DomainAdmin'];

function resourceTypeOf(id: number | undefined, name: string | undefined): ResourceTypeName | undefined {
  if (id !== undefined) {
    const type = RESOURCE_TYPES.find((t) => t.id === id);
    if (!type) throw badValue('Please specify valid resource type');
    if (name !== undefined && name !== type.name) throw badValue(`Resource type ${id} is ${type.name}, not ${name}`);
    return type.name;
  }
  if (name !== undefined) {
    const type = RESOURCE_TYPES.find((t) => t.name === name);
    if (!type) throw badValue('Please specify valid resource type name');
    return type.name;
  }
  return undefined;
}

/** The account a limit command names: account with domainid (the caller's domain when absent). */
function accountNamed(call: Call, name: string, domainId: string | undefined): Account {
  const inDomain = domainId ?? call.me().account.domainId;
  if (!call.state.domains.has(inDomain)) throw badValue(`Unable to find domain by id ${inDomain}`);
  const account = (call.state.index.accountsByDomain.get(inDomain) ?? []).map((id) => call.state.accounts.get(id)).find((a) => a?.name === name);
  if (!account) throw badValue(`Unable to find account by name ${name} in domain ${inDomain}`);
  return account;
}

type Owner = { kind: 'account'; account: Account } | { kind: 'domain'; domainId: string } | { kind: 'project'; projectId: string; domainId: string };

/** Whose limits a command is about, with CloudStack's defaults: a user its own account; an admin its own account unless told. */
function ownerOf(call: Call, p: { account?: string | undefined; domainid?: string | undefined; projectid?: string | undefined }): Owner {
  const me = call.me();
  if (p.projectid !== undefined) {
    const project = call.state.projects.get(p.projectid);
    if (!project || (!project.members.some((m) => m.accountId === me.caller.accountId) && !mayManageDomain(call.state, me.caller, project.domainId))) throw badValue(`Unable to find project by id ${p.projectid}`);
    return { kind: 'project', projectId: project.id, domainId: project.domainId };
  }
  if (me.caller.role === 'User') return { kind: 'account', account: me.account };
  if (p.account !== undefined) {
    const account = accountNamed(call, p.account, p.domainid);
    if (!mayManageDomain(call.state, me.caller, account.domainId) && account.id !== me.account.id) throw permissionDenied(`Account ${me.account.name} does not have permission to access account ${account.name}`);
    return { kind: 'account', account };
  }
  if (p.domainid !== undefined) {
    if (!call.state.domains.has(p.domainid)) throw badValue(`Unable to find domain by id ${p.domainid}`);
    if (!mayManageDomain(call.state, me.caller, p.domainid)) throw permissionDenied(`Account ${me.account.name} does not have permission to access domain ${p.domainid}`);
    return { kind: 'domain', domainId: p.domainid };
  }
  return { kind: 'account', account: me.account };
}

function projectLimit(state: Readonly<CloudState>, projectId: string, type: ResourceTypeName): number {
  return state.resourceLimits.get(projectId)?.limits[type] ?? settingNumber(state as CloudState, RESOURCE_TYPES.find((t) => t.name === type)!.setting);
}

function limitRow(state: Readonly<CloudState>, owner: Owner, type: ResourceTypeName): ResourceLimitRow {
  switch (owner.kind) {
    case 'account': return { type, max: accountLimit(state, owner.account.id, type), accountId: owner.account.id, domainId: owner.account.domainId };
    case 'domain': return { type, max: domainLimit(state, owner.domainId, type), domainId: owner.domainId };
    case 'project': return { type, max: projectLimit(state, owner.projectId, type), domainId: owner.domainId, projectId: owner.projectId };
  }
}

export const listResourceLimits = defineCommand({
  name: 'listResourceLimits',
  description: 'Lists resource limits.',
  isAsync: false,
  since: '3.0.0',
  related: 'updateResourceLimit',
  params: {
    ...LIST_PARAMS,
    id: param.long('accepted; limits here have no ids of their own'),
    resourcetype: param.integer('the resource type: 0 user_vm, 1 public_ip, 2 volume, 3 snapshot, 4 template, 5 project, 6 network, 7 vpc, 8 cpu, 9 memory, 10 primary_storage, 11 secondary_storage'),
    resourcetypename: param.string('the resource type by name (user_vm, public_ip, ...)'),
    account: param.string('the account whose limits to list (with domainid)'),
    domainid: param.uuid('the domain whose limits to list, or the domain of account', { related: 'listDomains' }),
    projectid: param.uuid('the project whose limits to list', { related: 'listProjects' }),
    listall: param.boolean('accepted, as CloudStack takes it'),
    isrecursive: param.boolean('accepted, as CloudStack takes it'),
    tag: param.string('accepted, tagged limits are not kept'),
  },
  responseObject: 'resourcelimit',
  response: resourceLimitView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const only = resourceTypeOf(p.resourcetype, p.resourcetypename);
    const owner = ownerOf(call, p);
    const rows = RESOURCE_TYPES.filter((t) => only === undefined || t.name === only).map((t) => limitRow(call.state, owner, t.name));
    const ctx = call.view();
    return listResult(rows, (row) => resourceLimitView.render(row, ctx));
  },
});

export const updateResourceLimit = defineCommand({
  name: 'updateResourceLimit',
  description: 'Updates resource limits for an account or domain.',
  isAsync: false,
  since: '3.0.0',
  related: 'listResourceLimits',
  params: {
    resourcetype: param.integer('the resource type: 0 user_vm ... 11 secondary_storage', { required: true }),
    max: param.long('the new limit; -1 (the default) for none'),
    account: param.string('the account to limit (with domainid)'),
    domainid: param.uuid('the domain to limit, or the domain of account', { related: 'listDomains' }),
    projectid: param.uuid('the project to limit', { related: 'listProjects' }),
    tag: param.string('accepted, tagged limits are not kept'),
  },
  responseObject: 'resourcelimit',
  response: resourceLimitView.fields,
  roles: LIMIT_ADMINS,
  handle(call, p) {
    const type = resourceTypeOf(p.resourcetype, undefined)!;
    const max = p.max ?? -1;
    let owner: Owner;
    if (p.account !== undefined) {
      const account = accountNamed(call, p.account, p.domainid);
      owner = { kind: 'account', account };
      call.run({ type: 'updateResourceLimit', resourceType: type, max, accountId: account.id });
    } else if (p.projectid !== undefined) {
      const project = call.state.projects.get(p.projectid);
      if (!project) throw badValue(`Unable to find project by id ${p.projectid}`);
      owner = { kind: 'project', projectId: project.id, domainId: project.domainId };
      call.run({ type: 'updateResourceLimit', resourceType: type, max, projectId: project.id });
    } else if (p.domainid !== undefined) {
      owner = { kind: 'domain', domainId: p.domainid };
      call.run({ type: 'updateResourceLimit', resourceType: type, max, domainId: p.domainid });
    } else {
      throw badValue('AccountId or domainId have to be specified in order to update resource limit');
    }
    return { kind: 'object', object: resourceLimitView.render(limitRow(call.state, owner, type), call.view()) };
  },
});

export const updateResourceCount = defineCommand({
  name: 'updateResourceCount',
  description: 'Recalculate and update resource count for an account or domain. This also executes some cleanup tasks before calculating resource counts.',
  isAsync: false,
  since: '3.0.0',
  related: 'listResourceLimits',
  params: {
    domainid: param.uuid('the domain to count (or the domain of account)', { required: true, related: 'listDomains' }),
    account: param.string('the account to count instead of the whole domain'),
    resourcetype: param.integer('count only this resource type (0 user_vm ... 11 secondary_storage)'),
    projectid: param.uuid('the project to count', { related: 'listProjects' }),
    tag: param.string('accepted, tagged limits are not kept'),
  },
  responseObject: 'resourcecount',
  response: resourceCountView.fields,
  roles: LIMIT_ADMINS,
  handle(call, p) {
    const only = resourceTypeOf(p.resourcetype, undefined);
    const { caller } = call.me();
    if (!call.state.domains.has(p.domainid)) throw badValue('Please specify a valid domain ID.');
    if (!isInDomainSubtree(call.state, p.domainid, caller.domainId)) throw permissionDenied(`Account ${call.me().account.name} does not have permission to access domain ${p.domainid}`);
    if (p.projectid !== undefined && !call.state.projects.has(p.projectid)) throw badValue(`Unable to find project by id ${p.projectid}`);
    const account = p.account === undefined ? undefined : accountNamed(call, p.account, p.domainid);
    const types = RESOURCE_TYPES.filter((t) => only === undefined || t.name === only).map((t) => t.name);
    // The core keeps every count exact as it goes (evolve), so a recount finds what it holds.
    const rows: ResourceCountRow[] = p.projectid !== undefined
      ? types.map((type) => ({ type, count: 0, domainId: p.domainid, projectId: p.projectid! }))
      : types.map((type) => (account
        ? { type, count: accountResourceCount(call.state, account.id, type), accountId: account.id, domainId: account.domainId }
        : { type, count: domainResourceCount(call.state, p.domainid, type), domainId: p.domainid }));
    const ctx = call.view();
    return listResult(rows, (row) => resourceCountView.render(row, ctx));
  },
});

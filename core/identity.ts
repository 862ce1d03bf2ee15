import type { Account, Id } from './model/entities.js';
import {
  type AccountState,
  DEFAULT_ROLE_IDS,
  type Project,
  RESOURCE_TYPE_BY_NAME,
  type ResourceTypeName,
  type Role,
  ROLE_TYPE_OF_ACCOUNT_TYPE,
  type RoleType,
  ruleMatches,
  UNLIMITED,
  type User,
} from './model/identity.js';
import { type CloudState, ROOT_DOMAIN_ID, settingNumber } from './model/state.js';
import type { Caller } from './ports.js';

/**
 * Questions about identity that the server asks on every request: who a user is as a caller,
 * whether that caller may call an API, and the domain tree. Pure reads of the state.
 */

export function accountStateOf(account: Account): AccountState {
  return account.state ?? 'enabled';
}

export function roleIdOf(account: Account): Id {
  return account.roleId ?? DEFAULT_ROLE_IDS[ROLE_TYPE_OF_ACCOUNT_TYPE[account.accountType]];
}

export function roleOf(state: Readonly<CloudState>, account: Account): Role | undefined {
  return state.roles.get(roleIdOf(account));
}

const CALLER_ROLE: Readonly<Record<RoleType, Caller['role']>> = {
  Admin: 'RootAdmin',
  ResourceAdmin: 'ResourceAdmin',
  DomainAdmin: 'DomainAdmin',
  User: 'User',
};

/** The caller a user acts as: its account, domain and the type of its account's role. */
export function callerOf(state: Readonly<CloudState>, userId: Id): Caller | undefined {
  const user = state.users.get(userId);
  const account = user === undefined ? undefined : state.accounts.get(user.accountId);
  const role = account === undefined ? undefined : roleOf(state, account);
  if (!user || !account || !role) return undefined;
  return { accountId: account.id, userId: user.id, role: CALLER_ROLE[role.type], domainId: account.domainId };
}

/**
 * Whether a caller may call an API, by CloudStack's dynamic role checker: the default Root Admin
 * role may call everything; otherwise the role's rules are tried in order and the first that
 * matches the API name decides; when none matches, the API's own list of role types that may
 * call it decides.
 */
export function mayCall(state: Readonly<CloudState>, caller: Caller, apiName: string, allowedRoleTypes: readonly RoleType[]): boolean {
  const account = state.accounts.get(caller.accountId);
  if (!account) return false;
  // The system account runs the cloud itself (scenario builds, reports): it is never refused.
  if (account.id === 'system') return true;
  const role = roleOf(state, account);
  if (!role) return false;
  if (role.id === DEFAULT_ROLE_IDS.Admin) return true;
  for (const permission of role.permissions) {
    if (ruleMatches(permission.rule, apiName)) return permission.permission === 'allow';
  }
  return allowedRoleTypes.includes(role.type);
}

/** Whether `domainId` is `ancestorId` or below it. */
export function isInDomainSubtree(state: Readonly<CloudState>, domainId: Id, ancestorId: Id): boolean {
  for (let d: Id | undefined = domainId; d !== undefined; d = state.domains.get(d)?.parentId) {
    if (d === ancestorId) return true;
  }
  return false;
}

/** Whether a caller may manage a domain: root admins every domain, domain admins their subtree. */
export function mayManageDomain(state: Readonly<CloudState>, caller: Caller, domainId: Id): boolean {
  if (caller.role === 'RootAdmin') return true;
  if (caller.role === 'User') return false;
  return isInDomainSubtree(state, domainId, caller.domainId);
}

export function usersOf(state: Readonly<CloudState>, accountId: Id): User[] {
  const out: User[] = [];
  for (const id of state.index.usersByAccount.get(accountId) ?? []) {
    const user = state.users.get(id);
    if (user) out.push(user);
  }
  return out;
}

export function userByApiKey(state: Readonly<CloudState>, apiKey: string): User | undefined {
  const id = state.index.usersByApiKey.get(apiKey);
  return id === undefined ? undefined : state.users.get(id);
}

/** The user of a domain with this username (usernames are unique per domain), if any. */
export function userByName(state: Readonly<CloudState>, domainId: Id, username: string): User | undefined {
  for (const accountId of state.index.accountsByDomain.get(domainId) ?? []) {
    for (const user of usersOf(state, accountId)) if (user.username === username) return user;
  }
  return undefined;
}

/** A domain by its path as users write it: `/` or empty for ROOT, `/Comp1/sales` or `ROOT/Comp1/sales` below it. */
export function domainByPath(state: Readonly<CloudState>, path: string): Id | undefined {
  const trimmed = path.trim().replace(/^\/+|\/+$/g, '');
  if (trimmed === '' || trimmed.toUpperCase() === 'ROOT') return ROOT_DOMAIN_ID;
  const full = trimmed.toUpperCase().startsWith('ROOT/') ? trimmed : `ROOT/${trimmed}`;
  for (const domain of state.domains.values()) {
    if (domain.path.toLowerCase() === full.toLowerCase()) return domain.id;
  }
  return undefined;
}

/** A domain and its ancestors, up to ROOT. */
export function domainChain(state: Readonly<CloudState>, domainId: Id): Id[] {
  const chain: Id[] = [];
  for (let d: Id | undefined = domainId; d !== undefined; d = state.domains.get(d)?.parentId) chain.push(d);
  return chain;
}

/** The domains of a subtree, the top first, each parent before its children (creation order within a level). */
export function domainSubtree(state: Readonly<CloudState>, topId: Id): Id[] {
  const children = new Map<Id, Id[]>();
  for (const domain of state.domains.values()) {
    if (domain.parentId === undefined) continue;
    const list = children.get(domain.parentId);
    if (list) list.push(domain.id);
    else children.set(domain.parentId, [domain.id]);
  }
  const out: Id[] = [topId];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]!) ?? []));
  return out;
}

/** Projects whose Admin (owner) is the account. */
export function projectsOwnedBy(state: Readonly<CloudState>, accountId: Id): Project[] {
  return [...state.projects.values()].filter((p) => p.members.some((m) => m.accountId === accountId && m.role === 'Admin'));
}

/** What an account holds of a resource type, as CloudStack counts it. */
export function accountResourceCount(state: Readonly<CloudState>, accountId: Id, type: ResourceTypeName): number {
  if (type === 'project') return projectsOwnedBy(state, accountId).length;
  return state.index.accountUsage.get(accountId)?.[type] ?? 0;
}

/** What the accounts of a domain and of every domain below it hold of a resource type. */
export function domainResourceCount(state: Readonly<CloudState>, domainId: Id, type: ResourceTypeName): number {
  let total = 0;
  for (const d of domainSubtree(state, domainId)) {
    for (const accountId of state.index.accountsByDomain.get(d) ?? []) if (state.accounts.has(accountId)) total += accountResourceCount(state, accountId, type);
  }
  return total;
}

/**
 * The limit of an account for a resource type: the one set on it with updateResourceLimit, or
 * the max.account.* setting. Root admin accounts (and the system account) have none (-1).
 */
export function accountLimit(state: Readonly<CloudState>, accountId: Id, type: ResourceTypeName): number {
  const account = state.accounts.get(accountId);
  if (!account || account.accountType === 'Admin') return UNLIMITED;
  return state.resourceLimits.get(accountId)?.limits[type] ?? settingNumber(state as CloudState, RESOURCE_TYPE_BY_NAME.get(type)!.setting);
}

/** The limit set on a domain for a resource type; a domain without one (and ROOT) has none (-1). */
export function domainLimit(state: Readonly<CloudState>, domainId: Id, type: ResourceTypeName): number {
  if (domainId === ROOT_DOMAIN_ID) return UNLIMITED;
  return state.resourceLimits.get(domainId)?.limits[type] ?? UNLIMITED;
}

/** Whether a limit was set on the account itself, rather than coming from the setting. */
export function hasOwnLimit(state: Readonly<CloudState>, ownerId: Id, type: ResourceTypeName): boolean {
  return state.resourceLimits.get(ownerId)?.limits[type] !== undefined;
}

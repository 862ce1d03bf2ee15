import { accountStateOf, mayManageDomain, userByName } from '../identity.js';
import type { Account, Id } from '../model/entities.js';
import type {
  AccountStateCommand,
  CreateRole,
  CreateRolePermission,
  CreateUser,
  DeleteRole,
  DeleteRolePermission,
  DeleteUser,
  NewUser,
  RegisterUserKeys,
  UpdateRole,
  UpdateRolePermission,
  UpdateUser,
  UserStateCommand,
} from '../model/identity-commands.js';
import type { DomainEvent } from '../model/events.js';
import type { RoleChanges, UserChanges } from '../model/identity-events.js';
import { type AccountState, DEFAULT_ROLE_IDS, type Role, type RolePermission, ROLE_TYPE_OF_ACCOUNT_TYPE, RULE_PATTERN, type User, type UserState } from '../model/identity.js';
import type { CloudState } from '../model/state.js';
import { segment } from '../paths.js';
import type { Caller } from '../ports.js';
import { mayActOn } from './access.js';
import { type DecideContext, type Decision, newId, ParamReader, reject } from './support.js';

/**
 * Users, account states and roles. Who may do what: root admins everything; domain admins the
 * accounts and users of their domain subtree; a user only its own user (update, keys). Roles are
 * root admin business.
 */

const accepted = (events: DomainEvent[]): Decision => ({ ok: true, events, findings: [] });

/** Checks the fields of a new user; the username must be free in the domain. */
export function checkNewUser(state: Readonly<CloudState>, user: NewUser, domainId: Id, path: string): Decision | undefined {
  const params = new ParamReader(path);
  params.name('username', user.username);
  params.name('firstname', user.firstName);
  params.name('lastname', user.lastName);
  params.name('email', user.email);
  params.name('password', user.passwordHash);
  if (params.failed) return params.rejection();
  if (userByName(state, domainId, user.username)) {
    return reject('INVALID_PARAMETER', `The user ${user.username} already exists in domain ${state.domains.get(domainId)?.path ?? domainId}`);
  }
  return undefined;
}

/** The record of a new user, as the event carries it. */
export function userRecord(id: Id, accountId: Id, user: NewUser, createdMs: number): User {
  return {
    id,
    accountId,
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    passwordHash: user.passwordHash,
    state: 'enabled',
    createdMs,
    ...(user.timezone === undefined ? {} : { timezone: user.timezone }),
  };
}

function accountFor(state: CloudState, ctx: DecideContext, accountId: Id): Account | Decision {
  const account = state.accounts.get(accountId);
  if (!account || account.id === 'system') return reject('ENTITY_NOT_FOUND', `account ${accountId} does not exist`);
  if (!mayActOn(state, ctx.actor, account.id)) return reject('PERMISSION_DENIED', `the caller may not manage account ${account.name}`);
  return account;
}

/** The user, if the caller may manage it: its own user always, others through their account. */
function userFor(state: CloudState, ctx: DecideContext, id: Id, ownAllowed: boolean): User | Decision {
  const user = state.users.get(id);
  if (!user) return reject('ENTITY_NOT_FOUND', `user ${id} does not exist`);
  if (ownAllowed && ctx.actor.userId === user.id) return user;
  if (ctx.actor.role === 'User' || !mayActOn(state, ctx.actor, user.accountId)) return reject('PERMISSION_DENIED', `the caller may not manage user ${user.username}`);
  return user;
}

const isDecision = (value: object): value is Decision => 'ok' in value;

export function decideCreateUser(state: CloudState, cmd: CreateUser, ctx: DecideContext): Decision {
  const account = accountFor(state, ctx, cmd.accountId);
  if (isDecision(account)) return account;
  if (ctx.actor.role === 'User') return reject('PERMISSION_DENIED', 'only an admin can create users');
  const invalid = checkNewUser(state, cmd, account.domainId, `accounts/${segment(account.name)}/users/${segment(cmd.username)}`);
  if (invalid) return invalid;
  const { id, idSeq } = newId(state);
  return accepted([{ type: 'userCreated', idSeq, user: userRecord(id, account.id, cmd, ctx.nowMs) }]);
}

export function decideUpdateUser(state: CloudState, cmd: UpdateUser, ctx: DecideContext): Decision {
  const user = userFor(state, ctx, cmd.id, true);
  if (isDecision(user)) return user;
  const changes: UserChanges = {};
  const params = new ParamReader(`users/${segment(user.username)}`);
  for (const [field, value] of [['username', cmd.username], ['firstname', cmd.firstName], ['lastname', cmd.lastName], ['email', cmd.email], ['password', cmd.passwordHash]] as const) {
    if (value !== undefined) params.name(field, value);
  }
  if (params.failed) return params.rejection();
  if (cmd.username !== undefined && cmd.username !== user.username) {
    const domainId = state.accounts.get(user.accountId)!.domainId;
    if (userByName(state, domainId, cmd.username)) return reject('INVALID_PARAMETER', `The user ${cmd.username} already exists in domain ${state.domains.get(domainId)?.path ?? domainId}`);
    changes.username = cmd.username;
  }
  if (cmd.firstName !== undefined) changes.firstName = cmd.firstName;
  if (cmd.lastName !== undefined) changes.lastName = cmd.lastName;
  if (cmd.email !== undefined) changes.email = cmd.email;
  if (cmd.passwordHash !== undefined) changes.passwordHash = cmd.passwordHash;
  if (cmd.timezone !== undefined) changes.timezone = cmd.timezone;
  return accepted(Object.keys(changes).length === 0 ? [] : [{ type: 'userUpdated', userId: user.id, changes }]);
}

const USER_STATE_OF: Readonly<Record<UserStateCommand['type'], UserState>> = { disableUser: 'disabled', enableUser: 'enabled', lockUser: 'locked' };

export function decideUserState(state: CloudState, cmd: UserStateCommand, ctx: DecideContext): Decision {
  const user = userFor(state, ctx, cmd.id, false);
  if (isDecision(user)) return user;
  if (cmd.type !== 'enableUser' && ctx.actor.userId === user.id) return reject('INVALID_PARAMETER', `a user cannot ${cmd.type === 'lockUser' ? 'lock' : 'disable'} itself`);
  const target = USER_STATE_OF[cmd.type];
  if (user.state === target) return accepted([]);
  // A lock is what failed logins do to an enabled user; a disabled user stays disabled.
  if (cmd.type === 'lockUser' && user.state !== 'enabled') return reject('INVALID_STATE', `user ${user.username} is ${user.state}; only an enabled user can be locked`);
  return accepted([{ type: 'userStateChanged', userId: user.id, state: target }]);
}

export function decideDeleteUser(state: CloudState, cmd: DeleteUser, ctx: DecideContext): Decision {
  const user = userFor(state, ctx, cmd.id, false);
  if (isDecision(user)) return user;
  if (ctx.actor.userId === user.id) return reject('INVALID_PARAMETER', 'a user cannot delete itself');
  return accepted([{ type: 'userDeleted', userId: user.id }]);
}

export function decideRegisterUserKeys(state: CloudState, cmd: RegisterUserKeys, ctx: DecideContext): Decision {
  const user = userFor(state, ctx, cmd.id, true);
  if (isDecision(user)) return user;
  const params = new ParamReader(`users/${segment(user.username)}`);
  params.name('apikey', cmd.apiKey);
  params.name('secretkey', cmd.secretKey);
  if (params.failed) return params.rejection();
  const holder = state.index.usersByApiKey.get(cmd.apiKey);
  if (holder !== undefined && holder !== user.id) return reject('INVALID_PARAMETER', 'the API key is already in use');
  return accepted([{ type: 'userKeysRegistered', userId: user.id, apiKey: cmd.apiKey, secretKey: cmd.secretKey }]);
}

const ACCOUNT_STATE_OF: Readonly<Record<AccountStateCommand['type'], AccountState>> = { disableAccount: 'disabled', enableAccount: 'enabled', lockAccount: 'locked' };

export function decideAccountState(state: CloudState, cmd: AccountStateCommand, ctx: DecideContext): Decision {
  const account = accountFor(state, ctx, cmd.id);
  if (isDecision(account)) return account;
  if (ctx.actor.role === 'User') return reject('PERMISSION_DENIED', 'only an admin can change the state of an account');
  if (cmd.type !== 'enableAccount' && ctx.actor.accountId === account.id) return reject('INVALID_PARAMETER', `an account cannot ${cmd.type === 'lockAccount' ? 'lock' : 'disable'} itself`);
  const target = ACCOUNT_STATE_OF[cmd.type];
  if (accountStateOf(account) === target) return accepted([]);
  return accepted([{ type: 'accountStateChanged', accountId: account.id, state: target }]);
}

function rootAdminOnly(ctx: DecideContext, what: string): Decision | undefined {
  return ctx.actor.role === 'RootAdmin' ? undefined : reject('PERMISSION_DENIED', `only a root admin can ${what}`);
}

export function decideCreateRole(state: CloudState, cmd: CreateRole, ctx: DecideContext): Decision {
  const denied = rootAdminOnly(ctx, 'create roles');
  if (denied) return denied;
  const params = new ParamReader(`roles/${segment(cmd.name)}`);
  params.name('name', cmd.name);
  if (params.failed) return params.rejection();
  const source = cmd.fromRoleId === undefined ? undefined : state.roles.get(cmd.fromRoleId);
  if (cmd.fromRoleId !== undefined && !source) return reject('ENTITY_NOT_FOUND', `role ${cmd.fromRoleId} does not exist`);
  const roleType = source?.type ?? cmd.roleType;
  if (roleType === undefined) return reject('INVALID_PARAMETER', 'a role needs a type, or a role to clone (roleid)');
  if (source && cmd.roleType !== undefined && cmd.roleType !== source.type) return reject('INVALID_PARAMETER', `a clone of role ${source.name} has its type ${source.type}, not ${cmd.roleType}`);
  for (const role of state.roles.values()) {
    if (role.name.toLowerCase() === cmd.name.toLowerCase()) return reject('INVALID_PARAMETER', `a role named "${role.name}" already exists`);
  }
  const { id, idSeq } = newId(state, 0);
  const permissions = (source?.permissions ?? []).map((p, i) => ({ ...p, id: newId(state, i + 1).id, roleId: id }));
  const role: Role = {
    id,
    name: cmd.name,
    type: roleType,
    description: cmd.description ?? '',
    isDefault: false,
    isPublic: cmd.isPublic ?? true,
    permissions,
  };
  return accepted([{ type: 'roleCreated', idSeq: idSeq + permissions.length, role }]);
}

export function decideCreateRolePermission(state: CloudState, cmd: CreateRolePermission, ctx: DecideContext): Decision {
  const denied = rootAdminOnly(ctx, 'change roles');
  if (denied) return denied;
  const role = state.roles.get(cmd.roleId);
  if (!role) return reject('ENTITY_NOT_FOUND', `role ${cmd.roleId} does not exist`);
  if (role.id === DEFAULT_ROLE_IDS.Admin) return reject('INVALID_PARAMETER', 'the Root Admin role may call every API; it takes no rules');
  if (!RULE_PATTERN.test(cmd.rule)) return reject('INVALID_PARAMETER', `rule "${cmd.rule}" is not an API name or a pattern of letters, digits and *`);
  if (role.permissions.some((p) => p.rule === cmd.rule)) return reject('INVALID_PARAMETER', `role ${role.name} already has a rule for ${cmd.rule}`);
  const { id, idSeq } = newId(state);
  return accepted([{ type: 'rolePermissionCreated', idSeq, permission: { id, roleId: role.id, rule: cmd.rule, permission: cmd.permission, description: cmd.description ?? '' } }]);
}

/** Accounts whose role is this one (an account without a role id has its type's default role). */
function accountsWithRole(state: Readonly<CloudState>, role: Role): Account[] {
  return [...state.accounts.values()].filter((a) => a.id !== 'system' && (a.roleId ?? DEFAULT_ROLE_IDS[ROLE_TYPE_OF_ACCOUNT_TYPE[a.accountType]]) === role.id);
}

export function decideUpdateRole(state: CloudState, cmd: UpdateRole, ctx: DecideContext): Decision {
  const denied = rootAdminOnly(ctx, 'update roles');
  if (denied) return denied;
  const role = state.roles.get(cmd.id);
  if (!role) return reject('ENTITY_NOT_FOUND', `Unable to find role with id ${cmd.id}`);
  if (role.isDefault) return reject('PERMISSION_DENIED', 'Default roles cannot be updated');
  const changes: RoleChanges = {};
  if (cmd.name !== undefined && cmd.name !== role.name) {
    const params = new ParamReader(`roles/${segment(role.name)}`);
    params.name('name', cmd.name);
    if (params.failed) return params.rejection();
    for (const other of state.roles.values()) {
      if (other.id !== role.id && other.name.toLowerCase() === cmd.name.toLowerCase()) return reject('INVALID_PARAMETER', `a role named "${other.name}" already exists`);
    }
    changes.name = cmd.name;
  }
  if (cmd.roleType !== undefined && cmd.roleType !== role.type) {
    // An account's type follows its role's: changing the type under its accounts would change theirs.
    const users = accountsWithRole(state, role);
    if (users.length > 0) return reject('INVALID_PARAMETER', `The role type of role ${role.name} cannot be changed while accounts use it (${users.map((a) => a.name).join(', ')})`);
    changes.type = cmd.roleType;
  }
  if (cmd.description !== undefined && cmd.description !== role.description) changes.description = cmd.description;
  if (cmd.isPublic !== undefined && cmd.isPublic !== role.isPublic) changes.isPublic = cmd.isPublic;
  return accepted(Object.keys(changes).length === 0 ? [] : [{ type: 'roleUpdated', roleId: role.id, changes }]);
}

export function decideDeleteRole(state: CloudState, cmd: DeleteRole, ctx: DecideContext): Decision {
  const denied = rootAdminOnly(ctx, 'delete roles');
  if (denied) return denied;
  const role = state.roles.get(cmd.id);
  if (!role) return reject('ENTITY_NOT_FOUND', `Unable to find role with id ${cmd.id}`);
  if (role.isDefault) return reject('PERMISSION_DENIED', 'Default roles cannot be deleted');
  if (accountsWithRole(state, role).length > 0) return reject('PERMISSION_DENIED', 'Found accounts which have role in use, won\'t delete role');
  return accepted([{ type: 'roleDeleted', roleId: role.id }]);
}

/** The role holding a rule, and the rule. */
function permissionById(state: Readonly<CloudState>, id: string): { role: Role; permission: RolePermission } | undefined {
  for (const role of state.roles.values()) {
    const permission = role.permissions.find((p) => p.id === id);
    if (permission) return { role, permission };
  }
  return undefined;
}

/**
 * Either a new order for every rule of a role (`ruleOrder` lists each of its rule ids once), or
 * a new permission for one rule (`permissionId` with `permission`), as CloudStack's
 * updateRolePermission takes them.
 */
export function decideUpdateRolePermission(state: CloudState, cmd: UpdateRolePermission, ctx: DecideContext): Decision {
  const denied = rootAdminOnly(ctx, 'change roles');
  if (denied) return denied;
  const role = state.roles.get(cmd.roleId);
  if (!role) return reject('ENTITY_NOT_FOUND', `Unable to find role with id ${cmd.roleId}`);
  if (role.id === DEFAULT_ROLE_IDS.Admin) return reject('INVALID_PARAMETER', 'the Root Admin role may call every API; it takes no rules');
  if (cmd.ruleOrder !== undefined) {
    if (cmd.permissionId !== undefined || cmd.permission !== undefined) return reject('INVALID_PARAMETER', 'Rule order is mutually exclusive with the rule id and permission');
    const ids = new Set(role.permissions.map((p) => p.id));
    const given = new Set(cmd.ruleOrder);
    if (given.size !== cmd.ruleOrder.length || given.size !== ids.size || cmd.ruleOrder.some((id) => !ids.has(id))) {
      return reject('INVALID_PARAMETER', `The rule order must list each of the ${ids.size} rules of role ${role.name} exactly once`);
    }
    return accepted([{ type: 'rolePermissionsReordered', roleId: role.id, order: [...cmd.ruleOrder] }]);
  }
  if (cmd.permissionId === undefined || cmd.permission === undefined) return reject('INVALID_PARAMETER', 'Either the rule order, or the rule id and its permission, must be given');
  const found = permissionById(state, cmd.permissionId);
  if (!found || found.role.id !== role.id) return reject('ENTITY_NOT_FOUND', `Unable to find role permission with id ${cmd.permissionId} in role ${role.name}`);
  if (found.permission.permission === cmd.permission) return accepted([]);
  return accepted([{ type: 'rolePermissionUpdated', roleId: role.id, permissionId: found.permission.id, permission: cmd.permission }]);
}

export function decideDeleteRolePermission(state: CloudState, cmd: DeleteRolePermission, ctx: DecideContext): Decision {
  const denied = rootAdminOnly(ctx, 'change roles');
  if (denied) return denied;
  const found = permissionById(state, cmd.id);
  if (!found) return reject('ENTITY_NOT_FOUND', `Unable to find role permission with id ${cmd.id}`);
  return accepted([{ type: 'rolePermissionDeleted', roleId: found.role.id, permissionId: found.permission.id }]);
}

/** createAccount and createDomain by callers other than the root admin: their own domain subtree only. */
export function domainScopeRefusal(state: Readonly<CloudState>, actor: Caller, domainId: Id, what: string): Decision | undefined {
  if (mayManageDomain(state, actor, domainId)) return undefined;
  return reject('PERMISSION_DENIED', `the caller may not ${what} in domain ${state.domains.get(domainId)?.path ?? domainId}`);
}

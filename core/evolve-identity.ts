import { assertNever } from './assert.js';
import type { IdentityEvent } from './model/identity-events.js';
import type { Role, User } from './model/identity.js';
import { type CloudState, pushIndex } from './model/state.js';
import { copyRecord } from './record.js';

/**
 * Applies the events about users, account states and roles. Records are copied out of the
 * events; the API key index follows the users' keys exactly.
 */
export function evolveIdentity(state: CloudState, event: IdentityEvent): void {
  const index = state.index;
  switch (event.type) {
    case 'userCreated': {
      const user = userRecord(event.user);
      state.users.set(user.id, user);
      pushIndex(index.usersByAccount, user.accountId, user.id);
      if (user.apiKey !== undefined) index.usersByApiKey.set(user.apiKey, user.id);
      return;
    }
    case 'userUpdated': {
      const user = state.users.get(event.userId);
      if (!user) return;
      const { username, firstName, lastName, email, passwordHash, timezone } = event.changes;
      if (username !== undefined) user.username = username;
      if (firstName !== undefined) user.firstName = firstName;
      if (lastName !== undefined) user.lastName = lastName;
      if (email !== undefined) user.email = email;
      if (passwordHash !== undefined) user.passwordHash = passwordHash;
      if (timezone !== undefined) user.timezone = timezone;
      return;
    }
    case 'userStateChanged': {
      const user = state.users.get(event.userId);
      if (user) user.state = event.state;
      return;
    }
    case 'userDeleted': {
      const user = state.users.get(event.userId);
      if (!user) return;
      if (user.apiKey !== undefined) index.usersByApiKey.delete(user.apiKey);
      const siblings = index.usersByAccount.get(user.accountId);
      if (siblings) index.usersByAccount.set(user.accountId, siblings.filter((id) => id !== user.id));
      state.users.delete(user.id);
      return;
    }
    case 'userKeysRegistered': {
      const user = state.users.get(event.userId);
      if (!user) return;
      if (user.apiKey !== undefined) index.usersByApiKey.delete(user.apiKey);
      user.apiKey = event.apiKey;
      user.secretKey = event.secretKey;
      index.usersByApiKey.set(event.apiKey, user.id);
      return;
    }
    case 'accountStateChanged': {
      const account = state.accounts.get(event.accountId);
      if (account) account.state = event.state;
      return;
    }
    case 'roleCreated':
      state.roles.set(event.role.id, roleRecord(event.role));
      return;
    case 'rolePermissionCreated': {
      const role = state.roles.get(event.permission.roleId);
      if (role) role.permissions = [...role.permissions, copyRecord(event.permission)];
      return;
    }
    case 'accountUpdated': {
      const account = state.accounts.get(event.accountId);
      if (!account) return;
      if (event.name !== undefined) account.name = event.name;
      if (event.networkDomain !== undefined) {
        if (event.networkDomain === '') delete account.networkDomain;
        else account.networkDomain = event.networkDomain;
      }
      return;
    }
    case 'accountDeleted': {
      const account = state.accounts.get(event.accountId);
      if (!account) return;
      const siblings = index.accountsByDomain.get(account.domainId);
      if (siblings) index.accountsByDomain.set(account.domainId, siblings.filter((id) => id !== account.id));
      index.usersByAccount.delete(account.id);
      index.accountUsage.delete(account.id);
      index.vmsByAccount.delete(account.id);
      index.defaultSecurityGroupByAccount.delete(account.id);
      state.resourceLimits.delete(account.id);
      for (const project of state.projects.values()) {
        if (project.members.some((m) => m.accountId === account.id)) project.members = project.members.filter((m) => m.accountId !== account.id);
      }
      state.accounts.delete(account.id);
      return;
    }
    case 'domainUpdated': {
      const domain = state.domains.get(event.domainId);
      if (!domain) return;
      if (event.networkDomain !== undefined) {
        if (event.networkDomain === '') delete domain.networkDomain;
        else domain.networkDomain = event.networkDomain;
      }
      if (event.name !== undefined) {
        const oldPath = domain.path;
        domain.name = event.name;
        domain.path = `${oldPath.slice(0, oldPath.lastIndexOf('/') + 1)}${event.name}`;
        for (const other of state.domains.values()) {
          if (other.path.startsWith(`${oldPath}/`)) other.path = `${domain.path}${other.path.slice(oldPath.length)}`;
        }
      }
      return;
    }
    case 'domainDeleted':
      state.domains.delete(event.domainId);
      index.accountsByDomain.delete(event.domainId);
      state.resourceLimits.delete(event.domainId);
      return;
    case 'roleUpdated': {
      const role = state.roles.get(event.roleId);
      if (!role) return;
      const { name, type, description, isPublic } = event.changes;
      if (name !== undefined) role.name = name;
      if (type !== undefined) role.type = type;
      if (description !== undefined) role.description = description;
      if (isPublic !== undefined) role.isPublic = isPublic;
      return;
    }
    case 'roleDeleted':
      state.roles.delete(event.roleId);
      return;
    case 'rolePermissionUpdated': {
      const role = state.roles.get(event.roleId);
      if (role) role.permissions = role.permissions.map((p) => (p.id === event.permissionId ? { ...p, permission: event.permission } : p));
      return;
    }
    case 'rolePermissionsReordered': {
      const role = state.roles.get(event.roleId);
      if (!role) return;
      const byId = new Map(role.permissions.map((p) => [p.id, p]));
      role.permissions = event.order.map((id) => byId.get(id)).filter((p) => p !== undefined);
      return;
    }
    case 'rolePermissionDeleted': {
      const role = state.roles.get(event.roleId);
      if (role) role.permissions = role.permissions.filter((p) => p.id !== event.permissionId);
      return;
    }
    case 'resourceLimitUpdated': {
      const record = state.resourceLimits.get(event.ownerId) ?? { id: event.ownerId, owner: event.owner, limits: {} };
      record.limits = { ...record.limits, [event.resourceType]: event.max };
      state.resourceLimits.set(record.id, record);
      return;
    }
    case 'projectCreated':
      state.projects.set(event.project.id, { ...event.project, members: event.project.members.map((m) => ({ ...m })) });
      return;
    case 'projectDeleted':
      state.projects.delete(event.projectId);
      state.resourceLimits.delete(event.projectId);
      return;
    case 'projectAccountAdded': {
      const project = state.projects.get(event.projectId);
      if (project) project.members = [...project.members, { accountId: event.accountId, role: event.role }];
      return;
    }
    default:
      assertNever(event, 'identity event');
  }
}

function userRecord(user: User): User {
  return copyRecord(user);
}

function roleRecord(role: Role): Role {
  return { ...role, permissions: role.permissions.map((p) => ({ ...p })) };
}

/**
 * Rebuilds the identity indexes from the user records, for a state restored from a snapshot
 * (snapshots carry records, not indexes).
 */
export function rebuildIdentityIndex(state: CloudState): void {
  state.index.usersByApiKey = new Map();
  state.index.usersByAccount = new Map();
  for (const user of state.users.values()) {
    pushIndex(state.index.usersByAccount, user.accountId, user.id);
    if (user.apiKey !== undefined) state.index.usersByApiKey.set(user.apiKey, user.id);
  }
}

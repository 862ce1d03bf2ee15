import { assertNever } from './assert.js';
import type { IdentityEvent } from './model/identity-events.js';
import type { Role, User } from './model/identity.js';
import { type CloudState, pushIndex } from './model/state.js';

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
      if (role) role.permissions = [...role.permissions, { ...event.permission }];
      return;
    }
    default:
      assertNever(event, 'identity event');
  }
}

function userRecord(user: User): User {
  return { ...user };
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

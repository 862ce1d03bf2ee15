import type { Id } from './entities.js';
import type { RoleType, RulePermission } from './identity.js';

/**
 * Commands about users, account states and roles (CloudStack API verbs). The server hashes
 * passwords and generates API keys before it builds a command: they arrive here as strings.
 */

/** A user to create: with createUser, or as the first user of createAccount. */
export interface NewUser {
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  passwordHash: string;
  timezone?: string;
}

export interface CreateUser extends NewUser {
  type: 'createUser';
  accountId: Id;
}

export interface UpdateUser {
  type: 'updateUser';
  id: Id;
  username?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  passwordHash?: string;
  timezone?: string;
}

export interface UserStateCommand {
  type: 'disableUser' | 'enableUser' | 'lockUser';
  id: Id;
}

export interface DeleteUser {
  type: 'deleteUser';
  id: Id;
}

export interface RegisterUserKeys {
  type: 'registerUserKeys';
  id: Id;
  apiKey: string;
  secretKey: string;
}

export interface AccountStateCommand {
  type: 'disableAccount' | 'enableAccount' | 'lockAccount';
  id: Id;
}

export interface CreateRole {
  type: 'createRole';
  name: string;
  /** Required unless the role is cloned from another (`fromRoleId`), whose type it takes. */
  roleType?: RoleType;
  /** Clone this role: its type and its rules. */
  fromRoleId?: Id;
  description?: string;
  isPublic?: boolean;
}

export interface CreateRolePermission {
  type: 'createRolePermission';
  roleId: Id;
  rule: string;
  permission: RulePermission;
  description?: string;
}

export type IdentityCommand =
  | CreateUser
  | UpdateUser
  | UserStateCommand
  | DeleteUser
  | RegisterUserKeys
  | AccountStateCommand
  | CreateRole
  | CreateRolePermission;

import type { Id } from './entities.js';
import type { ProjectRole, ResourceTypeName, RoleType, RulePermission } from './identity.js';

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

export interface UpdateAccount {
  type: 'updateAccount';
  id: Id;
  newName?: string;
  /** '' clears it. */
  networkDomain?: string;
}

/**
 * Deletes an account with everything it owns, as CloudStack's account clean-up does: its VMs
 * are destroyed and expunged, its volumes, snapshots and templates deleted, its addresses
 * released, its networks and VPCs deleted, then its users and the account itself go.
 */
export interface DeleteAccount {
  type: 'deleteAccount';
  id: Id;
}

export interface UpdateDomain {
  type: 'updateDomain';
  id: Id;
  name?: string;
  /** '' clears it. */
  networkDomain?: string;
}

export interface DeleteDomain {
  type: 'deleteDomain';
  id: Id;
  /** Delete the sub-domains and accounts (with their resources) too; otherwise the domain must be empty. */
  cleanup?: boolean;
}

export interface UpdateRole {
  type: 'updateRole';
  id: Id;
  name?: string;
  roleType?: RoleType;
  description?: string;
  isPublic?: boolean;
}

export interface DeleteRole {
  type: 'deleteRole';
  id: Id;
}

/** Either a new order for all of a role's rules, or a new permission for one rule. */
export interface UpdateRolePermission {
  type: 'updateRolePermission';
  roleId: Id;
  ruleOrder?: Id[];
  permissionId?: Id;
  permission?: RulePermission;
}

export interface DeleteRolePermission {
  type: 'deleteRolePermission';
  id: Id;
}

/** Sets the limit of one resource type for an account, a domain or a project; -1 is no limit. */
export interface UpdateResourceLimit {
  type: 'updateResourceLimit';
  resourceType: ResourceTypeName;
  max: number;
  accountId?: Id;
  domainId?: Id;
  projectId?: Id;
}

export interface CreateProject {
  type: 'createProject';
  name: string;
  displayText: string;
  /** The owner: the caller's account when absent. */
  accountId?: Id;
}

export interface DeleteProject {
  type: 'deleteProject';
  id: Id;
}

export interface AddAccountToProject {
  type: 'addAccountToProject';
  projectId: Id;
  accountId: Id;
  role?: ProjectRole;
}

export type IdentityCommand =
  | UpdateAccount
  | DeleteAccount
  | UpdateDomain
  | DeleteDomain
  | UpdateRole
  | DeleteRole
  | UpdateRolePermission
  | DeleteRolePermission
  | UpdateResourceLimit
  | CreateProject
  | DeleteProject
  | AddAccountToProject
  | CreateUser
  | UpdateUser
  | UserStateCommand
  | DeleteUser
  | RegisterUserKeys
  | AccountStateCommand
  | CreateRole
  | CreateRolePermission;

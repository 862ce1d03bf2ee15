import type { Id } from './entities.js';
import type { AccountState, Project, ProjectRole, ResourceLimits, ResourceTypeName, Role, RolePermission, RoleType, User, UserState } from './identity.js';

/**
 * Facts about users, account states and roles. As everywhere, what decide chose (ids, the time a
 * user was created, the hash and keys it was given) is inside the event.
 */
interface Created {
  idSeq: number;
}

/** The fields updateUser may change; absent ones keep their value. */
export interface UserChanges {
  username?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  passwordHash?: string;
  timezone?: string;
}

export interface RoleChanges {
  name?: string;
  type?: RoleType;
  description?: string;
  isPublic?: boolean;
}

export type IdentityEvent =
  | { type: 'accountUpdated'; accountId: Id; name?: string; networkDomain?: string }
  /** The account's users and its limits go with it; its resources went in the events before. */
  | { type: 'accountDeleted'; accountId: Id }
  /** A new name changes the path of the domain and of every domain below it. */
  | { type: 'domainUpdated'; domainId: Id; name?: string; networkDomain?: string }
  | { type: 'domainDeleted'; domainId: Id }
  | { type: 'roleUpdated'; roleId: Id; changes: RoleChanges }
  | { type: 'roleDeleted'; roleId: Id }
  | { type: 'rolePermissionUpdated'; roleId: Id; permissionId: Id; permission: RolePermission['permission'] }
  | { type: 'rolePermissionsReordered'; roleId: Id; order: Id[] }
  | { type: 'rolePermissionDeleted'; roleId: Id; permissionId: Id }
  /** `max` -1 is no limit at all (not the default). */
  | { type: 'resourceLimitUpdated'; ownerId: Id; owner: ResourceLimits['owner']; resourceType: ResourceTypeName; max: number }
  | ({ type: 'projectCreated'; project: Project } & Created)
  | { type: 'projectDeleted'; projectId: Id }
  | { type: 'projectAccountAdded'; projectId: Id; accountId: Id; role: ProjectRole }
  | ({ type: 'userCreated'; user: User } & Created)
  | { type: 'userUpdated'; userId: Id; changes: UserChanges }
  | { type: 'userStateChanged'; userId: Id; state: UserState }
  | { type: 'userDeleted'; userId: Id }
  | { type: 'userKeysRegistered'; userId: Id; apiKey: string; secretKey: string }
  | { type: 'accountStateChanged'; accountId: Id; state: AccountState }
  | ({ type: 'roleCreated'; role: Role } & Created)
  | ({ type: 'rolePermissionCreated'; permission: RolePermission } & Created);

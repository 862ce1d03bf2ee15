import type { Id } from './entities.js';
import type { AccountState, Role, RolePermission, User, UserState } from './identity.js';

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

export type IdentityEvent =
  | ({ type: 'userCreated'; user: User } & Created)
  | { type: 'userUpdated'; userId: Id; changes: UserChanges }
  | { type: 'userStateChanged'; userId: Id; state: UserState }
  | { type: 'userDeleted'; userId: Id }
  | { type: 'userKeysRegistered'; userId: Id; apiKey: string; secretKey: string }
  | { type: 'accountStateChanged'; accountId: Id; state: AccountState }
  | ({ type: 'roleCreated'; role: Role } & Created)
  | ({ type: 'rolePermissionCreated'; permission: RolePermission } & Created);

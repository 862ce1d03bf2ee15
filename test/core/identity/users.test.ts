/**
 * Users and account states in the core: createAccount with its first user, createUser,
 * updateUser, the user states, deleteUser and registerUserKeys. Hashes and keys are plain
 * strings here: the core stores what the server made. The cloud is the tiny datacenter (accounts
 * alice and bob in ROOT) plus a domain "sales" with a domain admin account.
 */
import { describe, expect, it } from 'vitest';
import { evolve } from '../../../core/decider.js';
import { callerOf, userByApiKey, usersOf } from '../../../core/identity.js';
import type { Command } from '../../../core/model/commands.js';
import { DEFAULT_ROLE_IDS } from '../../../core/model/identity.js';
import { snapshotOf } from '../../../core/model/snapshot.js';
import { emptyState } from '../../../core/model/state.js';
import { SYSTEM_CALLER } from '../../../core/ports.js';
import { testCloud, tinyDatacenter, type TestCloud } from '../../support/cloud.js';
import { refusal } from '../lifecycle/fixtures.js';

const NOW_MS = Date.UTC(2026, 0, 1, 12, 0, 0);

function person(username: string) {
  return { username, firstName: `${username}-first`, lastName: `${username}-last`, email: `${username}@example.com`, passwordHash: `hash-of-${username}` };
}

function setUp(): { cloud: TestCloud; salesId: string; salesAdminUserId: string } {
  const cloud = testCloud(tinyDatacenter());
  cloud.ctx.nowMs = NOW_MS;
  cloud.ok({ type: 'createDomain', name: 'sales' });
  const salesId = [...cloud.state.domains.values()].find((d) => d.name === 'sales')!.id;
  cloud.ok({ type: 'createAccount', name: 'sales-admin', domainId: salesId, accountType: 'DomainAdmin', user: person('sam') });
  const salesAdminUserId = [...cloud.state.users.values()].find((u) => u.username === 'sam')!.id;
  return { cloud, salesId, salesAdminUserId };
}

function userNamed(cloud: TestCloud, username: string) {
  const user = [...cloud.state.users.values()].find((u) => u.username === username);
  if (!user) throw new Error(`no user ${username}`);
  return user;
}

function actAs(cloud: TestCloud, userId: string): void {
  cloud.ctx.actor = callerOf(cloud.state, userId)!;
}

describe('createAccount with its first user', () => {
  it('creates the enabled account with the default role of its type and the user, created now', () => {
    const { cloud, salesId } = setUp();
    const account = [...cloud.state.accounts.values()].find((a) => a.name === 'sales-admin')!;
    expect(account).toEqual({ id: account.id, name: 'sales-admin', domainId: salesId, accountType: 'DomainAdmin', state: 'enabled', roleId: DEFAULT_ROLE_IDS.DomainAdmin });
    const sam = userNamed(cloud, 'sam');
    expect(sam).toEqual({
      id: sam.id, accountId: account.id, username: 'sam', firstName: 'sam-first', lastName: 'sam-last', email: 'sam@example.com',
      passwordHash: 'hash-of-sam', state: 'enabled', createdMs: NOW_MS,
    });
    expect(usersOf(cloud.state, account.id).map((u) => u.username)).toEqual(['sam']);
    expect(cloud.events.slice(-2).map((e) => e.type)).toEqual(['accountCreated', 'userCreated']);
  });

  it('takes the type of the role it is given', () => {
    const { cloud } = setUp();
    cloud.ok({ type: 'createAccount', name: 'ops', roleId: DEFAULT_ROLE_IDS.Admin, user: person('olga') });
    expect([...cloud.state.accounts.values()].find((a) => a.name === 'ops')).toMatchObject({ accountType: 'Admin', roleId: DEFAULT_ROLE_IDS.Admin });
    expect(refusal(cloud, { type: 'createAccount', name: 'ops2', roleId: DEFAULT_ROLE_IDS.User, accountType: 'Admin' }))
      .toBe('INVALID_PARAMETER 431 role User is of type User; it cannot be the role of a Admin account');
    expect(refusal(cloud, { type: 'createAccount', name: 'ops3', roleId: 'no-such-role' })).toBe('ENTITY_NOT_FOUND 431 role no-such-role does not exist');
  });

  it('refuses a username already taken in the domain, and accepts it in another domain', () => {
    const { cloud, salesId } = setUp();
    expect(refusal(cloud, { type: 'createAccount', name: 'sales-2', domainId: salesId, user: person('sam') })).toBe('INVALID_PARAMETER 431 The user sam already exists in domain ROOT/sales');
    expect(cloud.state.accounts.size).toBe(4);
    cloud.ok({ type: 'createAccount', name: 'root-sam', user: person('sam') });
    expect([...cloud.state.users.values()].filter((u) => u.username === 'sam')).toHaveLength(2);
  });

  it('refuses an empty username or email, naming the field', () => {
    const { cloud } = setUp();
    expect(refusal(cloud, { type: 'createAccount', name: 'x', user: { ...person('x'), username: ' ' } })).toBe('INVALID_PARAMETER 431 username must not be empty');
    expect(refusal(cloud, { type: 'createAccount', name: 'x', user: { ...person('x'), email: '' } })).toBe('INVALID_PARAMETER 431 email must not be empty');
  });

  it('lets a domain admin create accounts in its subtree only, and never root admin accounts', () => {
    const { cloud, salesId, salesAdminUserId } = setUp();
    actAs(cloud, salesAdminUserId);
    cloud.ok({ type: 'createAccount', name: 'rep', domainId: salesId, user: person('rita') });
    expect(refusal(cloud, { type: 'createAccount', name: 'rep2', user: person('ron') })).toBe('PERMISSION_DENIED 531 the caller may not create accounts in domain ROOT');
    expect(refusal(cloud, { type: 'createAccount', name: 'boss', domainId: salesId, accountType: 'Admin' })).toBe('PERMISSION_DENIED 531 only a root admin can create root admin accounts');
    expect(refusal(cloud, { type: 'createDomain', name: 'elsewhere' })).toBe('PERMISSION_DENIED 531 the caller may not create domains in domain ROOT');
    cloud.ok({ type: 'createDomain', name: 'emea', parentId: salesId });
    expect([...cloud.state.domains.values()].map((d) => d.path)).toEqual(['ROOT', 'ROOT/sales', 'ROOT/sales/emea']);
  });
});

describe('createUser', () => {
  it('adds a user to an account; a domain admin may in its subtree, a user may not at all', () => {
    const { cloud, salesId, salesAdminUserId } = setUp();
    const alice = cloud.idOf('account', 'alice');
    cloud.ok({ type: 'createUser', accountId: alice, ...person('al'), timezone: 'Europe/Paris' });
    expect(userNamed(cloud, 'al')).toMatchObject({ accountId: alice, timezone: 'Europe/Paris', state: 'enabled', createdMs: NOW_MS });
    actAs(cloud, salesAdminUserId);
    expect(refusal(cloud, { type: 'createUser', accountId: alice, ...person('mallory') })).toBe('PERMISSION_DENIED 531 the caller may not manage account alice');
    cloud.ok({ type: 'createAccount', name: 'rep', domainId: salesId, user: person('rita') });
    cloud.ok({ type: 'createUser', accountId: [...cloud.state.accounts.values()].find((a) => a.name === 'rep')!.id, ...person('rob') });
    actAs(cloud, userNamed(cloud, 'al').id);
    expect(refusal(cloud, { type: 'createUser', accountId: alice, ...person('al2') })).toBe('PERMISSION_DENIED 531 only an admin can create users');
    expect(refusal(cloud, { type: 'createUser', accountId: 'system', ...person('sys') })).toBe('ENTITY_NOT_FOUND 431 account system does not exist');
  });
});

describe('updateUser, the user states and deleteUser', () => {
  function withAl(): { cloud: TestCloud; alId: string; bobUserId: string; salesAdminUserId: string } {
    const { cloud, salesAdminUserId } = setUp();
    cloud.ok({ type: 'createUser', accountId: cloud.idOf('account', 'alice'), ...person('al') });
    cloud.ok({ type: 'createUser', accountId: cloud.idOf('account', 'bob'), ...person('bo') });
    return { cloud, alId: userNamed(cloud, 'al').id, bobUserId: userNamed(cloud, 'bo').id, salesAdminUserId };
  }

  it('lets a user change its own names, email and password, but not another user', () => {
    const { cloud, alId, bobUserId } = withAl();
    actAs(cloud, alId);
    cloud.ok({ type: 'updateUser', id: alId, firstName: 'Alan', email: 'alan@example.com', passwordHash: 'new-hash' });
    expect(userNamed(cloud, 'al')).toMatchObject({ firstName: 'Alan', lastName: 'al-last', email: 'alan@example.com', passwordHash: 'new-hash' });
    expect(refusal(cloud, { type: 'updateUser', id: bobUserId, firstName: 'x' })).toBe('PERMISSION_DENIED 531 the caller may not manage user bo');
    expect(userNamed(cloud, 'bo').firstName).toBe('bo-first');
  });

  it('refuses a new username that another user of the domain has', () => {
    const { cloud, alId } = withAl();
    expect(refusal(cloud, { type: 'updateUser', id: alId, username: 'sam' })).toBeUndefined();
    expect(refusal(cloud, { type: 'updateUser', id: alId, username: 'bo' })).toBe('INVALID_PARAMETER 431 The user bo already exists in domain ROOT');
  });

  it('disables, locks and enables a user; a disabled user cannot be locked; nobody disables itself', () => {
    const { cloud, alId, bobUserId } = withAl();
    cloud.ok({ type: 'lockUser', id: alId });
    expect(userNamed(cloud, 'al').state).toBe('locked');
    cloud.ok({ type: 'disableUser', id: alId });
    expect(refusal(cloud, { type: 'lockUser', id: alId })).toBe('INVALID_STATE 431 user al is disabled; only an enabled user can be locked');
    cloud.ok({ type: 'enableUser', id: alId });
    expect(userNamed(cloud, 'al').state).toBe('enabled');
    const before = cloud.events.length;
    cloud.ok({ type: 'enableUser', id: alId });
    expect(cloud.events.length).toBe(before);
    actAs(cloud, bobUserId);
    expect(refusal(cloud, { type: 'disableUser', id: bobUserId })).toBe('PERMISSION_DENIED 531 the caller may not manage user bo');
    cloud.ctx.actor = { ...SYSTEM_CALLER, userId: bobUserId };
    expect(refusal(cloud, { type: 'disableUser', id: bobUserId })).toBe('INVALID_PARAMETER 431 a user cannot disable itself');
  });

  it('deletes a user with its key from the index', () => {
    const { cloud, alId } = withAl();
    cloud.ok({ type: 'registerUserKeys', id: alId, apiKey: 'key-al', secretKey: 'secret-al' });
    cloud.ok({ type: 'deleteUser', id: alId });
    expect(cloud.state.users.has(alId)).toBe(false);
    expect(userByApiKey(cloud.state, 'key-al')).toBeUndefined();
    expect(usersOf(cloud.state, cloud.idOf('account', 'alice'))).toEqual([]);
    expect(refusal(cloud, { type: 'deleteUser', id: alId })).toBe(`ENTITY_NOT_FOUND 431 user ${alId} does not exist`);
  });

  it('disables and enables an account; an account cannot disable itself', () => {
    const { cloud, salesAdminUserId } = withAl();
    const alice = cloud.idOf('account', 'alice');
    cloud.ok({ type: 'disableAccount', id: alice });
    expect(cloud.state.accounts.get(alice)!.state).toBe('disabled');
    cloud.ok({ type: 'enableAccount', id: alice });
    expect(cloud.state.accounts.get(alice)!.state).toBe('enabled');
    actAs(cloud, salesAdminUserId);
    expect(refusal(cloud, { type: 'lockAccount', id: cloud.state.users.get(salesAdminUserId)!.accountId })).toBe('INVALID_PARAMETER 431 an account cannot lock itself');
  });
});

describe('registerUserKeys', () => {
  it('stores the keys it is given and indexes the API key; new keys replace the old ones', () => {
    const { cloud } = setUp();
    const sam = userNamed(cloud, 'sam');
    cloud.ok({ type: 'registerUserKeys', id: sam.id, apiKey: 'key-1', secretKey: 'secret-1' });
    expect(userByApiKey(cloud.state, 'key-1')).toMatchObject({ id: sam.id, apiKey: 'key-1', secretKey: 'secret-1' });
    cloud.ok({ type: 'registerUserKeys', id: sam.id, apiKey: 'key-2', secretKey: 'secret-2' });
    expect(userByApiKey(cloud.state, 'key-1')).toBeUndefined();
    expect(userByApiKey(cloud.state, 'key-2')?.secretKey).toBe('secret-2');
  });

  it('refuses an API key another user holds, and lets a user register its own keys only', () => {
    const { cloud, salesAdminUserId } = setUp();
    cloud.ok({ type: 'createUser', accountId: cloud.idOf('account', 'alice'), ...person('al') });
    const al = userNamed(cloud, 'al');
    cloud.ok({ type: 'registerUserKeys', id: al.id, apiKey: 'taken', secretKey: 's' });
    expect(refusal(cloud, { type: 'registerUserKeys', id: salesAdminUserId, apiKey: 'taken', secretKey: 's2' })).toBe('INVALID_PARAMETER 431 the API key is already in use');
    actAs(cloud, al.id);
    cloud.ok({ type: 'registerUserKeys', id: al.id, apiKey: 'mine', secretKey: 's3' });
    expect(refusal(cloud, { type: 'registerUserKeys', id: salesAdminUserId, apiKey: 'yours', secretKey: 's4' })).toBe('PERMISSION_DENIED 531 the caller may not manage user sam');
  });
});

describe('replay', () => {
  it('folds the identity events into an empty state and gets the same users, roles, accounts and key index', () => {
    const { cloud } = setUp();
    const commands: Command[] = [
      { type: 'createUser', accountId: cloud.idOf('account', 'alice'), ...person('al') },
      { type: 'registerUserKeys', id: userNamed(cloud, 'sam').id, apiKey: 'k', secretKey: 's' },
      { type: 'createRole', name: 'auditor', roleType: 'User', description: 'reads' },
    ];
    for (const command of commands) cloud.ok(command);
    const role = [...cloud.state.roles.values()].find((r) => r.name === 'auditor')!;
    cloud.ok({ type: 'createRolePermission', roleId: role.id, rule: 'list*', permission: 'allow' });
    cloud.ok({ type: 'lockUser', id: userNamed(cloud, 'al').id });
    const replayed = emptyState(cloud.state.idNamespace);
    for (const event of JSON.parse(JSON.stringify([...cloud.buildEvents, ...cloud.events]))) evolve(replayed, event);
    expect(snapshotOf(replayed)).toEqual(snapshotOf(cloud.state));
    expect(replayed.index.usersByApiKey).toEqual(cloud.state.index.usersByApiKey);
    expect(replayed.index.usersByAccount).toEqual(cloud.state.index.usersByAccount);
  });
});

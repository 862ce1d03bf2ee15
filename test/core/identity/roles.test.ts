/**
 * Roles and the API check: the four default roles with CloudStack's types, custom roles with
 * ordered allow/deny rules (first match wins, `*` wildcards), the fallback to the API's own role
 * types when no rule matches, and the root admin who may call everything.
 */
import { describe, expect, it } from 'vitest';
import { callerOf, mayCall } from '../../../core/identity.js';
import { DEFAULT_ROLE_IDS, type RoleType, ruleMatches } from '../../../core/model/identity.js';
import { emptyState } from '../../../core/model/state.js';
import { SYSTEM_CALLER } from '../../../core/ports.js';
import { testCloud, tinyDatacenter, type TestCloud } from '../../support/cloud.js';
import { refusal } from '../lifecycle/fixtures.js';

const USER_APIS: readonly RoleType[] = ['Admin', 'ResourceAdmin', 'DomainAdmin', 'User'];
const ADMIN_APIS: readonly RoleType[] = ['Admin'];

function person(username: string) {
  return { username, firstName: 'F', lastName: 'L', email: `${username}@example.com`, passwordHash: 'h' };
}

/** A cloud with a custom role "auditor" (type User) and an account "audit" holding it, user "ann". */
function setUp(): { cloud: TestCloud; roleId: string; annId: string } {
  const cloud = testCloud(tinyDatacenter());
  cloud.ok({ type: 'createRole', name: 'auditor', roleType: 'User', description: 'reads everything, changes nothing' });
  const roleId = [...cloud.state.roles.values()].find((r) => r.name === 'auditor')!.id;
  cloud.ok({ type: 'createAccount', name: 'audit', roleId, user: person('ann') });
  const annId = [...cloud.state.users.values()].find((u) => u.username === 'ann')!.id;
  return { cloud, roleId, annId };
}

describe('the default roles', () => {
  it('are the four CloudStack roles with their types, in role id order', () => {
    const roles = [...emptyState().roles.values()].map((r) => `${r.id} ${r.name} ${r.type} default=${r.isDefault}`);
    expect(roles).toEqual([
      '00000000-0000-4000-8000-000000000001 Root Admin Admin default=true',
      '00000000-0000-4000-8000-000000000002 Resource Admin ResourceAdmin default=true',
      '00000000-0000-4000-8000-000000000003 Domain Admin DomainAdmin default=true',
      '00000000-0000-4000-8000-000000000004 User User default=true',
    ]);
  });

  it('make callers of the matching kind', () => {
    const cloud = testCloud(tinyDatacenter());
    cloud.ok({ type: 'createAccount', name: 'root2', accountType: 'Admin', user: person('root2') });
    cloud.ok({ type: 'createAccount', name: 'res', accountType: 'ResourceAdmin', user: person('res') });
    cloud.ok({ type: 'createAccount', name: 'u', user: person('u') });
    const roleOfUser = (name: string) => callerOf(cloud.state, [...cloud.state.users.values()].find((x) => x.username === name)!.id)!.role;
    expect(['root2', 'res', 'u'].map(roleOfUser)).toEqual(['RootAdmin', 'ResourceAdmin', 'User']);
    expect(callerOf(cloud.state, 'nobody')).toBeUndefined();
  });
});

describe('mayCall', () => {
  it('falls back to the API role types when no rule matches', () => {
    const { cloud, annId } = setUp();
    const ann = callerOf(cloud.state, annId)!;
    expect(mayCall(cloud.state, ann, 'listVirtualMachines', USER_APIS)).toBe(true);
    expect(mayCall(cloud.state, ann, 'listHosts', ADMIN_APIS)).toBe(false);
  });

  it('lets the first matching rule decide, deny before allow and allow before deny', () => {
    const { cloud, roleId, annId } = setUp();
    cloud.ok({ type: 'createRolePermission', roleId, rule: 'deployVirtualMachine', permission: 'deny' });
    cloud.ok({ type: 'createRolePermission', roleId, rule: 'list*', permission: 'allow' });
    cloud.ok({ type: 'createRolePermission', roleId, rule: '*', permission: 'deny' });
    const ann = callerOf(cloud.state, annId)!;
    expect(mayCall(cloud.state, ann, 'deployVirtualMachine', USER_APIS)).toBe(false);
    expect(mayCall(cloud.state, ann, 'listHosts', ADMIN_APIS)).toBe(true);
    expect(mayCall(cloud.state, ann, 'stopVirtualMachine', USER_APIS)).toBe(false);
    expect(cloud.state.roles.get(roleId)!.permissions.map((p) => `${p.rule} ${p.permission}`)).toEqual(['deployVirtualMachine deny', 'list* allow', '* deny']);
  });

  it('always lets the root admin role through, whatever the API role types say', () => {
    const cloud = testCloud(tinyDatacenter());
    cloud.ok({ type: 'createAccount', name: 'admin', accountType: 'Admin', user: person('admin') });
    const admin = callerOf(cloud.state, [...cloud.state.users.values()][0]!.id)!;
    expect(mayCall(cloud.state, admin, 'anything', [])).toBe(true);
    expect(mayCall(cloud.state, SYSTEM_CALLER, 'anything', [])).toBe(true);
    expect(refusal(cloud, { type: 'createRolePermission', roleId: DEFAULT_ROLE_IDS.Admin, rule: '*', permission: 'deny' }))
      .toBe('INVALID_PARAMETER 431 the Root Admin role may call every API; it takes no rules');
  });

  it('refuses callers whose account is gone', () => {
    const cloud = testCloud(tinyDatacenter());
    expect(mayCall(cloud.state, { accountId: 'gone', userId: 'u', role: 'User', domainId: 'ROOT' }, 'listZones', USER_APIS)).toBe(false);
  });
});

describe('rules', () => {
  it('match API names exactly, or with * for any run of letters and digits', () => {
    expect(ruleMatches('listZones', 'listZones')).toBe(true);
    expect(ruleMatches('listZones', 'listZonesMetrics')).toBe(false);
    expect(ruleMatches('list*', 'listZones')).toBe(true);
    expect(ruleMatches('*VirtualMachine', 'startVirtualMachine')).toBe(true);
    expect(ruleMatches('*VirtualMachine', 'listVirtualMachines')).toBe(false);
    expect(ruleMatches('*', 'login')).toBe(true);
  });

  it('are refused when they are not API names or patterns, or repeat a rule of the role', () => {
    const { cloud, roleId } = setUp();
    expect(refusal(cloud, { type: 'createRolePermission', roleId, rule: 'list.*', permission: 'allow' }))
      .toBe('INVALID_PARAMETER 431 rule "list.*" is not an API name or a pattern of letters, digits and *');
    cloud.ok({ type: 'createRolePermission', roleId, rule: 'listZones', permission: 'allow' });
    expect(refusal(cloud, { type: 'createRolePermission', roleId, rule: 'listZones', permission: 'deny' })).toBe('INVALID_PARAMETER 431 role auditor already has a rule for listZones');
    expect(refusal(cloud, { type: 'createRolePermission', roleId: 'nope', rule: 'x', permission: 'deny' })).toBe('ENTITY_NOT_FOUND 431 role nope does not exist');
  });
});

describe('createRole', () => {
  it('clones a role with its rules, in order, under new ids', () => {
    const { cloud, roleId } = setUp();
    cloud.ok({ type: 'createRolePermission', roleId, rule: 'list*', permission: 'allow' });
    cloud.ok({ type: 'createRolePermission', roleId, rule: '*', permission: 'deny' });
    cloud.ok({ type: 'createRole', name: 'auditor-2', fromRoleId: roleId });
    const clone = [...cloud.state.roles.values()].find((r) => r.name === 'auditor-2')!;
    expect(clone.type).toBe('User');
    expect(clone.permissions.map((p) => `${p.rule} ${p.permission} ${p.roleId === clone.id}`)).toEqual(['list* allow true', '* deny true']);
    const ids = new Set([clone.id, ...clone.permissions.map((p) => p.id), ...cloud.state.roles.get(roleId)!.permissions.map((p) => p.id)]);
    expect(ids.size).toBe(5);
    // The next entity gets a fresh id: the clone consumed one sequence number per rule.
    cloud.ok({ type: 'createRole', name: 'third', roleType: 'DomainAdmin' });
    expect(ids.has([...cloud.state.roles.values()].at(-1)!.id)).toBe(false);
  });

  it('needs a type or a role to clone, a new name, and a root admin', () => {
    const { cloud, annId } = setUp();
    expect(refusal(cloud, { type: 'createRole', name: 'x' })).toBe('INVALID_PARAMETER 431 a role needs a type, or a role to clone (roleid)');
    expect(refusal(cloud, { type: 'createRole', name: 'Auditor', roleType: 'User' })).toBe('INVALID_PARAMETER 431 a role named "auditor" already exists');
    cloud.ctx.actor = callerOf(cloud.state, annId)!;
    expect(refusal(cloud, { type: 'createRole', name: 'y', roleType: 'User' })).toBe('PERMISSION_DENIED 531 only a root admin can create roles');
  });
});

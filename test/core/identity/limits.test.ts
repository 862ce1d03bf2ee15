/**
 * Resource limits set with updateResourceLimit (per account, per domain) and enforced with
 * error 535; settings given per cluster or zone with updateConfiguration (a cluster's CPU
 * over-provisioning lets more VMs in; settings the core honours only cloud-wide are refused per
 * scope); and the role changes: update, delete, rule order, permission, rule deletion.
 */
import { describe, expect, it } from 'vitest';
import { mayCall } from '../../../core/identity.js';
import { DEFAULT_ROLE_IDS } from '../../../core/model/identity.js';
import { restoreState } from '../../../core/model/restore.js';
import { snapshotOf } from '../../../core/model/snapshot.js';
import { testCloud, tinyDatacenter, type TestCloud } from '../../support/cloud.js';
import { derivedOf } from '../../support/derived.js';
import { refusal } from '../lifecycle/fixtures.js';

function person(username: string) {
  return { username, firstName: 'F', lastName: 'L', email: `${username}@example.com`, passwordHash: 'h' };
}

function deployer(cloud: TestCloud, accountName: string, offering = 'plain-4g') {
  const zoneId = cloud.idOf('zone', 'z1');
  const accountId = cloud.idOf('account', accountName);
  const networkIds = [cloud.idOf('network', 'l2')];
  return (name: string) => cloud.run({ type: 'deployVirtualMachine', zoneId, accountId, serviceOfferingId: cloud.idOf('offering', offering), networkIds, name });
}

describe('updateResourceLimit', () => {
  it('gives an account its own limit, which deploys then meet with 535', () => {
    const cloud = testCloud(tinyDatacenter());
    const alice = cloud.idOf('account', 'alice');
    cloud.ok({ type: 'updateResourceLimit', resourceType: 'user_vm', max: 1, accountId: alice });
    expect(cloud.state.resourceLimits.get(alice)).toEqual({ id: alice, owner: 'account', limits: { user_vm: 1 } });
    const deploy = deployer(cloud, 'alice');
    expect(deploy('a1')).toBeUndefined();
    const refused = deploy('a2');
    expect(`${refused?.errorCode} ${refused?.message}`).toBe("535 Maximum number of resources of type 'user_vm' for account alice has been exceeded: it holds 1 user VM, asks for 1 more, and its limit is 1");
    // Bob keeps the default of max.account.user.vms.
    expect(deployer(cloud, 'bob')('b1')).toBeUndefined();
    cloud.ok({ type: 'updateResourceLimit', resourceType: 'user_vm', max: -1, accountId: alice });
    expect(deploy('a2')).toBeUndefined();
  });

  it('caps what all the accounts of a domain hold together', () => {
    const cloud = testCloud(tinyDatacenter());
    cloud.ok({ type: 'createDomain', name: 'lab' });
    const lab = [...cloud.state.domains.values()].find((d) => d.name === 'lab')!.id;
    cloud.ok({ type: 'createAccount', name: 'ann', domainId: lab, user: person('ann') });
    cloud.ok({ type: 'createAccount', name: 'ben', domainId: lab, user: person('ben') });
    cloud.ok({ type: 'updateResourceLimit', resourceType: 'cpu', max: 6, domainId: lab });
    expect(deployer(cloud, 'ann')('a1')).toBeUndefined();
    expect(deployer(cloud, 'ben')('b1')).toBeUndefined();
    expect(deployer(cloud, 'ben')('b2')).toBeUndefined();
    const refused = deployer(cloud, 'ann')('a2');
    expect(`${refused?.errorCode} ${refused?.message}`).toBe(`535 Maximum number of resources of type 'cpu' for domain id=${lab} has been exceeded: its accounts hold 6 vCPUs, ann asks for 2 more, and the domain's limit is 6`);
  });

  it('follows CloudStack\'s rules on who may set what', () => {
    const cloud = testCloud(tinyDatacenter());
    const alice = cloud.idOf('account', 'alice');
    cloud.ok({ type: 'createAccount', name: 'root2', accountType: 'Admin', user: person('root2') });
    const root2 = [...cloud.state.accounts.values()].find((a) => a.name === 'root2')!.id;
    expect(refusal(cloud, { type: 'updateResourceLimit', resourceType: 'user_vm', max: -2, accountId: alice })).toBe("INVALID_PARAMETER 431 Please specify either '-1' for an infinite limit, or a limit that is at least '0'.");
    expect(refusal(cloud, { type: 'updateResourceLimit', resourceType: 'user_vm', max: 3, accountId: root2 })).toBe('INVALID_PARAMETER 431 Only -1 limit is supported for Root Admin accounts');
    expect(refusal(cloud, { type: 'updateResourceLimit', resourceType: 'user_vm', max: 3, domainId: 'ROOT' })).toBe('PERMISSION_DENIED 531 Cannot update resource limit for ROOT domain ROOT, permission denied');
    expect(refusal(cloud, { type: 'updateResourceLimit', resourceType: 'user_vm', max: 3 })).toBe('INVALID_PARAMETER 431 AccountId or domainId have to be specified in order to update resource limit');
    cloud.ok({ type: 'createDomain', name: 'top' });
    const top = [...cloud.state.domains.values()].find((d) => d.name === 'top')!.id;
    cloud.ok({ type: 'createDomain', name: 'sub', parentId: top });
    const sub = [...cloud.state.domains.values()].find((d) => d.name === 'sub')!.id;
    cloud.ok({ type: 'updateResourceLimit', resourceType: 'volume', max: 10, domainId: top });
    expect(refusal(cloud, { type: 'updateResourceLimit', resourceType: 'volume', max: 11, domainId: sub })).toBe(
      `INVALID_PARAMETER 431 Domain sub(id: ${top}) has maximum allowed resource limit 10 for volume, please specify a value less than or equal to 10`,
    );
    cloud.ctx.actor = { accountId: alice, userId: 'a', role: 'DomainAdmin', domainId: 'ROOT' };
    expect(refusal(cloud, { type: 'updateResourceLimit', resourceType: 'user_vm', max: 99, accountId: alice })).toBe(`PERMISSION_DENIED 531 Unable to update resource limit for his own account ${alice}, permission denied`);
  });
});

describe('updateConfiguration per scope', () => {
  it('a cluster\'s CPU over-provisioning lets more VMs into it, and survives a restore', () => {
    const cloud = testCloud(tinyDatacenter());
    const deploy = deployer(cloud, 'alice');
    // 64,000 MHz under a 0.85 disable threshold takes thirteen VMs of 4,000 MHz.
    for (let i = 1; i <= 13; i++) expect(deploy(`v${i}`)).toBeUndefined();
    expect(deploy('b4')?.message).toBe('Unable to create a deployment for the VM (2 x 2000 MHz and 4,096 MiB) in zone z1: no host fits; removed: 1 cluster over the 0.85 CPU disable threshold');
    const c1 = cloud.idOf('cluster', 'c1');
    cloud.ok({ type: 'updateConfiguration', name: 'cpu.overprovisioning.factor', value: 2, scope: { kind: 'cluster', id: c1 } });
    expect(cloud.state.clusters.get(c1)!.cpuOvercommitRatio).toBe(2);
    expect(deploy('b4')).toBeUndefined();
    expect(cloud.state.scopedSettings.get(c1)).toEqual({ id: c1, scope: 'cluster', values: { 'cpu.overprovisioning.factor': 2 } });
    const restored = restoreState(snapshotOf(cloud.state));
    expect(derivedOf(restored)).toEqual(derivedOf(cloud.state));
  });

  it('refuses a scope the core does not honour the setting at, and bad values', () => {
    const cloud = testCloud(tinyDatacenter());
    const c1 = cloud.idOf('cluster', 'c1');
    const z1 = cloud.idOf('zone', 'z1');
    expect(refusal(cloud, { type: 'updateConfiguration', name: 'max.retries', value: 3, scope: { kind: 'cluster', id: c1 } })).toBe(
      'INVALID_PARAMETER 431 Invalid scope id provided for the parameter max.retries: it is honoured cloud-wide only here',
    );
    expect(refusal(cloud, { type: 'updateConfiguration', name: 'expunge.delay', value: 3, scope: { kind: 'zone', id: z1 } })).toBe(
      'INVALID_PARAMETER 431 Invalid scope id provided for the parameter expunge.delay: it is honoured only globally, not per zone',
    );
    expect(refusal(cloud, { type: 'updateConfiguration', name: 'cpu.overprovisioning.factor', value: 0.5, scope: { kind: 'cluster', id: c1 } })).toBe(
      'INVALID_PARAMETER 431 cpu.overprovisioning.factor must be at least 1, got 0.5',
    );
    expect(refusal(cloud, { type: 'updateConfiguration', name: 'cpu.overprovisioning.factor', value: 2, scope: { kind: 'cluster', id: 'nope' } })).toBe('ENTITY_NOT_FOUND 431 Unable to find cluster by id nope');
    cloud.ok({ type: 'updateConfiguration', name: 'zone.virtualnetwork.publicip.capacity.notificationthreshold', value: 0.5, scope: { kind: 'zone', id: z1 } });
    expect(cloud.state.scopedSettings.get(z1)!.values).toEqual({ 'zone.virtualnetwork.publicip.capacity.notificationthreshold': 0.5 });
  });
});

describe('role changes', () => {
  function withRole(): { cloud: TestCloud; roleId: string } {
    const cloud = testCloud(tinyDatacenter());
    cloud.ok({ type: 'createRole', name: 'ops', roleType: 'User' });
    const roleId = [...cloud.state.roles.values()].find((r) => r.name === 'ops')!.id;
    return { cloud, roleId };
  }

  it('updates and deletes custom roles only; a role in use keeps its type and stays', () => {
    const { cloud, roleId } = withRole();
    cloud.ok({ type: 'updateRole', id: roleId, name: 'operators', description: 'runs things', isPublic: false });
    expect(cloud.state.roles.get(roleId)).toMatchObject({ name: 'operators', description: 'runs things', isPublic: false, type: 'User' });
    expect(refusal(cloud, { type: 'updateRole', id: DEFAULT_ROLE_IDS.User, name: 'x' })).toBe('PERMISSION_DENIED 531 Default roles cannot be updated');
    expect(refusal(cloud, { type: 'deleteRole', id: DEFAULT_ROLE_IDS.User })).toBe('PERMISSION_DENIED 531 Default roles cannot be deleted');
    cloud.ok({ type: 'createAccount', name: 'opsacct', roleId, user: person('op') });
    expect(refusal(cloud, { type: 'updateRole', id: roleId, roleType: 'DomainAdmin' })).toBe('INVALID_PARAMETER 431 The role type of role operators cannot be changed while accounts use it (opsacct)');
    expect(refusal(cloud, { type: 'deleteRole', id: roleId })).toBe("PERMISSION_DENIED 531 Found accounts which have role in use, won't delete role");
    cloud.ok({ type: 'deleteAccount', id: [...cloud.state.accounts.values()].find((a) => a.name === 'opsacct')!.id });
    cloud.ok({ type: 'deleteRole', id: roleId });
    expect(cloud.state.roles.has(roleId)).toBe(false);
  });

  it('reorders rules, changes a permission and deletes a rule, and the check follows', () => {
    const { cloud, roleId } = withRole();
    cloud.ok({ type: 'createRolePermission', roleId, rule: 'deployVirtualMachine', permission: 'deny' });
    cloud.ok({ type: 'createRolePermission', roleId, rule: 'deploy*', permission: 'allow' });
    cloud.ok({ type: 'createAccount', name: 'opsacct', roleId, user: person('op') });
    const account = [...cloud.state.accounts.values()].find((a) => a.name === 'opsacct')!;
    const caller = { accountId: account.id, userId: 'op', role: 'User' as const, domainId: 'ROOT' };
    const may = () => mayCall(cloud.state, caller, 'deployVirtualMachine', ['User']);
    expect(may()).toBe(false);
    const [deny, allow] = cloud.state.roles.get(roleId)!.permissions.map((p) => p.id);
    cloud.ok({ type: 'updateRolePermission', roleId, ruleOrder: [allow!, deny!] });
    expect(cloud.state.roles.get(roleId)!.permissions.map((p) => p.rule)).toEqual(['deploy*', 'deployVirtualMachine']);
    expect(may()).toBe(true);
    cloud.ok({ type: 'updateRolePermission', roleId, permissionId: allow!, permission: 'deny' });
    expect(may()).toBe(false);
    cloud.ok({ type: 'deleteRolePermission', id: allow! });
    cloud.ok({ type: 'deleteRolePermission', id: deny! });
    expect(cloud.state.roles.get(roleId)!.permissions).toEqual([]);
    expect(may()).toBe(true);
    expect(refusal(cloud, { type: 'updateRolePermission', roleId, ruleOrder: ['x'] })).toBe('INVALID_PARAMETER 431 The rule order must list each of the 0 rules of role ops exactly once');
  });
});

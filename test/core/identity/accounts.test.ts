/**
 * Accounts and domains after they were made: updateAccount, deleteAccount with the clean-up of
 * everything the account owns (VMs, volumes, snapshots, addresses, networks and their routers,
 * key pairs, users) in one decision that a restored state replays identically, updateDomain
 * (paths of the whole subtree follow a new name), deleteDomain with and without cleanup, and
 * projects with their owner's project limit.
 */
import { describe, expect, it } from 'vitest';
import type { Command } from '../../../core/model/commands.js';
import { restoreState } from '../../../core/model/restore.js';
import { snapshotOf } from '../../../core/model/snapshot.js';
import { SYSTEM_CALLER } from '../../../core/ports.js';
import { cloudOver, testCloud, tinyDatacenter, type TestCloud } from '../../support/cloud.js';
import { derivedOf } from '../../support/derived.js';
import { refusal } from '../lifecycle/fixtures.js';

function person(username: string) {
  return { username, firstName: 'F', lastName: 'L', email: `${username}@example.com`, passwordHash: 'h' };
}

function domainNamed(cloud: TestCloud, name: string): string {
  return [...cloud.state.domains.values()].find((d) => d.name === name)!.id;
}

function accountNamed(cloud: TestCloud, name: string): string | undefined {
  return [...cloud.state.accounts.values()].find((a) => a.name === name)?.id;
}

/** Alice with a running VM (and so an isolated network, its router and source NAT), a data disk, a snapshot, a second address and a key pair. */
function aliceWithResources(): TestCloud {
  const cloud = testCloud(tinyDatacenter());
  const zoneId = cloud.idOf('zone', 'z1');
  const alice = cloud.idOf('account', 'alice');
  cloud.ok({ type: 'createUser', accountId: alice, ...person('alice2') });
  cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: cloud.idOf('offering', 'plain-4g'), name: 'web', diskOfferingId: cloud.idOf('diskOffering', 'data-50') });
  const dataDisk = [...cloud.state.volumes.values()].find((v) => v.accountId === alice && v.type === 'DATADISK')!;
  cloud.ok({ type: 'createSnapshot', volumeId: dataDisk.id, name: 'snap' });
  cloud.ok({ type: 'createVolume', zoneId, accountId: alice, name: 'spare', diskOfferingId: cloud.idOf('diskOffering', 'data-50') });
  const network = [...cloud.state.networks.values()].find((n) => n.accountId === alice)!;
  cloud.ok({ type: 'associateIpAddress', accountId: alice, networkId: network.id });
  cloud.ok({ type: 'registerSSHKeyPair', accountId: alice, name: 'ops', publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFhwZ3u6e1oNH8YPlqzY7kD2wq1w5Zp0cLq6b0l2mXnE ops' } as Command);
  return cloud;
}

describe('updateAccount', () => {
  it('renames an account and sets its network domain; a name taken in the domain is refused', () => {
    const cloud = testCloud(tinyDatacenter());
    const alice = cloud.idOf('account', 'alice');
    cloud.ok({ type: 'updateAccount', id: alice, newName: 'alicia', networkDomain: 'alicia.example.com' });
    expect(cloud.state.accounts.get(alice)).toMatchObject({ name: 'alicia', networkDomain: 'alicia.example.com' });
    expect(refusal(cloud, { type: 'updateAccount', id: alice, newName: 'bob' })).toBe(
      `INVALID_PARAMETER 431 There already exists an account with the name:bob in the domain:ROOT with existing account id:${cloud.idOf('account', 'bob')}`,
    );
    expect(refusal(cloud, { type: 'updateAccount', id: alice, networkDomain: '-bad-.example' })).toMatch(/^INVALID_PARAMETER 431 Invalid network domain\./);
    cloud.ok({ type: 'updateAccount', id: alice, networkDomain: '' });
    expect(cloud.state.accounts.get(alice)!.networkDomain).toBeUndefined();
  });
});

describe('deleteAccount', () => {
  it('removes everything the account owns in one decision and frees its addresses and capacity', () => {
    const cloud = aliceWithResources();
    const alice = cloud.idOf('account', 'alice');
    const zonePool = cloud.state.pools.publicByZone.get(cloud.idOf('zone', 'z1'))!;
    expect(zonePool.allocatedCount).toBe(2);
    expect([...cloud.state.vms.values()].map((v) => `${v.kind} ${v.state}`)).toEqual(['DomainRouter Running', 'User Running']);
    const before = cloud.events.length;
    cloud.ok({ type: 'deleteAccount', id: alice });
    const types = cloud.events.slice(before).map((e) => e.type);
    expect(types.filter((t) => t !== 'vmStateChanged')).toEqual([
      'vmExpunged', // web
      'volumeDeleted', // its data disk, detached by the expunge
      'volumeDeleted', // spare
      'snapshotDeleted',
      'publicIpReleased', // the second address
      'vmExpunged', // the network's router
      'networkStateChanged',
      'publicIpReleased', // source NAT
      'networkDeleted',
      'sshKeyPairDeleted',
      'userDeleted',
      'accountDeleted',
    ]);
    expect(cloud.state.accounts.has(alice)).toBe(false);
    expect([...cloud.state.users.values()].map((u) => u.username)).toEqual([]);
    expect(cloud.state.vms.size).toBe(0);
    expect([...cloud.state.volumes.values()].filter((v) => v.accountId === alice && v.state !== 'Destroy')).toEqual([]);
    expect(zonePool.allocatedCount).toBe(0);
    const capacity = cloud.state.capacity;
    expect([...capacity.clusterCpuAllocatedMhz.slice(0, capacity.clusterCount)]).toEqual([0]);
    expect(cloud.state.index.accountsByDomain.get('ROOT')).toEqual([cloud.idOf('account', 'bob')]);
  });

  it('gives a state that a restored snapshot reaches identically', () => {
    const cloud = aliceWithResources();
    const twin = cloudOver(restoreState(snapshotOf(cloud.state)), { ...cloud.ctx, rng: cloud.ctx.rng });
    const alice = cloud.idOf('account', 'alice');
    cloud.ok({ type: 'deleteAccount', id: alice });
    twin.ok({ type: 'deleteAccount', id: alice });
    expect(twin.events).toEqual(cloud.events.slice(-twin.events.length));
    expect(snapshotOf(restoreState(snapshotOf(cloud.state)))).toEqual(snapshotOf(cloud.state));
    expect(derivedOf(restoreState(snapshotOf(cloud.state)))).toEqual(derivedOf(cloud.state));
  });

  it('refuses the system account, the caller\'s own account, and a user', () => {
    const cloud = testCloud(tinyDatacenter());
    expect(refusal(cloud, { type: 'deleteAccount', id: 'system' })).toBe('PERMISSION_DENIED 531 Account id : system is a system account, it cannot be changed');
    const alice = cloud.idOf('account', 'alice');
    cloud.ctx.actor = { accountId: alice, userId: 'u', role: 'DomainAdmin', domainId: 'ROOT' };
    expect(refusal(cloud, { type: 'deleteAccount', id: alice })).toBe('PERMISSION_DENIED 531 Deletion of your own account is not allowed. To delete your account please contact your administrator.');
    cloud.ctx.actor = { accountId: alice, userId: 'u', role: 'User', domainId: 'ROOT' };
    expect(refusal(cloud, { type: 'deleteAccount', id: cloud.idOf('account', 'bob') })).toBe('PERMISSION_DENIED 531 the caller may not manage account bob');
    cloud.ctx.actor = SYSTEM_CALLER;
    expect(refusal(cloud, { type: 'deleteAccount', id: 'nobody' })).toBe('ENTITY_NOT_FOUND 431 The specified account does not exist in the system');
  });
});

describe('domains', () => {
  function tree(): TestCloud {
    const cloud = testCloud(tinyDatacenter());
    cloud.ok({ type: 'createDomain', name: 'corp' });
    cloud.ok({ type: 'createDomain', name: 'sales', parentId: domainNamed(cloud, 'corp') });
    cloud.ok({ type: 'createDomain', name: 'emea', parentId: domainNamed(cloud, 'sales') });
    cloud.ok({ type: 'createAccount', name: 'seller', domainId: domainNamed(cloud, 'emea'), user: person('sel') });
    return cloud;
  }

  it('renames a domain and the paths of every domain below it', () => {
    const cloud = tree();
    cloud.ok({ type: 'updateDomain', id: domainNamed(cloud, 'sales'), name: 'revenue', networkDomain: 'revenue.corp' });
    expect([...cloud.state.domains.values()].map((d) => d.path)).toEqual(['ROOT', 'ROOT/corp', 'ROOT/corp/revenue', 'ROOT/corp/revenue/emea']);
    expect(cloud.state.domains.get(domainNamed(cloud, 'revenue'))!.networkDomain).toBe('revenue.corp');
    expect(refusal(cloud, { type: 'updateDomain', id: 'ROOT', name: 'TOP' })).toBe('INVALID_PARAMETER 431 ROOT domain can not be edited with a new name');
  });

  it('refuses to delete a domain with accounts or sub-domains unless cleanup is asked', () => {
    const cloud = tree();
    const sales = domainNamed(cloud, 'sales');
    expect(refusal(cloud, { type: 'deleteDomain', id: sales })).toBe(
      `RESOURCE_IN_USE 536 Delete failed on domain sales (id: ${sales}); Please make sure all users and sub domains have been removed from the domain before deleting`,
    );
    expect(refusal(cloud, { type: 'deleteDomain', id: 'ROOT' })).toBe("PERMISSION_DENIED 531 Can't delete ROOT domain");
  });

  it('with cleanup deletes the sub-domains, deepest first, with their accounts and users', () => {
    const cloud = tree();
    const seller = accountNamed(cloud, 'seller')!;
    cloud.ok({ type: 'deployVirtualMachine', zoneId: cloud.idOf('zone', 'z1'), accountId: seller, serviceOfferingId: cloud.idOf('offering', 'plain-4g'), networkIds: [cloud.idOf('network', 'l2')], name: 'pos' });
    const before = cloud.events.length;
    cloud.ok({ type: 'deleteDomain', id: domainNamed(cloud, 'sales'), cleanup: true });
    const removed = cloud.events.slice(before).filter((e) => e.type === 'domainDeleted' || e.type === 'accountDeleted' || e.type === 'vmExpunged').map((e) => e.type);
    expect(removed).toEqual(['vmExpunged', 'accountDeleted', 'domainDeleted', 'domainDeleted']);
    expect([...cloud.state.domains.values()].map((d) => d.path)).toEqual(['ROOT', 'ROOT/corp']);
    expect(accountNamed(cloud, 'seller')).toBeUndefined();
    expect([...cloud.state.users.values()].some((u) => u.username === 'sel')).toBe(false);
    cloud.ok({ type: 'deleteDomain', id: domainNamed(cloud, 'corp') });
    expect(cloud.state.domains.size).toBe(1);
  });
});

describe('projects', () => {
  it('are created by their owner, joined by accounts of the domain, and deleted', () => {
    const cloud = testCloud(tinyDatacenter());
    const alice = cloud.idOf('account', 'alice');
    const bob = cloud.idOf('account', 'bob');
    cloud.ok({ type: 'createProject', name: 'apollo', displayText: 'Moon shot', accountId: alice });
    const project = [...cloud.state.projects.values()][0]!;
    expect(project).toMatchObject({ name: 'apollo', displayText: 'Moon shot', domainId: 'ROOT', members: [{ accountId: alice, role: 'Admin' }], state: 'Active' });
    expect(refusal(cloud, { type: 'createProject', name: 'apollo', displayText: 'again', accountId: bob })).toBe('INVALID_PARAMETER 431 Project with name apollo already exists in domain id=ROOT');
    cloud.ctx.actor = { accountId: bob, userId: 'b', role: 'User', domainId: 'ROOT' };
    expect(refusal(cloud, { type: 'addAccountToProject', projectId: project.id, accountId: bob })).toBe('PERMISSION_DENIED 531 the caller may not add accounts to project apollo');
    cloud.ctx.actor = { accountId: alice, userId: 'a', role: 'User', domainId: 'ROOT' };
    cloud.ok({ type: 'addAccountToProject', projectId: project.id, accountId: bob });
    expect(cloud.state.projects.get(project.id)!.members).toEqual([{ accountId: alice, role: 'Admin' }, { accountId: bob, role: 'Regular' }]);
    expect(refusal(cloud, { type: 'addAccountToProject', projectId: project.id, accountId: bob })).toBe('INVALID_PARAMETER 431 The account bob is already assigned to the project apollo');
    cloud.ok({ type: 'deleteProject', id: project.id });
    expect(cloud.state.projects.size).toBe(0);
  });

  it('count against the owner\'s project limit', () => {
    const cloud = testCloud(tinyDatacenter());
    const alice = cloud.idOf('account', 'alice');
    cloud.ok({ type: 'updateResourceLimit', resourceType: 'project', max: 1, accountId: alice });
    cloud.ok({ type: 'createProject', name: 'one', displayText: 'one', accountId: alice });
    expect(refusal(cloud, { type: 'createProject', name: 'two', displayText: 'two', accountId: alice })).toBe(
      "RESOURCE_LIMIT_EXCEEDED 535 Maximum number of resources of type 'project' for account alice has been exceeded: it holds 1 project, asks for 1 more, and its limit is 1",
    );
  });
});

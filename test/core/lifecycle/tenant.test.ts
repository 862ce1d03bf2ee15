/**
 * What tenants change on their VMs and around them, decided by the core: a VM's name (only while
 * stopped), display name and HA flag; a destroyed VM recovered before its expunge; templates made
 * from a stopped VM's root disk or from a snapshot; volumes made from snapshots and reverted to
 * them; SSH key pairs a deploy names; tags, which go with their resource; a stopped VM's affinity
 * groups; a stopped VM's volumes moved to another pool; offerings renamed and retired while the
 * VMs that have them keep them; and the secondary storage limit. Each test runs on the tiny
 * datacenter (two KVM hosts, pool nfs, image store ss of 1,000 GiB, VMs of plain-4g with a 10 GiB
 * root disk on the L2 network) and checks records, counts and refusals word for word.
 */
import { describe, expect, it } from 'vitest';
import { restoreState } from '../../../core/model/restore.js';
import { snapshotOf } from '../../../core/model/snapshot.js';
import { derivedOf } from '../../support/derived.js';
import { testCloud, tinyDatacenter } from '../../support/cloud.js';
import { actAsUser, refusal } from './fixtures.js';

const RSA_KEY = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 alice@laptop';

function setUp(settings: Record<string, number | boolean | string> = {}, spec = tinyDatacenter()) {
  Object.assign(spec.settings!, settings);
  const cloud = testCloud(spec);
  const zoneId = cloud.idOf('zone', 'z1');
  const alice = cloud.idOf('account', 'alice');
  const bob = cloud.idOf('account', 'bob');
  const plain = cloud.idOf('offering', 'plain-4g');
  const data50 = cloud.idOf('diskOffering', 'data-50');
  const deploy = (name: string, more: Record<string, unknown> = {}) =>
    cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: plain, networkIds: [cloud.idOf('network', 'l2')], name, ...more });
  const volumeOf = (vmName: string, type: 'ROOT' | 'DATADISK' = 'ROOT') => [...cloud.state.volumes.values()].find((v) => v.vmId === cloud.vm(vmName).id && v.type === type)!;
  const volumeNamed = (name: string) => [...cloud.state.volumes.values()].find((v) => v.name === name)!;
  const usage = () => cloud.state.index.accountUsage.get(alice)!;
  return { cloud, zoneId, alice, bob, plain, data50, deploy, volumeOf, volumeNamed, usage };
}

describe('updating a VM', () => {
  it('renames it only while it is stopped, and sets its display name and HA flag', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1', { serviceOfferingId: cloud.idOf('offering', 'ha-4g') });
    const id = cloud.vm('vm1').id;
    expect(refusal(cloud, { type: 'updateVirtualMachine', id, name: 'web' })).toBe('INVALID_STATE 431 virtual machine vm1 is Running; its name can be changed only while it is stopped');
    cloud.ok({ type: 'updateVirtualMachine', id, displayName: 'Web server', haEnabled: false });
    expect(cloud.state.vms.get(id)).toMatchObject({ name: 'vm1', displayName: 'Web server', haEnabled: false });
    cloud.ok({ type: 'stopVirtualMachine', id });
    cloud.ok({ type: 'updateVirtualMachine', id, name: 'web', haEnabled: true });
    expect(cloud.state.vms.get(id)).toMatchObject({ name: 'web', displayName: 'Web server', haEnabled: true });
  });

  it('refuses HA for a VM whose offering does not offer it, and any change to a destroyed VM', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1');
    const id = cloud.vm('vm1').id;
    expect(refusal(cloud, { type: 'updateVirtualMachine', id, haEnabled: true })).toBe("INVALID_PARAMETER 431 Can't enable ha for the vm as it's created from the Service offering having HA disabled (plain-4g)");
    cloud.ok({ type: 'destroyVirtualMachine', id });
    expect(refusal(cloud, { type: 'updateVirtualMachine', id, displayName: 'x' })).toBe('INVALID_STATE 431 virtual machine vm1 is destroyed; recover it before updating it');
  });

  it('is refused for a VM of another account', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1');
    actAsUser(cloud, 'bob');
    expect(refusal(cloud, { type: 'updateVirtualMachine', id: cloud.vm('vm1').id, displayName: 'mine' })).toBe('PERMISSION_DENIED 531 the caller may not act on virtual machine vm1');
  });
});

describe('recovering a destroyed VM', () => {
  it('makes it Stopped and counted again, and its expunge timer then leaves it alone', () => {
    const { cloud, deploy, usage } = setUp();
    deploy('vm1');
    const id = cloud.vm('vm1').id;
    cloud.ok({ type: 'destroyVirtualMachine', id });
    expect(usage()).toMatchObject({ user_vm: 0, cpu: 0, memory: 0, volume: 1, primary_storage: 10 });
    cloud.ok({ type: 'recoverVirtualMachine', id });
    expect(cloud.vm('vm1').state).toBe('Stopped');
    expect(usage()).toMatchObject({ user_vm: 1, cpu: 2, memory: 4096 });
    expect(cloud.state.index.vmCountsByState.user).toMatchObject({ Stopped: 1, Destroyed: 0 });
    cloud.advance(86_400_000);
    expect(cloud.vm('vm1').state).toBe('Stopped');
    cloud.ok({ type: 'startVirtualMachine', id });
    expect(cloud.vm('vm1').state).toBe('Running');
    expect(refusal(cloud, { type: 'recoverVirtualMachine', id })).toBe('INVALID_STATE 431 virtual machine vm1 is Running; only a destroyed VM that is not yet expunged can be recovered');
  });

  it('is refused when the account has used up its VMs meanwhile (error 535)', () => {
    const { cloud, deploy } = setUp({ 'max.account.user.vms': 1 });
    deploy('vm1');
    cloud.ok({ type: 'destroyVirtualMachine', id: cloud.vm('vm1').id });
    deploy('vm2');
    expect(refusal(cloud, { type: 'recoverVirtualMachine', id: cloud.vm('vm1').id })).toBe(
      "RESOURCE_LIMIT_EXCEEDED 535 Maximum number of resources of type 'user_vm' for account alice has been exceeded: it holds 1 user VM, asks for 1 more, and max.account.user.vms is 1",
    );
  });
});

describe('templates made from volumes and snapshots', () => {
  it('come from a stopped VM\'s root disk, at its size, in its zone, for its hypervisor', () => {
    const { cloud, alice, zoneId, deploy, volumeOf, usage } = setUp();
    deploy('vm1');
    const root = volumeOf('vm1');
    expect(refusal(cloud, { type: 'createTemplate', name: 'golden', accountId: alice, volumeId: root.id })).toBe('INVALID_STATE 431 volume ROOT-vm1 is attached to virtual machine vm1, which is Running; stop it first');
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('vm1').id });
    cloud.ok({ type: 'createTemplate', name: 'golden', accountId: alice, volumeId: root.id, displayText: 'Golden image', osTypeId: '00000000-0000-4000-8000-00000005000c' });
    const template = cloud.state.templates.get(cloud.idOf('template', 'golden'))!;
    expect(template).toMatchObject({ accountId: alice, format: 'QCOW2', hypervisor: 'KVM', sizeGiB: 10, zoneIds: [zoneId], isPublic: false, state: 'Ready', displayText: 'Golden image', osTypeId: '00000000-0000-4000-8000-00000005000c', sourceVolumeId: root.id });
    expect(usage()).toMatchObject({ template: 1, secondary_storage: 10 });
  });

  it('come from a snapshot, and need exactly one source', () => {
    const { cloud, alice, deploy, volumeOf } = setUp();
    deploy('vm1');
    cloud.ok({ type: 'createSnapshot', volumeId: volumeOf('vm1').id, name: 'snap' });
    const snapshot = [...cloud.state.snapshots.values()][0]!;
    cloud.ok({ type: 'createTemplate', name: 'from-snap', accountId: alice, snapshotId: snapshot.id });
    expect(cloud.state.templates.get(cloud.idOf('template', 'from-snap'))).toMatchObject({ sizeGiB: 10, hypervisor: 'KVM', sourceSnapshotId: snapshot.id });
    expect(refusal(cloud, { type: 'createTemplate', name: 'none', accountId: alice })).toBe('INVALID_PARAMETER 431 Failed to create private template record, need to specify snapshotId or volumeId');
    expect(refusal(cloud, { type: 'createTemplate', name: 'both', accountId: alice, snapshotId: snapshot.id, volumeId: volumeOf('vm1').id })).toBe(
      'INVALID_PARAMETER 431 Failed to create private template record, please specify only one of volume ID and snapshot ID',
    );
  });

  it('are renamed and described by their owner, and cannot be deleted while VMs use them unless forced', () => {
    const { cloud, alice, deploy } = setUp();
    cloud.ok({ type: 'registerTemplate', name: 'os', accountId: alice, format: 'QCOW2', hypervisor: 'KVM', sizeGiB: 2 });
    const id = cloud.idOf('template', 'os');
    cloud.ok({ type: 'updateTemplate', id, name: 'os-2', displayText: 'OS two' });
    expect(cloud.state.templates.get(id)).toMatchObject({ name: 'os-2', displayText: 'OS two' });
    expect(refusal(cloud, { type: 'updateTemplate', id, osTypeId: 'nope' })).toBe('INVALID_PARAMETER 431 Please specify a valid guest OS type: nope is none');
    deploy('vm1', { templateId: id });
    expect(refusal(cloud, { type: 'deleteTemplate', id })).toBe(`INVALID_PARAMETER 431 Unable to delete template with id: ${id} because VM instances: [vm1] are using it.`);
    cloud.ok({ type: 'deleteTemplate', id, forced: true });
    expect(cloud.state.templates.get(id)!.state).toBe('Destroyed');
  });
});

describe('volumes and snapshots', () => {
  it('make a data volume from a snapshot, of the snapshot\'s size or more, placed when first attached', () => {
    const { cloud, alice, zoneId, deploy, volumeOf, volumeNamed, usage } = setUp();
    deploy('vm1', { diskOfferingId: cloud.idOf('diskOffering', 'data-50') });
    cloud.ok({ type: 'createSnapshot', volumeId: volumeOf('vm1', 'DATADISK').id, name: 'data-snap' });
    const snapshot = [...cloud.state.snapshots.values()][0]!;
    expect(snapshot).toMatchObject({ sizeGiB: 50, volumeType: 'DATADISK', diskOfferingId: cloud.idOf('diskOffering', 'data-50') });
    cloud.ok({ type: 'createVolume', zoneId, accountId: alice, name: 'restored', snapshotId: snapshot.id });
    expect(volumeNamed('restored')).toMatchObject({ type: 'DATADISK', sizeGiB: 50, state: 'Allocated', snapshotId: snapshot.id, diskOfferingId: cloud.idOf('diskOffering', 'data-50') });
    expect(refusal(cloud, { type: 'createVolume', zoneId, accountId: alice, name: 'small', snapshotId: snapshot.id, sizeGiB: 20 })).toBe('INVALID_PARAMETER 431 a volume from snapshot data-snap needs at least its 50 GiB, got 20');
    expect(refusal(cloud, { type: 'createVolume', zoneId, accountId: alice, name: 'nothing' })).toBe('INVALID_PARAMETER 431 Either disk Offering Id or snapshot Id must be passed whilst creating volume');
    cloud.ok({ type: 'attachVolume', id: volumeNamed('restored').id, vmId: cloud.vm('vm1').id });
    expect(volumeNamed('restored')).toMatchObject({ state: 'Ready', storagePoolId: cloud.idOf('storagePool', 'nfs') });
    expect(usage()).toMatchObject({ volume: 3, primary_storage: 110, snapshot: 1, secondary_storage: 50 });
  });

  it('revert a volume to a snapshot only while its VM is stopped, back to the snapshot\'s size', () => {
    const { cloud, deploy, volumeOf, usage } = setUp();
    deploy('vm1');
    const root = volumeOf('vm1');
    cloud.ok({ type: 'createSnapshot', volumeId: root.id });
    const snapshot = [...cloud.state.snapshots.values()][0]!;
    cloud.ok({ type: 'resizeVolume', id: root.id, sizeGiB: 30 });
    expect(refusal(cloud, { type: 'revertSnapshot', id: snapshot.id })).toBe('INVALID_STATE 431 The VM the specified disk is attached to is not in the shutdown state: vm1 is Running');
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('vm1').id });
    cloud.ok({ type: 'revertSnapshot', id: snapshot.id });
    expect(root.sizeGiB).toBe(10);
    expect(usage().primary_storage).toBe(10);
    expect(cloud.state.index.poolAllocatedGiB.get(cloud.idOf('storagePool', 'nfs'))).toBe(10);
  });
});

describe('SSH key pairs', () => {
  it('are registered once per name and key in an account, named by deploys, and deleted by name', () => {
    const { cloud, alice, bob, deploy } = setUp();
    cloud.ok({ type: 'registerSSHKeyPair', name: 'laptop', accountId: alice, publicKey: RSA_KEY, fingerprint: 'aa:bb' });
    expect([...cloud.state.sshKeyPairs.values()].map((k) => [k.name, k.accountId, k.publicKey, k.fingerprint])).toEqual([['laptop', alice, RSA_KEY, 'aa:bb']]);
    expect(refusal(cloud, { type: 'registerSSHKeyPair', name: 'laptop', accountId: alice, publicKey: RSA_KEY, fingerprint: 'cc:dd' })).toBe("INVALID_PARAMETER 431 A key pair with name 'laptop' already exists.");
    expect(refusal(cloud, { type: 'registerSSHKeyPair', name: 'desk', accountId: alice, publicKey: RSA_KEY, fingerprint: 'aa:bb' })).toBe("INVALID_PARAMETER 431 A key pair with key 'aa:bb' already exists: laptop");
    expect(refusal(cloud, { type: 'registerSSHKeyPair', name: 'bad', accountId: alice, publicKey: 'not a key!', fingerprint: 'ee:ff' })).toBe('INVALID_PARAMETER 431 Public key is invalid');
    // Names are per account: bob has his own laptop key.
    cloud.ok({ type: 'registerSSHKeyPair', name: 'laptop', accountId: bob, publicKey: RSA_KEY, fingerprint: 'aa:bb' });
    deploy('vm1', { keyPairName: 'laptop', displayName: 'My VM' });
    expect(cloud.vm('vm1')).toMatchObject({ keyPairName: 'laptop', displayName: 'My VM' });
    expect(refusal(cloud, { type: 'deployVirtualMachine', zoneId: cloud.idOf('zone', 'z1'), accountId: alice, serviceOfferingId: cloud.idOf('offering', 'plain-4g'), networkIds: [cloud.idOf('network', 'l2')], keyPairName: 'desk' })).toBe(
      "INVALID_PARAMETER 431 A key pair with name 'desk' was not found for account alice",
    );
    cloud.ok({ type: 'deleteSSHKeyPair', name: 'laptop', accountId: alice });
    expect([...cloud.state.sshKeyPairs.values()].map((k) => k.accountId)).toEqual([bob]);
    expect(refusal(cloud, { type: 'deleteSSHKeyPair', name: 'laptop', accountId: alice })).toBe("ENTITY_NOT_FOUND 431 A key pair with name 'laptop' does not exist for account alice in specified domain id ROOT");
    actAsUser(cloud, 'alice');
    expect(refusal(cloud, { type: 'deleteSSHKeyPair', name: 'laptop', accountId: bob })).toBe('PERMISSION_DENIED 531 the caller may not delete key pairs of account bob');
  });
});

describe('tags', () => {
  it('are put on resources of the caller, once per key, and found by resource', () => {
    const { cloud, deploy, volumeOf } = setUp();
    deploy('vm1');
    deploy('vm2');
    const [vm1, vm2] = [cloud.vm('vm1').id, cloud.vm('vm2').id];
    cloud.ok({ type: 'createTags', resourceType: 'UserVm', resourceIds: [vm1, vm2], tags: [{ key: 'env', value: 'prod' }, { key: 'team', value: 'web' }] });
    cloud.ok({ type: 'createTags', resourceType: 'Volume', resourceIds: [volumeOf('vm1').id], tags: [{ key: 'env', value: 'prod' }] });
    expect([...cloud.state.tags.values()].map((t) => `${t.resourceType} ${t.resourceId === vm1 ? 'vm1' : t.resourceId === vm2 ? 'vm2' : 'root1'} ${t.key}=${t.value}`)).toEqual([
      'UserVm vm1 env=prod', 'UserVm vm1 team=web', 'UserVm vm2 env=prod', 'UserVm vm2 team=web', 'Volume root1 env=prod',
    ]);
    expect(cloud.state.index.tagsByResource.get(vm1)!.map((id) => cloud.state.tags.get(id)!.key)).toEqual(['env', 'team']);
    expect(refusal(cloud, { type: 'createTags', resourceType: 'UserVm', resourceIds: [vm1], tags: [{ key: 'env', value: 'dev' }] })).toBe(`INVALID_PARAMETER 431 tag env already exists on UserVm ${vm1}; delete it first`);
    expect(refusal(cloud, { type: 'createTags', resourceType: 'Volume', resourceIds: [vm1], tags: [{ key: 'a', value: 'b' }] })).toBe(`ENTITY_NOT_FOUND 431 Unable to find resource by id ${vm1} and type Volume`);
    expect(refusal(cloud, { type: 'createTags', resourceType: 'UserVm', resourceIds: [vm1], tags: [{ key: 'a', value: '' }] })).toBe('INVALID_PARAMETER 431 Value for the key a is either null or empty');
    actAsUser(cloud, 'bob');
    expect(refusal(cloud, { type: 'createTags', resourceType: 'UserVm', resourceIds: [vm1], tags: [{ key: 'owner', value: 'bob' }] })).toBe(`PERMISSION_DENIED 531 the caller may not tag UserVm ${vm1}`);
  });

  it('are deleted by key (and value), and go with their resource when it is expunged', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1');
    deploy('vm2');
    const [vm1, vm2] = [cloud.vm('vm1').id, cloud.vm('vm2').id];
    cloud.ok({ type: 'createTags', resourceType: 'UserVm', resourceIds: [vm1, vm2], tags: [{ key: 'env', value: 'prod' }, { key: 'team', value: 'web' }] });
    expect(refusal(cloud, { type: 'deleteTags', resourceType: 'UserVm', resourceIds: [vm1], tags: [{ key: 'env', value: 'dev' }] })).toBe('INVALID_PARAMETER 431 Unable to find any tags which conform to specified delete parameters.');
    cloud.ok({ type: 'deleteTags', resourceType: 'UserVm', resourceIds: [vm1], tags: [{ key: 'env', value: 'prod' }] });
    expect(cloud.state.index.tagsByResource.get(vm1)!.map((id) => cloud.state.tags.get(id)!.key)).toEqual(['team']);
    const restored = restoreState(snapshotOf(cloud.state));
    expect(derivedOf(restored)).toEqual(derivedOf(cloud.state));
    cloud.ok({ type: 'destroyVirtualMachine', id: vm2, expunge: true });
    expect(cloud.state.index.tagsByResource.has(vm2)).toBe(false);
    expect([...cloud.state.tags.values()].map((t) => t.key)).toEqual(['team']);
    cloud.ok({ type: 'deleteTags', resourceType: 'UserVm', resourceIds: [vm1] });
    expect(cloud.state.tags.size).toBe(0);
    expect(cloud.state.index.tagsByResource.size).toBe(0);
  });
});

describe('affinity groups of a VM', () => {
  it('change only while it is stopped, and the groups list their members', () => {
    const { cloud, alice, bob, deploy } = setUp();
    cloud.ok({ type: 'createAffinityGroup', name: 'spread', affinityType: 'host anti-affinity', accountId: alice, description: 'one per host' });
    cloud.ok({ type: 'createAffinityGroup', name: 'pack', affinityType: 'host affinity', accountId: alice });
    cloud.ok({ type: 'createAffinityGroup', name: 'bobs', affinityType: 'host affinity', accountId: bob });
    const group = (name: string) => [...cloud.state.affinityGroups.values()].find((g) => g.name === name)!;
    expect(group('spread').description).toBe('one per host');
    deploy('vm1', { affinityGroupIds: [group('spread').id] });
    const id = cloud.vm('vm1').id;
    expect(refusal(cloud, { type: 'updateVMAffinityGroup', id, affinityGroupIds: [group('pack').id] })).toBe('INVALID_STATE 431 virtual machine vm1 is Running; stop it to change its affinity groups');
    cloud.ok({ type: 'stopVirtualMachine', id });
    expect(refusal(cloud, { type: 'updateVMAffinityGroup', id, affinityGroupIds: [group('bobs').id] })).toBe('PERMISSION_DENIED 531 affinity group bobs belongs to another account than virtual machine vm1');
    cloud.ok({ type: 'updateVMAffinityGroup', id, affinityGroupIds: [group('pack').id] });
    expect(cloud.vm('vm1').affinityGroupIds).toEqual([group('pack').id]);
    expect([group('spread').vmIds, group('pack').vmIds]).toEqual([[], [id]]);
    cloud.ok({ type: 'deleteAffinityGroup', id: group('spread').id });
  });
});

describe('moving a stopped VM\'s volumes to another pool', () => {
  it('moves every volume and their allocation; a running VM moves by host only', () => {
    const spec = tinyDatacenter();
    spec.zones[0]!.pods![0]!.clusters![0]!.primaryStorage!.push({ name: 'nfs2', protocol: 'NFS', capacityGiB: 100 });
    const { cloud, deploy, volumeOf } = setUp({ 'storage.overprovisioning.factor': 1 }, spec);
    deploy('vm1', { diskOfferingId: cloud.idOf('diskOffering', 'data-50') });
    const [nfs, nfs2] = [cloud.idOf('storagePool', 'nfs'), cloud.idOf('storagePool', 'nfs2')];
    const id = cloud.vm('vm1').id;
    expect(refusal(cloud, { type: 'migrateVirtualMachine', id, storagePoolId: nfs2 })).toBe("INVALID_STATE 431 virtual machine vm1 is Running; only a stopped VM's volumes can move to another pool (give hostid to move a running VM)");
    cloud.ok({ type: 'stopVirtualMachine', id });
    cloud.ok({ type: 'migrateVirtualMachine', id, storagePoolId: nfs2 });
    expect([volumeOf('vm1').storagePoolId, volumeOf('vm1', 'DATADISK').storagePoolId]).toEqual([nfs2, nfs2]);
    expect([cloud.state.index.poolAllocatedGiB.get(nfs), cloud.state.index.poolAllocatedGiB.get(nfs2)]).toEqual([0, 60]);
    expect(refusal(cloud, { type: 'migrateVirtualMachine', id, storagePoolId: nfs2 })).toBe('INVALID_PARAMETER 431 the volumes of virtual machine vm1 are on storage pool nfs2 already');
    deploy('vm2', { diskOfferingId: cloud.idOf('diskOffering', 'data-50') });
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('vm2').id });
    expect(refusal(cloud, { type: 'migrateVirtualMachine', id: cloud.vm('vm2').id, storagePoolId: nfs2 })).toBe('INSUFFICIENT_CAPACITY 533 storage pool nfs2 has no room for the 60 GiB of virtual machine vm2');
  });
});

describe('offerings', () => {
  it('are renamed by root admins and, when deleted, refused to new VMs while the VMs that have them keep them', () => {
    const { cloud, plain, data50, deploy, zoneId, alice } = setUp();
    deploy('vm1');
    cloud.ok({ type: 'updateServiceOffering', id: plain, name: 'small', displayText: 'Small, 2 x 2 GHz' });
    expect(cloud.state.serviceOfferings.get(plain)).toMatchObject({ name: 'small', displayText: 'Small, 2 x 2 GHz' });
    expect(refusal(cloud, { type: 'updateServiceOffering', id: plain, name: 'big' })).toBe('INVALID_PARAMETER 431 a service offering named "big" already exists');
    cloud.ok({ type: 'deleteServiceOffering', id: plain });
    cloud.ok({ type: 'deleteDiskOffering', id: data50 });
    expect([cloud.state.serviceOfferings.get(plain)!.state, cloud.state.diskOfferings.get(data50)!.state]).toEqual(['Inactive', 'Inactive']);
    expect(cloud.vm('vm1').serviceOfferingId).toBe(plain);
    expect(refusal(cloud, { type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: plain, networkIds: [cloud.idOf('network', 'l2')] })).toBe(`ENTITY_NOT_FOUND 431 service offering ${plain} does not exist`);
    expect(refusal(cloud, { type: 'createVolume', zoneId, accountId: alice, name: 'd', diskOfferingId: data50 })).toBe(`ENTITY_NOT_FOUND 431 disk offering ${data50} does not exist`);
    expect(refusal(cloud, { type: 'deleteServiceOffering', id: plain })).toBe(`ENTITY_NOT_FOUND 431 service offering ${plain} does not exist`);
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('vm1').id });
    cloud.ok({ type: 'startVirtualMachine', id: cloud.vm('vm1').id });
    expect(cloud.vm('vm1').state).toBe('Running');
    actAsUser(cloud, 'alice');
    expect(refusal(cloud, { type: 'updateServiceOffering', id: cloud.idOf('offering', 'big'), name: 'huge' })).toBe('PERMISSION_DENIED 531 only a root admin can update service offerings');
  });
});

describe('the secondary storage limit', () => {
  it('counts templates and snapshots, and refuses what would pass max.account.secondary.storage (535)', () => {
    const { cloud, alice, deploy, volumeOf, usage } = setUp({ 'max.account.secondary.storage': 15 });
    cloud.ok({ type: 'registerTemplate', name: 'os', accountId: alice, format: 'QCOW2', sizeGiB: 5 });
    deploy('vm1');
    cloud.ok({ type: 'createSnapshot', volumeId: volumeOf('vm1').id });
    expect(usage().secondary_storage).toBe(15);
    expect(refusal(cloud, { type: 'createSnapshot', volumeId: volumeOf('vm1').id })).toBe(
      "RESOURCE_LIMIT_EXCEEDED 535 Maximum number of resources of type 'secondary_storage' for account alice has been exceeded: it holds 15 GiB of secondary storage, asks for 10 more, and max.account.secondary.storage is 15",
    );
    cloud.ok({ type: 'deleteTemplate', id: cloud.idOf('template', 'os') });
    expect(usage().secondary_storage).toBe(10);
  });
});

/**
 * Volumes, snapshots and templates the way CloudStack keeps them. A new data volume lives only
 * in the database (Allocated, no pool) until it is first attached, and is then placed on a
 * primary storage pool the VM's host reaches; it never shrinks and cannot be deleted while
 * attached. Snapshots and templates take secondary storage (an image store counts as full at
 * 90 %), and a root disk made from a template brings the template to its pool once. Each test
 * runs commands on the tiny datacenter (pool nfs of 4,000 GiB, image store ss of 1,000 GiB;
 * the second zone z2 has an image store of 500 GiB) and reads the pool allocation, the image
 * store use and the account's counts.
 */
import { describe, expect, it } from 'vitest';
import { step } from '../../../core/decider.js';
import { testCloud, tinyDatacenter } from '../../support/cloud.js';
import { refusal, twoZoneDatacenter } from './fixtures.js';

function setUp(spec = tinyDatacenter()) {
  const cloud = testCloud(spec);
  const zoneId = cloud.idOf('zone', 'z1');
  const alice = cloud.idOf('account', 'alice');
  const pool = cloud.idOf('storagePool', 'nfs');
  const data50 = cloud.idOf('diskOffering', 'data-50');
  const deploy = (name: string, more: { templateId?: string; startVm?: boolean } = {}) =>
    cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: cloud.idOf('offering', 'plain-4g'), networkIds: [cloud.idOf('network', 'l2')], name, ...more });
  const createVolume = (name: string) => {
    cloud.ok({ type: 'createVolume', zoneId, accountId: alice, name, diskOfferingId: data50 });
    return [...cloud.state.volumes.values()].find((v) => v.name === name)!;
  };
  const allocated = () => cloud.state.index.poolAllocatedGiB.get(pool) ?? 0;
  const usage = () => cloud.state.index.accountUsage.get(alice)!;
  const storeUse = (name: string) => cloud.state.index.imageStoreUsedGiB.get([...cloud.state.imageStores.values()].find((s) => s.name === name)!.id) ?? 0;
  return { cloud, zoneId, alice, pool, deploy, createVolume, allocated, usage, storeUse };
}

describe('data volumes', () => {
  it('are created Allocated, on no pool, and counted against the account', () => {
    const { cloud, createVolume, allocated, usage } = setUp();
    const volume = createVolume('d1');
    expect(volume).toMatchObject({ type: 'DATADISK', sizeGiB: 50, state: 'Allocated' });
    expect(volume.storagePoolId).toBeUndefined();
    expect(volume.vmId).toBeUndefined();
    expect(allocated()).toBe(0);
    expect(usage()).toMatchObject({ volume: 1, primary_storage: 50 });
    expect(refusal(cloud, { type: 'createSnapshot', volumeId: volume.id })).toBe('INVALID_STATE 431 volume d1 is Allocated; only a volume on primary storage can be snapshotted');
  });

  it('are placed on a pool the VM\'s host reaches when first attached', () => {
    const { cloud, pool, deploy, createVolume, allocated } = setUp();
    deploy('vm1');
    const volume = createVolume('d1');
    expect(allocated()).toBe(10);
    const result = step(cloud.state, { type: 'attachVolume', id: volume.id, vmId: cloud.vm('vm1').id }, cloud.ctx);
    expect(result.ok && result.step.effects).toEqual([{ kind: 'volume.create', volumeId: volume.id, storagePoolId: pool, sizeGiB: 50 }]);
    expect(volume).toMatchObject({ state: 'Ready', storagePoolId: pool, vmId: cloud.vm('vm1').id });
    expect(cloud.vm('vm1').volumeIds).toHaveLength(2);
    expect(allocated()).toBe(60);
    expect(refusal(cloud, { type: 'attachVolume', id: volume.id, vmId: cloud.vm('vm1').id })).toBe('INVALID_STATE 431 volume d1 is already attached');
  });

  it('cannot be attached to a VM that never ran: there is no host to pick a pool for', () => {
    const { cloud, deploy, createVolume } = setUp();
    deploy('never', { startVm: false });
    const volume = createVolume('d1');
    expect(refusal(cloud, { type: 'attachVolume', id: volume.id, vmId: cloud.vm('never').id })).toBe('INVALID_STATE 431 VM never has never run; start it before attaching volume d1');
    expect(volume.state).toBe('Allocated');
  });

  it('cannot be attached to a VM of another zone', () => {
    const { cloud, alice, deploy } = setUp(twoZoneDatacenter());
    deploy('vm1');
    cloud.ok({ type: 'createVolume', zoneId: cloud.idOf('zone', 'z2'), accountId: alice, name: 'far', diskOfferingId: cloud.idOf('diskOffering', 'data-50') });
    const far = [...cloud.state.volumes.values()].find((v) => v.name === 'far')!;
    expect(refusal(cloud, { type: 'attachVolume', id: far.id, vmId: cloud.vm('vm1').id })).toBe(
      'INVALID_PARAMETER 431 volume far is in zone z2 and VM vm1 in zone z1; a volume attaches only to a VM of its zone',
    );
    expect(far.storagePoolId).toBeUndefined();
  });

  it('stay on their pool when detached; a root volume cannot be detached', () => {
    const { cloud, pool, deploy, createVolume, allocated } = setUp();
    deploy('vm1');
    const volume = createVolume('d1');
    cloud.ok({ type: 'attachVolume', id: volume.id, vmId: cloud.vm('vm1').id });
    cloud.ok({ type: 'detachVolume', id: volume.id });
    expect(volume).toMatchObject({ state: 'Ready', storagePoolId: pool });
    expect(volume.vmId).toBeUndefined();
    expect(cloud.vm('vm1').volumeIds).toHaveLength(1);
    expect(allocated()).toBe(60);
    expect(refusal(cloud, { type: 'detachVolume', id: volume.id })).toBe('INVALID_STATE 431 volume d1 is not attached');
    expect(refusal(cloud, { type: 'detachVolume', id: cloud.vm('vm1').volumeIds[0]! })).toBe('INVALID_STATE 431 the root volume ROOT-vm1 cannot be detached');
  });

  it('grow but never shrink', () => {
    const { cloud, deploy, createVolume, allocated, usage } = setUp();
    deploy('vm1');
    const volume = createVolume('d1');
    cloud.ok({ type: 'attachVolume', id: volume.id, vmId: cloud.vm('vm1').id });
    expect(refusal(cloud, { type: 'resizeVolume', id: volume.id, sizeGiB: 40 })).toBe('INVALID_PARAMETER 431 volume d1 cannot shrink from 50 to 40 GiB');
    cloud.ok({ type: 'resizeVolume', id: volume.id, sizeGiB: 80 });
    expect(volume.sizeGiB).toBe(80);
    expect(allocated()).toBe(90);
    expect(usage()).toMatchObject({ volume: 2, primary_storage: 90 });
  });

  it('cannot be deleted while attached (431, in CloudStack\'s words); once detached, deleting gives the space back', () => {
    const { cloud, deploy, createVolume, allocated, usage } = setUp();
    deploy('vm1');
    const volume = createVolume('d1');
    cloud.ok({ type: 'attachVolume', id: volume.id, vmId: cloud.vm('vm1').id });
    const refused = cloud.run({ type: 'deleteVolume', id: volume.id });
    expect(refused).toMatchObject({ code: 'INVALID_PARAMETER', errorCode: 431, message: 'Please specify a volume that is not attached to any VM. (volume d1 is attached to vm1; detach it first)' });
    const root = cloud.vm('vm1').volumeIds[0]!;
    expect(refusal(cloud, { type: 'deleteVolume', id: root })).toBe('INVALID_PARAMETER 431 Please specify a volume that is not attached to any VM. (volume ROOT-vm1 is the root volume of vm1 and goes when the VM is expunged)');
    cloud.ok({ type: 'detachVolume', id: volume.id });
    cloud.ok({ type: 'deleteVolume', id: volume.id });
    expect(cloud.state.volumes.has(volume.id)).toBe(false);
    expect(allocated()).toBe(10);
    expect(usage()).toMatchObject({ volume: 1, primary_storage: 10 });
  });
});

describe('snapshots', () => {
  it('take the size of the volume on secondary storage and give it back when deleted', () => {
    const { cloud, deploy, createVolume, usage, storeUse } = setUp();
    deploy('vm1');
    const volume = createVolume('d1');
    cloud.ok({ type: 'attachVolume', id: volume.id, vmId: cloud.vm('vm1').id });
    cloud.ok({ type: 'createSnapshot', volumeId: volume.id, name: 'nightly' });
    const snapshot = [...cloud.state.snapshots.values()][0]!;
    expect(snapshot).toMatchObject({ name: 'nightly', sizeGiB: 50, state: 'BackedUp', volumeId: volume.id });
    expect(storeUse('ss')).toBe(50);
    expect(usage().snapshot).toBe(1);
    cloud.ok({ type: 'deleteSnapshot', id: snapshot.id });
    expect(snapshot.state).toBe('Destroyed');
    expect(storeUse('ss')).toBe(0);
    expect(usage().snapshot).toBe(0);
  });
});

describe('templates', () => {
  it('take secondary storage in every zone they are registered in', () => {
    const { cloud, alice, usage, storeUse } = setUp(twoZoneDatacenter());
    const result = step(cloud.state, { type: 'registerTemplate', name: 'ubuntu', accountId: alice, format: 'QCOW2', hypervisor: 'KVM', sizeGiB: 5 }, cloud.ctx);
    const stores = [...cloud.state.imageStores.values()].map((s) => s.id);
    const template = cloud.state.templates.get(cloud.idOf('template', 'ubuntu'))!;
    expect(result.ok && result.step.effects).toEqual([{ kind: 'template.copy', templateId: template.id, imageStoreIds: stores }]);
    expect(template.zoneIds).toEqual([cloud.idOf('zone', 'z1'), cloud.idOf('zone', 'z2')]);
    expect([storeUse('ss'), storeUse('ss2')]).toEqual([5, 5]);
    expect(usage().template).toBe(1);
  });

  it('are refused with INSUFFICIENT_CAPACITY when an image store would pass 90 %', () => {
    const { cloud, alice, storeUse } = setUp(twoZoneDatacenter());
    cloud.ok({ type: 'registerTemplate', name: 'ubuntu', accountId: alice, format: 'QCOW2', sizeGiB: 5 });
    // ss2 holds 500 GiB: 5 + 446 = 451 GiB is past its 450 GiB.
    const refused = cloud.run({ type: 'registerTemplate', name: 'huge', accountId: alice, format: 'QCOW2', sizeGiB: 446 });
    expect(refused).toMatchObject({ code: 'INSUFFICIENT_CAPACITY', errorCode: 533, message: 'secondary storage of zone z2 has no room for 446 GiB (stores count as full at 90 %)' });
    expect([storeUse('ss'), storeUse('ss2')]).toEqual([5, 5]);
    // Exactly up to 90 % is fine, and a template for z1 alone does not touch z2.
    cloud.ok({ type: 'registerTemplate', name: 'fits', accountId: alice, format: 'QCOW2', sizeGiB: 445 });
    cloud.ok({ type: 'registerTemplate', name: 'z1-only', accountId: alice, format: 'QCOW2', sizeGiB: 300, zoneIds: [cloud.idOf('zone', 'z1')] });
    expect([storeUse('ss'), storeUse('ss2')]).toEqual([750, 450]);
  });

  it('are copied to a pool once, by the first root disk made from them there', () => {
    const { cloud, alice, pool, deploy, allocated } = setUp();
    cloud.ok({ type: 'registerTemplate', name: 'ubuntu', accountId: alice, format: 'QCOW2', hypervisor: 'KVM', sizeGiB: 5 });
    const templateId = cloud.idOf('template', 'ubuntu');
    deploy('a', { templateId });
    expect(allocated()).toBe(10 + 5);
    expect([...cloud.state.index.poolTemplates.get(pool)!]).toEqual([templateId]);
    deploy('b', { templateId });
    expect(allocated()).toBe(10 + 10 + 5);
  });

  it('give their secondary storage back when deleted', () => {
    const { cloud, alice, usage, storeUse } = setUp();
    cloud.ok({ type: 'registerTemplate', name: 'ubuntu', accountId: alice, format: 'QCOW2', sizeGiB: 5 });
    cloud.ok({ type: 'deleteTemplate', id: cloud.idOf('template', 'ubuntu') });
    expect(storeUse('ss')).toBe(0);
    expect(usage().template).toBe(0);
  });

  it('give the space back on the image store that holds their copy', () => {
    const spec = tinyDatacenter();
    spec.zones[0]!.secondaryStorage = [{ name: 'ss-a', capacityGiB: 1000 }, { name: 'ss-b', capacityGiB: 1000 }];
    const { cloud, alice, storeUse } = setUp(spec);
    cloud.ok({ type: 'registerTemplate', name: 't1', accountId: alice, format: 'QCOW2', sizeGiB: 100 });
    // The freest store takes the next copy.
    cloud.ok({ type: 'registerTemplate', name: 't2', accountId: alice, format: 'QCOW2', sizeGiB: 30 });
    expect([storeUse('ss-a'), storeUse('ss-b')]).toEqual([100, 30]);
    cloud.ok({ type: 'deleteTemplate', id: cloud.idOf('template', 't2') });
    expect([storeUse('ss-a'), storeUse('ss-b')]).toEqual([100, 0]);
  });
});

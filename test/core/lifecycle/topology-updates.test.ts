/**
 * Infrastructure changed and removed after it was built, as CloudStack's update and delete verbs
 * do it: every refusal with CloudStack's words and error number (530 for what CloudStack throws as
 * a CloudRuntimeException, 431 for bad values), then the change itself. Each removal is checked
 * against a restore: the state restored from the records left must equal the one evolve left, in
 * the records and in every derived structure (indexes, capacity index, address and VNET pools).
 */
import { describe, expect, it } from 'vitest';
import { restoreState } from '../../../core/model/restore.js';
import { snapshotOf } from '../../../core/model/snapshot.js';
import { type CloudState, vmsOnHost } from '../../../core/model/state.js';
import { parseIpv4 } from '../../../core/net/ipv4.js';
import { testCloud, type TestCloud, tinyDatacenter } from '../../support/cloud.js';
import { derivedOf } from '../../support/derived.js';
import { hostLoad, refusal, twoZoneDatacenter } from './fixtures.js';

function expectRestorable(state: CloudState): void {
  const restored = restoreState(snapshotOf(state));
  expect(snapshotOf(restored)).toEqual(snapshotOf(state));
  expect(derivedOf(restored)).toEqual(derivedOf(state));
}

function providersOf(cloud: TestCloud, physicalNetworkName: string) {
  const network = [...cloud.state.physicalNetworks.values()].find((n) => n.name === physicalNetworkName)!;
  return cloud.state.physicalNetworkServices.get(network.id)!;
}

describe('tearing a zone down', () => {
  it('refuses each level while something is in it, then removes hosts, pool, cluster, pod, physical network and zone', () => {
    const cloud = testCloud(twoZoneDatacenter());
    const z2 = cloud.idOf('zone', 'z2');
    const p2 = cloud.idOf('pod', 'p2');
    const c2 = cloud.idOf('cluster', 'c2');
    const host1 = cloud.idOf('host', 'z2host1');
    const host2 = cloud.idOf('host', 'z2host2');
    const nfs2 = cloud.idOf('storagePool', 'nfs2');
    const pn2 = [...cloud.state.physicalNetworks.values()].find((n) => n.zoneId === z2)!.id;

    expect(refusal(cloud, { type: 'deleteZone', id: z2 })).toBe('RESOURCE_IN_USE 530 The zone is not deletable because there are servers running in this zone');
    expect(refusal(cloud, { type: 'deletePod', id: p2 })).toBe('RESOURCE_IN_USE 530 The pod cannot be deleted because there are servers in this pod.');
    expect(refusal(cloud, { type: 'deleteCluster', id: c2 })).toBe(`RESOURCE_IN_USE 530 Cluster: ${c2} cannot be removed. Cluster still has hosts`);
    expect(refusal(cloud, { type: 'deleteHost', id: host1 })).toBe(
      `RESOURCE_IN_USE 530 Host ${host1} cannot be deleted as it is not in maintenance mode. Either put the host into maintenance or perform a forced deletion.`,
    );
    expect(refusal(cloud, { type: 'deleteHost', id: 'no-such-host' })).toBe("ENTITY_NOT_FOUND 431 Host with id no-such-host doesn't exist");

    cloud.ok({ type: 'prepareHostForMaintenance', id: host1 });
    cloud.ok({ type: 'deleteHost', id: host1 });
    cloud.ok({ type: 'deleteHost', id: host2, forced: true });
    expect(cloud.state.hosts.has(host1) || cloud.state.hosts.has(host2)).toBe(false);
    expect(cloud.state.capacity.hostIds.map((id) => cloud.hostName(id))).toEqual(['host1', 'host2']);

    expect(refusal(cloud, { type: 'deleteCluster', id: c2 })).toBe(`RESOURCE_IN_USE 530 Cluster: ${c2} cannot be removed. Cluster still has storage pools`);
    expect(refusal(cloud, { type: 'deleteStoragePool', id: nfs2 })).toBe(
      `INVALID_STATE 431 Unable to delete storage due to it is not in Maintenance state, pool: StoragePool {"name":"nfs2","poolType":"NetworkFilesystem","uuid":"${nfs2}"}`,
    );
    cloud.ok({ type: 'enableStorageMaintenance', id: nfs2 });
    cloud.ok({ type: 'deleteStoragePool', id: nfs2 });
    cloud.ok({ type: 'deleteCluster', id: c2 });
    expect(cloud.state.capacity.clusterIds).toEqual([cloud.idOf('cluster', 'c1')]);
    expect(refusal(cloud, { type: 'deleteZone', id: z2 })).toBe('RESOURCE_IN_USE 530 The zone is not deletable because there are pods in this zone');
    cloud.ok({ type: 'deletePod', id: p2 });

    expect(refusal(cloud, { type: 'deleteZone', id: z2 })).toBe('RESOURCE_IN_USE 530 The zone is not deletable because there are physical networks in this zone');
    expect(refusal(cloud, { type: 'deletePhysicalNetwork', id: pn2 })).toBe('RESOURCE_IN_USE 530 The Physical Network is not deletable because there are networks associated to this physical network');
    cloud.ok({ type: 'deleteNetwork', id: cloud.idOf('network', 'l2b') });
    cloud.ok({ type: 'deletePhysicalNetwork', id: pn2 });
    // The zone's public range went with its physical network.
    expect([...cloud.state.vlanIpRanges.values()].filter((r) => r.zoneId === z2)).toEqual([]);
    cloud.ok({ type: 'deleteZone', id: z2 });

    expect([...cloud.state.zones.values()].map((z) => z.name)).toEqual(['z1']);
    expect([...cloud.state.imageStores.values()].map((s) => s.name)).toEqual(['ss']);
    expect(cloud.state.pools.publicByZone.has(z2)).toBe(false);
    expect(cloud.state.physicalNetworkServices.has(pn2)).toBe(false);
    expectRestorable(cloud.state);

    // The zone left behind still deploys.
    cloud.ok({ type: 'deployVirtualMachine', zoneId: cloud.idOf('zone', 'z1'), accountId: cloud.idOf('account', 'alice'), serviceOfferingId: cloud.idOf('offering', 'plain-4g'), networkIds: [cloud.idOf('network', 'l2')], name: 'after' });
    expect(cloud.hostName(cloud.vm('after').hostId)).toBe('host1');
  });

  it('keeps the capacity of the hosts after a deleted one under their new ordinals', () => {
    const cloud = testCloud(tinyDatacenter({ hosts: 3 }));
    const host3 = cloud.idOf('host', 'host3');
    cloud.ok({ type: 'deployVirtualMachine', zoneId: cloud.idOf('zone', 'z1'), accountId: cloud.idOf('account', 'alice'), serviceOfferingId: cloud.idOf('offering', 'plain-4g'), networkIds: [cloud.idOf('network', 'l2')], name: 'vm3', hostId: host3 });
    cloud.ok({ type: 'prepareHostForMaintenance', id: cloud.idOf('host', 'host1') });
    cloud.ok({ type: 'deleteHost', id: cloud.idOf('host', 'host1') });
    expect(cloud.state.capacity.hostOrdinal.get(host3)).toBe(1);
    // The host lists follow the ordinals: vm3's list is now the second.
    expect(vmsOnHost(cloud.state, host3).map((vm) => vm.name)).toEqual(['vm3']);
    expect(cloud.state.index.vmsByHostOrdinal.map((list) => list?.map((vm) => vm.name))).toEqual([undefined, ['vm3']]);
    // vm3 leaves host3 and comes back: found on its list under the new ordinal.
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('vm3').id });
    expect(vmsOnHost(cloud.state, host3)).toEqual([]);
    cloud.ok({ type: 'startVirtualMachine', id: cloud.vm('vm3').id, hostId: host3 });
    expect(vmsOnHost(cloud.state, host3).map((vm) => vm.name)).toEqual(['vm3']);
    expect(hostLoad(cloud, 'host3')).toEqual({ usedMhz: 4000, usedMiB: 4096, reservedMhz: 0, reservedMiB: 0 });
    const cluster = cloud.state.capacity.clusterOrdinal.get(cloud.idOf('cluster', 'c1'))!;
    expect(cloud.state.capacity.clusterHosts[cluster]).toEqual([0, 1]);
    expect(cloud.state.capacity.clusterCpuTotalMhz[cluster]).toBe(64_000);
    expect(cloud.state.capacity.clusterCpuAllocatedMhz[cluster]).toBe(4000);
    expectRestorable(cloud.state);
  });

  it('stops the VMs of a host deleted by force and releases what they held there', () => {
    const cloud = testCloud(tinyDatacenter());
    const host1 = cloud.idOf('host', 'host1');
    cloud.ok({ type: 'deployVirtualMachine', zoneId: cloud.idOf('zone', 'z1'), accountId: cloud.idOf('account', 'alice'), serviceOfferingId: cloud.idOf('offering', 'plain-4g'), networkIds: [cloud.idOf('network', 'l2')], name: 'vm1', hostId: host1 });
    cloud.ok({ type: 'deleteHost', id: host1, forced: true });
    const vm = cloud.vm('vm1');
    expect([vm.state, vm.hostId, vm.reason, vm.capacityReserved]).toEqual(['Stopped', undefined, 'host host1 was removed', undefined]);
    expect(cloud.state.capacity.holds.has(vm)).toBe(false);
    expect(hostLoad(cloud, 'host2')).toEqual({ usedMhz: 0, usedMiB: 0, reservedMhz: 0, reservedMiB: 0 });
    expectRestorable(cloud.state);
    // It starts again on the host that is left.
    cloud.ok({ type: 'startVirtualMachine', id: vm.id });
    expect(cloud.hostName(cloud.vm('vm1').hostId)).toBe('host2');
  });

  it('refuses a pool with volumes, even forced', () => {
    const cloud = testCloud(tinyDatacenter());
    const nfs = cloud.idOf('storagePool', 'nfs');
    cloud.ok({ type: 'deployVirtualMachine', zoneId: cloud.idOf('zone', 'z1'), accountId: cloud.idOf('account', 'alice'), serviceOfferingId: cloud.idOf('offering', 'plain-4g'), networkIds: [cloud.idOf('network', 'l2')], name: 'vm1' });
    cloud.ok({ type: 'enableStorageMaintenance', id: nfs });
    expect(refusal(cloud, { type: 'deleteStoragePool', id: nfs, forced: true })).toBe(
      `RESOURCE_IN_USE 530 Cannot delete pool StoragePool {"name":"nfs","poolType":"NetworkFilesystem","uuid":"${nfs}"} as there are non-destroyed volumes associated to this pool.`,
    );
  });
});

describe('IP ranges and image stores', () => {
  it('refuses a range with addresses in use, and deletes a free one, rebuilding the zone pool', () => {
    const cloud = testCloud(tinyDatacenter());
    const zoneId = cloud.idOf('zone', 'z1');
    cloud.ok({ type: 'ensureSystemVms', zoneId });
    const first = [...cloud.state.vlanIpRanges.values()][0]!;
    expect(refusal(cloud, { type: 'deleteVlanIpRange', id: first.id })).toBe('INVALID_PARAMETER 431 2  Ips are in use. Cannot delete this vlan');
    cloud.ok({ type: 'createVlanIpRange', zoneId, forVirtualNetwork: true, vlan: 50, gateway: '203.0.113.1', netmask: '255.255.255.0', startIp: '203.0.113.30', endIp: '203.0.113.40' });
    const pool = () => cloud.state.pools.publicByZone.get(zoneId)!;
    expect([pool().capacity, pool().allocatedCount]).toEqual([22, 2]);
    const second = [...cloud.state.vlanIpRanges.values()][1]!;
    cloud.ok({ type: 'deleteVlanIpRange', id: second.id });
    expect([pool().capacity, pool().allocatedCount, pool().intervals]).toEqual([11, 2, [{ first: parseIpv4('203.0.113.10'), last: parseIpv4('203.0.113.20') }]]);
    expect(refusal(cloud, { type: 'deleteVlanIpRange', id: second.id })).toBe('INVALID_PARAMETER 431 Please specify a valid IP range id.');
    expectRestorable(cloud.state);
  });

  it('refuses an image store that holds templates and deletes an empty one', () => {
    const cloud = testCloud(twoZoneDatacenter());
    cloud.ok({ type: 'registerTemplate', name: 'os', accountId: 'system', format: 'QCOW2', hypervisor: 'KVM', sizeGiB: 3, isPublic: true, zoneIds: [cloud.idOf('zone', 'z1')] });
    const ss = [...cloud.state.imageStores.values()].find((s) => s.name === 'ss')!;
    const ss2 = [...cloud.state.imageStores.values()].find((s) => s.name === 'ss2')!;
    expect(refusal(cloud, { type: 'deleteImageStore', id: ss.id })).toBe('INVALID_PARAMETER 431 Cannot delete image store with active templates backup!');
    cloud.ok({ type: 'deleteImageStore', id: ss2.id });
    expect(cloud.state.imageStores.has(ss2.id)).toBe(false);
    expect(cloud.state.index.imageStoresByZone.has(cloud.idOf('zone', 'z2'))).toBe(false);
    expectRestorable(cloud.state);
  });
});

describe('updates', () => {
  it('edits a zone, refusing a taken name and enabling only with management and public traffic', () => {
    const cloud = testCloud(twoZoneDatacenter());
    const z2 = cloud.idOf('zone', 'z2');
    expect(refusal(cloud, { type: 'editZone', id: z2, name: 'z1' })).toBe('INVALID_PARAMETER 431 A zone with that name already exists. Please specify a unique zone name.');
    expect(refusal(cloud, { type: 'editZone', id: z2, dns1: '8.8.8.' })).toBe('INVALID_PARAMETER 431 Please enter a valid IP address for DNS1');
    cloud.ok({ type: 'editZone', id: z2, name: 'zone-two', dns1: '8.8.8.8', internalDns1: '10.0.1.5', networkDomain: 'two.example', allocationState: 'Disabled' });
    const zone = cloud.state.zones.get(z2)!;
    expect([zone.name, zone.dns, zone.internalDns, zone.networkDomain, zone.allocationState]).toEqual(['zone-two', ['8.8.8.8'], ['10.0.1.5'], 'two.example', 'Disabled']);
    cloud.ok({ type: 'editZone', id: z2, networkDomain: '' });
    expect(cloud.state.zones.get(z2)!.networkDomain).toBeUndefined();

    cloud.ok({ type: 'createZone', name: 'bare', networkType: 'Advanced' });
    const bare = cloud.idOf('zone', 'bare');
    expect(refusal(cloud, { type: 'editZone', id: bare, allocationState: 'Enabled' })).toBe(
      'INVALID_PARAMETER 431 Cannot enable this Zone since: Unable to find the default physical network with traffic=Management in the specified zone id',
    );
    cloud.ok({ type: 'createPhysicalNetwork', zoneId: bare, name: 'pn3' });
    const pn3 = cloud.state.index.physicalNetworksByZone.get(bare)![0]!;
    cloud.ok({ type: 'addTrafficType', physicalNetworkId: pn3, trafficType: 'Management' });
    expect(refusal(cloud, { type: 'editZone', id: bare, allocationState: 'Enabled' })).toBe(
      'INVALID_PARAMETER 431 Cannot enable this Zone since: Unable to find the default physical network with traffic=Public in the specified zone id',
    );
    cloud.ok({ type: 'addTrafficType', physicalNetworkId: pn3, trafficType: 'Public' });
    cloud.ok({ type: 'editZone', id: bare, allocationState: 'Enabled' });
    expect(cloud.state.zones.get(bare)!.allocationState).toBe('Enabled');
  });

  it('renames pods and clusters, retags and disables hosts', () => {
    const cloud = testCloud(twoZoneDatacenter());
    expect(refusal(cloud, { type: 'editPod', id: cloud.idOf('pod', 'p2'), name: 'p2' })).toBeUndefined();
    cloud.ok({ type: 'createPod', zoneId: cloud.idOf('zone', 'z1'), name: 'p1b', gateway: '10.0.5.1', netmask: '255.255.255.0', startIp: '10.0.5.2', endIp: '10.0.5.9' });
    const z1 = cloud.idOf('zone', 'z1');
    expect(refusal(cloud, { type: 'editPod', id: cloud.idOf('pod', 'p1b'), name: 'p1' })).toBe(`INVALID_PARAMETER 431 A pod with name: p1 already exists in zone ${z1}. Please specify a different pod name. `);
    cloud.ok({ type: 'editPod', id: cloud.idOf('pod', 'p1b'), name: 'pod-b', allocationState: 'Enabled' });
    expect(cloud.state.pods.get(cloud.idOf('pod', 'pod-b'))!.allocationState).toBe('Enabled');
    cloud.ok({ type: 'editCluster', id: cloud.idOf('cluster', 'c2'), name: 'cluster-two', allocationState: 'Disabled' });
    expect(cloud.state.clusters.get(cloud.idOf('cluster', 'cluster-two'))!.allocationState).toBe('Disabled');

    const host1 = cloud.idOf('host', 'host1');
    cloud.ok({ type: 'editHost', id: host1, tags: ['ssd', ' gpu ', 'ssd'], allocationState: 'Disabled' });
    const host = cloud.state.hosts.get(host1)!;
    expect([host.tags, host.resourceState]).toEqual([['ssd', 'gpu'], 'Disabled']);
    // A disabled host takes no VMs.
    cloud.ok({ type: 'deployVirtualMachine', zoneId: z1, accountId: cloud.idOf('account', 'alice'), serviceOfferingId: cloud.idOf('offering', 'plain-4g'), networkIds: [cloud.idOf('network', 'l2')], name: 'vm1' });
    expect(cloud.hostName(cloud.vm('vm1').hostId)).toBe('host2');
  });

  it('disables and enables a storage pool, and resizes it', () => {
    const cloud = testCloud(tinyDatacenter());
    const nfs = cloud.idOf('storagePool', 'nfs');
    cloud.ok({ type: 'updateStoragePool', id: nfs, enabled: false, capacityGiB: 5000, tags: ['fast'] });
    const pool = cloud.state.storagePools.get(nfs)!;
    expect([pool.state, pool.capacityGiB, pool.tags]).toEqual(['Disabled', 5000, ['fast']]);
    expect(refusal(cloud, { type: 'deployVirtualMachine', zoneId: cloud.idOf('zone', 'z1'), accountId: cloud.idOf('account', 'alice'), serviceOfferingId: cloud.idOf('offering', 'plain-4g'), networkIds: [cloud.idOf('network', 'l2')], name: 'vm1' })).toMatch(/^INSUFFICIENT_CAPACITY 533/);
    cloud.ok({ type: 'updateStoragePool', id: nfs, enabled: true });
    cloud.ok({ type: 'enableStorageMaintenance', id: nfs });
    expect(refusal(cloud, { type: 'updateStoragePool', id: nfs, enabled: false })).toBe(`INVALID_STATE 431 Primary storage with id ${nfs} is not ready to disable, as the status is Maintenance`);
  });

  it('replaces the VNET ranges of a physical network but keeps the VNETs in use', () => {
    const cloud = testCloud(tinyDatacenter());
    const zoneId = cloud.idOf('zone', 'z1');
    const pn = [...cloud.state.physicalNetworks.values()][0]!;
    cloud.ok({ type: 'createNetwork', zoneId, name: 'pooled', guestType: 'L2', accountId: cloud.idOf('account', 'alice') });
    cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: cloud.idOf('account', 'alice'), serviceOfferingId: cloud.idOf('offering', 'plain-4g'), networkIds: [cloud.idOf('network', 'pooled')], name: 'vm1' });
    expect(cloud.state.networks.get(cloud.idOf('network', 'pooled'))!.vlan).toBe(100);
    expect(refusal(cloud, { type: 'updatePhysicalNetwork', id: pn.id, vlan: '150-199' })).toBe(
      `INVALID_PARAMETER 431 physicalnetwork PhysicalNetwork {"name":"pn","uuid":"${pn.id}"} has allocated vnets in the range 100-199`,
    );
    expect(refusal(cloud, { type: 'updatePhysicalNetwork', id: pn.id, vlan: '' })).toBe(`INVALID_PARAMETER 431 physicalnetwork PhysicalNetwork {"name":"pn","uuid":"${pn.id}"} has 1 vnets in use`);
    expect(refusal(cloud, { type: 'deletePhysicalNetwork', id: pn.id })).toBe('RESOURCE_IN_USE 530 The Physical Network is not deletable because there are allocated vnets for this physical network');
    cloud.ok({ type: 'updatePhysicalNetwork', id: pn.id, vlan: '100-120,400-409', state: 'Disabled', tags: ['guest'] });
    const pool = cloud.state.pools.vnetByPhysicalNetwork.get(pn.id)!;
    expect([pool.capacity, pool.allocatedValues(), pn.state, pn.tags]).toEqual([31, [100], 'Disabled', ['guest']]);
    expectRestorable(cloud.state);
  });
});

describe('network service providers', () => {
  it('come with every physical network, and VirtualRouter enables only once its element is', () => {
    const cloud = testCloud(tinyDatacenter());
    const services = providersOf(cloud, 'pn');
    expect(services.providers.map((p) => `${p.name} ${p.state}${p.element ? ` element ${p.element.enabled}` : ''}`)).toEqual([
      'VirtualRouter Disabled element false',
      'SecurityGroupProvider Disabled',
      'VpcVirtualRouter Disabled element false',
      'InternalLbVm Disabled',
      'ConfigDrive Enabled',
    ]);
    const ids = [...services.providers.flatMap((p) => [p.id, ...(p.element ? [p.element.id] : [])]), ...Object.values(services.trafficTypeIds)];
    expect(new Set(ids).size).toBe(12);
    expect(ids.some((id) => cloud.state.zones.has(id) || cloud.state.hosts.has(id) || cloud.state.networks.has(id))).toBe(false);

    const router = services.providers[0]!;
    expect(refusal(cloud, { type: 'updateNetworkServiceProvider', id: router.id, state: 'Enabled' })).toBe(
      'RESOURCE_IN_USE 530 Provider is not ready, cannot Enable the provider, please configure the provider first',
    );
    expect(refusal(cloud, { type: 'configureVirtualRouterElement', id: router.id, enabled: true })).toBe(`ENTITY_NOT_FOUND 431 Can't find VirtualRouter element with network service provider id ${router.id}`);
    cloud.ok({ type: 'configureVirtualRouterElement', id: router.element!.id, enabled: true });
    cloud.ok({ type: 'updateNetworkServiceProvider', id: router.id, state: 'Enabled' });
    cloud.ok({ type: 'updateNetworkServiceProvider', id: services.providers[1]!.id, state: 'Enabled' });
    expect(providersOf(cloud, 'pn').providers.map((p) => p.state)).toEqual(['Enabled', 'Enabled', 'Disabled', 'Disabled', 'Enabled']);
    expect(refusal(cloud, { type: 'updateNetworkServiceProvider', id: 'nope', state: 'Enabled' })).toBe("ENTITY_NOT_FOUND 431 Network Service Provider id=nopedoesn't exist in the system");
    expectRestorable(cloud.state);
  });

  it('leave ConfigDrive out of basic zones', () => {
    const cloud = testCloud(tinyDatacenter());
    cloud.ok({ type: 'createZone', name: 'b', networkType: 'Basic' });
    cloud.ok({ type: 'createPhysicalNetwork', zoneId: cloud.idOf('zone', 'b'), name: 'bpn' });
    expect(providersOf(cloud, 'bpn').providers.map((p) => p.name)).toEqual(['VirtualRouter', 'SecurityGroupProvider', 'VpcVirtualRouter', 'InternalLbVm']);
  });
});

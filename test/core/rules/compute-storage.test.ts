/**
 * Rules about clusters and hosts, primary and secondary storage, object stores, offerings,
 * hypervisor features, account limits and the management plane. Each test changes one thing in
 * a fresh copy of a clean baseline design, plans it with planScenario and expects the finding
 * with its severity and a message naming the values involved. Two storage rules concern pools
 * that a scenario file cannot declare (a shared pool scoped to one host, a local pool in a zone
 * without local storage); those are driven through decide against the built baseline cloud.
 */
import { describe, expect, it } from 'vitest';
import {
  advancedZoneDesign,
  clusterOf,
  demandOf,
  kvmCluster,
  kvmHosts,
  podOf,
  securityGroupZoneDesign,
  zoneOf,
} from '../../support/designs.js';
import type { ClusterSpec, ScenarioSpec } from '../../../core/scenario/schema.js';
import {
  acceptedFindings,
  clusterIdOf,
  rejectionOf,
  builtState,
  context,
  decide,
  expectFinding,
  expectNoFinding,
  hostIdOf,
  planFindings,
  zoneIdOf,
} from './helpers.js';

function clusterA(spec: ScenarioSpec): ClusterSpec {
  return clusterOf(podOf(zoneOf(spec), 'pod1'), 'kvm-a');
}

function clusterB(spec: ScenarioSpec): ClusterSpec {
  return clusterOf(podOf(zoneOf(spec), 'pod2'), 'kvm-b');
}

/** The first primary storage pool of a cluster. */
function poolOf(cluster: ClusterSpec) {
  return cluster.primaryStorage![0]!;
}

/** A vSphere cluster of `count` hosts named vmw-a-h10, vmw-a-h11, … (two digits keep them in name order). */
function vmwareCluster(count: number, version?: string): ClusterSpec {
  return {
    name: 'vmw-a',
    hypervisor: 'VMware',
    ...(version === undefined ? {} : { hypervisorVersion: version }),
    hosts: [{ ...kvmHosts('vmw-a', count, '192.168.10.101'), numberFrom: 10 }],
    primaryStorage: [{ name: 'ps-vmw-a', protocol: 'NFS', capacityTiB: 4 }],
  };
}

describe('clusters and hosts', () => {
  it('CLUSTER_NAME_DUPLICATE fires when two clusters of a pod share a name', () => {
    const spec = advancedZoneDesign();
    const twin = kvmCluster('kvm-a', '192.168.10.111', '192.168.5.21');
    twin.hosts = [kvmHosts('kvm-a2', 4, '192.168.10.111')];
    twin.primaryStorage = [{ name: 'ps-kvm-a2', protocol: 'NFS', capacityTiB: 4 }];
    podOf(zoneOf(spec), 'pod1').clusters!.push(twin);
    expectFinding(planFindings(spec), 'CLUSTER_NAME_DUPLICATE', 'error', 'a cluster named "kvm-a" already exists in pod pod1');
  });

  it('CLUSTER_MIXED_HYPERVISOR fires when a XenServer host joins a KVM cluster', () => {
    const spec = advancedZoneDesign();
    clusterA(spec).hosts!.push({ ...kvmHosts('xen', 1, '192.168.10.110'), name: 'xen-1', hypervisor: 'XenServer' });
    expectFinding(planFindings(spec), 'CLUSTER_MIXED_HYPERVISOR', 'error', 'host xen-1 runs XenServer but cluster kvm-a is KVM');
  });

  it('CLUSTER_MIXED_ARCH fires when an aarch64 host joins an x86_64 cluster', () => {
    const spec = advancedZoneDesign();
    clusterA(spec).hosts!.push({ ...kvmHosts('arm', 1, '192.168.10.110'), name: 'arm-1', arch: 'aarch64' });
    expectFinding(planFindings(spec), 'CLUSTER_MIXED_ARCH', 'error', 'host arm-1 is aarch64 but cluster kvm-a is x86_64');
  });

  it('CLUSTER_HOSTS_OVER_MAX fires when a vSphere cluster gets a 33rd host with a limit of 32', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').clusters = [vmwareCluster(33)];
    const findings = planFindings(spec);
    const hit = expectFinding(findings, 'CLUSTER_HOSTS_OVER_MAX', 'error', 'cluster vmw-a is too big to add host vmw-a-h42: it has 32 hosts and vSphere default allows 32');
    expect(hit.path).toBe('zones/dc1/pods/pod1/clusters/vmw-a');
  });

  it('CLUSTER_HOSTS_OVER_MAX stays silent at exactly 32 vSphere hosts, and at 33 on vSphere 8.0 whose limit is 64', () => {
    const exact = advancedZoneDesign();
    podOf(zoneOf(exact), 'pod1').clusters = [vmwareCluster(32)];
    expectNoFinding(planFindings(exact), 'CLUSTER_HOSTS_OVER_MAX');
    const newer = advancedZoneDesign();
    podOf(zoneOf(newer), 'pod1').clusters = [vmwareCluster(33, '8.0')];
    expectNoFinding(planFindings(newer), 'CLUSTER_HOSTS_OVER_MAX');
  });

  it('CLUSTER_HOSTS_OVER_MAX refuses every further host of a cluster already over the limit', () => {
    const spec = advancedZoneDesign();
    podOf(zoneOf(spec), 'pod1').clusters = [vmwareCluster(33)];
    const state = builtState(spec);
    const command = { type: 'addHost' as const, clusterId: clusterIdOf(state, 'vmw-a'), name: 'vmw-a-h99', ip: '192.168.10.199', cpuCores: 32, cpuMhz: 2400, memoryMiB: 262_144 };
    const rejection = rejectionOf(decide(state, command, context('enforce')));
    expect(rejection.code).toBe('CLUSTER_HOSTS_OVER_MAX');
    expect(rejection.errorCode).toBe(530);
    expect(rejection.message).toContain('it has 33 hosts');
    expectNoFinding(acceptedFindings(decide(state, command, context('plan'))), 'CLUSTER_HOSTS_OVER_MAX');
  });

  it('CLUSTER_HOSTS_OVER_RECOMMENDED fires when a KVM cluster grows to 17 hosts', () => {
    const spec = advancedZoneDesign();
    clusterA(spec).hosts = [{ ...kvmHosts('kvm-a', 17, '192.168.10.101'), numberFrom: 10 }];
    expectFinding(planFindings(spec), 'CLUSTER_HOSTS_OVER_RECOMMENDED', 'warning', 'cluster kvm-a grows past 16 hosts, the documented recommendation for KVM');
  });

  it('CLUSTER_HOSTS_OVER_RECOMMENDED stays silent at exactly 16 KVM hosts', () => {
    const spec = advancedZoneDesign();
    clusterA(spec).hosts = [{ ...kvmHosts('kvm-a', 16, '192.168.10.101'), numberFrom: 10 }];
    expectNoFinding(planFindings(spec), 'CLUSTER_HOSTS_OVER_RECOMMENDED');
  });

  it('CLUSTER_HOSTS_HETEROGENEOUS fires when one host of a cluster has twice the memory', () => {
    const spec = advancedZoneDesign();
    clusterA(spec).hosts!.push({ ...kvmHosts('kvm-a', 1, '192.168.10.110'), name: 'kvm-a-h5', memoryGiB: 512 });
    expectFinding(planFindings(spec), 'CLUSTER_HOSTS_HETEROGENEOUS', 'warning',
      'host kvm-a-h5 (32 cores at 2400 MHz, 524288 MiB) differs from host kvm-a-h1 (32 cores at 2400 MHz, 262144 MiB)');
  });

  it('CLUSTER_NO_HOSTS fires when a cluster has no hosts', () => {
    const spec = advancedZoneDesign();
    clusterB(spec).hosts = [];
    clusterB(spec).primaryStorage = [];
    expectFinding(planFindings(spec), 'CLUSTER_NO_HOSTS', 'warning', 'cluster kvm-b has no hosts');
  });

  it('CLUSTER_NO_PRIMARY_STORAGE fires when a cluster reaches no primary storage', () => {
    const spec = advancedZoneDesign();
    clusterB(spec).primaryStorage = [];
    expectFinding(planFindings(spec), 'CLUSTER_NO_PRIMARY_STORAGE', 'error', 'cluster kvm-b can reach no primary storage');
  });

  it('CLUSTER_NO_PRIMARY_STORAGE stays silent when a zone-wide KVM pool serves the cluster', () => {
    const spec = advancedZoneDesign();
    clusterB(spec).primaryStorage = [];
    zoneOf(spec).primaryStorage = [{ name: 'zw-kvm', protocol: 'NFS', capacityTiB: 4, hypervisor: 'KVM' }];
    expectNoFinding(planFindings(spec), 'CLUSTER_NO_PRIMARY_STORAGE');
  });

  it('CLUSTER_XENSERVER_MEMORY_OVERPROVISIONING fires when a XenServer cluster sets memory over-provisioning to 5', () => {
    const spec = advancedZoneDesign();
    Object.assign(clusterB(spec), { name: 'xen-b', hypervisor: 'XenServer', overprovisioning: { memory: 5 } });
    const hit = expectFinding(planFindings(spec), 'CLUSTER_XENSERVER_MEMORY_OVERPROVISIONING', 'warning', 'XenServer cluster xen-b sets memory over-provisioning factor 5, above 4');
    expect(hit.path).toBe('zones/dc1/pods/pod2/clusters/xen-b/memoryOvercommitRatio');
  });

  it('CLUSTER_XENSERVER_MEMORY_OVERPROVISIONING stays silent at a factor of exactly 4', () => {
    const spec = advancedZoneDesign();
    Object.assign(clusterB(spec), { name: 'xen-b', hypervisor: 'XenServer', overprovisioning: { memory: 4 } });
    expectNoFinding(planFindings(spec), 'CLUSTER_XENSERVER_MEMORY_OVERPROVISIONING');
  });

  it('CLUSTER_OVERPROVISIONING_UNSUPPORTED fires when an LXC cluster sets CPU over-provisioning', () => {
    const spec = advancedZoneDesign();
    Object.assign(clusterB(spec), { name: 'lxc-b', hypervisor: 'LXC', overprovisioning: { cpu: 2 } });
    expectFinding(planFindings(spec), 'CLUSTER_OVERPROVISIONING_UNSUPPORTED', 'warning', 'over-provisioning (CPU 2, memory 1) is set on a LXC cluster');
  });

  it('CLUSTER_OVERPROVISIONING_UNSUPPORTED stays silent when a KVM cluster over-provisions CPU and memory', () => {
    const spec = advancedZoneDesign();
    clusterB(spec).overprovisioning = { cpu: 4, memory: 1.5 };
    expectNoFinding(planFindings(spec), 'CLUSTER_OVERPROVISIONING_UNSUPPORTED');
  });
});

describe('primary storage', () => {
  it('STORAGE_POOL_NAME_DUPLICATE fires when two pools of a zone share a name', () => {
    const spec = advancedZoneDesign();
    poolOf(clusterB(spec)).name = 'ps-kvm-a';
    expectFinding(planFindings(spec), 'STORAGE_POOL_NAME_DUPLICATE', 'error', 'a storage pool named "ps-kvm-a" already exists in zone dc1');
  });

  it('STORAGE_PROTOCOL_UNSUPPORTED_BY_HYPERVISOR fires when a KVM cluster gets VMFS primary storage', () => {
    const spec = advancedZoneDesign();
    poolOf(clusterB(spec)).protocol = 'VMFS';
    expectFinding(planFindings(spec), 'STORAGE_PROTOCOL_UNSUPPORTED_BY_HYPERVISOR', 'error', 'KVM does not support VMFS primary storage');
  });

  it('STORAGE_PROTOCOL_UNVERIFIED_FOR_HYPERVISOR fires when a KVM cluster gets CLVM primary storage', () => {
    const spec = advancedZoneDesign();
    poolOf(clusterB(spec)).protocol = 'CLVM';
    expectFinding(planFindings(spec), 'STORAGE_PROTOCOL_UNVERIFIED_FOR_HYPERVISOR', 'warning', 'the documentation does not confirm CLVM primary storage on KVM');
  });

  it('STORAGE_ZONE_WIDE_UNSUPPORTED fires when a zone-wide pool is attached by XenServer', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).primaryStorage = [{ name: 'zw-xen', protocol: 'NFS', capacityTiB: 4, hypervisor: 'XenServer' }];
    expectFinding(planFindings(spec), 'STORAGE_ZONE_WIDE_UNSUPPORTED', 'error', 'zone-wide storage pools are not supported for XenServer');
  });

  it('STORAGE_ZONE_WIDE_NO_HYPERVISOR fires when a zone-wide pool names no hypervisor', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).primaryStorage = [{ name: 'zw', protocol: 'NFS', capacityTiB: 4 }];
    const hit = expectFinding(planFindings(spec), 'STORAGE_ZONE_WIDE_NO_HYPERVISOR', 'error', 'zone-wide pool zw of zone dc1 does not say which hypervisor\'s hosts attach it');
    expect(hit.path).toBe('zones/dc1/primaryStorage/zw/hypervisor');
  });

  it('STORAGE_ZONE_WIDE_NO_HYPERVISOR and STORAGE_ZONE_WIDE_UNSUPPORTED stay silent for a zone-wide KVM pool', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).primaryStorage = [{ name: 'zw-kvm', protocol: 'NFS', capacityTiB: 4, hypervisor: 'KVM' }];
    const findings = planFindings(spec);
    expectNoFinding(findings, 'STORAGE_ZONE_WIDE_NO_HYPERVISOR');
    expectNoFinding(findings, 'STORAGE_ZONE_WIDE_UNSUPPORTED');
  });

  it('STORAGE_SCOPE_INVALID fires when local storage is declared zone-wide', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).primaryStorage = [{ name: 'zw-local', protocol: 'local', capacityTiB: 1, hypervisor: 'KVM' }];
    expectFinding(planFindings(spec), 'STORAGE_SCOPE_INVALID', 'error', 'local storage must be host-scoped, not zone-scoped');
  });

  it('STORAGE_SCOPE_INVALID fires when an API caller scopes an NFS pool to one host', () => {
    const state = builtState(advancedZoneDesign());
    const command = { type: 'createStoragePool' as const, zoneId: zoneIdOf(state, 'dc1'), hostId: hostIdOf(state, 'kvm-a-h1'), scope: 'HOST' as const, name: 'nfs-on-host', protocol: 'NFS' as const, capacityGiB: 500 };
    expectFinding(acceptedFindings(decide(state, command, context('plan'))), 'STORAGE_SCOPE_INVALID', 'error', 'shared protocol NFS cannot be host-scoped');
  });

  it('STORAGE_POOL_CLUSTER_WITHOUT_HOSTS fires when a pool is added to a cluster with no host', () => {
    const spec = advancedZoneDesign();
    clusterB(spec).hosts = [];
    expectFinding(planFindings(spec), 'STORAGE_POOL_CLUSTER_WITHOUT_HOSTS', 'error', 'cluster kvm-b has no host yet');
  });

  it('STORAGE_OVERPROVISIONING_UNSUPPORTED fires when an iSCSI pool sets an over-provisioning factor', () => {
    const spec = advancedZoneDesign();
    Object.assign(poolOf(clusterB(spec)), { protocol: 'iSCSI', overprovisioningFactor: 2 });
    expectFinding(planFindings(spec), 'STORAGE_OVERPROVISIONING_UNSUPPORTED', 'error', 'over-provisioning factor 2 is set on iSCSI (IscsiLUN), which CloudStack does not over-provision');
  });

  it('STORAGE_OVERPROVISIONING_UNSUPPORTED stays silent for an NFS pool over-provisioned by 2', () => {
    const spec = advancedZoneDesign();
    poolOf(clusterB(spec)).overprovisioningFactor = 2;
    expectNoFinding(planFindings(spec), 'STORAGE_OVERPROVISIONING_UNSUPPORTED');
  });

  it('STORAGE_POOL_OVER_6TB fires when an NFS pool holds 8 TiB', () => {
    const spec = advancedZoneDesign();
    poolOf(clusterB(spec)).capacityTiB = 8;
    expectFinding(planFindings(spec), 'STORAGE_POOL_OVER_6TB', 'warning', 'pool ps-kvm-b holds 8192 GiB (8.8 TB), above the recommended 6 TB per mount point or LUN');
  });

  it('STORAGE_POOL_OVER_6TB stays silent at 5,587 GiB, just under 6 TB', () => {
    const spec = advancedZoneDesign();
    delete poolOf(clusterB(spec)).capacityTiB;
    poolOf(clusterB(spec)).capacityGiB = 5587;
    expectNoFinding(planFindings(spec), 'STORAGE_POOL_OVER_6TB');
  });

  it('STORAGE_POOL_OVER_6TB fires at 5,588 GiB, just over 6 TB', () => {
    const spec = advancedZoneDesign();
    delete poolOf(clusterB(spec)).capacityTiB;
    poolOf(clusterB(spec)).capacityGiB = 5588;
    expectFinding(planFindings(spec), 'STORAGE_POOL_OVER_6TB', 'warning', 'pool ps-kvm-b holds 5588 GiB (6.0 TB)');
  });

  it('LOCAL_STORAGE_DISABLED fires when a host gets a local pool in a zone without local storage', () => {
    const state = builtState(advancedZoneDesign());
    const command = { type: 'createStoragePool' as const, zoneId: zoneIdOf(state, 'dc1'), hostId: hostIdOf(state, 'kvm-a-h1'), scope: 'HOST' as const, name: 'kvm-a-h1-local', protocol: 'local' as const, capacityGiB: 500 };
    expectFinding(acceptedFindings(decide(state, command, context('plan'))), 'LOCAL_STORAGE_DISABLED', 'error', 'zone dc1 does not enable local storage for user instances');
  });

  it('LOCAL_STORAGE_DISABLED stays silent when the zone enables local storage for its hosts', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).localStorage = true;
    clusterA(spec).hosts = [{ ...kvmHosts('kvm-a', 4, '192.168.10.101'), localStorageGiB: 1800 }];
    expectNoFinding(planFindings(spec), 'LOCAL_STORAGE_DISABLED');
  });
});

describe('secondary storage and object stores', () => {
  it('SECONDARY_STORAGE_MIXED_KINDS fires when a region mixes S3 and NFS secondary storage', () => {
    const spec = advancedZoneDesign();
    spec.secondaryStorage = [{ name: 's3-images', provider: 'S3', url: 'https://s3.cloud.example', capacityTiB: 10 }];
    expectFinding(planFindings(spec), 'SECONDARY_STORAGE_MIXED_KINDS', 'error', 'NFS secondary storage ss1 joins S3 store s3-images in region Local');
  });

  it('SECONDARY_STORAGE_NO_STAGING fires when a zone of an S3 region has no NFS staging store', () => {
    const spec = advancedZoneDesign();
    spec.secondaryStorage = [{ name: 's3-images', provider: 'S3', url: 'https://s3.cloud.example', capacityTiB: 10 }];
    zoneOf(spec).secondaryStorage = [];
    expectFinding(planFindings(spec), 'SECONDARY_STORAGE_NO_STAGING', 'error', 'zone dc1 is in a region with S3 secondary storage but has no NFS staging store');
  });

  it('SECONDARY_STORAGE_NO_STAGING stays silent when the zone has an NFS staging store', () => {
    const spec = advancedZoneDesign();
    spec.secondaryStorage = [{ name: 's3-images', provider: 'S3', url: 'https://s3.cloud.example', capacityTiB: 10 }];
    const zone = zoneOf(spec);
    zone.secondaryStorage = [];
    zone.stagingStores = [{ name: 'stage1', url: 'nfs://192.168.5.20/export/staging', capacityGiB: 500 }];
    expectNoFinding(planFindings(spec), 'SECONDARY_STORAGE_NO_STAGING');
  });

  it('SECONDARY_STORAGE_HYPERV_NEEDS_SMB fires when a zone runs Hyper-V on NFS secondary storage', () => {
    const spec = advancedZoneDesign();
    Object.assign(clusterB(spec), { name: 'hyperv-b', hypervisor: 'Hyperv', primaryStorage: [{ name: 'ps-hyperv-b', protocol: 'SMB', capacityTiB: 4 }] });
    expectFinding(planFindings(spec), 'SECONDARY_STORAGE_HYPERV_NEEDS_SMB', 'error', 'zone dc1 runs Hyper-V but has no SMB secondary storage');
  });

  it('SECONDARY_STORAGE_HYPERV_NEEDS_SMB stays silent when the secondary storage is SMB', () => {
    const spec = advancedZoneDesign();
    Object.assign(clusterB(spec), { name: 'hyperv-b', hypervisor: 'Hyperv', primaryStorage: [{ name: 'ps-hyperv-b', protocol: 'SMB', capacityTiB: 4 }] });
    zoneOf(spec).secondaryStorage = [{ name: 'ss1', provider: 'SMB', url: 'cifs://192.168.5.20/secondary', capacityTiB: 2 }];
    expectNoFinding(planFindings(spec), 'SECONDARY_STORAGE_HYPERV_NEEDS_SMB');
  });

  it('OBJECT_STORE_OVERCOMMITTED fires when bucket quotas add up to 1100 GiB on a 1000 GiB store', () => {
    const spec = advancedZoneDesign();
    spec.objectStores = [{ name: 'minio1', provider: 'MinIO', url: 'http://192.168.5.30:9000', capacityGiB: 1000, buckets: [
      { name: 'backups', account: 'acme', quotaGiB: 600 },
      { name: 'logs', account: 'acme', quotaGiB: 500 },
    ] }];
    expectFinding(planFindings(spec), 'OBJECT_STORE_OVERCOMMITTED', 'warning', 'bucket quotas of object store minio1 reach 1100 GiB, above its 1000 GiB');
  });

  it('OBJECT_STORE_OVERCOMMITTED stays silent when the quotas fill the store exactly', () => {
    const spec = advancedZoneDesign();
    spec.objectStores = [{ name: 'minio1', provider: 'MinIO', url: 'http://192.168.5.30:9000', capacityGiB: 1000, buckets: [
      { name: 'backups', account: 'acme', quotaGiB: 600 },
      { name: 'logs', account: 'acme', quotaGiB: 400 },
    ] }];
    expectNoFinding(planFindings(spec), 'OBJECT_STORE_OVERCOMMITTED');
  });
});

describe('offerings, hypervisor features and accounts', () => {
  it('OFFERING_HA_ON_LOCAL_STORAGE fires when an offering asks for HA on local storage', () => {
    const spec = advancedZoneDesign();
    spec.offerings!.compute!.push({ name: 'local-ha', cpuNumber: 2, cpuSpeedMhz: 2000, memoryMiB: 4096, storageType: 'local', offerHa: true });
    expectFinding(planFindings(spec), 'OFFERING_HA_ON_LOCAL_STORAGE', 'error', 'offering local-ha offers HA on local storage');
  });

  it('HYPERVISOR_FEATURE_UNSUPPORTED fires when an offering throttles the network of VMs that may run on LXC', () => {
    const spec = advancedZoneDesign();
    Object.assign(clusterB(spec), { name: 'lxc-b', hypervisor: 'LXC' });
    spec.offerings!.compute![0]!.networkRateMbps = 100;
    expectFinding(planFindings(spec), 'HYPERVISOR_FEATURE_UNSUPPORTED', 'error',
      'offering small sets a network rate of 100 Mb/s for VMs that may run on LXC, but LXC has no network throttling');
  });

  it('HYPERVISOR_FEATURE_UNSUPPORTED fires when a security-group advanced zone runs vSphere', () => {
    const spec = securityGroupZoneDesign();
    Object.assign(clusterOf(podOf(zoneOf(spec), 'pod1'), 'kvm-sg'), { name: 'vmw-sg', hypervisor: 'VMware' });
    expectFinding(planFindings(spec), 'HYPERVISOR_FEATURE_UNSUPPORTED', 'error', 'advanced zone sg1 uses security groups on vSphere cluster vmw-sg');
  });

  it('HYPERVISOR_FEATURE_UNVERIFIED fires when an HA offering may run on LXC', () => {
    const spec = advancedZoneDesign();
    Object.assign(clusterB(spec), { name: 'lxc-b', hypervisor: 'LXC' });
    expectFinding(planFindings(spec), 'HYPERVISOR_FEATURE_UNVERIFIED', 'warning',
      'offering medium offers HA to VMs that may run on LXC, but the documentation does not confirm HA on LXC');
  });

  it('ACCOUNT_LIMIT_EXCEEDED fires when 2 accounts plan 140 VMs', () => {
    const spec = advancedZoneDesign();
    demandOf(spec, 'dc1').accounts = 2;
    expectFinding(planFindings(spec), 'ACCOUNT_LIMIT_EXCEEDED', 'error', '2 accounts in zone dc1 plan 140 VMs, 70 per account on average, above max.account.user.vms = 20');
  });

  it('ACCOUNT_LIMIT_EXCEEDED stays silent for VMs at exactly 20 per account', () => {
    const spec = advancedZoneDesign();
    demandOf(spec, 'dc1').accounts = 7;
    const findings = planFindings(spec).filter((f) => f.code === 'ACCOUNT_LIMIT_EXCEEDED');
    // 7 accounts exceed other limits (volumes, vCPUs), but 140 VMs / 7 = 20 is not above max.account.user.vms.
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((f) => f.message.includes('max.account.user.vms'))).toEqual([]);
  });
});

describe('management plane', () => {
  it('MANAGEMENT_SERVER_IP_CONFLICT fires when a management server takes the address of a host', () => {
    const spec = advancedZoneDesign();
    spec.management!.servers![0]!.ip = '192.168.10.101';
    expectFinding(planFindings(spec), 'MANAGEMENT_SERVER_IP_CONFLICT', 'error', 'management server ms1 uses address 192.168.10.101, already used by host kvm-a-h1');
  });

  it('MANAGEMENT_SERVER_IP_CONFLICT fires when a management server takes a pod gateway or a reserved address', () => {
    const spec = advancedZoneDesign();
    spec.management!.servers = [{ name: 'ms1', ip: '192.168.10.1' }, { name: 'ms2', ip: '192.168.20.15' }];
    const findings = planFindings(spec);
    expectFinding(findings, 'MANAGEMENT_SERVER_IP_CONFLICT', 'error', 'management server ms1 uses the gateway address of pod pod1');
    expectFinding(findings, 'MANAGEMENT_SERVER_IP_CONFLICT', 'error', 'management server ms2 address 192.168.20.15 lies in the reserved system range 192.168.20.10-192.168.20.49 of pod pod2');
  });

  it('MANAGEMENT_SERVER_IP_CONFLICT stays silent when a management server names the host it runs on', () => {
    const spec = advancedZoneDesign();
    spec.management!.servers![0] = { name: 'ms1', ip: '192.168.10.101', host: 'kvm-a-h1' };
    expectNoFinding(planFindings(spec), 'MANAGEMENT_SERVER_IP_CONFLICT');
  });

  it('MANAGEMENT_CLUSTER_WITHOUT_LOAD_BALANCER fires when two management servers have no load balancer', () => {
    const spec = advancedZoneDesign();
    delete spec.management!.loadBalancer;
    expectFinding(planFindings(spec), 'MANAGEMENT_CLUSTER_WITHOUT_LOAD_BALANCER', 'warning', '2 management servers run without a load balancer address');
  });

  it('MANAGEMENT_DATABASE_SINGLE_POINT fires when two management servers share one database node', () => {
    const spec = advancedZoneDesign();
    spec.management!.database = { engine: 'mysql', nodes: 1, replication: 'none' };
    expectFinding(planFindings(spec), 'MANAGEMENT_DATABASE_SINGLE_POINT', 'warning', '2 management servers share a single database node');
  });

  it('MANAGEMENT_DATABASE_SINGLE_POINT fires when two database nodes do not replicate', () => {
    const spec = advancedZoneDesign();
    spec.management!.database = { engine: 'mariadb', nodes: 2, replication: 'none' };
    expectFinding(planFindings(spec), 'MANAGEMENT_DATABASE_SINGLE_POINT', 'warning', '2 management servers share database nodes without replication');
  });

  it('MANAGEMENT_CLUSTER_WITHOUT_LOAD_BALANCER and MANAGEMENT_DATABASE_SINGLE_POINT stay silent for a single management server', () => {
    const spec = advancedZoneDesign();
    spec.management = { servers: [{ name: 'ms1', ip: '192.168.5.11' }], database: { nodes: 1, replication: 'none' } };
    const findings = planFindings(spec);
    expectNoFinding(findings, 'MANAGEMENT_CLUSTER_WITHOUT_LOAD_BALANCER');
    expectNoFinding(findings, 'MANAGEMENT_DATABASE_SINGLE_POINT');
  });
});

describe('corrections that came from reviewing the rules', () => {
  it('STORAGE_POOL_OVER_6TB stays silent for scale-out RBD storage', () => {
    const spec = advancedZoneDesign();
    zoneOf(spec).primaryStorage = [{ name: 'ceph', protocol: 'RBD', capacityTiB: 100, hypervisor: 'KVM' }];
    expectNoFinding(planFindings(spec), 'STORAGE_POOL_OVER_6TB');
  });

  it('a local pool declared on a cluster says local storage belongs to hosts', () => {
    const spec = advancedZoneDesign();
    poolOf(clusterB(spec)).protocol = 'local';
    expectFinding(planFindings(spec), 'STORAGE_SCOPE_INVALID', 'error', 'local storage must be host-scoped, not cluster-scoped');
  });
});

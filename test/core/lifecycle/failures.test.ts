/**
 * Failures, maintenance and the system VMs, the way CloudStack handles them (compute-storage.md
 * §3.1, §5, §6): a host put into maintenance ends in Maintenance when nothing runs there and in
 * ErrorInMaintenance when a VM on local storage cannot leave it; disabled hosts and clusters take
 * no new VMs of ordinary accounts and the placement failure says so; a primary storage outage
 * stops every VM with a volume on the pool, and when the pool returns a storageRecovered timer
 * restarts the HA ones only; every core zone runs one secondary storage VM and one console
 * proxy, each with a public address, a management address from the pod's reserved range and,
 * on KVM, a link-local control address.
 *
 * The tests run on the tiny datacenter (two KVM hosts, pool nfs, public range
 * 203.0.113.10-20, pod reserved range 10.0.0.2-10.0.0.20) and read host states, VM states and
 * reasons, placements and addresses.
 */
import { describe, expect, it } from 'vitest';
import { step } from '../../../core/decider.js';
import { formatIpv4 } from '../../../core/net/ipv4.js';
import { vmsOnHost } from '../../../core/model/state.js';
import { testCloud, tinyDatacenter } from '../../support/cloud.js';
import { actAsUser, hostLoad, localStorageDatacenter, publicAddresses, refusal } from './fixtures.js';

function setUp(spec = tinyDatacenter()) {
  const cloud = testCloud(spec);
  const zoneId = cloud.idOf('zone', 'z1');
  const l2 = cloud.idOf('network', 'l2');
  const deploy = (name: string, offering = 'plain-4g', account = 'alice') =>
    cloud.run({ type: 'deployVirtualMachine', zoneId, accountId: cloud.idOf('account', account), serviceOfferingId: cloud.idOf('offering', offering), networkIds: [l2], name });
  const resourceState = (host: string) => cloud.state.hosts.get(cloud.idOf('host', host))!.resourceState;
  return { cloud, zoneId, deploy, resourceState };
}

describe('host maintenance', () => {
  it('puts a host with no VMs into Maintenance; new VMs avoid it until maintenance is cancelled', () => {
    const { cloud, deploy, resourceState } = setUp();
    const host1 = cloud.idOf('host', 'host1');
    const from = cloud.events.length;
    cloud.ok({ type: 'prepareHostForMaintenance', id: host1 });
    expect(cloud.events.slice(from).map((e) => (e.type === 'hostResourceStateChanged' ? e.resourceState : e.type))).toEqual(['PrepareForMaintenance', 'Maintenance']);
    expect(resourceState('host1')).toBe('Maintenance');
    expect(deploy('vm1')).toBeUndefined();
    expect(cloud.hostName(cloud.vm('vm1').hostId)).toBe('host2');
    expect(refusal(cloud, { type: 'prepareHostForMaintenance', id: host1 })).toBe('INVALID_STATE 431 host host1 is Maintenance');
    expect(refusal(cloud, { type: 'updateHost', id: host1, allocationState: 'Enabled' })).toBe('INVALID_STATE 431 host host1 is Maintenance; cancel maintenance first');

    cloud.ok({ type: 'cancelHostMaintenance', id: host1 });
    expect(resourceState('host1')).toBe('Enabled');
    expect(deploy('vm2')).toBeUndefined();
    expect(cloud.hostName(cloud.vm('vm2').hostId)).toBe('host1');
  });

  it('live-migrates the running VMs to the other hosts of the cluster, then reaches Maintenance', () => {
    const { cloud, deploy, resourceState } = setUp();
    expect(deploy('vm1')).toBeUndefined();
    expect(deploy('vm2')).toBeUndefined();
    expect(cloud.hostName(cloud.vm('vm2').hostId)).toBe('host1');
    const from = cloud.events.length;
    cloud.ok({ type: 'prepareHostForMaintenance', id: cloud.idOf('host', 'host1') });
    const trail = cloud.events.slice(from).map((e) => (e.type === 'hostResourceStateChanged' ? e.resourceState : e.type === 'vmMigrated' ? `${cloud.state.vms.get(e.vmId)!.name} to ${cloud.hostName(e.toHostId)}` : e.type));
    expect(trail).toEqual(['PrepareForMaintenance', 'vm1 to host2', 'vm2 to host2', 'Maintenance']);
    expect(resourceState('host1')).toBe('Maintenance');
    expect(vmsOnHost(cloud.state, cloud.idOf('host', 'host1')).length).toBe(0);
    expect(hostLoad(cloud, 'host2')).toEqual({ usedMhz: 8000, usedMiB: 8192, reservedMhz: 0, reservedMiB: 0 });
  });

  it('leaves a host in ErrorInMaintenance while a VM on its local storage runs there', () => {
    const { cloud, deploy, resourceState } = setUp(localStorageDatacenter());
    expect(deploy('db1', 'local-4g')).toBeUndefined();
    expect(cloud.hostName(cloud.vm('db1').hostId)).toBe('host1');
    cloud.ok({ type: 'prepareHostForMaintenance', id: cloud.idOf('host', 'host1') });
    expect(resourceState('host1')).toBe('ErrorInMaintenance');
    expect(cloud.vm('db1').state).toBe('Running');
    expect(cloud.hostName(cloud.vm('db1').hostId)).toBe('host1');
    cloud.ok({ type: 'cancelHostMaintenance', id: cloud.idOf('host', 'host1') });
    expect(resourceState('host1')).toBe('Enabled');
  });

  it('is for root admins only', () => {
    const { cloud, resourceState } = setUp();
    actAsUser(cloud, 'alice');
    expect(refusal(cloud, { type: 'prepareHostForMaintenance', id: cloud.idOf('host', 'host1') })).toBe('PERMISSION_DENIED 531 only a root admin can put hosts into maintenance');
    expect(resourceState('host1')).toBe('Enabled');
  });
});

describe('disabled hosts and clusters', () => {
  it('a disabled host takes no new VMs, while the VMs on it keep running', () => {
    const { cloud, deploy } = setUp();
    expect(deploy('vm1')).toBeUndefined();
    cloud.ok({ type: 'updateHost', id: cloud.idOf('host', 'host1'), allocationState: 'Disabled' });
    expect(deploy('vm2')).toBeUndefined();
    expect(cloud.hostName(cloud.vm('vm2').hostId)).toBe('host2');
    cloud.ok({ type: 'updateHost', id: cloud.idOf('host', 'host2'), allocationState: 'Disabled' });
    expect(deploy('vm3')).toMatchObject({
      code: 'INSUFFICIENT_CAPACITY',
      errorCode: 533,
      message: 'Unable to create a deployment for the VM (2 x 2000 MHz and 4,096 MiB) in zone z1: no host fits; removed: 2 hosts disabled',
    });
    expect([cloud.vm('vm1').state, cloud.vm('vm2').state]).toEqual(['Running', 'Running']);
  });

  it('a disabled cluster takes no VMs of ordinary accounts; an admin account still deploys there', () => {
    const spec = tinyDatacenter();
    spec.accounts!.push({ name: 'ops', type: 'Admin' });
    const { cloud, deploy } = setUp(spec);
    cloud.ok({ type: 'updateCluster', id: cloud.idOf('cluster', 'c1'), allocationState: 'Disabled' });
    expect(deploy('vm1')).toMatchObject({
      code: 'INSUFFICIENT_CAPACITY',
      errorCode: 533,
      message: 'Unable to create a deployment for the VM (2 x 2000 MHz and 4,096 MiB) in zone z1: no host fits; removed: 1 cluster disabled',
    });
    expect(deploy('tools', 'plain-4g', 'ops')).toBeUndefined();
    expect(cloud.hostName(cloud.vm('tools').hostId)).toBe('host1');
  });

  it('only a root admin enables or disables infrastructure', () => {
    const { cloud } = setUp();
    actAsUser(cloud, 'alice');
    expect(refusal(cloud, { type: 'updateCluster', id: cloud.idOf('cluster', 'c1'), allocationState: 'Disabled' })).toBe('PERMISSION_DENIED 531 only a root admin can enable or disable infrastructure');
  });
});

describe('a primary storage outage', () => {
  function twoPools() {
    const spec = tinyDatacenter();
    spec.zones[0]!.pods![0]!.clusters![0]!.primaryStorage!.push({ name: 'nfs-b', protocol: 'NFS', capacityGiB: 4000 });
    const context = setUp(spec);
    expect(context.deploy('ha1', 'ha-4g')).toBeUndefined();
    expect(context.deploy('plain1')).toBeUndefined();
    return { ...context, pool: context.cloud.idOf('storagePool', 'nfs') };
  }

  it('stops every VM with a volume on the pool; new volumes go to another pool', () => {
    const { cloud, deploy, pool } = twoPools();
    const from = cloud.events.length;
    cloud.ok({ type: 'storagePoolDown', storagePoolId: pool });
    expect(cloud.events.slice(from).map((e) => e.type)).toEqual(['storagePoolStateChanged', 'vmStateChanged', 'vmStateChanged']);
    expect(cloud.state.storagePools.get(pool)!.state).toBe('Down');
    for (const name of ['ha1', 'plain1']) {
      expect(cloud.vm(name).state).toBe('Stopped');
      expect(cloud.hostName(cloud.vm(name).lastHostId)).toBe('host1');
    }
    // The reason names the pool.
    expect(cloud.vm('ha1').reason).toBe('primary storage nfs unavailable');
    expect(deploy('new1')).toBeUndefined();
    expect(cloud.state.volumes.get(cloud.vm('new1').volumeIds[0]!)!.storagePoolId).toBe(cloud.idOf('storagePool', 'nfs-b'));
    // Its root volume is on the pool that is down, so no host can start it.
    const refused = cloud.run({ type: 'startVirtualMachine', id: cloud.vm('plain1').id });
    expect(refused).toMatchObject({ code: 'INSUFFICIENT_CAPACITY', errorCode: 533 });
    expect(refused!.message).toBe('Unable to create a deployment for the VM (2 x 2000 MHz and 4,096 MiB) in zone z1: no host fits; removed: 2 hosts cut off from an existing volume (pool nfs is Down)');
  });

  it('restarts only the HA VMs once the pool is back, through the storageRecovered timer', () => {
    const { cloud, pool } = twoPools();
    cloud.ok({ type: 'storagePoolDown', storagePoolId: pool });
    const result = step(cloud.state, { type: 'storagePoolUp', storagePoolId: pool }, cloud.ctx);
    // The zone has no secondary storage VM or console proxy running: a pool back up also brings
    // their managers' scans, at the next 30-second tick.
    const zoneId = cloud.state.storagePools.get(pool)!.zoneId;
    expect(result.ok && result.step.effects).toEqual([
      { kind: 'timer', delayMs: 0, command: { type: 'storageRecovered', id: pool } },
      { kind: 'timer', delayMs: 30_000 - (cloud.ctx.nowMs % 30_000), command: { type: 'secondaryStorageVmScan', id: zoneId } },
      { kind: 'timer', delayMs: 30_000 - (cloud.ctx.nowMs % 30_000), command: { type: 'consoleProxyScan', id: zoneId } },
    ]);
    expect(cloud.state.storagePools.get(pool)!.state).toBe('Up');
    expect(cloud.vm('ha1').state).toBe('Stopped');
    cloud.timers.push({ atMs: cloud.ctx.nowMs, command: { type: 'storageRecovered', id: pool } });
    cloud.advance(0);
    expect(cloud.vm('ha1').state).toBe('Running');
    expect(cloud.hostName(cloud.vm('ha1').hostId)).toBe('host1');
    expect(cloud.vm('ha1').reason).toBeUndefined();
    expect(cloud.vm('plain1').state).toBe('Stopped');
    expect(cloud.vm('plain1').reason).toMatch(/^primary storage .+ unavailable$/);
  });
});

describe('system VMs', () => {
  it('places one secondary storage VM and one console proxy with public, management and link-local control addresses', () => {
    const { cloud, zoneId } = setUp();
    cloud.ok({ type: 'ensureSystemVms', zoneId });
    const systemVms = [...cloud.state.vms.values()].map((vm) => ({
      name: vm.name,
      kind: vm.kind,
      state: vm.state,
      host: cloud.hostName(vm.hostId),
      size: `${vm.cpuNumber} x ${vm.cpuSpeedMhz} MHz, ${vm.memoryMiB} MiB`,
      nics: vm.nics.map((n) => `${n.role}=${formatIpv4(n.ip!)}${n.isDefault ? ' (default)' : ''}`),
    }));
    expect(systemVms).toEqual([
      { name: 's-z1-1', kind: 'SecondaryStorageVm', state: 'Running', host: 'host1', size: '1 x 500 MHz, 512 MiB', nics: ['public=203.0.113.10 (default)', 'management=10.0.0.2', 'control=169.254.0.2'] },
      { name: 'v-z1-1', kind: 'ConsoleProxy', state: 'Running', host: 'host1', size: '1 x 500 MHz, 1024 MiB', nics: ['public=203.0.113.11 (default)', 'management=10.0.0.3', 'control=169.254.0.3'] },
    ]);
    expect(publicAddresses(cloud)).toEqual(['203.0.113.10 system VM s-z1-1', '203.0.113.11 system VM v-z1-1']);
    expect(cloud.state.pools.reservedByPod.get(cloud.idOf('pod', 'p1'))!.allocatedCount).toBe(2);
    // Their addresses belong to no account's count.
    expect(cloud.state.index.accountUsage.get('system')?.public_ip ?? 0).toBe(0);
  });

  it('are not doubled when asked for again, and routers take the next addresses', () => {
    const { cloud, zoneId } = setUp();
    cloud.ok({ type: 'ensureSystemVms', zoneId });
    const from = cloud.events.length;
    cloud.ok({ type: 'ensureSystemVms', zoneId });
    expect(cloud.events.length).toBe(from);
    cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: cloud.idOf('account', 'alice'), serviceOfferingId: cloud.idOf('offering', 'plain-4g'), name: 'web1' });
    const router = [...cloud.state.vms.values()].find((vm) => vm.kind === 'DomainRouter')!;
    expect(router.nics.map((n) => `${n.role}=${formatIpv4(n.ip!)}`)).toEqual(['guest=10.1.1.1', 'public=203.0.113.12', 'control=169.254.0.4']);
  });
});

/**
 * The secondary storage VM and console proxy managers: every secstorage.capacityscan.interval /
 * consoleproxy.capacityscan.interval (30 s) they look at each Enabled zone and bring up a VM of
 * their kind where none runs: the stopped one if it can start, else a new one after destroying it.
 * A tiny zone of two clusters of one host each, with storage of their own, shows every branch.
 */
import { describe, expect, it } from 'vitest';
import { isZoneSystemVm, type Vm } from '../../../core/model/compute.js';
import type { ScenarioSpec } from '../../../core/scenario/schema.js';
import { type TestCloud, testCloud, tinyDatacenter } from '../../support/cloud.js';

const SCAN_MS = 30_000;

/** c1 and c2, one host and one NFS pool each. */
function twoClusters(): ScenarioSpec {
  const spec = tinyDatacenter({ hosts: 1 });
  const pod = spec.zones![0]!.pods![0]!;
  const c1 = pod.clusters![0]!;
  pod.clusters!.push({ ...c1, name: 'c2', hosts: [{ ...c1.hosts![0]!, name: 'other{n}', ip: '10.0.0.151' }], primaryStorage: [{ name: 'nfs2', protocol: 'NFS', capacityGiB: 4000 }] });
  return spec;
}

function withSystemVms(spec: ScenarioSpec): TestCloud {
  const cloud = testCloud(spec);
  cloud.ok({ type: 'ensureSystemVms', zoneId: cloud.idOf('zone', 'z1') });
  return cloud;
}

function systemVms(cloud: TestCloud): Vm[] {
  return [...cloud.state.vms.values()].filter((vm) => isZoneSystemVm(vm.kind));
}

const scans = (cloud: TestCloud) => cloud.timers.filter((t) => t.command.type === 'secondaryStorageVmScan' || t.command.type === 'consoleProxyScan');

describe('the system VM managers', () => {
  it('replace system VMs whose cluster is gone: the start fails on their storage, they are destroyed, new ones run in the other cluster', () => {
    const cloud = withSystemVms(twoClusters());
    expect(systemVms(cloud).map((vm) => `${vm.name}@${cloud.hostName(vm.hostId)}`)).toEqual(['s-z1-1@host1', 'v-z1-1@host1']);
    const publicIpsBefore = [...cloud.state.publicIps.values()].filter((ip) => ip.forSystemVm !== undefined);
    expect(publicIpsBefore).toHaveLength(2);

    cloud.advance(10_000);
    cloud.ok({ type: 'hostDown', hostId: cloud.idOf('host', 'host1') });
    // They have no HA (CloudStack's default system offerings offer it to routers only): they stop,
    // and each manager scans at its next 30-second tick.
    for (const vm of systemVms(cloud)) expect(vm.state).toBe('Stopped');
    expect(scans(cloud).map((t) => [t.command.type, t.atMs])).toEqual([
      ['secondaryStorageVmScan', SCAN_MS],
      ['consoleProxyScan', SCAN_MS],
    ]);

    cloud.advance(SCAN_MS - 10_000);
    // The first scan cannot start them where their volumes are (c1's pool) and destroys them with
    // their public addresses; the destruction brings the next scan.
    const destroyed = cloud.events.filter((e) => e.type === 'vmStateChanged' && e.state === 'Destroyed');
    expect(destroyed.map((e) => e.type === 'vmStateChanged' && e.reason)).toEqual([
      expect.stringMatching(/^the secondary storage VM manager could not start it: .*out of reach of the pool of an existing volume/),
      expect.stringMatching(/^the console proxy manager could not start it: /),
    ]);
    for (const ip of publicIpsBefore) expect(cloud.state.publicIps.has(ip.id)).toBe(false);

    cloud.advance(SCAN_MS);
    const now = systemVms(cloud);
    expect(now.map((vm) => `${vm.name}@${cloud.hostName(vm.hostId)}:${vm.state}`)).toEqual(['s-z1-1@other1:Running', 'v-z1-1@other1:Running']);
    expect(now.every((vm) => !publicIpsBefore.some((ip) => ip.forSystemVm === vm.id))).toBe(true);
    expect([...cloud.state.publicIps.values()].filter((ip) => ip.forSystemVm !== undefined)).toHaveLength(2);
    expect(scans(cloud)).toEqual([]);
  });

  it('start a stopped system VM where its storage is, when a host there can take it', () => {
    const spec = tinyDatacenter({ hosts: 2 });
    const cloud = withSystemVms(spec);
    const ssvm = systemVms(cloud).find((vm) => vm.kind === 'SecondaryStorageVm')!;
    // Stopped outside CloudStack: only its manager brings it back (it has no HA).
    cloud.ok({ type: 'vmStopped', vmId: ssvm.id, hostId: ssvm.hostId! });
    expect(cloud.vm(ssvm.name).state).toBe('Stopped');
    cloud.advance(SCAN_MS);
    expect(cloud.vm(ssvm.name).state).toBe('Running');
    expect(cloud.vm(ssvm.name).id).toBe(ssvm.id);
  });

  it('leave a zone with no host up alone, and scan again when a host comes back', () => {
    const cloud = withSystemVms(tinyDatacenter({ hosts: 1 }));
    cloud.ok({ type: 'hostDown', hostId: cloud.idOf('host', 'host1') });
    cloud.advance(SCAN_MS);
    // Not ready: nothing destroyed, nothing built, no scan pending.
    expect(systemVms(cloud).map((vm) => vm.state)).toEqual(['Stopped', 'Stopped']);
    expect(scans(cloud)).toEqual([]);
    cloud.ok({ type: 'hostUp', hostId: cloud.idOf('host', 'host1') });
    expect(scans(cloud)).toHaveLength(2);
    cloud.advance(SCAN_MS);
    expect(systemVms(cloud).map((vm) => `${vm.name}:${vm.state}`)).toEqual(['s-z1-1:Running', 'v-z1-1:Running']);
  });

  it('leave a zone with no primary storage up alone, and scan again when a pool comes back', () => {
    const cloud = withSystemVms(tinyDatacenter({ hosts: 2 }));
    const poolId = cloud.idOf('storagePool', 'nfs');
    cloud.ok({ type: 'storagePoolDown', storagePoolId: poolId });
    cloud.advance(SCAN_MS);
    expect(systemVms(cloud).map((vm) => vm.state)).toEqual(['Stopped', 'Stopped']);
    expect(scans(cloud)).toEqual([]);
    cloud.ok({ type: 'storagePoolUp', storagePoolId: poolId });
    expect(scans(cloud)).toHaveLength(2);
    cloud.advance(SCAN_MS);
    expect(systemVms(cloud).map((vm) => `${vm.name}:${vm.state}`)).toEqual(['s-z1-1:Running', 'v-z1-1:Running']);
  });

  it('say why and scan again while nothing can take a new system VM', () => {
    // c2's pool has no room for a 4 GiB system VM root disk.
    const spec = twoClusters();
    spec.zones![0]!.pods![0]!.clusters![1]!.primaryStorage = [{ name: 'nfs2', protocol: 'NFS', capacityGiB: 2 }];
    const cloud = withSystemVms(spec);
    cloud.ok({ type: 'hostDown', hostId: cloud.idOf('host', 'host1') });
    cloud.advance(2 * SCAN_MS);
    // 30 s: destroyed (they cannot start on c1's storage); 60 s: nothing can take new ones.
    const failed = cloud.events.filter((e) => e.type === 'systemVmScanFailed');
    expect(failed.map((e) => e.type === 'systemVmScanFailed' && [e.vmKind, e.atMs])).toEqual([
      ['SecondaryStorageVm', 2 * SCAN_MS],
      ['ConsoleProxy', 2 * SCAN_MS],
    ]);
    expect(failed[0]).toMatchObject({ reason: expect.stringMatching(/^cannot start the secondary storage VM of zone z1: /) });
    expect(systemVms(cloud)).toEqual([]);
    expect(scans(cloud).map((t) => t.atMs)).toEqual([3 * SCAN_MS, 3 * SCAN_MS]);
    cloud.advance(SCAN_MS);
    expect(cloud.events.filter((e) => e.type === 'systemVmScanFailed')).toHaveLength(4);
    cloud.ok({ type: 'hostUp', hostId: cloud.idOf('host', 'host1') });
    cloud.advance(SCAN_MS);
    expect(systemVms(cloud).map((vm) => `${vm.name}@${cloud.hostName(vm.hostId)}:${vm.state}`)).toEqual(['s-z1-1@host1:Running', 'v-z1-1@host1:Running']);
    expect(scans(cloud)).toEqual([]);
  });

  it('do not scan a disabled zone; enabling it brings the scan', () => {
    const cloud = withSystemVms(tinyDatacenter({ hosts: 2 }));
    const zoneId = cloud.idOf('zone', 'z1');
    cloud.ok({ type: 'updateZone', id: zoneId, allocationState: 'Disabled' });
    const ssvm = systemVms(cloud).find((vm) => vm.kind === 'SecondaryStorageVm')!;
    cloud.ok({ type: 'updateConfiguration', name: 'vm.ha.enabled', value: false });
    cloud.ok({ type: 'vmStopped', vmId: ssvm.id, hostId: ssvm.hostId! });
    cloud.advance(SCAN_MS);
    expect(cloud.vm(ssvm.name).state).toBe('Stopped');
    cloud.ok({ type: 'updateZone', id: zoneId, allocationState: 'Enabled' });
    cloud.advance(SCAN_MS);
    expect(cloud.vm(ssvm.name).state).toBe('Running');
  });
});

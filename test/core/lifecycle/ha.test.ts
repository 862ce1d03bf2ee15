/**
 * Exact numbers on a tiny datacenter: two KVM hosts of 16 cores at 2,000 MHz and 64 GiB, VMs of
 * 2 vCPUs at 2,000 MHz and 4 GiB placed first-fit. A host crash must restart exactly the HA VMs
 * that fit on the survivor under the 0.85 CPU disable threshold, and strand the rest with a
 * reason that names the threshold.
 */
import { describe, expect, it } from 'vitest';
import { testCloud, tinyDatacenter } from '../../support/cloud.js';

function deployTen(offering: string) {
  const cloud = testCloud(tinyDatacenter());
  const zoneId = cloud.idOf('zone', 'z1');
  const accountId = cloud.idOf('account', 'alice');
  const serviceOfferingId = cloud.idOf('offering', offering);
  const networkId = cloud.idOf('network', 'l2');
  for (let i = 1; i <= 10; i++) cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId, serviceOfferingId, networkIds: [networkId], name: `vm${i}` });
  return cloud;
}

describe('a host crash on a tiny datacenter', () => {
  it('places ten 4000 MHz VMs first-fit: eight fill host1 (32,000 MHz), two go to host2', () => {
    const cloud = deployTen('ha-4g');
    const where = Array.from({ length: 10 }, (_, i) => cloud.hostName(cloud.vm(`vm${i + 1}`).hostId));
    expect(where).toEqual(['host1', 'host1', 'host1', 'host1', 'host1', 'host1', 'host1', 'host1', 'host2', 'host2']);
    for (let i = 1; i <= 10; i++) expect(cloud.vm(`vm${i}`).state).toBe('Running');
  });

  it('restarts exactly four HA VMs on host2 and strands four at the 0.85 CPU threshold', () => {
    const cloud = deployTen('ha-4g');
    cloud.ok({ type: 'hostDown', hostId: cloud.idOf('host', 'host1') });
    const restarted = [];
    const stranded = [];
    for (let i = 1; i <= 8; i++) {
      const vm = cloud.vm(`vm${i}`);
      if (vm.state === 'Running') restarted.push(`vm${i}@${cloud.hostName(vm.hostId)}`);
      else stranded.push(`vm${i}:${vm.state}`);
    }
    // host2 holds 8,000 MHz; 0.85 x 32,000 = 27,200 MHz allows four more 4,000 MHz VMs.
    expect(restarted).toEqual(['vm1@host2', 'vm2@host2', 'vm3@host2', 'vm4@host2']);
    expect(stranded).toEqual(['vm5:Stopped', 'vm6:Stopped', 'vm7:Stopped', 'vm8:Stopped']);
    expect(cloud.vm('vm5').reason).toContain('HA restart failed');
    expect(cloud.vm('vm5').reason).toContain('cluster over the 0.85 CPU disable threshold');
    expect(cloud.hostName(cloud.vm('vm9').hostId)).toBe('host2');
    const host2 = cloud.state.capacity.hostOrdinal.get(cloud.idOf('host', 'host2'))!;
    expect(cloud.state.capacity.hostCpuUsedMhz[host2]).toBe(24_000);
    expect(cloud.state.capacity.hostMemoryUsedMiB[host2]).toBe(6 * 4096);
  });

  it('leaves VMs without HA down', () => {
    const cloud = deployTen('plain-4g');
    cloud.ok({ type: 'hostDown', hostId: cloud.idOf('host', 'host1') });
    for (let i = 1; i <= 8; i++) {
      expect(cloud.vm(`vm${i}`).state).toBe('Stopped');
      expect(cloud.vm(`vm${i}`).reason).toBe('host host1 went down; its offering does not offer HA');
    }
    expect(cloud.vm('vm9').state).toBe('Running');
  });

  it('keeps running VMs running while the management server is down, and refuses changes', () => {
    const cloud = deployTen('ha-4g');
    cloud.ok({ type: 'managementServerDown' });
    const refused = cloud.run({ type: 'stopVirtualMachine', id: cloud.vm('vm1').id });
    expect(refused?.code).toBe('RESOURCE_UNAVAILABLE');
    expect(refused?.errorCode).toBe(534);
    expect([...cloud.state.vms.values()].filter((v) => v.kind === 'User' && v.state === 'Running')).toHaveLength(10);
    cloud.ok({ type: 'managementServerUp' });
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('vm1').id });
    expect(cloud.vm('vm1').state).toBe('Stopped');
  });
});

/**
 * N-1 with exact numbers on the tiny datacenter: KVM hosts of 16 cores at 2,000 MHz (32,000 MHz)
 * and 64 GiB, VMs of 2 x 2,000 MHz and 4 GiB placed first-fit, cluster disable threshold 0.85.
 * Each host's loss is judged by the core's decide against the unchanged cloud; the answers must
 * be exactly what the core does when the host really goes down, and the cloud must not change.
 */
import { describe, expect, it } from 'vitest';
import { step } from '../../core/decider.js';
import { snapshotOf } from '../../core/model/snapshot.js';
import { DEFAULT_DRIVER_OPTIONS } from '../../simulator/drivers.js';
import { evaluateHostLosses, type HostLoss, hostsToEvaluate, nMinus1 } from '../../simulator/nminus1.js';
import { type TestCloud, testCloud, tinyDatacenter } from '../support/cloud.js';
import { twoClusters } from './support.js';

/** Ten VMs of the offering, vm1..vm10, deployed first-fit on the tiny datacenter's L2 network. */
function tenVms(offering: string, hosts = 2, spec = tinyDatacenter({ hosts })): TestCloud {
  const cloud = testCloud(spec);
  const zoneId = cloud.idOf('zone', 'z1');
  const accountId = cloud.idOf('account', 'alice');
  const serviceOfferingId = cloud.idOf('offering', offering);
  const networkId = cloud.idOf('network', 'l2');
  for (let i = 1; i <= 10; i++) cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId, serviceOfferingId, networkIds: [networkId], name: `vm${i}` });
  return cloud;
}

const lossOf = (losses: readonly HostLoss[], host: string): HostLoss => losses.find((l) => l.host === host)!;
const where = (loss: HostLoss): string[] => (loss.restartedVms ?? []).map((v) => `${v.vm}@${v.toHost}`);
const THRESHOLD = 'no host fits; removed: 1 cluster over the 0.85 CPU disable threshold';

describe('n-1 on two hosts with ten HA VMs', () => {
  it('names which VMs restart where and which are stranded, for each host', () => {
    const cloud = tenVms('ha-4g');
    // First fit: vm1-vm8 fill host1 (8 x 4,000 = 32,000 MHz), vm9 and vm10 go to host2.
    expect(Array.from({ length: 10 }, (_, i) => cloud.hostName(cloud.vm(`vm${i + 1}`).hostId))).toEqual([...Array(8).fill('host1'), 'host2', 'host2']);
    const losses = evaluateHostLosses(cloud.state, { seed: 1, keepRestarted: true });
    expect(losses.map((l) => l.host)).toEqual(['host1', 'host2']);

    // host1: host2 alone is left, holding 8,000 of its 32,000 MHz; 0.85 x 32,000 = 27,200 MHz
    // takes four more VMs of 4,000 (24,000), the fifth (28,000) would cross the threshold.
    const host1 = lossOf(losses, 'host1');
    expect(host1.vmsAffected).toBe(8);
    expect(host1.restarted).toBe(4);
    expect(where(host1)).toEqual(['vm1@host2', 'vm2@host2', 'vm3@host2', 'vm4@host2']);
    expect(host1.stranded.map((v) => v.vm)).toEqual(['vm5', 'vm6', 'vm7', 'vm8']);
    for (const vm of host1.stranded) {
      expect(vm.reason).toContain('host host1 went down; HA restart failed');
      expect(vm.reason).toContain(THRESHOLD);
      expect([vm.cpuMhz, vm.memoryMiB]).toEqual([4000, 4096]);
    }
    expect(host1.shortfall).toEqual({ cpuMhz: 16_000, memoryMiB: 16_384 });
    expect(host1.downWithoutHa).toBe(0);
    // Detected within 3 minutes, started within 90 s (the default latency model).
    expect(host1.timeToRecoverMs).toBe(DEFAULT_DRIVER_OPTIONS.failureDetectionMs.maxMs + DEFAULT_DRIVER_OPTIONS.vmStart.latencyMs.maxMs);
    expect(host1.timeToRecoverMs).toBe(270_000);

    // host2: host1 is left alone and already full (32,000 of 32,000 MHz): neither VM restarts.
    const host2 = lossOf(losses, 'host2');
    expect(host2.vmsAffected).toBe(2);
    expect(host2.restarted).toBe(0);
    expect(host2.stranded.map((v) => v.vm)).toEqual(['vm9', 'vm10']);
    expect(host2.stranded[0]!.reason).toContain(THRESHOLD);
    expect(host2.shortfall).toEqual({ cpuMhz: 8000, memoryMiB: 8192 });
    expect(host2.timeToRecoverMs).toBeNull();
  });

  it('sums the cluster up: c1 cannot absorb the loss of either host', () => {
    const cloud = tenVms('ha-4g');
    const result = nMinus1(cloud.state, { seed: 1 });
    expect(result).toMatchObject({ seed: 1, hostsEvaluated: 2, vms: 10, clusters: 1, clustersAbsorbing: 0, hostsStranding: 2, worstStranded: 4, timeToRecoverMs: 270_000 });
    expect(result.failing).toHaveLength(1);
    expect(result.failing[0]).toMatchObject({ cluster: 'c1', pod: 'p1', zone: 'z1', hosts: 2, haVms: 10 });
    expect(result.failing[0]!.losses.map((l) => [l.host, l.stranded.length])).toEqual([['host1', 4], ['host2', 2]]);
  });

  it('agrees with the core really taking each host down, and leaves the cloud as it was', () => {
    const cloud = tenVms('ha-4g');
    const before = JSON.stringify(snapshotOf(cloud.state));
    const losses = evaluateHostLosses(cloud.state, { seed: 1, keepRestarted: true });
    expect(JSON.stringify(snapshotOf(cloud.state))).toBe(before);
    for (const loss of losses) {
      const copy = tenVms('ha-4g');
      const result = step(copy.state, { type: 'hostDown', hostId: loss.hostId }, copy.ctx);
      expect(result.ok).toBe(true);
      const starting = [...copy.state.vms.values()].filter((vm) => vm.state === 'Starting').map((vm) => `${vm.name}@${copy.hostName(vm.hostId)}`);
      const stopped = [...copy.state.vms.values()].filter((vm) => vm.state === 'Stopped').map((vm) => vm.name);
      expect(starting).toEqual(where(loss));
      expect(stopped).toEqual(loss.stranded.map((v) => v.vm));
      for (const vm of loss.stranded) expect(copy.vm(vm.vm).reason).toBe(vm.reason);
    }
  });

  it('gives each host the same answer whatever the order or the split of the hosts', () => {
    const cloud = tenVms('ha-4g', 3);
    const hostIds = hostsToEvaluate(cloud.state);
    const all = evaluateHostLosses(cloud.state, { seed: 5, hostIds, keepRestarted: true });
    const reversed = evaluateHostLosses(cloud.state, { seed: 5, hostIds: [...hostIds].reverse(), keepRestarted: true }).reverse();
    const split = [...evaluateHostLosses(cloud.state, { seed: 5, hostIds: hostIds.slice(0, 1), keepRestarted: true }), ...evaluateHostLosses(cloud.state, { seed: 5, hostIds: hostIds.slice(1), keepRestarted: true })];
    expect(reversed).toEqual(all);
    expect(split).toEqual(all);
  });
});

describe('n-1 on clusters that absorb a host loss', () => {
  it('restarts all eight VMs of host1 on host2 and host3 when a third host gives room', () => {
    const cloud = tenVms('ha-4g', 3);
    const losses = evaluateHostLosses(cloud.state, { seed: 1, keepRestarted: true });
    const host1 = lossOf(losses, 'host1');
    // host2 holds vm9 and vm10 (8,000 MHz): six more fill it, two go on to host3.
    expect(where(host1)).toEqual(['vm1@host2', 'vm2@host2', 'vm3@host2', 'vm4@host2', 'vm5@host2', 'vm6@host2', 'vm7@host3', 'vm8@host3']);
    expect(host1.stranded).toEqual([]);
    const result = nMinus1(cloud.state, { seed: 1 });
    expect(result).toMatchObject({ hostsEvaluated: 3, clusters: 1, clustersAbsorbing: 1, failing: [], hostsStranding: 0 });
  });

  it('counts VMs without HA as down by design, never stranded', () => {
    const cloud = tenVms('plain-4g');
    const host1 = lossOf(evaluateHostLosses(cloud.state, { seed: 1 }), 'host1');
    expect(host1).toMatchObject({ vmsAffected: 8, restarted: 0, stranded: [], downWithoutHa: 8, shortfall: { cpuMhz: 0, memoryMiB: 0 }, timeToRecoverMs: null });
    expect(nMinus1(cloud.state, { seed: 1 }).failing).toEqual([]);
  });

  it('restarts on the ha.tag host only: a cluster without one strands its HA VMs beside an empty host', () => {
    // c1: host1-host3 and ha-host (tagged ha, reserved for HA restarts); c2: c2-host1, c2-host2.
    const cloud = tenVms('ha-4g', 3, twoClusters({ haTagHost: true }));
    // First fit, the least used cluster first: c1 (128,000 MHz with ha-host) and c2 (64,000) take turns.
    expect([...cloud.state.vms.values()].map((vm) => `${vm.name}@${cloud.hostName(vm.hostId)}`)).toEqual([
      'vm1@host1', 'vm2@c2-host1', 'vm3@host1', 'vm4@host1', 'vm5@c2-host1', 'vm6@host1', 'vm7@host1', 'vm8@c2-host1', 'vm9@host1', 'vm10@host1',
    ]);
    const losses = evaluateHostLosses(cloud.state, { seed: 1, keepRestarted: true });
    expect(where(lossOf(losses, 'host1'))).toEqual(['vm1@ha-host', 'vm3@ha-host', 'vm4@ha-host', 'vm6@ha-host', 'vm7@ha-host', 'vm9@ha-host', 'vm10@ha-host']);
    expect(lossOf(losses, 'host1').stranded).toEqual([]);
    const c2 = lossOf(losses, 'c2-host1');
    expect(c2.restarted).toBe(0);
    expect(c2.stranded.map((v) => v.vm)).toEqual(['vm2', 'vm5', 'vm8']);
    expect(c2.stranded[0]!.reason).toContain('removed: 1 host avoided (failed before), 1 host not tagged ha for HA restarts');
    const result = nMinus1(cloud.state, { seed: 1 });
    expect(result.failing.map((c) => [c.cluster, c.losses.map((l) => l.host)])).toEqual([['c2', ['c2-host1']]]);
  });
});

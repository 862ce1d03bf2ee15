/**
 * HA through the simulator, end to end: a fault crashes a host, the failure monitor reports it
 * after a heartbeat timeout, the core restarts the HA VMs, the agents report them started. The
 * datacenter is the tiny one with a second cluster, so "another host of the same cluster" can
 * be told apart from "any host". Exact numbers: hosts of 16 x 2,000 MHz, VMs of 2 x 2,000 MHz,
 * cluster disable threshold 0.85.
 */
import { describe, expect, it } from 'vitest';
import { drillSimulation } from '../../simulator/drill.js';
import { HOUR_MS, MINUTE_MS } from '../../simulator/distributions.js';
import { deploy, hostName, started, twoClusters, userVms, vmNamed } from './support.js';

const quick = { vmStart: { latency: ['30s', '90s'] }, failureDetection: '2m', reconnect: '1m' };

describe('a host crash', () => {
  it('restarts the HA VMs on other hosts of the same cluster and leaves the others down with a reason', () => {
    const run = started(twoClusters(), { systemVms: false, drivers: quick, faults: [{ name: 'hostCrash', host: 'host1', at: '1h', repair: '2h' }] });
    for (let i = 1; i <= 5; i++) deploy(run, `ha-${i}`, 'ha-4g', 'host1');
    deploy(run, 'plain-1', 'plain-4g', 'host1');
    deploy(run, 'plain-2', 'plain-4g', 'host1');
    deploy(run, 'ha-elsewhere', 'ha-4g', 'host2');
    deploy(run, 'plain-c2', 'plain-4g', 'c2-host1');
    run.runUntil(30 * MINUTE_MS);
    expect(userVms(run).every((vm) => vm.state === 'Running')).toBe(true);

    // Crash at 1 h, reported 2 minutes later; restarts take at most 90 s.
    run.runUntil(HOUR_MS + 10 * MINUTE_MS);
    const state = run.runtime.state;
    const host1 = [...state.hosts.values()].find((h) => h.name === 'host1')!;
    const c1 = host1.clusterId;
    expect(host1.status).toBe('Down');
    for (let i = 1; i <= 5; i++) {
      const vm = vmNamed(run, `ha-${i}`);
      expect(vm.state).toBe('Running');
      expect(['host2', 'host3']).toContain(hostName(run, vm.hostId));
      expect(state.hosts.get(vm.hostId!)?.clusterId).toBe(c1);
    }
    for (const name of ['plain-1', 'plain-2']) {
      expect(vmNamed(run, name).state).toBe('Stopped');
      expect(vmNamed(run, name).reason).toBe('host host1 went down; its offering does not offer HA');
    }
    expect(hostName(run, vmNamed(run, 'ha-elsewhere').hostId)).toBe('host2');
    expect(hostName(run, vmNamed(run, 'plain-c2').hostId)).toBe('c2-host1');
    expect(run.runtime.counters.commands.hostDown).toEqual({ accepted: 1, rejected: 0 });

    // Phase two: host1 was repaired at 3 h and reconnected; nothing is left pending.
    const drill = drillSimulation(run, { faultsForMs: 4 * HOUR_MS, settleWithinMs: HOUR_MS });
    expect(drill.settleMs).toBe(0);
    expect(drill.stranded).toEqual([]);
    expect([...state.hosts.values()].every((h) => h.status === 'Up')).toBe(true);
    expect(drill.result.faults[0]!.metrics).toMatchObject({ injected: 1, restored: 1, downtimeMsTotal: 2 * HOUR_MS });
  });

  it('strands the HA VMs that find no room in the cluster, with the reason, even when another cluster has room', () => {
    const run = started(twoClusters({ c1Hosts: 2 }), { systemVms: false, drivers: quick, faults: [{ name: 'hostCrash', host: 'host1', at: '1h', repair: '1h' }] });
    for (let i = 1; i <= 8; i++) deploy(run, `ha-${i}`, 'ha-4g', 'host1');
    deploy(run, 'ha-9', 'ha-4g', 'host2');
    deploy(run, 'ha-10', 'ha-4g', 'host2');
    const drill = drillSimulation(run, { faultsForMs: 3 * HOUR_MS, settleWithinMs: HOUR_MS });
    // host2 holds 8,000 MHz; 0.85 x 32,000 = 27,200 MHz leaves room for four more VMs of 4,000.
    const running = userVms(run).filter((vm) => vm.state === 'Running');
    expect(running.map((vm) => hostName(run, vm.hostId)).sort()).toEqual(Array(6).fill('host2'));
    expect(drill.stranded).toHaveLength(4);
    for (const vm of drill.stranded) {
      expect(vm.state).toBe('Stopped');
      expect(vm.reason).toContain('host host1 went down; HA restart failed');
      expect(vm.reason).toContain('disable threshold');
    }
    // c2 had two empty hosts all along: HA never crosses the cluster.
    expect(userVms(run).some((vm) => hostName(run, vm.hostId)?.startsWith('c2-'))).toBe(false);
  });

  it('restarts HA VMs on the hosts tagged with ha.tag, which ordinary deploys never use', () => {
    const run = started(twoClusters({ haTagHost: true }), { systemVms: false, drivers: quick, faults: [{ name: 'hostCrash', host: 'host1', at: '1h', repair: '1h' }] });
    for (let i = 1; i <= 3; i++) deploy(run, `ha-${i}`, 'ha-4g', 'host1');
    for (let i = 1; i <= 6; i++) deploy(run, `any-${i}`, 'plain-4g');
    run.runUntil(30 * MINUTE_MS);
    expect(userVms(run).some((vm) => hostName(run, vm.hostId) === 'ha-host')).toBe(false);
    run.runUntil(HOUR_MS + 10 * MINUTE_MS);
    for (let i = 1; i <= 3; i++) {
      expect(vmNamed(run, `ha-${i}`).state).toBe('Running');
      expect(hostName(run, vmNamed(run, `ha-${i}`).hostId)).toBe('ha-host');
    }
    const drill = drillSimulation(run, { faultsForMs: 3 * HOUR_MS });
    expect(drill.stranded).toEqual([]);
  });
});

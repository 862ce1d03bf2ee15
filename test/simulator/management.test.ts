/**
 * A management-server outage. While it lasts, the API refuses every request (deploys, account
 * creation) with RESOURCE_UNAVAILABLE and the runtime counts them; running VMs run on; what
 * agents and monitors report (a VM that finished starting, a host that crashed) is held and
 * replayed in order once the server is back, and the core then acts on it (the HA restart of
 * the crashed host's VM). A database failover is the same, shorter.
 */
import { describe, expect, it } from 'vitest';
import type { Command } from '../../core/model/commands.js';
import { MINUTE_MS } from '../../simulator/distributions.js';
import { tinyDatacenter } from '../support/cloud.js';
import { deploy, hostName, idOf, started, userVms, vmNamed } from './support.js';

const twoHostSpec = tinyDatacenter({ hosts: 2 });

describe('a management-server outage', () => {
  it('refuses API requests, keeps VMs running, holds reports and replays them in order', () => {
    // Starts take exactly 5 minutes, a crash is noticed after exactly 1 minute.
    const run = started(twoHostSpec, {
      systemVms: false,
      drivers: { vmStart: { latency: '5m' }, failureDetection: '1m', reconnect: '1m' },
      faults: [{ name: 'managementServerOutage', at: '60m', repair: '30m' }],
    });
    deploy(run, 'a', 'ha-4g', 'host1');
    deploy(run, 'b', 'ha-4g', 'host2');
    run.runUntil(58 * MINUTE_MS);
    expect(vmNamed(run, 'a').state).toBe('Running');
    deploy(run, 'c', 'plain-4g', 'host1');

    const replayed: string[] = [];
    run.runtime.observe({
      command: (command: Command, _result, source) => {
        if (source.held && run.runtime.counters.replayedReports > 0) replayed.push(command.type);
      },
    });
    // Host2 crashes during the outage: its hostDown report (at 71 min) must wait.
    run.runUntil(70 * MINUTE_MS);
    run.runtime.drivers.failHost(idOf(run, 'host', 'host2'));
    run.runUntil(75 * MINUTE_MS);

    const state = run.runtime.state;
    expect(state.managementUp).toBe(false);
    expect(vmNamed(run, 'a').state).toBe('Running');
    expect(vmNamed(run, 'b').state).toBe('Running');
    // c's agent answered at 63 min; the core has not heard it yet.
    expect(vmNamed(run, 'c').state).toBe('Starting');
    expect(run.runtime.heldCount).toBe(2);

    const refusedBefore = run.runtime.counters.refusedWhileManagementDown;
    const deployed = run.runtime.submit({ type: 'deployVirtualMachine', zoneId: idOf(run, 'zone', 'z1'), accountId: idOf(run, 'account', 'alice'), serviceOfferingId: idOf(run, 'offering', 'plain-4g'), networkIds: [idOf(run, 'network', 'l2')] });
    expect(deployed.ok ? undefined : deployed.rejection.code).toBe('RESOURCE_UNAVAILABLE');
    const account = run.runtime.submit({ type: 'createAccount', name: 'carol' });
    expect(account.ok ? undefined : account.rejection.code).toBe('RESOURCE_UNAVAILABLE');
    expect(run.runtime.counters.refusedWhileManagementDown).toBe(refusedBefore + 2);
    expect(run.runtime.counters.rejectionsByCode.RESOURCE_UNAVAILABLE).toBeGreaterThanOrEqual(2);

    // Back at 90 min: the held reports go first, in the order they were made.
    run.runUntil(90 * MINUTE_MS);
    expect(state.managementUp).toBe(true);
    expect(run.runtime.heldCount).toBe(0);
    expect(run.runtime.counters.heldReports).toBe(2);
    expect(run.runtime.counters.replayedReports).toBe(2);
    expect(replayed.slice(0, 2)).toEqual(['vmStarted', 'hostDown']);
    expect(vmNamed(run, 'c').state).toBe('Running');
    // b was on the crashed host: HA restarts it on host1 once the core learns of the crash.
    expect(vmNamed(run, 'b').state).toBe('Starting');
    expect(hostName(run, vmNamed(run, 'b').hostId)).toBe('host1');
    run.runUntil(100 * MINUTE_MS);
    expect(userVms(run).map((vm) => `${vm.name}:${vm.state}`)).toEqual(['a:Running', 'b:Running', 'c:Running']);
  });

  it('holds timers that come due during the outage', () => {
    const run = started(twoHostSpec, { systemVms: false, drivers: { vmStop: { latency: '10s' } }, faults: [{ name: 'databaseFailover', at: '59m', repair: '5m' }] });
    deploy(run, 'a', 'plain-4g', 'host1');
    run.runUntil(2 * MINUTE_MS);
    // A stopped VM keeps its capacity for capacity.skipcounting.hours (3,600 s): its release
    // timer fires at 62 min 10 s, in the middle of the failover (59 to 64 min).
    expect(run.runtime.submit({ type: 'stopVirtualMachine', id: vmNamed(run, 'a').id }).ok).toBe(true);
    run.runUntil(63 * MINUTE_MS);
    expect(run.runtime.heldCount).toBe(1);
    expect(run.runtime.state.capacity.holdOf(vmNamed(run, 'a'))?.reserved).toBe(true);
    run.runUntil(65 * MINUTE_MS);
    expect(run.runtime.heldCount).toBe(0);
    expect(run.runtime.state.capacity.holdOf(vmNamed(run, 'a'))).toBeUndefined();
    // Counted as decided: refused once while the server was down, accepted on replay.
    expect(run.runtime.counters.commands.releaseStoppedCapacity).toEqual({ accepted: 1, rejected: 1 });
  });
});

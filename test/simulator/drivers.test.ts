/**
 * The simulated drivers. A VM starts exactly when its drawn latency has passed; a start that
 * fails is reported as effectFailed and the core retries on another host until none is left; a
 * host that crashed answers nothing (its VM is restarted by HA once the monitor reports the
 * crash); a primary storage outage stops the VMs on the pool, and the HA ones come back when it
 * does. Storage and network effects that fail are counted, not acted on.
 */
import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS, SECOND_MS } from '../../simulator/distributions.js';
import { tinyDatacenter } from '../support/cloud.js';
import { deploy, hostName, idOf, started, tinyAdvanced, vmNamed } from './support.js';

const twoHosts = () => tinyDatacenter({ hosts: 2 });

describe('host agents', () => {
  it('report a VM started exactly after the drawn latency', () => {
    const run = started(twoHosts(), { systemVms: false, drivers: { vmStart: { latency: '45s' } } });
    deploy(run, 'a', 'plain-4g');
    run.runUntil(45 * SECOND_MS - 1);
    expect(vmNamed(run, 'a').state).toBe('Starting');
    run.runUntil(45 * SECOND_MS);
    expect(vmNamed(run, 'a').state).toBe('Running');
    expect(run.runtime.drivers.metrics.get('vm.start')).toEqual({ count: 1, failures: 0, latencyMsTotal: 45 * SECOND_MS });
  });

  it('report failed starts, which the core retries on other hosts until none is left', () => {
    const run = started(twoHosts(), { systemVms: false, drivers: { vmStart: { latency: '30s', failureRate: 1 } } });
    deploy(run, 'doomed', 'plain-4g');
    run.runUntil(10 * MINUTE_MS);
    const vm = vmNamed(run, 'doomed');
    expect(vm.state).toBe('Stopped');
    expect(vm.reason).toMatch(/^start failed on 2 host\(s\) \(the hypervisor failed to start the VM\); no other host fits/);
    expect(run.runtime.counters.commands.effectFailed).toEqual({ accepted: 2, rejected: 0 });
    expect(run.runtime.drivers.metrics.get('vm.start')).toMatchObject({ count: 2, failures: 2 });
  });

  it('answer nothing once their host crashed; HA restarts the VM elsewhere after the crash is reported', () => {
    const run = started(twoHosts(), { systemVms: false, drivers: { vmStart: { latency: '60s' }, failureDetection: '2m', reconnect: '1m' } });
    deploy(run, 'a', 'ha-4g', 'host1');
    run.runUntil(30 * SECOND_MS);
    run.runtime.drivers.failHost(idOf(run, 'host', 'host1'));
    // The agent would have answered at 60 s; it is dead.
    run.runUntil(2 * MINUTE_MS);
    expect(vmNamed(run, 'a').state).toBe('Starting');
    expect(hostName(run, vmNamed(run, 'a').hostId)).toBe('host1');
    // Reported down at 2 min 30 s; restarted on host2, running a minute later.
    run.runUntil(4 * MINUTE_MS);
    expect(vmNamed(run, 'a').state).toBe('Running');
    expect(hostName(run, vmNamed(run, 'a').hostId)).toBe('host2');
    expect(run.runtime.counters.commands.vmStarted).toEqual({ accepted: 1, rejected: 0 });
    // Repaired: the host comes back after the reconnect delay, after its down report.
    run.runtime.drivers.repairHost(idOf(run, 'host', 'host1'));
    run.runUntil(4 * MINUTE_MS + 59 * SECOND_MS);
    expect(run.runtime.state.hosts.get(idOf(run, 'host', 'host1'))!.status).toBe('Down');
    run.runUntil(5 * MINUTE_MS);
    expect(run.runtime.state.hosts.get(idOf(run, 'host', 'host1'))!.status).toBe('Up');
  });

  it('send the down report before the up report when a host comes back before its crash is noticed', () => {
    const run = started(twoHosts(), { systemVms: false, drivers: { failureDetection: '3m', reconnect: '30s' } });
    deploy(run, 'a', 'ha-4g', 'host1');
    run.runUntil(5 * MINUTE_MS);
    const host1 = idOf(run, 'host', 'host1');
    run.runtime.drivers.failHost(host1);
    run.runUntil(6 * MINUTE_MS);
    run.runtime.drivers.repairHost(host1);
    // The crash killed the VM even though the host rebooted at once: the core must hear of it.
    run.runUntil(8 * MINUTE_MS);
    expect(run.runtime.state.hosts.get(host1)!.status).toBe('Down');
    expect(hostName(run, vmNamed(run, 'a').hostId)).toBe('host2');
    run.runUntil(8 * MINUTE_MS + 30 * SECOND_MS);
    expect(run.runtime.state.hosts.get(host1)!.status).toBe('Up');
  });
});

describe('primary storage', () => {
  it('stops the VMs of a pool that goes away and restarts the HA ones when it returns', () => {
    const run = started(twoHosts(), {
      systemVms: false,
      drivers: { vmStart: { latency: '60s' }, failureDetection: '1m', reconnect: '1m' },
      faults: [{ name: 'primaryStorageOutage', storagePool: 'nfs', at: '1h', repair: '30m' }],
    });
    deploy(run, 'ha', 'ha-4g');
    deploy(run, 'plain', 'plain-4g');
    run.runUntil(HOUR_MS + 5 * MINUTE_MS);
    expect(vmNamed(run, 'ha').state).toBe('Stopped');
    expect(vmNamed(run, 'plain').state).toBe('Stopped');
    expect(vmNamed(run, 'plain').reason).toBe('primary storage nfs unavailable');
    expect(run.runtime.state.storagePools.get(idOf(run, 'storagePool', 'nfs'))!.state).toBe('Down');
    // Back at 1 h 30 min, reported a minute later, restarted in another minute.
    run.runUntil(HOUR_MS + 33 * MINUTE_MS);
    expect(vmNamed(run, 'ha').state).toBe('Running');
    expect(vmNamed(run, 'plain').state).toBe('Stopped');
  });

  it('counts failed volume creations and network implementations without acting on them', () => {
    const run = started(tinyAdvanced(2), { systemVms: false, drivers: { volumeCreate: { failureRate: 1 }, networkImplement: { failureRate: 1 } } });
    const accountId = idOf(run, 'account', 'alice');
    const result = run.runtime.submit({ type: 'deployVirtualMachine', zoneId: idOf(run, 'zone', 'z1'), accountId, serviceOfferingId: idOf(run, 'offering', 'plain-4g'), name: 'isolated' });
    expect(result.ok).toBe(true);
    run.runUntil(5 * MINUTE_MS);
    expect(vmNamed(run, 'isolated').state).toBe('Running');
    expect(run.runtime.drivers.metrics.get('volume.create')).toMatchObject({ count: 2, failures: 2 });
    expect(run.runtime.drivers.metrics.get('network.implement')).toMatchObject({ count: 1, failures: 1 });
  });
});

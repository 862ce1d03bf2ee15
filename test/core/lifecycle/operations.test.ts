/**
 * The life of a user VM after deploy, the way CloudStack runs it: stop, start, reboot, destroy,
 * expunge, migrate, scale, and a start that fails on its host. Each test runs commands on the
 * tiny datacenter (two or three KVM hosts of 16 x 2,000 MHz and 64 GiB, VMs of 2 x 2,000 MHz
 * and 4 GiB on an L2 network) with drivers that answer at once, and checks the VM's states, the
 * host it holds, the CPU and memory counted as used or reserved there, the account's counts and
 * the timers the core sets. Starts that fail are fed back by hand as effectFailed reports.
 */
import { describe, expect, it } from 'vitest';
import { step } from '../../../core/decider.js';
import type { TestCloud } from '../../support/cloud.js';
import { testCloud, tinyDatacenter } from '../../support/cloud.js';
import { actAsUser, hostLoad, localStorageDatacenter, refusal } from './fixtures.js';

function setUp(options: { hosts?: number; settings?: Record<string, number | boolean | string> } = {}) {
  const spec = tinyDatacenter({ hosts: options.hosts ?? 2 });
  Object.assign(spec.settings!, options.settings ?? {});
  const cloud = testCloud(spec);
  const ids = {
    zoneId: cloud.idOf('zone', 'z1'),
    alice: cloud.idOf('account', 'alice'),
    plain: cloud.idOf('offering', 'plain-4g'),
    big: cloud.idOf('offering', 'big'),
    l2: cloud.idOf('network', 'l2'),
  };
  const deploy = (name: string, more: { hostId?: string; serviceOfferingId?: string; diskOfferingId?: string; startVm?: boolean } = {}) =>
    cloud.ok({ type: 'deployVirtualMachine', zoneId: ids.zoneId, accountId: ids.alice, serviceOfferingId: more.serviceOfferingId ?? ids.plain, networkIds: [ids.l2], name, ...more });
  return { cloud, ...ids, deploy };
}

function eventTrail(cloud: TestCloud, from: number): string[] {
  return cloud.events.slice(from).map((e) => ('state' in e && e.type === 'vmStateChanged' ? `${e.type} ${e.state}` : e.type));
}

describe('stopping a VM', () => {
  it('goes Running, Stopping, Stopped and moves its capacity from used to reserved on its last host', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1');
    expect(hostLoad(cloud, 'host1')).toEqual({ usedMhz: 4000, usedMiB: 4096, reservedMhz: 0, reservedMiB: 0 });
    const from = cloud.events.length;
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('vm1').id });
    expect(eventTrail(cloud, from)).toEqual(['vmStateChanged Stopping', 'vmStateChanged Stopped']);
    const vm = cloud.vm('vm1');
    expect(vm.state).toBe('Stopped');
    expect(vm.hostId).toBeUndefined();
    expect(cloud.hostName(vm.lastHostId)).toBe('host1');
    expect(hostLoad(cloud, 'host1')).toEqual({ usedMhz: 0, usedMiB: 0, reservedMhz: 4000, reservedMiB: 4096 });
  });

  it('releases the reservation after capacity.skipcounting.hours (3,600 s), not a millisecond before', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1');
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('vm1').id });
    expect(cloud.timers).toEqual([{ atMs: 3_600_000, command: { type: 'releaseStoppedCapacity', id: cloud.vm('vm1').id } }]);
    cloud.advance(3_599_999);
    expect(hostLoad(cloud, 'host1').reservedMhz).toBe(4000);
    cloud.advance(1);
    expect(hostLoad(cloud, 'host1')).toEqual({ usedMhz: 0, usedMiB: 0, reservedMhz: 0, reservedMiB: 0 });
    expect(cloud.vm('vm1').state).toBe('Stopped');
  });

  it('does nothing to a VM that is already stopped', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1');
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('vm1').id });
    const from = cloud.events.length;
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('vm1').id });
    expect(cloud.events.length).toBe(from);
  });
});

describe('starting a stopped VM', () => {
  it('goes back to its last host first, even when first-fit would pick another one', () => {
    const { cloud, deploy } = setUp({ hosts: 3 });
    deploy('x', { hostId: cloud.idOf('host', 'host2') });
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('x').id });
    cloud.ok({ type: 'startVirtualMachine', id: cloud.vm('x').id });
    expect(cloud.vm('x').state).toBe('Running');
    expect(cloud.hostName(cloud.vm('x').hostId)).toBe('host2');
    // The reservation became use again: nothing is counted twice.
    expect(hostLoad(cloud, 'host2')).toEqual({ usedMhz: 4000, usedMiB: 4096, reservedMhz: 0, reservedMiB: 0 });
  });

  it('goes elsewhere once its last host no longer has room for it', () => {
    const { cloud, deploy, big } = setUp({ hosts: 3 });
    const host2 = cloud.idOf('host', 'host2');
    deploy('x', { hostId: host2 });
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('x').id });
    cloud.advance(3_600_000);
    // Two VMs of 16,000 MHz and 32 GiB fill host2 once the reservation of x has lapsed.
    deploy('b1', { hostId: host2, serviceOfferingId: big });
    deploy('b2', { hostId: host2, serviceOfferingId: big });
    expect(hostLoad(cloud, 'host2')).toEqual({ usedMhz: 32_000, usedMiB: 65_536, reservedMhz: 0, reservedMiB: 0 });
    cloud.ok({ type: 'startVirtualMachine', id: cloud.vm('x').id });
    expect(cloud.hostName(cloud.vm('x').hostId)).toBe('host1');
  });

  it('refuses a VM that is not stopped with INVALID_STATE', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1');
    const refused = cloud.run({ type: 'startVirtualMachine', id: cloud.vm('vm1').id });
    expect(refused).toMatchObject({ code: 'INVALID_STATE', errorCode: 431, message: 'virtual machine vm1 is Running; only a stopped VM can be started' });
  });
});

describe('rebooting a VM', () => {
  it('reboots a running VM on its host', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1');
    const vm = cloud.vm('vm1');
    const result = step(cloud.state, { type: 'rebootVirtualMachine', id: vm.id }, cloud.ctx);
    expect(result.ok && result.step.events).toEqual([{ type: 'vmRebooted', vmId: vm.id, atMs: 0 }]);
    expect(result.ok && result.step.effects).toEqual([{ kind: 'vm.reboot', vmId: vm.id, hostId: cloud.idOf('host', 'host1') }]);
    expect(vm.state).toBe('Running');
  });

  it('refuses a stopped VM with INVALID_STATE', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1');
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('vm1').id });
    expect(refusal(cloud, { type: 'rebootVirtualMachine', id: cloud.vm('vm1').id })).toBe('INVALID_STATE 431 virtual machine vm1 is Stopped; only a running VM can be rebooted');
  });
});

describe('destroying and expunging a VM', () => {
  it('releases its capacity and counts at once and expunges it after expunge.delay (86,400 s)', () => {
    const { cloud, deploy, alice } = setUp();
    deploy('vm1', { diskOfferingId: cloud.idOf('diskOffering', 'data-50') });
    const vm = cloud.vm('vm1');
    const pool = cloud.idOf('storagePool', 'nfs');
    expect(cloud.state.index.accountUsage.get(alice)).toMatchObject({ user_vm: 1, cpu: 2, memory: 4096, volume: 2, primary_storage: 60 });
    const from = cloud.events.length;
    cloud.ok({ type: 'destroyVirtualMachine', id: vm.id });
    expect(eventTrail(cloud, from)).toEqual(['vmStateChanged Destroyed']);
    expect(vm.state).toBe('Destroyed');
    expect(hostLoad(cloud, 'host1')).toEqual({ usedMhz: 0, usedMiB: 0, reservedMhz: 0, reservedMiB: 0 });
    expect(cloud.state.index.accountUsage.get(alice)).toMatchObject({ user_vm: 0, cpu: 0, memory: 0 });
    expect(cloud.timers).toEqual([{ atMs: 86_400_000, command: { type: 'expungeDue', id: vm.id } }]);

    cloud.advance(86_399_999);
    expect(cloud.state.vms.has(vm.id)).toBe(true);
    cloud.advance(1);
    expect(cloud.state.vms.has(vm.id)).toBe(false);
    // The root disk went with the VM; the data disk is detached and stays on its pool.
    const left = [...cloud.state.volumes.values()].map((v) => ({ name: v.name, state: v.state, vmId: v.vmId, pool: v.storagePoolId }));
    expect(left).toEqual([{ name: 'DATA-vm1', state: 'Ready', vmId: undefined, pool }]);
    expect(cloud.state.index.poolAllocatedGiB.get(pool)).toBe(50);
    expect(cloud.state.index.accountUsage.get(alice)).toMatchObject({ user_vm: 0, volume: 1, primary_storage: 50 });
  });

  it('expunges at once when asked to', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1');
    const id = cloud.vm('vm1').id;
    const from = cloud.events.length;
    cloud.ok({ type: 'destroyVirtualMachine', id, expunge: true });
    expect(eventTrail(cloud, from)).toEqual(['vmStateChanged Destroyed', 'vmExpunged']);
    expect(cloud.state.vms.has(id)).toBe(false);
    expect(cloud.state.volumes.size).toBe(0);
    // Nothing is left to expunge later: no expunge timer waits for the VM.
    expect(cloud.timers.filter((t) => t.command.type === 'expungeDue')).toEqual([]);
  });

  it('refuses to destroy a destroyed VM twice', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1');
    cloud.ok({ type: 'destroyVirtualMachine', id: cloud.vm('vm1').id });
    expect(refusal(cloud, { type: 'destroyVirtualMachine', id: cloud.vm('vm1').id })).toBe('INVALID_STATE 431 virtual machine vm1 is already destroyed');
  });

  it('refuses to expunge a VM that is not destroyed, running or stopped', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1');
    expect(refusal(cloud, { type: 'expungeVirtualMachine', id: cloud.vm('vm1').id })).toBe('INVALID_STATE 431 virtual machine vm1 is Running; destroy it before expunging');
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('vm1').id });
    expect(refusal(cloud, { type: 'expungeVirtualMachine', id: cloud.vm('vm1').id })).toBe('INVALID_STATE 431 virtual machine vm1 is Stopped; destroy it before expunging');
    cloud.ok({ type: 'destroyVirtualMachine', id: cloud.vm('vm1').id });
    cloud.ok({ type: 'expungeVirtualMachine', id: cloud.vm('vm1').id });
    expect(cloud.state.vms.size).toBe(0);
  });
});

describe('migrating a VM', () => {
  it('is for root admins only', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1');
    actAsUser(cloud, 'alice');
    expect(refusal(cloud, { type: 'migrateVirtualMachine', id: cloud.vm('vm1').id })).toBe('PERMISSION_DENIED 531 only a root admin can migrate virtual machines');
    expect(cloud.hostName(cloud.vm('vm1').hostId)).toBe('host1');
  });

  it('refuses a VM with volumes on local storage', () => {
    const cloud = testCloud(localStorageDatacenter());
    cloud.ok({ type: 'deployVirtualMachine', zoneId: cloud.idOf('zone', 'z1'), accountId: cloud.idOf('account', 'alice'), serviceOfferingId: cloud.idOf('offering', 'local-4g'), networkIds: [cloud.idOf('network', 'l2')], name: 'db1' });
    expect(cloud.hostName(cloud.vm('db1').hostId)).toBe('host1');
    expect(refusal(cloud, { type: 'migrateVirtualMachine', id: cloud.vm('db1').id })).toBe('INVALID_STATE 431 virtual machine db1 has volumes on local storage and cannot be live-migrated');
  });

  it('refuses a VM that is not running', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1');
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('vm1').id });
    expect(refusal(cloud, { type: 'migrateVirtualMachine', id: cloud.vm('vm1').id })).toBe('INVALID_STATE 431 virtual machine vm1 is Stopped; only a running VM can be migrated');
  });

  it('moves a running VM to another host of its cluster, and its capacity with it', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1');
    const vm = cloud.vm('vm1');
    const result = step(cloud.state, { type: 'migrateVirtualMachine', id: vm.id }, cloud.ctx);
    expect(result.ok && result.step.events).toEqual([{ type: 'vmMigrated', vmId: vm.id, fromHostId: cloud.idOf('host', 'host1'), toHostId: cloud.idOf('host', 'host2'), atMs: cloud.ctx.nowMs }]);
    expect(result.ok && result.step.effects).toEqual([{ kind: 'vm.migrate', vmId: vm.id, fromHostId: cloud.idOf('host', 'host1'), toHostId: cloud.idOf('host', 'host2') }]);
    expect(vm.state).toBe('Running');
    expect(cloud.hostName(vm.hostId)).toBe('host2');
    expect(cloud.hostName(vm.lastHostId)).toBe('host1');
    expect(hostLoad(cloud, 'host1')).toEqual({ usedMhz: 0, usedMiB: 0, reservedMhz: 0, reservedMiB: 0 });
    expect(hostLoad(cloud, 'host2')).toEqual({ usedMhz: 4000, usedMiB: 4096, reservedMhz: 0, reservedMiB: 0 });
  });

  it('goes to the host asked for, and refuses its own host or an unknown one as parameter errors', () => {
    const { cloud, deploy } = setUp({ hosts: 3 });
    deploy('vm1');
    const vm = cloud.vm('vm1');
    expect(refusal(cloud, { type: 'migrateVirtualMachine', id: vm.id, hostId: cloud.idOf('host', 'host1') })).toBe('INVALID_PARAMETER 431 virtual machine vm1 already runs on host host1');
    expect(refusal(cloud, { type: 'migrateVirtualMachine', id: vm.id, hostId: 'no-such-host' })).toBe('ENTITY_NOT_FOUND 431 host no-such-host does not exist');
    cloud.ok({ type: 'migrateVirtualMachine', id: vm.id, hostId: cloud.idOf('host', 'host3') });
    expect(cloud.hostName(vm.hostId)).toBe('host3');
  });

  it('is refused with 533 when no other host of the cluster has room', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1');
    cloud.ok({ type: 'updateHost', id: cloud.idOf('host', 'host2'), allocationState: 'Disabled' });
    const refused = cloud.run({ type: 'migrateVirtualMachine', id: cloud.vm('vm1').id });
    expect(refused).toMatchObject({ code: 'INSUFFICIENT_CAPACITY', errorCode: 533 });
    expect(cloud.hostName(cloud.vm('vm1').hostId)).toBe('host1');
  });
});

describe('scaling a VM', () => {
  it('changes a stopped VM to the new offering and its account counts with it', () => {
    const { cloud, deploy, alice, big } = setUp();
    deploy('vm1');
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('vm1').id });
    cloud.ok({ type: 'scaleVirtualMachine', id: cloud.vm('vm1').id, serviceOfferingId: big });
    const vm = cloud.vm('vm1');
    expect({ offering: vm.serviceOfferingId, cpuNumber: vm.cpuNumber, cpuSpeedMhz: vm.cpuSpeedMhz, memoryMiB: vm.memoryMiB }).toEqual({ offering: big, cpuNumber: 8, cpuSpeedMhz: 2000, memoryMiB: 32_768 });
    expect(cloud.state.index.accountUsage.get(alice)).toMatchObject({ cpu: 8, memory: 32_768 });
    // Its reservation on the last host grows with it, and so does what it uses once started.
    expect(hostLoad(cloud, 'host1')).toEqual({ usedMhz: 0, usedMiB: 0, reservedMhz: 16_000, reservedMiB: 32_768 });
    cloud.ok({ type: 'startVirtualMachine', id: vm.id });
    expect(hostLoad(cloud, 'host1')).toEqual({ usedMhz: 16_000, usedMiB: 32_768, reservedMhz: 0, reservedMiB: 0 });
  });

  it('refuses a running VM on KVM (no dynamic scaling there)', () => {
    const { cloud, deploy, big } = setUp();
    deploy('vm1');
    expect(refusal(cloud, { type: 'scaleVirtualMachine', id: cloud.vm('vm1').id, serviceOfferingId: big })).toBe(
      'INVALID_STATE 431 virtual machine vm1 is running; stop it to scale it (dynamic scaling needs VMware or XenServer and enable.dynamic.scale.vm)',
    );
    expect(cloud.vm('vm1').cpuNumber).toBe(2);
  });

  it('refuses a size that would take the account past max.account.cpus', () => {
    const { cloud, deploy, big } = setUp({ settings: { 'max.account.cpus': 6 } });
    deploy('vm1', { startVm: false });
    expect(refusal(cloud, { type: 'scaleVirtualMachine', id: cloud.vm('vm1').id, serviceOfferingId: big })).toBe(
      "RESOURCE_LIMIT_EXCEEDED 535 Maximum number of resources of type 'cpu' for account alice has been exceeded: it holds 2 vCPUs, asks for 6 more, and max.account.cpus is 6",
    );
  });
});

describe('a start that fails on its host', () => {
  /** Deploys vm1 without the driver answering, so it stays Starting until a report comes. */
  function starting(hosts: number, retries?: number) {
    const { cloud, zoneId, alice, plain, l2 } = setUp({ hosts, ...(retries === undefined ? {} : { settings: { 'start.retry': retries } }) });
    const result = step(cloud.state, { type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: plain, networkIds: [l2], name: 'vm1' }, cloud.ctx);
    expect(result.ok).toBe(true);
    return cloud;
  }

  function failStart(cloud: TestCloud, reason: string) {
    const vm = cloud.vm('vm1');
    const result = step(cloud.state, { type: 'effectFailed', effect: 'vm.start', vmId: vm.id, hostId: vm.hostId!, reason }, cloud.ctx);
    expect(result.ok).toBe(true);
    return result.ok ? result.step.effects : [];
  }

  it('is retried on another host, which then holds the capacity', () => {
    const cloud = starting(3, 3);
    expect(cloud.vm('vm1').state).toBe('Starting');
    expect(cloud.hostName(cloud.vm('vm1').hostId)).toBe('host1');
    const effects = failStart(cloud, 'libvirt: domain failed to start');
    const vm = cloud.vm('vm1');
    expect(vm.state).toBe('Starting');
    expect(cloud.hostName(vm.hostId)).toBe('host2');
    expect(vm.failedHostIds!.map((id) => cloud.hostName(id))).toEqual(['host1']);
    expect(effects).toEqual([{ kind: 'vm.start', vmId: vm.id, hostId: cloud.idOf('host', 'host2') }]);
    expect(hostLoad(cloud, 'host1').usedMhz).toBe(0);
    expect(hostLoad(cloud, 'host2').usedMhz).toBe(4000);
    // The driver now succeeds on host2: the retry is over, so the failed hosts are forgotten.
    cloud.ok({ type: 'vmStarted', vmId: vm.id, hostId: vm.hostId! });
    expect(vm.state).toBe('Running');
    expect(cloud.hostName(vm.hostId)).toBe('host2');
    expect(vm.failedHostIds).toBeUndefined();
  });

  it('ends in Error after start.retry attempts, holding no capacity', () => {
    const cloud = starting(3, 2);
    failStart(cloud, 'libvirt: domain failed to start');
    expect(cloud.hostName(cloud.vm('vm1').hostId)).toBe('host2');
    failStart(cloud, 'libvirt: domain failed to start');
    const vm = cloud.vm('vm1');
    expect(vm.state).toBe('Error');
    expect(vm.reason).toBe('start failed 2 times, the last on this host: libvirt: domain failed to start');
    expect(vm.hostId).toBeUndefined();
    for (const host of ['host1', 'host2', 'host3']) expect(hostLoad(cloud, host)).toEqual({ usedMhz: 0, usedMiB: 0, reservedMhz: 0, reservedMiB: 0 });
    expect(refusal(cloud, { type: 'startVirtualMachine', id: vm.id })).toBe('INVALID_STATE 431 virtual machine vm1 is Error; only a stopped VM can be started');
  });

  it('stops the VM with the reason when every host has failed before start.retry is reached', () => {
    const cloud = starting(2);
    failStart(cloud, 'no space on the hypervisor');
    const effects = failStart(cloud, 'no space on the hypervisor');
    const vm = cloud.vm('vm1');
    expect(vm.state).toBe('Stopped');
    expect(vm.reason).toBe(
      'start failed on 2 host(s) (no space on the hypervisor); no other host fits: Unable to create a deployment for the VM (2 x 2000 MHz and 4,096 MiB) in zone z1: no host fits; removed: 2 hosts avoided (failed before)',
    );
    // It never ran, so no host keeps a reservation for it or becomes its last host.
    expect(vm.lastHostId).toBeUndefined();
    for (const host of ['host1', 'host2']) expect(hostLoad(cloud, host)).toEqual({ usedMhz: 0, usedMiB: 0, reservedMhz: 0, reservedMiB: 0 });
    expect(effects).toEqual([]);
  });

  it('keeps the last host a VM really ran on when a later start fails everywhere', () => {
    const { cloud, deploy } = setUp();
    deploy('vm1');
    const vm = cloud.vm('vm1');
    cloud.ok({ type: 'stopVirtualMachine', id: vm.id });
    cloud.advance(3_600_000);
    expect(hostLoad(cloud, 'host1').reservedMhz).toBe(0);
    const started = step(cloud.state, { type: 'startVirtualMachine', id: vm.id }, cloud.ctx);
    expect(started.ok).toBe(true);
    expect(cloud.hostName(vm.hostId)).toBe('host1');
    for (let i = 0; i < 2; i++) step(cloud.state, { type: 'effectFailed', effect: 'vm.start', vmId: vm.id, hostId: vm.hostId!, reason: 'disk error' }, cloud.ctx);
    expect(vm.state).toBe('Stopped');
    expect(cloud.hostName(vm.lastHostId)).toBe('host1');
    for (const host of ['host1', 'host2']) expect(hostLoad(cloud, host)).toEqual({ usedMhz: 0, usedMiB: 0, reservedMhz: 0, reservedMiB: 0 });
  });
});

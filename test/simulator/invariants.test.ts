/**
 * The invariant checkers catch a corrupted cloud. A healthy busy run passes every check after
 * every step; then each test breaks one thing by hand, the way a bookkeeping bug would (a hold
 * nobody owns, a hold bigger than its VM, an address or VLAN handed out twice, an HA VM down
 * without a reason, anti-affinity members sharing a host), and the checker names it. A broken
 * invariant during a run stops it with the seed and the number of the event.
 */
import { describe, expect, it } from 'vitest';
import { vmRecord } from '../../core/evolve-lifecycle.js';
import { MINUTE_MS } from '../../simulator/distributions.js';
import { SimulationFailure } from '../../simulator/failure.js';
import { addressProblems, antiAffinityProblems } from '../../simulator/invariants.js';
import type { Simulation } from '../../simulator/simulation.js';
import { deploy, idOf, started, tinyAdvanced, userVms, vmNamed } from './support.js';
import { tinyDatacenter } from '../support/cloud.js';

/** A few tenants with isolated networks (addresses, VLANs, routers) and running VMs. */
function busy(): Simulation {
  const run = started(tinyAdvanced(3), {
    workloads: [
      { name: 'newAccounts', initial: 3, networksPerAccount: 1 },
      { name: 'steadyArrivals', perDay: 200 },
      { name: 'offeringMix', weights: { 'ha-4g': 1 } },
    ],
  });
  run.runUntil(6 * 60 * MINUTE_MS);
  return run;
}

function checker(run: Simulation) {
  return run.runtime.checker!;
}

describe('invariant checkers', () => {
  it('pass on a healthy run after every step', () => {
    const run = busy();
    expect(run.runtime.counters.steps).toBeGreaterThan(40);
    expect(userVms(run).filter((vm) => vm.state === 'Running').length).toBeGreaterThan(10);
    expect(checker(run).checkAll()).toEqual([]);
  });

  it('catch a hold added by hand for a record not in the cloud, and stop the run with the seed and the event number', () => {
    const run = busy();
    run.runtime.state.capacity.hold(vmRecord({ ...userVms(run)[0]!, id: 'no-such-vm' }), { host: 0, cpuMhz: 1000, memoryMiB: 512, reserved: false, guest: true });
    expect(checker(run).checkAll()).toContain('a hold on host host1 belongs to no VM of the cloud (no-such-vm)');
    const next = run.runtime.counters.steps + 1;
    let failure: unknown;
    try {
      run.runtime.submit({ type: 'createAffinityGroup', name: 'g', affinityType: 'host anti-affinity', accountId: idOf(run, 'account', 'alice') });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(SimulationFailure);
    expect((failure as Error).message).toMatch(new RegExp(`^invariant broken after event ${next} at day 0 06:00:00 \\(seed 1; replay with the same seed\\)`));
    expect((failure as Error).message).toContain('belongs to no VM of the cloud (no-such-vm)');
  });

  it('catch at the step itself, without a full check, a used hold that a VM no longer in the cloud left behind', () => {
    const run = started(tinyAdvanced(3), {
      workloads: [
        { name: 'newAccounts', initial: 3, networksPerAccount: 1 },
        { name: 'steadyArrivals', perDay: 200 },
        { name: 'offeringMix', weights: { 'ha-4g': 1 } },
      ],
    }, { invariants: { fullCheckEvery: 0 } });
    run.runUntil(6 * 60 * MINUTE_MS);
    const [leaving, other] = userVms(run).filter((vm) => vm.state === 'Running');
    // As a bookkeeping bug would: the VM leaves the cloud and its hold stays.
    run.runtime.state.capacity.hold(vmRecord({ ...leaving!, id: 'expunged-vm' }), { host: 0, cpuMhz: 1000, memoryMiB: 512, reserved: false, guest: true });
    expect(() => run.runtime.submit({ type: 'stopVirtualMachine', id: other!.id })).toThrow(/invariant broken after event \d+ .*holds of used capacity, but \d+ VMs starting, running, stopping or migrating/s);
  });

  it('catch a hold larger than its VM, which also overfills the host', () => {
    const run = started(tinyDatacenter({ hosts: 2 }), { systemVms: false });
    for (let i = 1; i <= 8; i++) deploy(run, `vm${i}`, 'ha-4g', 'host1');
    run.runUntil(10 * MINUTE_MS);
    expect(checker(run).checkAll()).toEqual([]);
    const vm = vmNamed(run, 'vm1');
    const hold = run.runtime.state.capacity.holdOf(vm)!;
    run.runtime.state.capacity.hold(vm, { ...hold, cpuMhz: hold.cpuMhz + 2000 });
    const problems = checker(run).checkAll();
    expect(problems).toContain('VM vm1 holds 6000 MHz and 4096 MiB but is sized 4000 MHz and 4096 MiB');
    expect(problems).toContain('host host1 is over its CPU capacity: 34000 MHz used and reserved > 32000 MHz (total x 1)');
  });

  it('check what a step touched, each broken VM and overfull host reported once however often touched', () => {
    const run = started(tinyDatacenter({ hosts: 2 }), { systemVms: false });
    for (let i = 1; i <= 8; i++) deploy(run, `vm${i}`, 'ha-4g', 'host1');
    run.runUntil(10 * MINUTE_MS);
    const vm1 = vmNamed(run, 'vm1');
    const vm2 = vmNamed(run, 'vm2');
    const hold = run.runtime.state.capacity.holdOf(vm1)!;
    run.runtime.state.capacity.hold(vm1, { ...hold, cpuMhz: hold.cpuMhz + 2000 });
    const touch = (vmId: string): void => checker(run).observe({ type: 'stoppedCapacityReleased', vmId });
    touch(vm1.id);
    touch(vm2.id);
    touch(vm1.id);
    expect(checker(run).checkTouched()).toEqual([
      'VM vm1 holds 6000 MHz and 4096 MiB but is sized 4000 MHz and 4096 MiB',
      'host host1 is over its CPU capacity: 34000 MHz used and reserved > 32000 MHz (total x 1)',
    ]);
    // Checked and forgotten: the next step starts from nothing touched.
    expect(checker(run).checkTouched()).toEqual([]);
    touch(vm2.id);
    expect(checker(run).checkTouched()).toEqual(['host host1 is over its CPU capacity: 34000 MHz used and reserved > 32000 MHz (total x 1)']);
  });

  it('catch an address held twice and a pool that counts differently from its holders', () => {
    const run = busy();
    const [a, b] = userVms(run).filter((vm) => vm.nics[0]?.ip !== undefined && vm.nics[0].networkId !== undefined);
    expect(a && b).toBeTruthy();
    b!.nics = [{ ...b!.nics[0]!, networkId: a!.nics[0]!.networkId!, ip: a!.nics[0]!.ip! }];
    const problems = addressProblems(run.runtime.state);
    expect(problems.some((p) => /address 10\.1\.1\.\d+ is held twice in network .*: by VM .* and by VM /.test(p))).toBe(true);
    expect(problems.some((p) => /counts \d+ allocated, but \d+ records hold one of its values/.test(p))).toBe(true);
  });

  it('catch a VLAN held twice', () => {
    const run = busy();
    const implemented = [...run.runtime.state.networks.values()].filter((n) => n.vlanFromPool && typeof n.vlan === 'number');
    expect(implemented.length).toBeGreaterThanOrEqual(2);
    implemented[1]!.vlan = implemented[0]!.vlan;
    const problems = addressProblems(run.runtime.state);
    expect(problems.some((p) => p.startsWith(`VLAN ${implemented[0]!.vlan} is held twice in VNET range of physical network pn`))).toBe(true);
  });

  it('catch an HA VM down without a reason', () => {
    const run = busy();
    const vm = userVms(run).find((v) => v.state === 'Running' && v.haEnabled)!;
    vm.state = 'Stopped';
    delete vm.hostId;
    expect(checker(run).checkAll()).toContain(`HA VM ${vm.name} (${vm.id}) is Stopped with no reason and no stop request`);
  });

  it('accept an HA VM stopped on request, and one stranded with a reason', () => {
    const run = started(tinyDatacenter({ hosts: 2 }), { systemVms: false });
    deploy(run, 'asked', 'ha-4g');
    run.runUntil(5 * MINUTE_MS);
    expect(run.runtime.submit({ type: 'stopVirtualMachine', id: vmNamed(run, 'asked').id }).ok).toBe(true);
    run.runUntil(10 * MINUTE_MS);
    expect(vmNamed(run, 'asked').state).toBe('Stopped');
    expect(vmNamed(run, 'asked').reason).toBeUndefined();
    expect(checker(run).checkAll()).toEqual([]);
  });

  it('catch members of a strict anti-affinity group sharing a host', () => {
    const run = started(tinyDatacenter({ hosts: 2 }), { systemVms: false });
    const group = run.runtime.submit({ type: 'createAffinityGroup', name: 'apart', affinityType: 'host anti-affinity', accountId: idOf(run, 'account', 'alice') });
    expect(group.ok).toBe(true);
    const groupId = [...run.runtime.state.affinityGroups.keys()][0]!;
    for (const name of ['x', 'y']) {
      const result = run.runtime.submit({ type: 'deployVirtualMachine', name, zoneId: idOf(run, 'zone', 'z1'), accountId: idOf(run, 'account', 'alice'), serviceOfferingId: idOf(run, 'offering', 'plain-4g'), networkIds: [idOf(run, 'network', 'l2')], affinityGroupIds: [groupId] });
      expect(result.ok).toBe(true);
    }
    run.runUntil(5 * MINUTE_MS);
    expect(vmNamed(run, 'x').hostId).not.toBe(vmNamed(run, 'y').hostId);
    expect(antiAffinityProblems(run.runtime.state)).toEqual([]);
    vmNamed(run, 'y').hostId = vmNamed(run, 'x').hostId;
    expect(antiAffinityProblems(run.runtime.state)).toEqual(['VMs x and y of anti-affinity group apart share host host1']);
  });
});

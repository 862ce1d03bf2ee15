/**
 * The `simulation:` section of a scenario file. It is read with the scenario format's rules:
 * strict keys (an unknown key is an error naming the key it probably meant), durations with
 * their unit, workloads and faults by registered name, names of zones, hosts and offerings
 * checked against the scenario, and every problem collected with its path and line:column.
 */
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../core/scenario/parse.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from '../../simulator/distributions.js';
import { parseSimulation } from '../../simulator/schema.js';

const HEAD = `version: 1
name: sim
offerings:
  compute:
    - { name: small, cpuNumber: 1, cpuSpeedMhz: 1000, memoryMiB: 1024 }
    - { name: ha, cpuNumber: 2, cpuSpeedMhz: 2000, memoryMiB: 4096, offerHa: true }
zones:
  - name: zone1
    networkType: Advanced
    guestCidr: 10.1.1.0/24
    physicalNetworks:
      - { name: pn, vlanRanges: 100-199, traffic: [{ type: Management }, { type: Guest }, { type: Public }] }
    publicRanges:
      - { vlan: 50, gateway: 203.0.113.1, netmask: 255.255.255.0, startIp: 203.0.113.10, endIp: 203.0.113.99 }
    pods:
      - name: pod1
        gateway: 10.0.0.1
        netmask: 255.255.255.0
        reservedRanges: [{ startIp: 10.0.0.2, endIp: 10.0.0.20 }]
        clusters:
          - name: c1
            hypervisor: KVM
            hosts: [{ name: 'kvm{n}', count: 2, ip: 10.0.0.101, cpuCores: 16, cpuMhz: 2000, memoryGiB: 64 }]
            primaryStorage: [{ name: nfs, protocol: NFS, capacityGiB: 4000 }]
    secondaryStorage: [{ name: ss, capacityGiB: 1000 }]
`;

function read(simulation: string) {
  const parsed = parseScenarioText(HEAD + simulation);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parseSimulation(parsed.spec.simulation, parsed.source, parsed.spec);
}

describe('parseSimulation', () => {
  it('reads a full section into milliseconds and fills in the defaults', () => {
    const result = read(`simulation:
  seed: 42
  duration: 365d
  sampleEvery: 12h
  drivers:
    vmStart: { latency: [20s, 1m], failureRate: 0.01 }
    networkImplement: { failureRate: 0.05 }
    failureDetection: 2m
  workloads:
    - { name: newAccounts, initial: 10, perMonth: 4, networksPerAccount: 1 }
    - { name: steadyArrivals, perDay: 120, zone: zone1 }
    - { name: monthlyGrowth, percent: 5 }
    - { name: dailyCycle, amplitude: 0.5, peakHour: 14 }
    - { name: vmLifetimes, distribution: lognormal, median: 30d, sigma: 1.2 }
    - { name: offeringMix, weights: { small: 3, ha: 1 } }
  faults:
    - { name: hostCrash, mtbf: 365d, mttr: 4h }
    - { name: hostCrash, at: 10d, host: kvm2, repair: 30m }
    - { name: primaryStorageOutage, at: 20d, storagePool: nfs, repair: 1h }
    - { name: podSwitchFailure, mtbf: 180d, pod: pod1 }
    - { name: zoneOutage, at: 100d, zone: zone1, repair: 2h }
    - { name: managementServerOutage, at: 50d, repair: 1h }
    - { name: databaseFailover, mtbf: 30d }
  drill: { faultsFor: 30d, settleWithin: 2h }
`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const s = result.simulation;
    expect(s.seed).toBe(42);
    expect(s.durationMs).toBe(365 * DAY_MS);
    expect(s.sampleEveryMs).toBe(12 * HOUR_MS);
    expect(s.drivers.vmStart).toEqual({ latencyMs: { minMs: 20 * SECOND_MS, maxMs: MINUTE_MS }, failureProbability: 0.01 });
    // Given only a failure rate: the default latency stays.
    expect(s.drivers.networkImplement).toEqual({ latencyMs: { minMs: 5 * SECOND_MS, maxMs: 15 * SECOND_MS }, failureProbability: 0.05 });
    expect(s.drivers.failureDetectionMs).toEqual({ minMs: 2 * MINUTE_MS, maxMs: 2 * MINUTE_MS });
    expect(s.workloads.map((w) => w.name)).toEqual(['newAccounts', 'steadyArrivals', 'monthlyGrowth', 'dailyCycle', 'vmLifetimes', 'offeringMix']);
    expect(s.workloads[4]!.options).toEqual({ name: 'vmLifetimes', distribution: 'lognormal', median: 30 * DAY_MS, sigma: 1.2 });
    expect(s.faults[1]!.options).toEqual({ name: 'hostCrash', at: 10 * DAY_MS, host: 'kvm2', repair: 30 * MINUTE_MS });
    expect(s.drill).toEqual({ faultsForMs: 30 * DAY_MS, settleWithinMs: 2 * HOUR_MS });
    expect(s.invariants.fullCheckEvery).toBe(10_000);
    expect(s.systemVms).toBe(true);
  });

  it('takes an absent section as the defaults', () => {
    const result = read('');
    expect(result.ok && result.simulation.durationMs).toBe(30 * DAY_MS);
    expect(result.ok && result.simulation.workloads).toEqual([]);
  });

  it('reports every problem of the section with its path, line and column, and suggests the key meant', () => {
    const result = read(`simulation:
  duraton: 30d
  sampleEvery: 90
  drivers:
    vmStart: { latency: [2m, 1m], failureRate: 1.5 }
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.problems.map((p) => `${p.position ? `${p.position.line}:${p.position.column} ` : ''}${p.path}: ${p.message}`);
    expect(lines).toEqual([
      '27:3 simulation.duraton: unknown key "duraton" (did you mean "duration"?)',
      '28:16 simulation.sampleEvery: expected a duration, got number 90; write a duration with its unit: 250ms, 90s, 15m, 4h, 30d or 2w',
      '30:25 simulation.drivers.vmStart.latency: the range starts after it ends (2m > 1m)',
      '30:48 simulation.drivers.vmStart.failureRate: must be at most 1, got number 1.5',
    ]);
  });

  it('reports the problems of the entries once the section itself is sound', () => {
    const result = read(`simulation:
  workloads:
    - { name: steadyArivals, perDay: 10 }
    - { name: hostCrash, at: 1d }
    - { name: vmLifetimes, distribution: lognormal, median: 30d }
    - { name: offeringMix, weights: { smal: 1 } }
    - { name: steadyArrivals, perDay: -1, zone: zone2, colour: blue }
    - { name: vmLifetimes, distribution: fixed, value: 1d }
    - { name: vmLifetimes, distribution: fixed, value: 2d }
  faults:
    - { name: hostCrash, host: kvm9 }
    - { name: hostCrash, at: soon, mtbf: 30d }
    - { name: managementServerOutage, at: 1d, repair: 1h, mttr: 1h }
    - { name: hostCrash, at: 1d, host: kvm3 }
    - 42
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.problems.map((p) => `${p.position ? `${p.position.line}:${p.position.column} ` : ''}${p.path}: ${p.message}`);
    expect(lines).toEqual([
      '28:15 simulation.workloads[0].name: unknown workload "steadyArivals" (did you mean "steadyArrivals"?); known workloads: steadyArrivals, monthlyGrowth, dailyCycle, vmLifetimes, offeringMix, newAccounts',
      '29:15 simulation.workloads[1].name: "hostCrash" is a fault; list it under faults',
      '30:7 simulation.workloads[2].sigma: is required for a lognormal distribution',
      '31:45 simulation.workloads[3].weights.smal: compute offering "smal" is not declared in the scenario (did you mean "small"?)',
      '32:39 simulation.workloads[4].perDay: must be more than 0, got number -1',
      '32:56 simulation.workloads[4].colour: unknown key "colour"',
      // The entry at [2] was the first vmLifetimes, valid or not.
      '33:15 simulation.workloads[5].name: only one vmLifetimes entry is allowed: it sets something for the whole run',
      '34:15 simulation.workloads[6].name: only one vmLifetimes entry is allowed: it sets something for the whole run',
      '36:7 simulation.faults[0]: give either at (one failure at that time) or mtbf (failures drawn at random)',
      '37:30 simulation.faults[1].at: "soon" is not a duration; write a duration with its unit: 250ms, 90s, 15m, 4h, 30d or 2w',
      '38:65 simulation.faults[2].mttr: give repair (a fixed time) or mttr (a mean), not both',
      '39:40 simulation.faults[3].host: host "kvm3" is not declared in the scenario (did you mean "kvm1"?)',
      '40:7 simulation.faults[4]: expected a mapping with the name of a fault, got number 42',
    ]);
  });

  it('checks names only when the scenario is given, and works without a source', () => {
    const result = parseSimulation({ workloads: [{ name: 'steadyArrivals', perDay: 5, zone: 'nowhere' }] });
    expect(result.ok).toBe(true);
  });
});

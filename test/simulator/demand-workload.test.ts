/**
 * The workload `simulate` derives from a scenario's demand: its entries follow the documented
 * rule exactly, every entry passes its factory's own checks, and the steadyArrivals options it
 * relies on (an initial population over a ramp-up, kinds of VMs with data disks) do what they say.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../core/model/commands.js';
import { parseScenarioText } from '../../core/scenario/parse.js';
import type { ScenarioSpec } from '../../core/scenario/schema.js';
import { DEMAND_WORKLOAD, simulationFromDemand } from '../../simulator/demand-workload.js';
import { describeSimulation } from '../../simulator/describe.js';
import { DAY_MS, HOUR_MS } from '../../simulator/distributions.js';
import { createSimulation } from '../../simulator/simulation.js';
import { Demand } from '../../simulator/workload.js';
import { started, tinyAdvanced } from './support.js';

function scenario(file: string): ScenarioSpec {
  const parsed = parseScenarioText(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.spec;
}

describe('the workload derived from a demand', () => {
  const derived = simulationFromDemand(scenario('scenarios/large-redundant.yaml'));
  if (!derived.ok) throw new Error(derived.message);
  const { simulation, rule } = derived.workload;

  it('follows the rule: tenants, a baseline over the ramp-up, replacement plus growth, exponential lives', () => {
    expect(DEMAND_WORKLOAD).toEqual({ growthPercent: 5, lifetimeMeanMs: 180 * DAY_MS, rampUpMs: 30 * DAY_MS });
    expect(simulation.workloads).toEqual([
      { name: 'newAccounts', options: { name: 'newAccounts', zone: 'dc1', initial: 150, perMonth: 7.5, networksPerAccount: 2, prefix: 'dc1-tenant' } },
      {
        name: 'steadyArrivals',
        options: {
          name: 'steadyArrivals',
          zone: 'dc1',
          // 930 x (1/180 + ln 1.05 / 30.4375) a day
          perDay: 6.66,
          initial: 930,
          rampUp: 30 * DAY_MS,
          localTenants: true,
          groups: [
            { offering: 'small', weight: 600, template: 'ubuntu-24.04-kvm' },
            { offering: 'medium', weight: 200, template: 'rocky-9-kvm', diskOffering: 'data-100' },
            { offering: 'large-ha', weight: 60, diskOffering: 'data-200' },
            { offering: 'medium', weight: 40, template: 'windows-2022-vmware', rootDiskGiB: 60 },
            { offering: 'small', weight: 30, template: 'centos-7-xen' },
          ],
        },
      },
      { name: 'monthlyGrowth', options: { name: 'monthlyGrowth', percent: 5 } },
      { name: 'vmLifetimes', options: { name: 'vmLifetimes', distribution: 'exponential', mean: 180 * DAY_MS } },
    ]);
    expect(simulation.faults).toEqual([]);
  });

  it('describes itself in words, including what it leaves out', () => {
    expect(rule).toEqual([
      'workload derived from demand: (the scenario has no simulation: section)',
      'growth 5%/month; VM lives exponential, mean 180d; baseline deployed over the first 30d',
      'zone dc1: 150 tenants at the start and 7.5 new a month, 2 isolated network(s) each',
      'zone dc1: 930 VMs at baseline (600 small (ubuntu-24.04-kvm), 200 medium (rocky-9-kvm) + data-100, 60 large-ha + data-200, 40 medium (windows-2022-vmware), 30 small (centos-7-xen)), then 6.66 arrivals a day growing 5%/month',
      'zone dc1, not simulated: 40 VPCs, 60 acquired public IPs, snapshots',
    ]);
  });

  it('runs: the tenants and their networks at the start, the baseline arriving over the ramp-up', () => {
    const setup = createSimulation(scenario('scenarios/large-redundant.yaml'), { simulation, durationMs: 2 * DAY_MS });
    if (!setup.ok) throw new Error(JSON.stringify(setup.problems));
    const run = setup.simulation;
    run.start();
    run.runUntil(2 * DAY_MS);
    const result = run.finish();
    expect(result.buildProblems).toEqual([]);
    expect(result.workloads[0]).toEqual({ name: 'newAccounts', metrics: { created: 150, refused: 0, networks: 300 } });
    const arrivals = result.workloads[1]!.metrics;
    // About 930 x 2/30 = 62 of the baseline and 13 arrivals in two days.
    expect(arrivals.attempted).toBeGreaterThan(40);
    expect(arrivals.attempted).toBeLessThan(110);
    expect(arrivals.rejected).toBe(0);
  });

  it('prints its entries with durations in words', () => {
    expect(describeSimulation(simulation).slice(2)).toEqual(['workload monthlyGrowth: percent 5', 'workload vmLifetimes: distribution exponential, mean 180d', 'faults: none']);
  });

  it('spreads a multi-zone demand over each zone, with tenants of its own', () => {
    const multi = simulationFromDemand(scenario('scenarios/multi-site.yaml'));
    if (!multi.ok) throw new Error(multi.message);
    const arrivals = multi.workload.simulation.workloads.filter((w) => w.name === 'steadyArrivals').map((w) => w.options as { zone: string; initial: number; localTenants: boolean });
    expect(arrivals.map((a) => [a.zone, a.initial, a.localTenants])).toEqual([['ams1', 250, true], ['fra1', 120, true]]);
  });

  it('refuses a scenario with nothing to derive from', () => {
    const spec = tinyAdvanced();
    expect(simulationFromDemand(spec)).toEqual({ ok: false, message: 'the scenario has neither a simulation: section nor a demand: to derive a workload from; add one of them' });
  });
});

describe('steadyArrivals with an initial population and kinds of VMs', () => {
  it('deploys the initial VMs within the ramp-up, each as its kind says', () => {
    const run = started(tinyAdvanced(8), {
      systemVms: false,
      workloads: [{ name: 'steadyArrivals', network: 'l2', perDay: 0.01, initial: 30, rampUp: '2h', groups: [{ offering: 'plain-4g', weight: 1, diskOffering: 'data-50', rootDiskGiB: 15 }] }],
    });
    const deploys: { atMs: number; command: Extract<Command, { type: 'deployVirtualMachine' }> }[] = [];
    run.runtime.observe({ command: (command, result, _source, atMs) => { if (command.type === 'deployVirtualMachine' && result.ok) deploys.push({ atMs, command }); } });
    run.runUntil(3 * HOUR_MS);
    expect(deploys).toHaveLength(30);
    const state = run.runtime.state;
    for (const { atMs, command } of deploys) {
      expect(atMs).toBeLessThan(2 * HOUR_MS);
      expect(state.serviceOfferings.get(command.serviceOfferingId)!.name).toBe('plain-4g');
      expect(state.diskOfferings.get(command.diskOfferingId!)!.name).toBe('data-50');
      expect(command.rootDiskSizeGiB).toBe(15);
    }
    const sizes = [...state.volumes.values()].filter((v) => state.vms.get(v.vmId ?? '')?.kind === 'User').map((v) => v.sizeGiB).sort((a, b) => a - b);
    expect(sizes).toEqual([...Array<number>(30).fill(15), ...Array<number>(30).fill(50)]);
  });

  it('keeps tenants by zone in the order they got their first network there', () => {
    const demand = new Demand();
    demand.addNetwork('a2', 'z1', 'n1');
    demand.addNetwork('a1', 'z1', 'n2');
    demand.addNetwork('a2', 'z1', 'n3');
    demand.addNetwork('a1', 'z2', 'n4');
    expect(demand.accountsIn('z1')).toEqual(['a2', 'a1']);
    expect(demand.accountsIn('z2')).toEqual(['a1']);
    expect(demand.accountsIn('z3')).toEqual([]);
    expect(demand.networksOf('a2', 'z1')).toEqual(['n1', 'n3']);
  });
});

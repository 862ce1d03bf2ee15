/**
 * The demand workloads draw what their options say. Arrival counts follow a Poisson process of
 * the given rate (checked within five standard deviations); growth doubles the rate when asked
 * for 100% a month; a daily cycle puts more arrivals around its peak hour than around its
 * trough; fixed lifetimes end exactly on time and lognormal ones around their median; the
 * offering mix follows its weights; new accounts bring their own networks and the VMs use them.
 */
import { describe, expect, it } from 'vitest';
import type { Command } from '../../core/model/commands.js';
import { DAY_MS, HOUR_MS } from '../../simulator/distributions.js';
import type { Simulation } from '../../simulator/simulation.js';
import { started, tinyAdvanced } from './support.js';

/** Times and commands of every deploy and destroy the workloads submit. */
function recorder(run: Simulation) {
  const deploys: { atMs: number; command: Extract<Command, { type: 'deployVirtualMachine' }>; vmId?: string }[] = [];
  const destroys = new Map<string, number>();
  run.runtime.observe({
    command: (command, result, _source, atMs) => {
      if (command.type === 'deployVirtualMachine') {
        const vmId = result.ok ? result.step.events.find((e) => e.type === 'vmCreated' && e.vm.kind === 'User') : undefined;
        deploys.push({ atMs, command, ...(vmId && vmId.type === 'vmCreated' ? { vmId: vmId.vm.id } : {}) });
      }
      if (command.type === 'destroyVirtualMachine' && result.ok) destroys.set(command.id, atMs);
    },
  });
  return { deploys, destroys };
}

// Eight hosts and no account limits: few deploys are refused, so counts are about the draws.
const roomy = () => tinyAdvanced(8);
const onL2 = { name: 'steadyArrivals', network: 'l2' };

describe('steadyArrivals', () => {
  it('deploys about perDay VMs a day (Poisson)', () => {
    const run = started(roomy(), { systemVms: false, invariants: { fullCheckEvery: 0 }, workloads: [{ ...onL2, perDay: 200 }, { name: 'vmLifetimes', distribution: 'fixed', value: '1h', expunge: true }] });
    const { deploys } = recorder(run);
    run.runUntil(10 * DAY_MS);
    // Mean 2,000, standard deviation about 45.
    expect(Math.abs(deploys.length - 2000)).toBeLessThan(5 * 45);
    expect(deploys.every((d) => d.vmId !== undefined)).toBe(true);
  });

  it('with monthlyGrowth of 100%, deploys twice as many the second month as the first', () => {
    const run = started(roomy(), { systemVms: false, invariants: { fullCheckEvery: 0 }, workloads: [{ ...onL2, perDay: 100 }, { name: 'monthlyGrowth', percent: 100 }, { name: 'vmLifetimes', distribution: 'fixed', value: '1h', expunge: true }] });
    const { deploys } = recorder(run);
    const monthMs = (365.25 / 12) * DAY_MS;
    run.runUntil(2 * monthMs);
    const first = deploys.filter((d) => d.atMs < monthMs).length;
    const second = deploys.length - first;
    expect(second / first).toBeGreaterThan(1.85);
    expect(second / first).toBeLessThan(2.15);
  });

  it('with a dailyCycle, deploys most around the peak hour and least around the trough', () => {
    const run = started(roomy(), { systemVms: false, invariants: { fullCheckEvery: 0 }, workloads: [{ ...onL2, perDay: 100 }, { name: 'dailyCycle', amplitude: 0.8, peakHour: 12 }, { name: 'vmLifetimes', distribution: 'fixed', value: '1h', expunge: true }] });
    const { deploys } = recorder(run);
    run.runUntil(20 * DAY_MS);
    const hourOf = (ms: number): number => (ms % DAY_MS) / HOUR_MS;
    const peak = deploys.filter((d) => Math.abs(hourOf(d.atMs) - 12) < 2).length;
    const trough = deploys.filter((d) => hourOf(d.atMs) < 2 || hourOf(d.atMs) >= 22).length;
    // Expected ratio (1 + 0.8 x 0.94) / (1 - 0.8 x 0.94), about 7.
    expect(peak / trough).toBeGreaterThan(4);
    expect(Math.abs(deploys.length - 2000)).toBeLessThan(5 * 45);
  });
});

describe('vmLifetimes', () => {
  it('destroys each VM exactly at the end of a fixed life', () => {
    const run = started(roomy(), { systemVms: false, workloads: [{ ...onL2, perDay: 50 }, { name: 'vmLifetimes', distribution: 'fixed', value: '6h' }] });
    const { deploys, destroys } = recorder(run);
    run.runUntil(3 * DAY_MS);
    const ended = deploys.filter((d) => d.vmId !== undefined && destroys.has(d.vmId));
    expect(ended.length).toBeGreaterThan(100);
    for (const d of ended) expect(destroys.get(d.vmId!)! - d.atMs).toBe(6 * HOUR_MS);
    // Destroyed, not expunged: each waits for expunge.delay (a day).
    expect([...run.runtime.state.vms.values()].some((vm) => vm.state === 'Destroyed')).toBe(true);
  });

  it('draws lognormal lives around their median', () => {
    const run = started(roomy(), { systemVms: false, invariants: { fullCheckEvery: 0 }, workloads: [{ ...onL2, perDay: 100 }, { name: 'vmLifetimes', distribution: 'lognormal', median: '12h', sigma: 0.5, expunge: true }] });
    const { deploys, destroys } = recorder(run);
    run.runUntil(10 * DAY_MS);
    const lives = deploys.filter((d) => d.vmId !== undefined && destroys.has(d.vmId)).map((d) => destroys.get(d.vmId!)! - d.atMs).sort((a, b) => a - b);
    const median = lives[Math.floor(lives.length / 2)]!;
    expect(median / (12 * HOUR_MS)).toBeGreaterThan(0.9);
    expect(median / (12 * HOUR_MS)).toBeLessThan(1.1);
    expect(run.runtime.state.vms.size).toBeLessThan(200);
  });
});

describe('offeringMix', () => {
  it('picks offerings by weight', () => {
    const run = started(roomy(), { systemVms: false, invariants: { fullCheckEvery: 0 }, workloads: [{ ...onL2, perDay: 300 }, { name: 'offeringMix', weights: { 'ha-4g': 3, 'plain-4g': 1, big: 0 } }, { name: 'vmLifetimes', distribution: 'fixed', value: '1h', expunge: true }] });
    const { deploys } = recorder(run);
    run.runUntil(5 * DAY_MS);
    const offeringName = (id: string) => run.runtime.state.serviceOfferings.get(id)!.name;
    const count = (name: string) => deploys.filter((d) => offeringName(d.command.serviceOfferingId) === name).length;
    expect(count('big')).toBe(0);
    expect(count('ha-4g') / count('plain-4g')).toBeGreaterThan(2.5);
    expect(count('ha-4g') / count('plain-4g')).toBeLessThan(3.5);
  });
});

describe('newAccounts', () => {
  it('creates tenants with their isolated networks, and VMs land on their owner\'s networks', () => {
    const run = started(roomy(), {
      workloads: [
        { name: 'newAccounts', initial: 2, perMonth: 30, networksPerAccount: 2, prefix: 'acme' },
        { name: 'steadyArrivals', perDay: 40 },
        { name: 'vmLifetimes', distribution: 'exponential', mean: '2d' },
      ],
    });
    const { deploys } = recorder(run);
    run.runUntil(15 * DAY_MS);
    const state = run.runtime.state;
    const tenants = [...state.accounts.values()].filter((a) => a.name.startsWith('acme-'));
    expect(tenants.length).toBeGreaterThan(8);
    expect(tenants.length).toBe(run.demand.accounts.length);
    for (const tenant of tenants) {
      const own = [...state.networks.values()].filter((n) => n.accountId === tenant.id);
      expect(own.map((n) => n.name).sort()).toEqual([`${tenant.name}-net1`, `${tenant.name}-net2`]);
    }
    expect(deploys.length).toBeGreaterThan(300);
    for (const d of deploys) {
      expect(d.command.networkIds).toHaveLength(1);
      expect(state.networks.get(d.command.networkIds![0]!)!.accountId).toBe(d.command.accountId);
    }
    // Networks with running VMs are implemented: a VLAN each, a router, a source NAT address.
    expect([...state.networks.values()].filter((n) => n.state === 'Implemented' && typeof n.vlan === 'number').length).toBeGreaterThan(0);
  });
});

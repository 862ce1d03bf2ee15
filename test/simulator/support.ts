/**
 * Small clouds and helpers for the simulator tests, built on the core tests' tiny datacenter
 * (KVM hosts of 16 cores at 2,000 MHz and 64 GiB, an L2 network, NFS storage).
 */
import { expect } from 'vitest';
import type { Command } from '../../core/model/commands.js';
import type { Vm } from '../../core/model/compute.js';
import type { ScenarioSpec } from '../../core/scenario/schema.js';
import { parseSimulation, type SimulationSpec } from '../../simulator/schema.js';
import { createSimulation, type SimulateOptions, type Simulation } from '../../simulator/simulation.js';
import { tinyDatacenter } from '../support/cloud.js';

type ClusterSpec = NonNullable<NonNullable<ScenarioSpec['zones'][number]['pods']>[number]['clusters']>[number];

/** The tiny datacenter with a second cluster (c2, hosts c2-host1..) beside c1 in pod p1. */
export function twoClusters(options: { c1Hosts?: number; c2Hosts?: number; haTagHost?: boolean } = {}): ScenarioSpec {
  const spec = structuredClone(tinyDatacenter({ hosts: options.c1Hosts ?? 3 }));
  const pod = spec.zones[0]!.pods![0]!;
  const c1 = pod.clusters![0]!;
  if (options.haTagHost) {
    // One more host in c1, reserved for HA restarts by ha.tag.
    c1.hosts!.push({ name: 'ha-host', ip: '10.0.0.140', cpuCores: 16, cpuMhz: 2000, memoryGiB: 64, tags: ['ha'] });
    spec.settings = { ...spec.settings, 'ha.tag': 'ha' };
  }
  const c2: ClusterSpec = {
    name: 'c2',
    hypervisor: 'KVM',
    hosts: [{ name: 'c2-host{n}', count: options.c2Hosts ?? 2, ip: '10.0.0.151', cpuCores: 16, cpuMhz: 2000, memoryGiB: 64 }],
    primaryStorage: [{ name: 'nfs2', protocol: 'NFS', capacityGiB: 4000 }],
  };
  pod.clusters!.push(c2);
  return spec;
}

/** The tiny datacenter with a guest CIDR, so accounts get isolated networks (VLANs 100-199). */
export function tinyAdvanced(hosts = 3): ScenarioSpec {
  const spec = structuredClone(tinyDatacenter({ hosts }));
  spec.zones[0]!.guestCidr = '10.1.1.0/24';
  // Default limits (20 VMs, 40 vCPUs per account) would refuse most deploys of a busy tenant.
  spec.settings = { ...spec.settings, 'max.account.user.vms': -1, 'max.account.cpus': -1, 'max.account.memory': -1, 'max.account.primary.storage': -1, 'max.account.volumes': -1, 'max.account.networks': -1 };
  return spec;
}

/** Checks a `simulation:` value against the scenario and returns it, or fails the test. */
export function section(spec: ScenarioSpec, raw: unknown): SimulationSpec {
  const parsed = parseSimulation(raw, undefined, spec);
  if (!parsed.ok) expect(parsed.problems).toEqual([]);
  return (parsed as { ok: true; simulation: SimulationSpec }).simulation;
}

/** A started simulation of the scenario with the given section; every invariant after every step. */
export function started(spec: ScenarioSpec, raw: unknown = {}, options: SimulateOptions = {}): Simulation {
  const setup = createSimulation(spec, { seed: 1, simulation: section(spec, raw), invariants: { fullCheckEvery: 1 }, ...options });
  if (!setup.ok) throw new Error(JSON.stringify(setup.problems));
  const run = setup.simulation;
  expect(run.buildProblems).toEqual([]);
  run.start();
  return run;
}

export function idOf(run: Simulation, kind: 'zone' | 'host' | 'account' | 'offering' | 'network' | 'cluster' | 'storagePool', name: string): string {
  const state = run.runtime.state;
  const maps = { zone: state.zones, host: state.hosts, account: state.accounts, offering: state.serviceOfferings, network: state.networks, cluster: state.clusters, storagePool: state.storagePools } as const;
  for (const record of (maps[kind] as Map<string, { id: string; name: string }>).values()) if (record.name === name) return record.id;
  throw new Error(`no ${kind} named ${name}`);
}

export function vmNamed(run: Simulation, name: string): Vm {
  for (const vm of run.runtime.state.vms.values()) if (vm.name === name) return vm;
  throw new Error(`no VM named ${name}`);
}

export function hostName(run: Simulation, id: string | undefined): string | undefined {
  return id === undefined ? undefined : run.runtime.state.hosts.get(id)?.name;
}

/** Deploys a VM on the tiny datacenter's L2 network for alice, optionally on a given host; it must be accepted. */
export function deploy(run: Simulation, name: string, offering: string, host?: string): void {
  const command: Command = {
    type: 'deployVirtualMachine',
    zoneId: idOf(run, 'zone', 'z1'),
    accountId: idOf(run, 'account', 'alice'),
    serviceOfferingId: idOf(run, 'offering', offering),
    networkIds: [idOf(run, 'network', 'l2')],
    name,
    ...(host === undefined ? {} : { hostId: idOf(run, 'host', host) }),
  };
  const result = run.runtime.submit(command);
  expect(result.ok ? undefined : result.rejection.message).toBeUndefined();
}

export function userVms(run: Simulation): Vm[] {
  return [...run.runtime.state.vms.values()].filter((vm) => vm.kind === 'User');
}

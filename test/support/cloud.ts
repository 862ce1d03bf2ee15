/**
 * A small driver for core tests: builds a cloud from a scenario spec and runs commands through
 * the core the way the simulator does, with drivers that always succeed at once (a started VM
 * reports vmStarted, a stopped one vmStopped). Timers are collected, not run, so a test decides
 * when time passes.
 */
import { expect } from 'vitest';
import type { DecideContext, Rejection } from '../../core/decider.js';
import { step } from '../../core/decider.js';
import type { Effect } from '../../core/effects.js';
import type { Command } from '../../core/model/commands.js';
import type { Vm } from '../../core/model/compute.js';
import type { DomainEvent } from '../../core/model/events.js';
import type { CloudState } from '../../core/model/state.js';
import { SYSTEM_CALLER } from '../../core/ports.js';
import { SeededRng } from '../../core/rng.js';
import { buildScenario } from '../../core/scenario/build.js';
import type { ScenarioSpec } from '../../core/scenario/schema.js';

export interface TestCloud {
  state: CloudState;
  ctx: DecideContext;
  /** Events of the build, then of every command run since. */
  buildEvents: DomainEvent[];
  events: DomainEvent[];
  timers: { atMs: number; command: Command }[];
  /** Runs a command and the driver reports it leads to; returns the rejection if refused. */
  run(command: Command): Rejection | undefined;
  /** Runs a command that must succeed. */
  ok(command: Command): void;
  /** Advances the clock, running the timers that come due (and what they lead to). */
  advance(ms: number): void;
  idOf(kind: 'zone' | 'pod' | 'cluster' | 'host' | 'account' | 'offering' | 'network' | 'diskOffering' | 'template' | 'storagePool', name: string): string;
  vm(name: string): Vm;
  hostName(id: string | undefined): string | undefined;
}

export function testCloud(spec: ScenarioSpec, seed = 1): TestCloud {
  const built = buildScenario(spec, { mode: 'enforce' });
  const errors = built.findings.filter((f) => f.severity === 'error');
  expect(errors.map((f) => `${f.code} ${f.path}: ${f.message}`)).toEqual([]);
  const ctx: DecideContext = { nowMs: 0, rng: new SeededRng(seed), actor: SYSTEM_CALLER, mode: 'enforce' };
  return cloudOver(built.state, ctx, built.events);
}

/**
 * The same driver over a state that exists already (one restored from a snapshot, say), with
 * the clock and random source it goes on from and the timers still pending.
 */
export function cloudOver(state: CloudState, ctx: DecideContext, buildEvents: DomainEvent[] = [], timers: { atMs: number; command: Command }[] = []): TestCloud {
  const cloud: TestCloud = {
    state,
    ctx,
    buildEvents,
    events: [],
    timers,
    run(command) {
      const queue: Command[] = [command];
      let first: Rejection | undefined;
      let isFirst = true;
      while (queue.length > 0) {
        const next = queue.shift()!;
        const result = step(state, next, ctx);
        if (!result.ok) {
          if (isFirst) first = result.rejection;
          isFirst = false;
          continue;
        }
        isFirst = false;
        cloud.events.push(...result.step.events);
        for (const effect of result.step.effects) queue.push(...react(effect, cloud));
      }
      return first;
    },
    ok(command) {
      const rejection = cloud.run(command);
      expect(rejection, rejection ? `${command.type} refused: ${rejection.message}` : '').toBeUndefined();
    },
    advance(ms) {
      const until = ctx.nowMs + ms;
      for (;;) {
        cloud.timers.sort((a, b) => a.atMs - b.atMs);
        const due = cloud.timers[0];
        if (!due || due.atMs > until) break;
        cloud.timers.shift();
        ctx.nowMs = due.atMs;
        cloud.run(due.command);
      }
      ctx.nowMs = until;
    },
    idOf(kind, name) {
      const maps = {
        zone: state.zones, pod: state.pods, cluster: state.clusters, host: state.hosts, account: state.accounts, offering: state.serviceOfferings,
        network: state.networks, diskOffering: state.diskOfferings, template: state.templates, storagePool: state.storagePools,
      } as const;
      for (const record of (maps[kind] as Map<string, { id: string; name: string }>).values()) if (record.name === name) return record.id;
      throw new Error(`no ${kind} named ${name}`);
    },
    vm(name) {
      for (const vm of state.vms.values()) if (vm.name === name) return vm;
      throw new Error(`no VM named ${name}`);
    },
    hostName(id) {
      return id === undefined ? undefined : state.hosts.get(id)?.name;
    },
  };
  return cloud;
}

/** Simulated drivers that succeed at once. */
function react(effect: Effect, cloud: TestCloud): Command[] {
  switch (effect.kind) {
    case 'vm.start':
      return [{ type: 'vmStarted', vmId: effect.vmId, hostId: effect.hostId }];
    case 'vm.stop':
      return effect.forced ? [] : [{ type: 'vmStopped', vmId: effect.vmId, hostId: effect.hostId }];
    case 'timer':
      if (effect.delayMs === 0) return [effect.command];
      cloud.timers.push({ atMs: cloud.ctx.nowMs + effect.delayMs, command: effect.command });
      return [];
    default:
      return [];
  }
}

/** Two KVM hosts of 16 cores at 2,000 MHz and 64 GiB in one cluster, an L2 network, NFS storage. */
export function tinyDatacenter(options: { hosts?: number; allocator?: string; haTag?: string } = {}): ScenarioSpec {
  return {
    version: 1,
    name: 'tiny',
    settings: {
      // Capacity, not account limits, is what these tests look at.
      'max.account.cpus': -1,
      'max.account.memory': -1,
      'max.account.primary.storage': -1,
      'max.account.secondary.storage': -1,
      'vm.allocation.algorithm': options.allocator ?? 'firstfit',
      'volume.allocation.algorithm': 'firstfit',
      ...(options.haTag ? { 'ha.tag': options.haTag } : {}),
    },
    accounts: [{ name: 'alice' }, { name: 'bob' }],
    offerings: {
      compute: [
        { name: 'ha-4g', cpuNumber: 2, cpuSpeedMhz: 2000, memoryMiB: 4096, offerHa: true, rootDiskGiB: 10 },
        { name: 'plain-4g', cpuNumber: 2, cpuSpeedMhz: 2000, memoryMiB: 4096, rootDiskGiB: 10 },
        { name: 'big', cpuNumber: 8, cpuSpeedMhz: 2000, memoryMiB: 32768, rootDiskGiB: 10 },
      ],
      disk: [{ name: 'data-50', sizeGiB: 50 }],
    },
    zones: [
      {
        name: 'z1',
        networkType: 'Advanced',
        physicalNetworks: [{ name: 'pn', vlanRanges: '100-199', traffic: [{ type: 'Management' }, { type: 'Guest' }, { type: 'Public' }] }],
        publicRanges: [{ vlan: 50, gateway: '203.0.113.1', netmask: '255.255.255.0', startIp: '203.0.113.10', endIp: '203.0.113.20' }],
        pods: [
          {
            name: 'p1',
            gateway: '10.0.0.1',
            netmask: '255.255.255.0',
            reservedRanges: [{ startIp: '10.0.0.2', endIp: '10.0.0.20' }],
            clusters: [
              {
                name: 'c1',
                hypervisor: 'KVM',
                hosts: [{ name: 'host{n}', count: options.hosts ?? 2, ip: '10.0.0.101', cpuCores: 16, cpuMhz: 2000, memoryGiB: 64 }],
                primaryStorage: [{ name: 'nfs', protocol: 'NFS', capacityGiB: 4000 }],
              },
            ],
          },
        ],
        secondaryStorage: [{ name: 'ss', capacityGiB: 1000 }],
        networks: [{ name: 'l2', type: 'L2', vlan: 300 }],
      },
    ],
  };
}

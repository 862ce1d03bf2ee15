/**
 * The operation model of the running-cloud property tests: a small two-pod design, random
 * deploys, stops, starts, destroys, migrations, host failures and returns and the passing of
 * time, and how each operation becomes a command.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Command } from '../../core/model/commands.js';
import type { ScenarioSpec } from '../../core/scenario/schema.js';
import type { TestCloud } from './cloud.js';

/** Two pods of one cluster each (three hosts of 8 cores and 32 GiB), three accounts, a small public range and five VLANs. */
export function lifecycleDesign(): ScenarioSpec {
  const cluster = (name: string, octet: number, first: number) => ({
    name,
    hypervisor: 'KVM' as const,
    hosts: [{ name: `${name}-h{n}`, count: 3, ip: `10.0.${octet}.${first}`, cpuCores: 8, cpuMhz: 2000, memoryGiB: 32 }],
    primaryStorage: [{ name: `${name}-nfs`, protocol: 'NFS' as const, capacityGiB: 3000 }],
  });
  return {
    version: 1,
    name: 'property',
    settings: { 'max.account.cpus': -1, 'max.account.memory': -1, 'max.account.user.vms': -1, 'max.account.volumes': -1, 'max.account.primary.storage': -1, 'max.account.public.ips': -1 },
    accounts: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
    offerings: {
      compute: [
        { name: 'ha', cpuNumber: 2, cpuSpeedMhz: 2000, memoryMiB: 4096, offerHa: true, rootDiskGiB: 20 },
        { name: 'plain', cpuNumber: 1, cpuSpeedMhz: 1000, memoryMiB: 2048, rootDiskGiB: 20 },
        { name: 'large', cpuNumber: 4, cpuSpeedMhz: 2000, memoryMiB: 12288, offerHa: true, rootDiskGiB: 40 },
      ],
    },
    zones: [
      {
        name: 'z',
        networkType: 'Advanced',
        physicalNetworks: [{ name: 'pn', vlanRanges: '100-104', traffic: [{ type: 'Management' }, { type: 'Guest' }, { type: 'Public' }] }],
        publicRanges: [{ vlan: 50, gateway: '203.0.113.1', netmask: '255.255.255.0', startIp: '203.0.113.10', endIp: '203.0.113.30' }],
        pods: [
          { name: 'p1', gateway: '10.0.1.1', netmask: '255.255.255.0', reservedRanges: [{ startIp: '10.0.1.2', endIp: '10.0.1.20' }], clusters: [cluster('c1', 1, 101)] },
          { name: 'p2', gateway: '10.0.2.1', netmask: '255.255.255.0', reservedRanges: [{ startIp: '10.0.2.2', endIp: '10.0.2.20' }], clusters: [cluster('c2', 2, 101)] },
        ],
        secondaryStorage: [{ name: 'ss', capacityGiB: 1000 }],
      },
    ],
  };
}

export type LifecycleOp =
  | { op: 'deploy'; account: number; offering: number; spread: boolean }
  | { op: 'destroy' | 'stop' | 'start' | 'migrate'; vm: number }
  | { op: 'hostDown' | 'hostUp'; host: number }
  | { op: 'advance'; seconds: number };

export const lifecycleOpArb: fc.Arbitrary<LifecycleOp> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('deploy' as const), account: fc.nat(2), offering: fc.nat(2), spread: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('destroy' as const, 'stop' as const, 'start' as const, 'migrate' as const), vm: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('hostDown' as const, 'hostUp' as const), host: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('advance' as const), seconds: fc.integer({ min: 1, max: 7200 }) }) },
);

/** Each account's strict host anti-affinity group ("a-spread", ...), by account name. */
export function spreadGroups(cloud: TestCloud): Map<string, string> {
  const groupOf = new Map<string, string>();
  for (const account of ['a', 'b', 'c']) {
    cloud.ok({ type: 'createAffinityGroup', name: `${account}-spread`, affinityType: 'host anti-affinity', accountId: cloud.idOf('account', account) });
    groupOf.set(account, [...cloud.state.affinityGroups.values()].find((g) => g.name === `${account}-spread`)!.id);
  }
  return groupOf;
}

/**
 * Runs one operation: commands pick their VM or host by index modulo what exists, so any
 * generated sequence means something; `advance` lets time pass and the timers due run.
 * An HA restart after a host failure must stay in the failed host's cluster.
 */
export function applyLifecycleOp(cloud: TestCloud, op: LifecycleOp, groupOf: Map<string, string>): void {
  const state = cloud.state;
  const userVms = [...state.vms.values()].filter((vm) => vm.kind === 'User');
  const hosts = [...state.hosts.values()];
  const pick = (i: number) => userVms[i % Math.max(1, userVms.length)];
  let command: Command | undefined;
  switch (op.op) {
    case 'deploy': {
      const account = ['a', 'b', 'c'][op.account]!;
      const accountId = cloud.idOf('account', account);
      const groups = op.spread ? [groupOf.get(account)!] : [];
      command = { type: 'deployVirtualMachine', zoneId: cloud.idOf('zone', 'z'), accountId, serviceOfferingId: cloud.idOf('offering', ['ha', 'plain', 'large'][op.offering]!), affinityGroupIds: groups };
      break;
    }
    case 'destroy':
    case 'stop':
    case 'start': {
      const vm = pick(op.vm);
      if (vm) command = { type: op.op === 'destroy' ? 'destroyVirtualMachine' : op.op === 'stop' ? 'stopVirtualMachine' : 'startVirtualMachine', id: vm.id } as Command;
      break;
    }
    case 'migrate': {
      const vm = pick(op.vm);
      if (vm) command = { type: 'migrateVirtualMachine', id: vm.id };
      break;
    }
    case 'hostDown':
    case 'hostUp':
      command = { type: op.op, hostId: hosts[op.host % hosts.length]!.id };
      break;
    case 'advance':
      cloud.advance(op.seconds * 1000);
      return;
  }
  if (!command) return;
  const before = cloud.events.length;
  const failedHost = command.type === 'hostDown' ? state.hosts.get(command.hostId) : undefined;
  cloud.run(command);
  if (failedHost) {
    for (const event of cloud.events.slice(before)) {
      if (event.type === 'vmStateChanged' && event.reason === 'restarted by HA') {
        expect(state.hosts.get(event.hostId!)!.clusterId, 'HA restart left the cluster').toBe(failedHost.clusterId);
      }
    }
  }
}

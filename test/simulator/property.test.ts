/**
 * Random histories keep every invariant. fast-check draws sequences of operations (deploy,
 * destroy, stop, start, migrate, host failure, host repair, management server down and up,
 * waits) and plays them against a
 * tiny cloud of three hosts through the simulator, agents answering after their latencies,
 * failures noticed by the monitor. Every invariant is checked in full after every step, so a
 * failing history is shrunk by fast-check to the shortest one that breaks a rule. At the end
 * every host and the management server are repaired and the cloud must settle (no VM left
 * half-way, no report held, no HA VM silently down).
 * The seed is the run's FC_SEED.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../core/model/commands.js';
import { HOUR_MS, MINUTE_MS, SECOND_MS } from '../../simulator/distributions.js';
import { convergenceProblems } from '../../simulator/drill.js';
import { tinyDatacenter } from '../support/cloud.js';
import { idOf, started } from './support.js';

type Op =
  | { kind: 'deploy'; offering: 'ha-4g' | 'plain-4g' | 'big'; apart: boolean }
  | { kind: 'destroy' | 'stop' | 'start' | 'migrate'; pick: number }
  | { kind: 'fail' | 'repair'; host: number }
  | { kind: 'managementDown' | 'managementUp' }
  | { kind: 'wait'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deploy' as const), offering: fc.constantFrom('ha-4g' as const, 'plain-4g' as const, 'big' as const), apart: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('destroy' as const, 'stop' as const, 'start' as const, 'migrate' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('fail' as const, 'repair' as const), host: fc.nat({ max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('managementDown' as const, 'managementUp' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 10 * MINUTE_MS }) }) },
);

describe('random histories', () => {
  it('keep every invariant after every step, and settle once the hosts are repaired', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60, size: 'max' }), fc.integer({ min: 1, max: 1_000_000 }), (ops, seed) => {
        const run = started(tinyDatacenter({ hosts: 3 }), { drivers: { vmStart: { latency: ['10s', '90s'], failureRate: 0.1 }, failureDetection: ['30s', '3m'], reconnect: ['10s', '1m'] } }, { seed });
        const runtime = run.runtime;
        const state = runtime.state;
        const zoneId = idOf(run, 'zone', 'z1');
        const accountId = idOf(run, 'account', 'alice');
        const networkId = idOf(run, 'network', 'l2');
        const hostIds = ['host1', 'host2', 'host3'].map((name) => idOf(run, 'host', name));
        runtime.submit({ type: 'createAffinityGroup', name: 'apart', affinityType: 'host anti-affinity', accountId });
        const groupId = [...state.affinityGroups.keys()][0]!;
        const vmIds: string[] = [];
        for (const o of ops) {
          const picked = 'pick' in o && vmIds.length > 0 ? vmIds[o.pick % vmIds.length]! : undefined;
          let command: Command | undefined;
          switch (o.kind) {
            case 'deploy':
              command = { type: 'deployVirtualMachine', zoneId, accountId, serviceOfferingId: idOf(run, 'offering', o.offering), networkIds: [networkId], ...(o.apart ? { affinityGroupIds: [groupId] } : {}) };
              break;
            case 'destroy':
              if (picked) command = { type: 'destroyVirtualMachine', id: picked };
              break;
            case 'stop':
              if (picked) command = { type: 'stopVirtualMachine', id: picked };
              break;
            case 'start':
              if (picked) command = { type: 'startVirtualMachine', id: picked };
              break;
            case 'migrate':
              if (picked) command = { type: 'migrateVirtualMachine', id: picked };
              break;
            case 'fail':
              runtime.drivers.failHost(hostIds[o.host]!);
              break;
            case 'repair':
              runtime.drivers.repairHost(hostIds[o.host]!);
              break;
            case 'managementDown':
              runtime.drivers.failManagement();
              break;
            case 'managementUp':
              runtime.drivers.repairManagement();
              break;
            case 'wait':
              run.runFor(o.ms);
              break;
          }
          if (command) {
            const result = runtime.submit(command);
            if (result.ok && command.type === 'deployVirtualMachine') {
              for (const event of result.step.events) if (event.type === 'vmCreated' && event.vm.kind === 'User') vmIds.push(event.vm.id);
            }
          }
          run.runFor(5 * SECOND_MS);
        }
        for (const hostId of hostIds) while (!runtime.drivers.hostIsUp(hostId)) runtime.drivers.repairHost(hostId);
        while (!runtime.drivers.managementIsUp()) runtime.drivers.repairManagement();
        run.runFor(HOUR_MS);
        expect(convergenceProblems(run)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

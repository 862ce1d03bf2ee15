/**
 * The shipped simulation scenario reads without problems, and its drill keeps every invariant
 * and settles: the file is both documentation and a test.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../core/scenario/parse.js';
import { runDrill } from '../../simulator/drill.js';

describe('scenarios/simulations/ha-drill.yaml', () => {
  it('runs its drill to convergence', () => {
    const parsed = parseScenarioText(readFileSync('scenarios/simulations/ha-drill.yaml', 'utf8'));
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
    if (!parsed.ok) return;
    const out = runDrill(parsed.spec, { source: parsed.source, invariants: { fullCheckEvery: 100 } });
    expect(out.ok ? [] : out.problems).toEqual([]);
    if (!out.ok) return;
    const { drill } = out;
    const { result } = drill;
    expect(drill.seed).toBe(2024);
    expect(result.buildProblems).toEqual([]);
    expect(result.samples).toHaveLength(31);
    const deploys = result.counters.commands.deployVirtualMachine!;
    expect(deploys.accepted).toBeGreaterThan(1000);
    // The pod switch took three hosts down at once, and the monitor reported each.
    expect(result.counters.commands.hostDown!.accepted).toBeGreaterThanOrEqual(3);
    expect(result.counters.heldReports).toBeGreaterThan(0);
    expect(result.counters.refusedWhileManagementDown).toBeGreaterThan(0);
    expect(result.faults.map((f) => [f.name, f.metrics.active])).toEqual([
      ['hostCrash', 0], ['podSwitchFailure', 0], ['primaryStorageOutage', 0], ['managementServerOutage', 0], ['databaseFailover', 0],
    ]);
    for (const vm of drill.stranded) expect(vm.reason).toMatch(/HA restart failed|restart failed|start failed/);
  });
});

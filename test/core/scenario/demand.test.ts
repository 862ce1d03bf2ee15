/**
 * The demand section: references resolve to the built model, mistakes are findings at their
 * place in the file, and the zone summary names the resource that really runs out first.
 */
import { describe, expect, it } from 'vitest';
import { planScenario } from '../../../core/plan.js';
import { advancedZoneDesign } from '../../support/designs.js';

describe('demand', () => {
  it('refuses a second demand entry for the same zone instead of dropping the first', () => {
    const spec = advancedZoneDesign();
    spec.demand!.push({ zone: 'dc1', accounts: 5 });
    const { report } = planScenario(spec);
    const finding = report.findings.find((f) => f.code === 'INVALID_PARAMETER');
    expect(finding?.message).toBe('zone dc1 already has its demand in demand[0]; this entry would be lost');
    expect(report.budgets.some((b) => b.kind === 'zone.publicIps' && b.demand > 0)).toBe(true);
  });

  it('does not call the N-1 warning of a single-host cluster the first thing to run out', () => {
    const spec = advancedZoneDesign();
    const pod = spec.zones[0]!.pods![0]!;
    pod.clusters![0]!.hosts = [{ ...pod.clusters![0]!.hosts![0]!, count: 1 }];
    const { report } = planScenario(spec);
    expect(report.budgets.some((b) => b.kind === 'cluster.nMinus1' && b.status === 'exhausted')).toBe(true);
    expect(report.zones[0]!.firstToRunOut!.kind).not.toBe('cluster.nMinus1');
  });
});

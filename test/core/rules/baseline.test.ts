/**
 * The clean baselines of test/support/designs.ts, and the silent half of every rule. Each
 * baseline must be a valid scenario (the scenario schema accepts it) and plan with no finding
 * at all: no error, no warning, no info. Then, for every code in FINDING_CODES, no baseline
 * raises it. The firing tests in the other files start from these baselines, so a finding they
 * see comes from the one thing they changed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { planScenario, type PlanReport } from '../../../core/plan.js';
import { FINDING_CODES, type FindingCode } from '../../../core/rules/codes.js';
import { scenarioSchema } from '../../../core/scenario/schema.js';
import { advancedZoneDesign, BASELINES, zoneOf } from '../../support/designs.js';

const reports = new Map<string, PlanReport>();

beforeAll(() => {
  for (const [name, make] of Object.entries(BASELINES)) reports.set(name, planScenario(make()).report);
});

function reportOf(name: string): PlanReport {
  const report = reports.get(name);
  if (!report) throw new Error(`no plan for baseline ${name}`);
  return report;
}

describe('the clean baselines', () => {
  it.each(Object.keys(BASELINES))('the %s baseline design is clean: a valid scenario with zero errors, warnings and infos', (name) => {
    const parsed = scenarioSchema.safeParse(BASELINES[name]!());
    expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues)).toBe(true);
    const report = reportOf(name);
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0, infos: 0 });
  });

  it.each(Object.keys(BASELINES))('the %s baseline plans real load: every budget is ok and some carry demand', (name) => {
    const report = reportOf(name);
    expect(report.budgets.length).toBeGreaterThan(0);
    expect(report.budgets.filter((b) => b.status !== 'ok')).toEqual([]);
    expect(report.budgets.some((b) => b.kind === 'cluster.cpu' && b.demand > 0)).toBe(true);
    expect(report.zones.every((z) => z.firstToRunOut !== null)).toBe(true);
  });

  it('the advanced baseline is an advanced zone of 2 pods, 2 KVM clusters and 8 hosts with public, guest and storage networking', () => {
    const report = reportOf('advanced');
    expect(report.summary).toMatchObject({ zones: 1, pods: 2, clusters: 2, hosts: 8 });
    expect(report.zones[0]).toMatchObject({ zone: 'dc1', networkType: 'Advanced', systemVms: { secondaryStorageVms: 1, consoleProxies: 1, routers: 20 } });
    const kinds = new Set(report.budgets.map((b) => b.kind));
    for (const kind of ['zone.publicIps', 'physicalNetwork.guestVnets', 'pod.storageIps', 'cluster.primaryStorage', 'zone.secondaryStorage'] as const) expect(kinds).toContain(kind);
  });

  it('every call returns a fresh design, so one test cannot change another', () => {
    const first = advancedZoneDesign();
    zoneOf(first).pods = [];
    expect(zoneOf(advancedZoneDesign()).pods).toHaveLength(2);
  });
});

describe('every rule stays silent on the clean baselines', () => {
  it.each(Object.keys(FINDING_CODES) as FindingCode[])('%s stays silent on every clean baseline', (code) => {
    for (const name of Object.keys(BASELINES)) {
      const hits = reportOf(name).findings.filter((f) => f.code === code);
      expect(hits, `${code} on the ${name} baseline`).toEqual([]);
    }
  });
});

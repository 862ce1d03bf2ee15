import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planScenarioText } from '../../core/plan.js';
import type { Forecast, ForecastSeries } from '../../simulator/forecast.js';
import { capacityByClusterChart, capacityFromForecast, capacityFromListCapacity, capacityFromPlan, type ClusterCapacity } from '../../viz/charts/capacity.js';
import { compareSvg, matchGolden } from './golden.js';
import { svgTexts, wellFormedProblems } from './xml.js';

const ROWS: ClusterCapacity[] = [
  { zone: 'dc1', pod: 'rack-1', cluster: 'kvm-a', resource: 'cpu', unit: 'MHz', used: 41_000, reserved: 4_000, total: 96_000, physical: 48_000, usable: 81_600 },
  { zone: 'dc1', pod: 'rack-1', cluster: 'kvm-a', resource: 'memory', unit: 'MiB', used: 180_000, reserved: 12_288, total: 262_144, physical: 262_144, usable: 222_822.4 },
  { zone: 'dc1', pod: 'rack-1', cluster: 'kvm-a', resource: 'storage', unit: 'GiB', used: 5_000, reserved: 200, total: 12_000, physical: 6_000, usable: 10_200 },
  { zone: 'dc1', pod: 'rack-2', cluster: 'kvm-b <old> & "slow"', resource: 'cpu', unit: 'MHz', used: 70_000, total: 72_000 },
  { zone: 'dc1', pod: 'rack-2', cluster: 'kvm-b <old> & "slow"', resource: 'memory', unit: 'MiB', used: 100_000, total: 131_072 },
];

describe('capacityByClusterChart', () => {
  it('matches its golden SVG', () => {
    const result = matchGolden('capacity', capacityByClusterChart(ROWS));
    expect(result.firstDifference).toBeUndefined();
    expect(result.same).toBe(true);
  });

  it('is well-formed, escapes names, and has its title, axis labels and legend', () => {
    const svg = capacityByClusterChart(ROWS);
    expect(wellFormedProblems(svg)).toEqual([]);
    expect(svg).toContain('kvm-b &lt;old&gt; &amp; &quot;slow&quot;');
    const texts = svgTexts(svg);
    expect(texts).toContain('Capacity by cluster');
    expect(texts).toEqual(expect.arrayContaining(['CPU (MHz)', 'RAM (MiB)', 'Primary storage (GiB)', 'cluster (zone / pod / cluster)']));
    expect(texts).toEqual(expect.arrayContaining(['used', 'over-provisioned headroom', 'usable limit (disable threshold)']));
    // A cluster with no storage row says so instead of drawing an empty bar.
    expect(texts).toContain('none');
    expect(svg).not.toMatch(/font-size="(\d|10)"/);
  });

  it('renders equal bytes for equal input, and the golden comparison catches a geometry change', () => {
    expect(capacityByClusterChart(ROWS)).toBe(capacityByClusterChart(structuredClone(ROWS)));
    const golden = capacityByClusterChart(ROWS);
    expect(compareSvg(golden, capacityByClusterChart(ROWS, { widthPx: 800 })).same).toBe(false);
    const moreUsed = ROWS.map((r, i) => (i === 0 ? { ...r, used: r.used + 9_000 } : r));
    const diff = compareSvg(golden, capacityByClusterChart(moreUsed));
    expect(diff.same).toBe(false);
    expect(diff.firstDifference?.expected).not.toBe(diff.firstDifference?.actual);
    // Float noise below the normalised precision is not a difference.
    expect(compareSvg('<rect x="10.0000001"/>', '<rect x="9.9999999"/>').same).toBe(true);
  });

  it('draws an empty chart with a reason when there is nothing to show', () => {
    const svg = capacityByClusterChart([]);
    expect(wellFormedProblems(svg)).toEqual([]);
    expect(svgTexts(svg).join(' ')).toContain('No cluster capacity');
  });
});

describe('capacity rows', () => {
  it('come from listCapacity rows: bytes to MiB and GiB, reserved from used minus allocated, physical storage from type 2', () => {
    const rows = capacityFromListCapacity([
      { type: 0, zonename: 'z', podname: 'p', clustername: 'c', capacitytotal: 8 * 1024 ** 3, capacityused: 3 * 1024 ** 3, capacityallocated: 2 * 1024 ** 3 },
      { type: 1, zonename: 'z', podname: 'p', clustername: 'c', capacitytotal: 20_000, capacityused: 5_000 },
      { type: 2, zonename: 'z', podname: 'p', clustername: 'c', capacitytotal: 100 * 1024 ** 3, capacityused: 10 * 1024 ** 3 },
      { type: 3, zonename: 'z', podname: 'p', clustername: 'c', capacitytotal: 200 * 1024 ** 3, capacityused: 50 * 1024 ** 3 },
      { type: 4, zonename: 'z', capacitytotal: 10, capacityused: 1 },
    ]);
    expect(rows).toEqual([
      { zone: 'z', pod: 'p', cluster: 'c', resource: 'memory', unit: 'MiB', used: 2048, reserved: 1024, total: 8192 },
      { zone: 'z', pod: 'p', cluster: 'c', resource: 'cpu', unit: 'MHz', used: 5000, total: 20_000 },
      { zone: 'z', pod: 'p', cluster: 'c', resource: 'storage', unit: 'GiB', used: 50, total: 200, physical: 100 },
    ]);
  });

  it('come from the plan: one CPU, RAM and storage row per cluster, physical below total when over-provisioned', () => {
    const text = readFileSync(fileURLToPath(new URL('../../scenarios/small-deployment.yaml', import.meta.url)), 'utf8');
    const outcome = planScenarioText(text);
    if (!outcome.ok) throw new Error('small-deployment does not parse');
    const rows = capacityFromPlan(outcome.report, outcome.state);
    expect(rows.length).toBe(outcome.state.clusters.size * 3);
    for (const r of rows) {
      expect(r.physical!).toBeLessThanOrEqual(r.total);
      expect(r.used + (r.reserved ?? 0)).toBeGreaterThan(0);
      expect(r.usable!).toBeLessThanOrEqual(r.total);
    }
    const svg = capacityByClusterChart(rows);
    expect(wellFormedProblems(svg)).toEqual([]);
  });

  it('come from a forecast: the last sample of cluster CPU and memory, cluster-wide pools summed per cluster', () => {
    const text = readFileSync(fileURLToPath(new URL('../../scenarios/large-redundant.yaml', import.meta.url)), 'utf8');
    const outcome = planScenarioText(text);
    if (!outcome.ok) throw new Error('large-redundant does not parse');
    const series = (kind: ForecastSeries['kind'], name: string, unit: string, capacity: number, lastShare: number): ForecastSeries => ({
      key: `${kind}/dc1/${name}`, kind, zone: 'dc1', name, resource: 'r', unit, capacity, levels: { notification: 0.75, disable: 0.85, exhaustion: 0.85 },
      shares: [0, lastShare], crossings: { notification: null, disable: null, exhaustion: null }, peakShare: lastShare, lastShare, trendPerDay: null, projectedExhaustion: null,
    });
    const forecast = {
      series: [series('cluster.cpu', 'kvm-a1', 'MHz', 691_200, 0.5), series('pool.storage', 'kvm-a1-nfs', 'GiB', 11_000, 0.25), series('pool.storage', 'ceph-rbd-1', 'GiB', 12_288, 0.8), series('zone.cpu', 'dc1', 'MHz', 1, 1)],
    } as Pick<Forecast, 'series'> as Forecast;
    const rows = capacityFromForecast(forecast, outcome.state);
    expect(rows.map((r) => `${r.pod}/${r.cluster} ${r.resource} ${r.used} of ${r.total} ${r.unit}`)).toEqual(['pod-a/kvm-a1 cpu 345600 of 691200 MHz', 'pod-a/kvm-a1 storage 2750 of 11000 GiB']);
    expect(rows[0]!.physical).toBeLessThanOrEqual(rows[0]!.total);
    expect(rows[1]!.physical).toBeLessThan(rows[1]!.total);
  });
});

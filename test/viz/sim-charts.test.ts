import { describe, expect, it } from 'vitest';
import type { Forecast, ForecastSeries } from '../../simulator/forecast.js';
import { DAY_MS } from '../../simulator/distributions.js';
import { drillImpactChart, drillImpactFromMonteCarlo, type DrillImpactInput } from '../../viz/charts/drill.js';
import { forecastChart } from '../../viz/charts/forecast.js';
import { compareSvg, matchGolden } from './golden.js';
import { svgTexts, wellFormedProblems } from './xml.js';

const TIMES_MS = [0, 10, 20, 30, 40, 50, 60].map((d) => d * DAY_MS);

function series(key: string, kind: ForecastSeries['kind'], name: string, resource: string, shares: (number | null)[], exhaustion: ForecastSeries['crossings']['exhaustion']): ForecastSeries {
  return {
    key, kind, zone: 'dc1', name, resource, unit: 'GiB', capacity: 1000,
    levels: { notification: 0.75, disable: 0.83, exhaustion: 0.85 },
    shares,
    crossings: { notification: null, disable: null, exhaustion },
    peakShare: Math.max(...shares.map((s) => s ?? 0)),
    lastShare: shares[shares.length - 1] ?? null,
    trendPerDay: null,
    projectedExhaustion: null,
  };
}

const EXHAUSTED = { atMs: 35 * DAY_MS, day: 35, date: '2026-02-05' };
const FORECAST: Forecast = {
  startDate: '2026-01-01',
  horizonMs: 60 * DAY_MS,
  timesMs: TIMES_MS,
  runningVms: [0, 10, 20, 30, 40, 50, 60],
  series: [
    series('cluster.memory/dc1/kvm-a', 'cluster.memory', 'kvm-a', 'allocated memory', [0, 0.2, 0.35, 0.5, 0.6, 0.65, 0.7], null),
    series('pool.storage/dc1/nfs-1', 'pool.storage', 'nfs-1', 'primary storage', [0, 0.3, 0.55, 0.8, 0.85, 0.85, 0.85], EXHAUSTED),
    series('pod.reservedIps/dc1/rack-1', 'pod.reservedIps', 'rack-1', 'reserved IPs', [null, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], null),
  ],
  firstToRunOut: { key: 'pool.storage/dc1/nfs-1', kind: 'pool.storage', zone: 'dc1', name: 'nfs-1', resource: 'primary storage', ...EXHAUSTED },
  projection: null,
  deploys: { accepted: [], rejected: [], rejectedByCode: {}, rejectedByReason: {}, totals: { accepted: 0, rejected: 0, byCode: {}, byReason: {} }, firstRejection: null, firstCapacityRefusal: null },
};

const DRILL: DrillImpactInput = {
  failures: [
    { label: 'host kvm01', vmsAffected: 40, restarted: 30, stranded: 6, downWithoutHa: 3 },
    { label: 'pool nfs-1', vmsAffected: 12, restarted: 12, stranded: 0, downWithoutHa: 0 },
  ],
  monteCarlo: { runs: 20, rows: [{ label: 'VMs affected per run', unit: 'VMs', p10: 10, p50: 25, p90: 44, max: 60 }, { label: 'HA VMs stranded per run', unit: 'VMs', p10: 0, p50: 2, p90: 6, max: 9 }] },
};

describe('forecastChart', () => {
  it('matches its golden SVG', () => {
    expect(matchGolden('forecast', forecastChart(FORECAST)).firstDifference).toBeUndefined();
  });

  it('has a line per resource, the 0.75 and 0.85 thresholds, the exhaustion date, axis labels and legend', () => {
    const svg = forecastChart(FORECAST);
    expect(wellFormedProblems(svg)).toEqual([]);
    expect(svg.match(/<path d="M/g)).toHaveLength(3);
    const texts = svgTexts(svg);
    expect(texts).toEqual(expect.arrayContaining([
      'Forecast: share of capacity in use over time', '0.75 notification', '0.85 disable', 'first to run out: 2026-02-05',
      'pool nfs-1 primary storage — runs out 2026-02-05', 'cluster kvm-a allocated memory — peak 70%', 'share of capacity in use (%)',
      'date (virtual time from 2026-01-01; 7 samples)', '2026-01-01',
    ]));
    // The line of a series starts where it is first measured: a null sample is a gap, not a zero.
    expect(svg).toMatch(/<path d="M\d+(\.\d)?,\d+(\.\d)?(L[\d.]+,[\d.]+){5}" fill="none" stroke="#38a169"/);
  });

  it('draws the most urgent series only, says how many are left out, and states the projection when nothing runs out', () => {
    const calm: Forecast = { ...FORECAST, firstToRunOut: null, series: FORECAST.series.map((s) => ({ ...s, crossings: { ...s.crossings, exhaustion: null } })), projection: { ...FORECAST.firstToRunOut!, date: '2026-04-01', day: 90, atMs: 90 * DAY_MS, basis: 'linear trend of the second half of the run' } };
    const svg = forecastChart(calm, { maxSeries: 2 });
    expect(wellFormedProblems(svg)).toEqual([]);
    const texts = svgTexts(svg);
    expect(texts).toContain('1 less urgent resource(s) not drawn; the tables list every one.');
    expect(texts.some((t) => t.includes('projected (linear trend of the second half of the run): primary storage of nfs-1 around 2026-04-01'))).toBe(true);
    expect(compareSvg(forecastChart(FORECAST), svg).same).toBe(false);
  });
});

describe('drillImpactChart', () => {
  it('matches its golden SVG', () => {
    expect(matchGolden('drill', drillImpactChart(DRILL)).firstDifference).toBeUndefined();
  });

  it('stacks restarted, stranded and down without HA per failure, worst first, with the percentiles', () => {
    const svg = drillImpactChart(DRILL);
    expect(wellFormedProblems(svg)).toEqual([]);
    const texts = svgTexts(svg);
    expect(texts).toEqual(expect.arrayContaining(['VMs per failure', 'host kvm01', '40 affected, 6 stranded', '12 affected', 'VMs (count)', 'restarted by HA', 'stranded (HA VMs left down)', 'Monte Carlo over 20 run(s): percentiles by nearest rank', 'p50 25']));
    expect(texts.indexOf('host kvm01')).toBeLessThan(texts.indexOf('pool nfs-1'));
    expect(compareSvg(svg, drillImpactChart({ ...DRILL, failures: DRILL.failures.map((f) => ({ ...f, stranded: 0, restarted: f.vmsAffected })) })).same).toBe(false);
  });

  it('reads Monte Carlo runs, and says why when nothing failed', () => {
    const input = drillImpactFromMonteCarlo(
      { runs: 2, firstSeed: 1, failures: { p10: 1, p50: 1, p90: 2, max: 2, runs: 2 }, vmsAffected: { p10: 3, p50: 3, p90: 5, max: 5, runs: 2 }, stranded: { p10: 0, p50: 0, p90: 1, max: 1, runs: 2 }, timeToRecoverMs: { p10: 60_000, p50: 60_000, p90: 120_000, max: 120_000, runs: 2 }, runsWithStranded: 1, runsUnsettled: 0 },
      [{ seed: 1, failures: 1, vmsAffected: 3, restarted: 3, stranded: 0, downWithoutHa: 0, timeToRecoverMs: 60_000, settled: true }, { seed: 2, failures: 2, vmsAffected: 5, restarted: 4, stranded: 1, downWithoutHa: 0, timeToRecoverMs: 120_000, settled: true }],
    );
    expect(input.monteCarlo!.rows.map((r) => r.label)).toEqual(['failures per run', 'VMs affected per run', 'HA VMs stranded per run', 'time to recover (worst failure)']);
    expect(input.monteCarlo!.rows[3]!.max).toBe(2);
    expect(wellFormedProblems(drillImpactChart(input))).toEqual([]);
    expect(svgTexts(drillImpactChart({ failures: [], emptyReason: 'The loss of any one of 4 host(s) strands no HA VM.' }))).toContain('The loss of any one of 4 host(s) strands no HA VM.');
  });
});

import { scaleLinear } from 'd3-scale';
import type { MonteCarloRun, MonteCarloSummary } from '../../simulator/drill-montecarlo.js';
import type { FailureImpact } from '../../simulator/impact.js';
import type { NMinus1Result } from '../../simulator/nminus1.js';
import { axisBottom, clip, emptyChart, FONT_SMALL_PX, formatAmount, legend, line, PALETTE, px, rect, svgDocument, text, tooltip } from './svg.js';

/**
 * The drill impact chart's input: per failure, the VMs it took down and what became of them;
 * with Monte Carlo runs, the percentiles over the runs. `drillImpactFromFailure`,
 * `drillImpactFromNMinus1` and `drillImpactFromMonteCarlo` fill it from the three drill modes.
 */
export interface DrillFailureImpact {
  /** "host kvm01", "pod rack-2", "run seed 7". */
  label: string;
  vmsAffected: number;
  restarted: number;
  /** HA VMs left down. */
  stranded: number;
  /** VMs without HA: down by design. */
  downWithoutHa: number;
}

export interface DrillPercentileRow {
  label: string;
  unit: string;
  p10: number;
  p50: number;
  p90: number;
  max: number;
}

export interface DrillImpactInput {
  failures: DrillFailureImpact[];
  monteCarlo?: { runs: number; rows: DrillPercentileRow[] };
  /** Said in the chart when there are no failures to draw ("no host loss strands HA VMs"). */
  emptyReason?: string;
}

export interface DrillImpactChartOptions {
  widthPx?: number;
  title?: string;
  /** The most failures drawn (worst first by stranded, then affected); the chart says how many more. */
  maxFailures?: number;
}

const COLOURS = { restarted: PALETTE.ok, stranded: PALETTE.limit, downWithoutHa: '#a0aec0', other: PALETTE.overProvisioned } as const;
const ROW_HEIGHT_PX = 22;
const LABEL_WIDTH_PX = 220;

export function drillImpactChart(input: DrillImpactInput, options: DrillImpactChartOptions = {}): string {
  const widthPx = options.widthPx ?? 960;
  const title = options.title ?? 'Drill impact: VMs affected, restarted and stranded';
  const maxFailures = options.maxFailures ?? 30;
  if (input.failures.length === 0 && !input.monteCarlo) return emptyChart('drill', widthPx, title, input.emptyReason ?? 'No failure to show.');
  const failures = [...input.failures].map((f, i) => ({ f, i })).sort((a, b) => b.f.stranded - a.f.stranded || b.f.vmsAffected - a.f.vmsAffected || a.i - b.i).slice(0, maxFailures).map(({ f }) => f);
  const hidden = input.failures.length - failures.length;
  const legendBlock = legend(
    [
      { label: 'restarted by HA', colour: COLOURS.restarted },
      { label: 'stranded (HA VMs left down)', colour: COLOURS.stranded },
      { label: 'down without HA (by design)', colour: COLOURS.downWithoutHa },
      { label: 'other affected (destroyed, replaced, pending)', colour: COLOURS.other },
      ...(input.monteCarlo ? [{ label: 'p10–p90 over runs', colour: PALETTE.used }, { label: 'p50 (dot), max (tick)', colour: PALETTE.text, shape: 'line' as const }] : []),
    ],
    16,
    46,
    widthPx - 32,
  );
  const parts: string[] = [legendBlock.svg];
  let y = 46 + legendBlock.heightPx + 16;
  const x0 = LABEL_WIDTH_PX;
  // Room right of the bars for "281 affected, 11 stranded".
  const x1 = widthPx - 170;

  if (failures.length > 0) {
    parts.push(text(16, y, 'VMs per failure', { weight: 'bold' }));
    y += 10;
    const x = scaleLinear().domain([0, Math.max(1, ...failures.map((f) => f.vmsAffected))]).range([x0, x1]).nice();
    failures.forEach((f, i) => {
      const rowY = y + i * ROW_HEIGHT_PX;
      const barY = rowY + 4;
      parts.push(text(x0 - 8, rowY + ROW_HEIGHT_PX / 2, clip(f.label, 34), { anchor: 'end', baseline: 'middle', sizePx: FONT_SMALL_PX }));
      let at = 0;
      const other = Math.max(0, f.vmsAffected - f.restarted - f.stranded - f.downWithoutHa);
      for (const [key, amount, what] of [['restarted', f.restarted, 'restarted'], ['stranded', f.stranded, 'stranded'], ['downWithoutHa', f.downWithoutHa, 'down without HA'], ['other', other, 'other affected']] as const) {
        if (amount <= 0) continue;
        parts.push(`<g>${rect(x(at), barY, x(at + amount) - x(at), 14, COLOURS[key])}${tooltip(`${f.label}: ${formatAmount(amount)} ${what} of ${formatAmount(f.vmsAffected)} affected`)}</g>`);
        at += amount;
      }
      parts.push(text(x(Math.max(at, f.vmsAffected)) + 6, barY + 7, `${formatAmount(f.vmsAffected)} affected${f.stranded > 0 ? `, ${formatAmount(f.stranded)} stranded` : ''}`, { baseline: 'middle', sizePx: FONT_SMALL_PX, fill: f.stranded > 0 ? PALETTE.limit : PALETTE.text }));
    });
    y += failures.length * ROW_HEIGHT_PX + 4;
    // Counts have whole ticks: no more ticks than VMs.
    parts.push(axisBottom(x, y, 'VMs (count)', Math.min(6, Math.max(1, x.domain()[1]!))));
    y += 44;
    if (hidden > 0) {
      parts.push(text(16, y, `${hidden} more failure(s) with fewer stranded and affected VMs not drawn.`, { sizePx: FONT_SMALL_PX, fill: PALETTE.muted }));
      y += 18;
    }
  } else if (input.emptyReason) {
    parts.push(text(16, y, input.emptyReason, { fill: PALETTE.muted }));
    y += 24;
  }

  if (input.monteCarlo) {
    parts.push(text(16, y + 6, `Monte Carlo over ${input.monteCarlo.runs} run(s): percentiles by nearest rank`, { weight: 'bold' }));
    y += 20;
    for (const row of input.monteCarlo.rows) {
      // Each figure has its own unit and range, so each row has its own scale from zero.
      const x = scaleLinear().domain([0, Math.max(1, row.max)]).range([x0, x1]).nice();
      const mid = y + 10;
      parts.push(text(x0 - 8, mid, clip(row.label, 34), { anchor: 'end', baseline: 'middle', sizePx: FONT_SMALL_PX }));
      parts.push(line(x0, mid, x1, mid, PALETTE.grid));
      parts.push(`<g>${rect(x(row.p10), mid - 6, Math.max(2, x(row.p90) - x(row.p10)), 12, PALETTE.used, 'fill-opacity="0.6"')}${tooltip(`${row.label}: p10 ${formatAmount(row.p10)}, p50 ${formatAmount(row.p50)}, p90 ${formatAmount(row.p90)}, max ${formatAmount(row.max)} ${row.unit}`)}</g>`);
      parts.push(`<circle cx="${px(x(row.p50))}" cy="${px(mid)}" r="4" fill="${PALETTE.text}"/>`);
      parts.push(line(x(row.max), mid - 8, x(row.max), mid + 8, PALETTE.text, 'stroke-width="2"'));
      parts.push(text(x1 + 8, mid, `p50 ${formatAmount(row.p50)}`, { baseline: 'middle', sizePx: FONT_SMALL_PX }));
      parts.push(axisBottom(x, mid + 12, '', 5));
      parts.push(text(x0 - 8, mid + 16, row.unit, { anchor: 'end', sizePx: FONT_SMALL_PX, fill: PALETTE.muted }));
      y += 52;
    }
  }
  return svgDocument('drill', widthPx, y + 8, title, `${input.failures.length} failure(s)${input.monteCarlo ? ` and percentiles over ${input.monteCarlo.runs} runs` : ''}: VMs affected, restarted by HA, stranded and down without HA.`, parts.join('\n'));
}

/** One targeted failure (`drill --fail`). */
export function drillImpactFromFailure(impact: FailureImpact): DrillImpactInput {
  return { failures: [{ label: impact.label, vmsAffected: impact.vmsAffected, restarted: impact.restarted.length, stranded: impact.stranded.length, downWithoutHa: impact.downWithoutHa.length }] };
}

/** `drill --n-minus-1`: the host losses that strand HA VMs (the result keeps only those). */
export function drillImpactFromNMinus1(result: NMinus1Result): DrillImpactInput {
  const failures = result.failing.flatMap((c) =>
    c.losses.map((l) => ({ label: `host ${l.host} (${l.cluster})`, vmsAffected: l.vmsAffected, restarted: l.restarted, stranded: l.stranded.length, downWithoutHa: l.downWithoutHa })),
  );
  return { failures, emptyReason: `The loss of any one of ${result.hostsEvaluated} host(s) strands no HA VM: every cluster absorbs it.` };
}

/** `drill --runs`: each run's totals, and the percentiles over the runs. */
export function drillImpactFromMonteCarlo(summary: MonteCarloSummary, runs: readonly MonteCarloRun[]): DrillImpactInput {
  const rows: DrillPercentileRow[] = [
    { label: 'failures per run', unit: 'failures', ...pick(summary.failures) },
    { label: 'VMs affected per run', unit: 'VMs', ...pick(summary.vmsAffected) },
    { label: 'HA VMs stranded per run', unit: 'VMs', ...pick(summary.stranded) },
    ...(summary.timeToRecoverMs ? [{ label: 'time to recover (worst failure)', unit: 'minutes', p10: summary.timeToRecoverMs.p10 / 60_000, p50: summary.timeToRecoverMs.p50 / 60_000, p90: summary.timeToRecoverMs.p90 / 60_000, max: summary.timeToRecoverMs.max / 60_000 }] : []),
  ];
  return {
    failures: runs.map((r) => ({ label: `run seed ${r.seed} (${r.failures} failure(s))`, vmsAffected: r.vmsAffected, restarted: r.restarted, stranded: r.stranded, downWithoutHa: r.downWithoutHa })),
    monteCarlo: { runs: summary.runs, rows },
  };
}

function pick(p: { p10: number; p50: number; p90: number; max: number }): { p10: number; p50: number; p90: number; max: number } {
  return { p10: p.p10, p50: p.p50, p90: p.p90, max: p.max };
}

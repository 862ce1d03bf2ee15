import { CAPACITY_CODE, calendarDate, type Forecast, type ForecastDate, type ForecastSeries, type MonteCarloForecast, type ResourceAt, type SeriesKind } from '../../simulator/forecast.js';
import type { SimulateReport } from '../simulate.js';
import { formatNumber, percent, wrap } from './text.js';

/**
 * `cloudplane simulate` as text (a 100-column terminal) and as markdown (reports): the seed and
 * options first, then the verdict (the first resource to run out, or the projection), then per
 * zone a table of every resource with the dates it reaches its thresholds, then the deploys
 * refused month by month. The JSON form is the report itself.
 */

const WIDTH = 100;

const SCOPE: Readonly<Record<SeriesKind, string>> = {
  'zone.cpu': 'zone',
  'zone.memory': 'zone',
  'cluster.cpu': 'cluster',
  'cluster.memory': 'cluster',
  'zone.primaryStorage': 'zone',
  'pool.storage': 'pool',
  'imageStore.storage': 'store',
  'pod.reservedIps': 'pod',
  'physicalNetwork.vnets': 'network',
  'zone.publicIps': 'zone',
};

/** "cluster kvm-a1 allocated memory", "zone dc1 public IPs". */
export function resourceLabel(r: { kind: SeriesKind; name: string; resource: string }): string {
  return `${SCOPE[r.kind]} ${r.name} ${r.resource}`;
}

function where(r: { kind: SeriesKind; name: string; resource: string; zone: string }): string {
  return `${r.resource} of ${SCOPE[r.kind]} ${r.name}${r.kind.startsWith('zone.') || r.zone === '' ? '' : ` (zone ${r.zone})`}`;
}

const when = (at: ForecastDate): string => `${at.date} (day ${at.day})`;
const dateOrDash = (at: ForecastDate | null): string => at?.date ?? '—';
const later = (at: ForecastDate | null): number => at?.atMs ?? Infinity;

/** Most urgent first: by exhaustion, then disable, then notification date; ties keep report order. */
function byUrgency(series: readonly ForecastSeries[]): ForecastSeries[] {
  return series
    .map((s, i) => ({ s, i }))
    .sort((a, b) => later(a.s.crossings.exhaustion) - later(b.s.crossings.exhaustion) || later(a.s.crossings.disable) - later(b.s.crossings.disable) || later(a.s.crossings.notification) - later(b.s.crossings.notification) || a.i - b.i)
    .map(({ s }) => s);
}

function zonesOf(series: readonly ForecastSeries[]): string[] {
  const zones: string[] = [];
  for (const s of series) if (!zones.includes(s.zone)) zones.push(s.zone);
  return zones;
}

export function verdictLines(f: Forecast): string[] {
  const lines: string[] = [];
  if (f.firstToRunOut) {
    lines.push(`First to run out: ${where(f.firstToRunOut)} on ${when(f.firstToRunOut)}.`);
  } else {
    lines.push(`Nothing runs out within the horizon (${calendarDate(f.startDate, f.horizonMs)}).`);
    if (f.projection) lines.push(`Projection (${f.projection.basis}; not simulated): ${where(f.projection)} would run out around ${when(f.projection)}.`);
    else lines.push('No resource is on a rising trend: no projection.');
  }
  lines.push(capacityRefusalLine(f));
  return lines;
}

function capacityRefusalLine(f: Forecast): string {
  const first = f.deploys.firstCapacityRefusal;
  if (!first) return 'No deploy is refused for lack of capacity within the horizon.';
  const total = f.deploys.totals.byCode[CAPACITY_CODE] ?? 0;
  return `Deploys are first refused for lack of capacity (${CAPACITY_CODE}) by ${when(first)}; ${formatNumber(total)} in all.`;
}

interface MonthRow {
  month: string;
  running: number;
  accepted: number;
  rejected: number;
  byCode: Map<string, number>;
}

/** Deploys per calendar month; a sample counts for the month its interval ends in. */
function months(f: Forecast): MonthRow[] {
  const rows: MonthRow[] = [];
  f.timesMs.forEach((atMs, i) => {
    if (atMs === 0) return;
    const month = calendarDate(f.startDate, atMs - 1).slice(0, 7);
    let row = rows[rows.length - 1];
    if (!row || row.month !== month) {
      row = { month, running: 0, accepted: 0, rejected: 0, byCode: new Map() };
      rows.push(row);
    }
    row.running = f.runningVms[i] ?? 0;
    row.accepted += f.deploys.accepted[i] ?? 0;
    row.rejected += f.deploys.rejected[i] ?? 0;
    for (const [code, counts] of Object.entries(f.deploys.rejectedByCode)) {
      const n = counts[i] ?? 0;
      if (n > 0) row.byCode.set(code, (row.byCode.get(code) ?? 0) + n);
    }
  });
  return rows;
}

const codesText = (byCode: Map<string, number>): string =>
  [...byCode]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([code, n]) => `${code} ${formatNumber(n)}`)
    .join(', ');

function fit(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

function headerLines(report: SimulateReport): string[] {
  return [`cloudplane simulate: ${report.scenario.name} (${report.scenario.file})`, ...report.description];
}

// ----- text -----

export function formatSimulateText(report: SimulateReport): string {
  const out: string[] = [];
  for (const line of headerLines(report)) out.push(...wrap(line, WIDTH, '    '));
  out.push('');
  if (report.forecast) out.push(...forecastText(report.forecast));
  if (report.monteCarlo) out.push(...monteCarloText(report.monteCarlo.summary));
  out.push(...notesText(report));
  return `${out.join('\n').trimEnd()}\n`;
}

function forecastText(f: Forecast): string[] {
  const out: string[] = [];
  for (const line of verdictLines(f)) out.push(...wrap(line, WIDTH, '  '));
  out.push('');
  out.push('Levels: notify = the notification threshold; disable = allocation stops (clusters, pools,');
  out.push('stores) or 0.85 (addresses, VLANs); full = no room for the smallest request, or all in use.');
  out.push('');
  for (const zone of zonesOf(f.series)) {
    out.push(zone === '' ? 'Region-wide' : `Zone ${zone}`);
    out.push(`  ${'resource'.padEnd(40)} ${'capacity'.padStart(13)} ${'peak'.padStart(4)} ${'end'.padStart(4)}  ${'notify'.padEnd(10)} ${'disable'.padEnd(10)} full`);
    for (const s of byUrgency(f.series.filter((x) => x.zone === zone))) {
      const capacity = `${formatNumber(s.capacity)} ${s.unit}`;
      out.push(`  ${fit(resourceLabel(s), 40)} ${capacity.padStart(13)} ${shareText(s.peakShare).padStart(4)} ${shareText(s.lastShare).padStart(4)}  ${dateOrDash(s.crossings.notification).padEnd(10)} ${dateOrDash(s.crossings.disable).padEnd(10)} ${dateOrDash(s.crossings.exhaustion)}`);
    }
    out.push('');
  }
  const d = f.deploys;
  out.push(`Deploys: ${formatNumber(d.totals.accepted)} accepted, ${formatNumber(d.totals.rejected)} refused${d.firstRejection ? `, the first refusal by ${d.firstRejection.date}` : ''}`);
  const rows = months(f);
  if (rows.length > 0) {
    out.push(`  ${'month'.padEnd(8)} ${'VMs running'.padStart(11)} ${'deploys'.padStart(8)} ${'refused'.padStart(8)}  refused by code`);
    for (const r of rows) out.push(fit(`  ${r.month.padEnd(8)} ${formatNumber(r.running).padStart(11)} ${formatNumber(r.accepted + r.rejected).padStart(8)} ${formatNumber(r.rejected).padStart(8)}  ${codesText(r.byCode)}`, WIDTH).trimEnd());
  }
  const reasons = Object.entries(d.totals.byReason);
  if (reasons.length > 0) {
    out.push('  Refusals by reason');
    for (const [reason, n] of reasons.slice(0, 8)) out.push(...wrap(`  ${formatNumber(n).padStart(8)}  ${reason}`, WIDTH, '            '));
    if (reasons.length > 8) out.push(`  … and ${reasons.length - 8} more reason(s)`);
  }
  out.push('');
  return out;
}

function shareText(share: number | null): string {
  return share === null ? '—' : percent(share);
}

function spreadRows(mc: MonteCarloForecast): { label: string; exhausted: string; p10: string; p50: string; p90: string; first: string }[] {
  const runs = mc.seeds.length;
  return mc.resources.map((r) => ({
    label: `${resourceLabel(r)}${r.zone !== '' && !r.kind.startsWith('zone.') ? ` (${r.zone})` : ''}`,
    exhausted: `${r.exhaustedRuns}/${runs}`,
    p10: r.exhaustion.p10?.date ?? 'beyond',
    p50: r.exhaustion.p50?.date ?? 'beyond',
    p90: r.exhaustion.p90?.date ?? 'beyond',
    first: percent(r.firstShare),
  }));
}

function monteCarloText(mc: MonteCarloForecast): string[] {
  const runs = mc.seeds.length;
  const out: string[] = [`Monte Carlo: ${runs} runs, seeds ${mc.seeds[0]}..${mc.seeds[runs - 1]}; horizon ends ${calendarDate(mc.startDate, mc.horizonMs)}`];
  const firsts = mc.resources.filter((r) => r.firstRuns > 0).sort((a, b) => b.firstRuns - a.firstRuns);
  for (const r of firsts) out.push(...wrap(`  first to run out in ${r.firstRuns} of ${runs} runs (${percent(r.firstShare)}): ${where(r)}`, WIDTH, '    '));
  if (mc.noExhaustionRuns > 0) out.push(`  nothing runs out within the horizon in ${mc.noExhaustionRuns} of ${runs} runs (${percent(mc.noExhaustionShare)})`);
  out.push(...wrap(`  ${refusalSpread(mc)}`, WIDTH, '    '));
  out.push('');
  if (mc.resources.length > 0) {
    out.push('Exhaustion dates across runs (nearest-rank percentiles; "beyond": after the horizon)');
    out.push(`  ${'resource'.padEnd(46)} ${'runs'.padStart(7)}  ${'p10'.padEnd(10)} ${'p50'.padEnd(10)} ${'p90'.padEnd(10)} ${'first'.padStart(5)}`);
    for (const row of spreadRows(mc)) out.push(`  ${fit(row.label, 46)} ${row.exhausted.padStart(7)}  ${row.p10.padEnd(10)} ${row.p50.padEnd(10)} ${row.p90.padEnd(10)} ${row.first.padStart(5)}`);
    out.push('');
  }
  return out;
}

function refusalSpread(mc: MonteCarloForecast): string {
  const r = mc.firstCapacityRefusal;
  return `deploys first refused for lack of capacity (${CAPACITY_CODE}): p10 ${r.p10?.date ?? 'beyond'}, p50 ${r.p50?.date ?? 'beyond'}, p90 ${r.p90?.date ?? 'beyond'}`;
}

function notesText(report: SimulateReport): string[] {
  const out: string[] = [];
  const notes = [...report.buildProblems.map((p) => `refused while the cloud was built: ${p}`), ...report.checkProblems];
  if (notes.length === 0) return out;
  out.push('Notes');
  for (const note of notes.slice(0, 10)) out.push(...wrap(`  - ${note}`, WIDTH, '    '));
  if (notes.length > 10) out.push(`  - … and ${notes.length - 10} more`);
  return out;
}

// ----- markdown -----

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

export function formatSimulateMarkdown(report: SimulateReport): string {
  const out: string[] = [`# Forecast: ${cell(report.scenario.name)}`, ''];
  // Indented description lines are items of the line above them.
  out.push(...report.description.map((line) => (line.startsWith('  ') ? `  - ${cell(line.trimStart())}` : `- ${cell(line)}`)), '');
  if (report.forecast) out.push(...forecastMarkdown(report.forecast));
  if (report.monteCarlo) out.push(...monteCarloMarkdown(report.monteCarlo.summary));
  const notes = [...report.buildProblems.map((p) => `refused while the cloud was built: ${p}`), ...report.checkProblems];
  if (notes.length > 0) out.push('## Notes', '', ...notes.map((n) => `- ${cell(n)}`), '');
  return `${out.join('\n').trimEnd()}\n`;
}

function boldVerdict(f: Forecast): string {
  const bold = (r: ResourceAt): string => `**${cell(where(r))}**`;
  if (f.firstToRunOut) return `First to run out: ${bold(f.firstToRunOut)} on **${f.firstToRunOut.date}** (day ${f.firstToRunOut.day}). ${capacityRefusalLine(f)}`;
  const head = `Nothing runs out within the horizon (${calendarDate(f.startDate, f.horizonMs)}).`;
  return `${f.projection ? `${head} Projection (${f.projection.basis}; not simulated): ${bold(f.projection)} would run out around **${f.projection.date}**.` : `${head} No resource is on a rising trend.`} ${capacityRefusalLine(f)}`;
}

function forecastMarkdown(f: Forecast): string[] {
  const out: string[] = [boldVerdict(f), ''];
  out.push('Levels: *notify* is the notification threshold; *disable* is where allocation stops (clusters, pools, image stores) or 0.85 (addresses, VLANs); *full* is no room for the smallest request, or every address or VLAN in use.', '');
  for (const zone of zonesOf(f.series)) {
    out.push(zone === '' ? '## Region-wide' : `## Zone ${cell(zone)}`, '');
    out.push('| resource | capacity | peak | end | notify | disable | full |', '|---|---:|---:|---:|---|---|---|');
    for (const s of byUrgency(f.series.filter((x) => x.zone === zone))) {
      out.push(`| ${cell(resourceLabel(s))} | ${formatNumber(s.capacity)} ${s.unit} | ${shareText(s.peakShare)} | ${shareText(s.lastShare)} | ${dateOrDash(s.crossings.notification)} | ${dateOrDash(s.crossings.disable)} | ${dateOrDash(s.crossings.exhaustion)} |`);
    }
    out.push('');
  }
  const d = f.deploys;
  out.push('## Deploys', '', `${formatNumber(d.totals.accepted)} accepted, ${formatNumber(d.totals.rejected)} refused${d.firstRejection ? `; the first refusal by ${d.firstRejection.date}` : ''}.`, '');
  const rows = months(f);
  if (rows.length > 0) {
    out.push('| month | VMs running | deploys | refused | refused by code |', '|---|---:|---:|---:|---|');
    for (const r of rows) out.push(`| ${r.month} | ${formatNumber(r.running)} | ${formatNumber(r.accepted + r.rejected)} | ${formatNumber(r.rejected)} | ${cell(codesText(r.byCode))} |`);
    out.push('');
  }
  const reasons = Object.entries(d.totals.byReason);
  if (reasons.length > 0) {
    out.push('| refusals | reason |', '|---:|---|');
    for (const [reason, n] of reasons) out.push(`| ${formatNumber(n)} | ${cell(reason)} |`);
    out.push('');
  }
  return out;
}

function monteCarloMarkdown(mc: MonteCarloForecast): string[] {
  const runs = mc.seeds.length;
  const out: string[] = [`## Monte Carlo: ${runs} runs (seeds ${mc.seeds[0]}..${mc.seeds[runs - 1]})`, ''];
  for (const r of mc.resources.filter((x) => x.firstRuns > 0).sort((a, b) => b.firstRuns - a.firstRuns)) out.push(`- first to run out in ${r.firstRuns} of ${runs} runs (${percent(r.firstShare)}): **${cell(where(r))}**`);
  if (mc.noExhaustionRuns > 0) out.push(`- nothing runs out within the horizon in ${mc.noExhaustionRuns} of ${runs} runs (${percent(mc.noExhaustionShare)})`);
  out.push(`- ${refusalSpread(mc)}`);
  out.push('');
  if (mc.resources.length > 0) {
    out.push('Exhaustion dates across runs (nearest-rank percentiles; *beyond*: after the horizon).', '');
    out.push('| resource | exhausted in | p10 | p50 | p90 | first to run out |', '|---|---:|---|---|---|---:|');
    for (const row of spreadRows(mc)) out.push(`| ${cell(row.label)} | ${row.exhausted} | ${row.p10} | ${row.p50} | ${row.p90} | ${row.first} |`);
    out.push('');
  }
  return out;
}

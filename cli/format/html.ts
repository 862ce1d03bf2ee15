import { planScenario } from '../../core/plan.js';
import type { ScenarioSpec } from '../../core/scenario/schema.js';
import { formatDurationMs } from '../../simulator/distributions.js';
import type { ForecastSeries } from '../../simulator/forecast.js';
import { capacityByClusterChart, capacityFromForecast, capacityFromPlan } from '../../viz/charts/capacity.js';
import { drillImpactChart, drillImpactFromFailure, drillImpactFromMonteCarlo, drillImpactFromNMinus1 } from '../../viz/charts/drill.js';
import { byUrgency, forecastChart } from '../../viz/charts/forecast.js';
import { formatAmount, formatPercent } from '../../viz/charts/svg.js';
import { htmlReport, type ReportSection, type ReportTable } from '../../viz/report/html.js';
import type { SimulateReport } from '../simulate.js';
import { type DrillReport, formatDrillText } from './drill.js';
import { formatSimulateText, verdictLines } from './forecast.js';

/**
 * `--format html` for simulate and drill: the viz layer's report with the charts that fit the
 * command. Capacity comes from the simulated cloud where there is one (simulate: the last sample
 * of a single run) and from the plan of the scenario otherwise (drill, simulate --runs).
 */

/** The help line of --format where html is a choice: what it makes, and where it goes. */
export const HTML_FORMAT_HELP = 'output format; html is one self-contained report (inline SVG charts and CSS, nothing fetched), written to --out or standard output';

const date = (at: { date: string } | null): string => at?.date ?? '—';

function seriesTable(zone: string, series: readonly ForecastSeries[]): ReportTable {
  return {
    caption: `Resources of zone ${zone === '' ? '(region-wide)' : zone}, most urgent first`,
    columns: [{ label: 'resource' }, { label: 'capacity', numeric: true }, { label: 'peak', numeric: true }, { label: 'last', numeric: true }, { label: 'notification' }, { label: 'disable' }, { label: 'runs out' }],
    rows: series.map((s) => [
      `${s.kind.split('.')[0]} ${s.name} ${s.resource}`,
      `${formatAmount(s.capacity)} ${s.unit}`,
      s.peakShare === null ? '—' : formatPercent(s.peakShare),
      s.lastShare === null ? '—' : formatPercent(s.lastShare),
      date(s.crossings.notification),
      date(s.crossings.disable),
      s.crossings.exhaustion ? s.crossings.exhaustion.date : s.projectedExhaustion ? `projected ${s.projectedExhaustion.date}` : '—',
    ]),
    rowClasses: series.map((s) => (s.crossings.exhaustion ? 'exhausted' : s.crossings.notification ? 'near-full' : '')),
  };
}

function plannedCapacityChart(spec: ScenarioSpec, title: string): string {
  const { report, state } = planScenario(spec);
  return capacityByClusterChart(capacityFromPlan(report, state), { title });
}

export function formatSimulateHtml(report: SimulateReport, spec: ScenarioSpec): string {
  const o = report.options;
  const sections: ReportSection[] = [];
  const forecast = report.forecast;
  if (forecast) {
    const zones = [...new Set(forecast.series.map((s) => s.zone))];
    const { state } = planScenario(spec);
    sections.push(
      { heading: 'Verdict', paragraphs: verdictLines(forecast) },
      { heading: 'Forecast', charts: [forecastChart(forecast)] },
      { heading: `Capacity by cluster at the end of the horizon (${o.endDate})`, charts: [capacityByClusterChart(capacityFromForecast(forecast, state), { title: `Capacity by cluster on ${o.endDate} (simulated)` })] },
      { heading: 'Resources', tables: zones.map((zone) => seriesTable(zone, byUrgency(forecast.series.filter((s) => s.zone === zone)))) },
    );
  } else if (report.monteCarlo) {
    const mc = report.monteCarlo.summary;
    sections.push(
      {
        heading: 'Monte Carlo',
        paragraphs: [`${o.runs} runs; nothing runs out within the horizon in ${mc.noExhaustionRuns} of them (${formatPercent(mc.noExhaustionShare)}). The forecast chart draws one run: run with --runs 1 for it.`],
        tables: [{
          caption: 'Exhaustion dates across runs (nearest-rank percentiles; "beyond": after the horizon)',
          columns: [{ label: 'resource' }, { label: 'runs exhausted', numeric: true }, { label: 'p10' }, { label: 'p50' }, { label: 'p90' }, { label: 'first to run out', numeric: true }],
          rows: mc.resources.map((r) => [`${r.kind.split('.')[0]} ${r.name} ${r.resource}`, `${r.exhaustedRuns}/${o.runs}`, r.exhaustion.p10?.date ?? 'beyond', r.exhaustion.p50?.date ?? 'beyond', r.exhaustion.p90?.date ?? 'beyond', formatPercent(r.firstShare)]),
        }],
      },
      { heading: 'Planned capacity by cluster', charts: [plannedCapacityChart(spec, 'Planned capacity by cluster (the scenario\'s demand)')] },
    );
  }
  sections.push({ heading: 'Full text report', preformatted: formatSimulateText(report) });
  return htmlReport({
    title: `Simulate: ${report.scenario.name}`,
    summary: [`Scenario file: ${report.scenario.file}`, ...report.description],
    sections,
  });
}

export function formatDrillHtml(report: DrillReport, spec: ScenarioSpec): string {
  const sections: ReportSection[] = [{ heading: 'Verdict', paragraphs: [`${report.verdict.absorbed ? 'Absorbed' : 'Not absorbed'}: ${report.verdict.summary}.`] }];
  if (report.fail) {
    const impact = report.fail.impact;
    sections.push({
      heading: 'Impact',
      charts: [drillImpactChart(drillImpactFromFailure(impact))],
      tables: [
        {
          caption: `The failure of ${impact.label}`,
          columns: [{ label: 'VMs affected', numeric: true }, { label: 'restarted', numeric: true }, { label: 'stranded', numeric: true }, { label: 'down without HA', numeric: true }, { label: 'time to recover' }],
          rows: [[formatAmount(impact.vmsAffected), formatAmount(impact.restarted.length), formatAmount(impact.stranded.length), formatAmount(impact.downWithoutHa.length), impact.timeToRecoverMs === null ? '—' : formatDurationMs(impact.timeToRecoverMs)]],
          rowClasses: [impact.stranded.length > 0 ? 'error' : ''],
        },
        ...(impact.stranded.length > 0 ? [{ caption: 'Stranded HA VMs', columns: [{ label: 'VM' }, { label: 'cluster' }, { label: 'reason' }], rows: impact.stranded.map((v) => [v.vm, v.cluster, v.reason]) }] : []),
        ...(impact.shortfall.length > 0 ? [{ caption: 'Capacity the clusters lacked', columns: [{ label: 'cluster' }, { label: 'CPU', numeric: true }, { label: 'memory', numeric: true }, { label: 'VMs', numeric: true }], rows: impact.shortfall.map((s) => [s.cluster, `${formatAmount(s.cpuMhz)} MHz`, `${formatAmount(s.memoryMiB)} MiB`, formatAmount(s.vms)]) }] : []),
      ],
    });
  } else if (report.nMinus1) {
    const result = report.nMinus1;
    sections.push({
      heading: 'N-1: the loss of each host',
      paragraphs: [`${result.hostsEvaluated} host(s) evaluated in ${result.clusters} cluster(s); ${result.clustersAbsorbing} cluster(s) absorb the loss of any one host; ${result.hostsStranding} host loss(es) strand HA VMs (at most ${result.worstStranded}).`],
      charts: [drillImpactChart(drillImpactFromNMinus1(result))],
      tables: result.failing.length > 0 ? [{
        caption: 'Host losses that strand HA VMs',
        columns: [{ label: 'host' }, { label: 'cluster' }, { label: 'VMs affected', numeric: true }, { label: 'restarted', numeric: true }, { label: 'stranded', numeric: true }, { label: 'shortfall' }],
        rows: result.failing.flatMap((c) => c.losses.map((l) => [l.host, l.cluster, formatAmount(l.vmsAffected), formatAmount(l.restarted), formatAmount(l.stranded.length), `${formatAmount(l.shortfall.cpuMhz)} MHz, ${formatAmount(l.shortfall.memoryMiB)} MiB`])),
        rowClasses: result.failing.flatMap((c) => c.losses.map(() => 'error')),
      }] : [],
    });
  } else if (report.monteCarlo) {
    const { summary, runs } = report.monteCarlo;
    sections.push({
      heading: 'Monte Carlo',
      paragraphs: [`${summary.runs} run(s) from seed ${summary.firstSeed}; HA VMs stranded in ${summary.runsWithStranded} of them; ${summary.runsUnsettled} did not settle.`],
      charts: [drillImpactChart(drillImpactFromMonteCarlo(summary, runs))],
    });
  }
  sections.push({ heading: 'Planned capacity by cluster', charts: [plannedCapacityChart(spec, 'Planned capacity by cluster (the scenario\'s demand)')] });
  sections.push({ heading: 'Full text report', preformatted: formatDrillText(report) });
  return htmlReport({ title: `Drill (${report.mode}): ${report.scenario}`, summary: [`Scenario file: ${report.file}`, `seed ${report.seed}`], sections });
}

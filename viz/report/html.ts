import type { PlanFinding, PlanReport } from '../../core/plan.js';
import type { CloudState } from '../../core/model/state.js';
import type { Budget } from '../../core/sizing/budget.js';
import { capacityByClusterChart, capacityFromPlan } from '../charts/capacity.js';
import { ipSpaceChart, ipSpaceFromPlan } from '../charts/ip-space.js';
import { escapeXml, formatAmount, formatPercent } from '../charts/svg.js';
import { topologyChart, topologyFromPlan } from '../charts/topology.js';
import { vlanPoolChart, vlanPoolsFromPlan } from '../charts/vlan.js';

/**
 * HTML reports: one self-contained file (inline CSS and SVG; no scripts, fonts or anything else
 * fetched), so a report can be mailed, archived or opened offline and prints as it shows. The
 * builders are pure: equal inputs give equal bytes (no generation time in the file).
 */

export interface ReportTable {
  caption: string;
  columns: { label: string; numeric?: boolean }[];
  rows: string[][];
  /** Per row: 'error', 'warning', 'exhausted', 'near-full' or '' (styles the row). */
  rowClasses?: string[];
}

export interface ReportSection {
  heading: string;
  paragraphs?: string[];
  /** Complete SVG documents, from viz/charts. */
  charts?: string[];
  tables?: ReportTable[];
  /** The command's text report, kept as it prints, for what the tables do not show. */
  preformatted?: string;
}

export interface ReportDocument {
  title: string;
  /** Lines under the title: the file, the seed, the options. */
  summary: string[];
  sections: ReportSection[];
}

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1a202c; margin: 24px auto; max-width: 1000px; padding: 0 16px; font-size: 14px; line-height: 1.45; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 18px; border-bottom: 1px solid #cbd5e0; padding-bottom: 4px; margin-top: 32px; }
p.summary { margin: 2px 0; color: #4a5568; }
figure { margin: 16px 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; margin: 12px 0 20px; font-size: 12px; }
caption { text-align: left; font-weight: bold; padding: 4px 0; font-size: 13px; }
th, td { border: 1px solid #e2e8f0; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #edf2f7; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.error td, tr.exhausted td { background: #fed7d7; }
tr.warning td, tr.near-full td { background: #fefcbf; }
code { font-size: 12px; }
pre { font-size: 12px; background: #f7fafc; border: 1px solid #e2e8f0; padding: 8px; overflow-x: auto; }
@media print { body { max-width: none; margin: 0; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
`;

function table(t: ReportTable): string {
  const head = t.columns.map((c) => `<th${c.numeric ? ' class="num"' : ''}>${escapeXml(c.label)}</th>`).join('');
  const rows = t.rows.map((row, i) => {
    const cls = t.rowClasses?.[i];
    const cells = row.map((cell, j) => `<td${t.columns[j]?.numeric ? ' class="num"' : ''}>${escapeXml(cell)}</td>`).join('');
    return `<tr${cls ? ` class="${escapeXml(cls)}"` : ''}>${cells}</tr>`;
  });
  return `<table>\n<caption>${escapeXml(t.caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

/** The whole document. Section text is escaped here; charts are SVG from viz/charts, inserted as they are. */
export function htmlReport(doc: ReportDocument): string {
  const sections = doc.sections.map((s) =>
    [
      `<section>`,
      `<h2>${escapeXml(s.heading)}</h2>`,
      ...(s.paragraphs ?? []).map((p) => `<p>${escapeXml(p)}</p>`),
      ...(s.charts ?? []).map((svg) => `<figure>\n${svg.trimEnd()}\n</figure>`),
      ...(s.tables ?? []).map(table),
      ...(s.preformatted !== undefined ? [`<pre>${escapeXml(s.preformatted.trimEnd())}</pre>`] : []),
      `</section>`,
    ].join('\n'),
  );
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(doc.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeXml(doc.title)}</h1>`,
    ...doc.summary.map((line) => `<p class="summary">${escapeXml(line)}</p>`),
    ...sections,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export function findingsTable(findings: readonly PlanFinding[], file?: string): ReportTable {
  return {
    caption: `Findings (${findings.length})`,
    columns: [{ label: 'severity' }, { label: 'code' }, { label: 'where' }, { label: 'message' }, { label: 'hint' }],
    rows: findings.map((f) => [f.severity, f.code, `${f.path}${f.location ? ` (${file ?? ''}:${f.location.line}:${f.location.column})` : ''}`, f.message, f.hint]),
    rowClasses: findings.map((f) => (f.severity === 'info' ? '' : f.severity)),
  };
}

export function budgetTable(caption: string, budgets: readonly Budget[]): ReportTable {
  return {
    caption,
    columns: [{ label: 'scope' }, { label: 'resource' }, { label: 'demand', numeric: true }, { label: 'usable', numeric: true }, { label: 'supply', numeric: true }, { label: 'use', numeric: true }, { label: 'status' }, { label: 'recommendation' }],
    rows: budgets.map((b) => [b.scope, `${b.resource} (${b.unit})`, formatAmount(b.demand), formatAmount(b.limit), formatAmount(b.supply), formatPercent(b.utilization), b.status, b.recommendation ?? '']),
    rowClasses: budgets.map((b) => (b.status === 'ok' ? '' : b.status)),
  };
}

/** `cloudplane plan --format html`: findings, per-zone budget tables, and the design's charts. */
export function planReportHtml(report: PlanReport, state: CloudState, file?: string): string {
  const s = report.summary;
  const zones = report.zones.map((zone): ReportSection => ({
    heading: `Zone ${zone.zone} (${zone.networkType})`,
    paragraphs: [
      `${zone.pods} pod(s), ${zone.clusters} cluster(s), ${zone.hosts} host(s); system VMs: ${zone.systemVms.secondaryStorageVms} SSVM, ${zone.systemVms.consoleProxies} CPVM, ${zone.systemVms.routers} router(s).`,
      ...(zone.firstToRunOut ? [`First to run out: ${zone.firstToRunOut.resource} of ${zone.firstToRunOut.scope} at ${formatPercent(zone.firstToRunOut.utilization)} of its usable capacity (${zone.firstToRunOut.status}).`] : []),
    ],
    tables: [budgetTable(`Budgets of zone ${zone.zone}`, report.budgets.filter((b) => b.zoneId === zone.zoneId))],
  }));
  return htmlReport({
    title: `Plan: ${report.scenario.name}`,
    summary: [
      ...(file ? [`Scenario file: ${file}`] : []),
      ...(report.scenario.description ? [report.scenario.description.trim()] : []),
      `${s.zones} zone(s), ${s.pods} pod(s), ${s.clusters} cluster(s), ${s.hosts} host(s): ${s.errors} error(s), ${s.warnings} warning(s), ${s.infos} note(s).`,
    ],
    sections: [
      { heading: 'Findings', ...(report.findings.length > 0 ? { tables: [findingsTable(report.findings, file)] } : { paragraphs: ['No findings: the design passes every rule.'] }) },
      { heading: 'Topology', charts: [topologyChart(topologyFromPlan(report, state))] },
      { heading: 'Capacity by cluster', charts: [capacityByClusterChart(capacityFromPlan(report, state))] },
      { heading: 'IP space', charts: [ipSpaceChart(ipSpaceFromPlan(report, state))] },
      { heading: 'VLAN/VNI pools', charts: [vlanPoolChart(vlanPoolsFromPlan(report, state))] },
      ...zones,
    ],
  });
}

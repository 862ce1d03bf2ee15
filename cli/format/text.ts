import type { PlanFinding, PlanReport } from '../../core/plan.js';
import type { Budget } from '../../core/sizing/budget.js';

/** Plain text for a 100-column terminal: findings first, then the budget table of each zone. */

const WIDTH = 100;

/** Wraps at word boundaries; the first line keeps its own leading spaces, later ones get `indent`. */
export function wrap(text: string, width: number, indent: string): string[] {
  const lead = /^\s*/.exec(text)![0];
  const lines: string[] = [];
  let line = lead;
  for (const word of text.trim().split(/\s+/)) {
    if (line.trim() !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line = line.trim() === '' ? line + word : `${line} ${word}`;
    }
  }
  if (line.trim() !== '') lines.push(line);
  return lines;
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '∞';
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return rounded.toLocaleString('en-US');
}

export function percent(value: number): string {
  if (!Number.isFinite(value)) return '∞';
  return `${Math.round(value * 100)}%`;
}

export function findingLines(file: string | undefined, f: PlanFinding): string[] {
  const where = f.location ? `${file ?? ''}:${f.location.line}:${f.location.column}` : file ?? '';
  const head = `${f.severity.toUpperCase().padEnd(7)} ${f.code}  ${where}`.trimEnd();
  return [
    head,
    ...wrap(`  ${f.path}: ${f.message}`, WIDTH, '    '),
    ...wrap(`  hint: ${f.hint}`, WIDTH, '    '),
  ];
}

function shortScope(scope: string, zone: string): string {
  const prefix = `zones/${zone}`;
  const rest = scope.startsWith(prefix) ? scope.slice(prefix.length).replace(/^\//, '') : scope;
  return rest === '' ? '(zone)' : rest.replace(/(^|\/)(pods|clusters|physicalNetworks|networks|vpcs|tiers)\//g, '$1');
}

function fit(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

const STATUS: Readonly<Record<Budget['status'], string>> = { ok: 'ok', 'near-full': 'NEAR FULL', exhausted: 'EXHAUSTED' };

export function budgetTable(budgets: readonly Budget[], zone: string): string[] {
  const lines = [`  ${'scope'.padEnd(20)} ${'resource'.padEnd(32)} ${'demand'.padStart(13)} ${'usable'.padStart(13)} ${'use'.padStart(5)}  status`];
  for (const b of budgets) {
    const amount = (value: number): string => `${formatNumber(value)} ${b.unit}`.padStart(13);
    lines.push(`  ${fit(shortScope(b.scope, zone), 20)} ${fit(b.resource, 32)} ${amount(b.demand)} ${amount(b.limit)} ${percent(b.utilization).padStart(5)}  ${STATUS[b.status]}`);
  }
  return lines;
}

export function formatPlanText(report: PlanReport, file?: string): string {
  const out: string[] = [];
  const s = report.summary;
  out.push(`cloudplane plan: ${report.scenario.name}${file ? ` (${file})` : ''}`);
  if (report.scenario.description) out.push(...wrap(report.scenario.description.trim(), WIDTH, ''));
  out.push(`${s.zones} zone(s), ${s.pods} pod(s), ${s.clusters} cluster(s), ${s.hosts} host(s): ${s.errors} error(s), ${s.warnings} warning(s), ${s.infos} note(s)`);
  out.push('');
  if (report.findings.length > 0) {
    out.push('Findings');
    for (const f of report.findings) out.push(...findingLines(file, f));
    out.push('');
  }
  for (const zone of report.zones) {
    out.push(`Zone ${zone.zone} (${zone.networkType}): ${zone.pods} pod(s), ${zone.clusters} cluster(s), ${zone.hosts} host(s); system VMs: ${zone.systemVms.secondaryStorageVms} SSVM, ${zone.systemVms.consoleProxies} CPVM, ${zone.systemVms.routers} router(s)`);
    const first = zone.firstToRunOut;
    if (first) {
      out.push(...wrap(`  first to run out: ${first.resource} of ${shortScope(first.scope, zone.zone)} at ${percent(first.utilization)} of its usable capacity (${first.status})`, WIDTH, '    '));
    }
    const budgets = report.budgets.filter((b) => b.zoneId === zone.zoneId);
    out.push(...budgetTable(budgets, zone.zone));
    const advice = budgets.filter((b) => b.recommendation);
    if (advice.length > 0) {
      out.push('  Recommendations');
      for (const b of advice) out.push(...wrap(`  - ${shortScope(b.scope, zone.zone)}: ${b.recommendation}`, WIDTH, '    '));
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

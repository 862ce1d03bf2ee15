import type { PlanReport } from '../../core/plan.js';
import { FINDING_CODES } from '../../core/rules/codes.js';
import { formatNumber, percent } from './text.js';

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** Markdown for reports and pull requests: the same content as text, as tables. */
export function formatPlanMarkdown(report: PlanReport, file?: string): string {
  const s = report.summary;
  const out: string[] = [`# Plan: ${cell(report.scenario.name)}`, ''];
  if (report.scenario.description) out.push(report.scenario.description.trim(), '');
  out.push(`${s.zones} zone(s), ${s.pods} pod(s), ${s.clusters} cluster(s), ${s.hosts} host(s) — **${s.errors} error(s)**, ${s.warnings} warning(s), ${s.infos} note(s).`, '');
  if (report.findings.length > 0) {
    out.push('## Findings', '', '| severity | code | where | message | hint |', '|---|---|---|---|---|');
    for (const f of report.findings) {
      const where = `${f.path}${f.location ? ` (${file ?? ''}:${f.location.line}:${f.location.column})` : ''}`;
      out.push(`| ${f.severity} | \`${f.code}\` | ${cell(where)} | ${cell(f.message)} | ${cell(f.hint)} |`);
    }
    out.push('');
  }
  for (const zone of report.zones) {
    out.push(`## Zone ${cell(zone.zone)} (${zone.networkType})`, '');
    out.push(`${zone.pods} pod(s), ${zone.clusters} cluster(s), ${zone.hosts} host(s); system VMs: ${zone.systemVms.secondaryStorageVms} SSVM, ${zone.systemVms.consoleProxies} CPVM, ${zone.systemVms.routers} router(s).`, '');
    if (zone.firstToRunOut) {
      out.push(`First to run out: **${cell(zone.firstToRunOut.resource)}** of \`${zone.firstToRunOut.scope}\` at ${percent(zone.firstToRunOut.utilization)} of its usable capacity (${zone.firstToRunOut.status}).`, '');
    }
    out.push('| scope | resource | demand | usable | supply | use | status | recommendation |', '|---|---|---:|---:|---:|---:|---|---|');
    for (const b of report.budgets.filter((x) => x.zoneId === zone.zoneId)) {
      out.push(`| \`${cell(b.scope)}\` | ${cell(b.resource)} (${b.unit}) | ${formatNumber(b.demand)} | ${formatNumber(b.limit)} | ${formatNumber(b.supply)} | ${percent(b.utilization)} | ${b.status} | ${cell(b.recommendation ?? '')} |`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** The reference list of finding codes, as shipped in docs/findings.md. */
export function findingCodesMarkdown(): string {
  const out = [
    '# Finding codes',
    '',
    'Every rule cloudplane checks, with its stable code. `error` findings make `cloudplane validate`',
    'exit 1; `warning` and `info` findings are reported but do not fail a build. This file is the',
    'output of `cloudplane codes --format markdown`.',
    '',
    '| code | severity | meaning |',
    '|---|---|---|',
  ];
  for (const [code, definition] of Object.entries(FINDING_CODES)) out.push(`| \`${code}\` | ${definition.severity} | ${cell(definition.description)} |`);
  return `${out.join('\n')}\n`;
}

import { formatCount } from '../../core/format.js';
import { isZoneSystemVm } from '../../core/model/compute.js';
import { formatDurationMs } from '../../simulator/distributions.js';
import type { FailureDrillResult } from '../../simulator/drill-fail.js';
import type { MonteCarloRun, MonteCarloSummary, Percentiles } from '../../simulator/drill-montecarlo.js';
import type { DownVm, FailureImpact } from '../../simulator/impact.js';
import type { HostLoss, NMinus1Result } from '../../simulator/nminus1.js';
import type { PopulationReport } from '../../simulator/populate.js';

/**
 * The drill report: one data structure (what `--format json` prints, schemaVersion 1), and its
 * text and markdown renderings. Nothing in it depends on the machine or the wall clock, so the
 * same seed prints the same bytes.
 */

export interface FaultDescription {
  name: string;
  /** What the fault strikes: "every host", "host kvm01", "every shared pool of zone zone1". */
  target: string;
  mtbfMs: number;
  mttrMs: number | null;
  repairMs: number | null;
}

export interface DrillReport {
  schemaVersion: 1;
  command: 'drill';
  mode: 'fail' | 'n-minus-1' | 'runs';
  scenario: string;
  file: string;
  /** The seed (for --runs the first one). */
  seed: number;
  /** What the drill used, defaults resolved. */
  options:
    | { fail: string; target: string; atMs: number; repairMs: number }
    | { atMs: number }
    | { runs: number; seeds: [number, number]; atMs: number; windowMs: number; faults: FaultDescription[] };
  /** How the cloud was populated (not for --runs: every run populates its own). */
  population?: PopulationReport & { atMs: number };
  fail?: Omit<FailureDrillResult, 'population'>;
  nMinus1?: NMinus1Result;
  monteCarlo?: { summary: MonteCarloSummary; runs: MonteCarloRun[] };
  verdict: { absorbed: boolean; exitCode: number; summary: string };
}

/** The named faults' repair times when a scenario gives none (simulator/faults.ts). */
const DEFAULT_REPAIR: Readonly<Record<string, string>> = {
  hostCrash: 'mean 2h (the default)',
  primaryStorageOutage: '30m (the default)',
  podSwitchFailure: '1h (the default)',
  zoneOutage: '2h (the default)',
  managementServerOutage: '15m (the default)',
  databaseFailover: 'median 45s (the default)',
};

/** Names listed in text before "and n more". */
const NAMES_SHOWN = 12;

const count = (n: number): string => formatCount(n);
const duration = (ms: number): string => formatDurationMs(ms);
const mhz = (n: number): string => `${count(n)} MHz`;
const mib = (n: number): string => `${count(n)} MiB`;

function names(list: readonly string[], limit = NAMES_SHOWN): string {
  if (list.length <= limit) return list.join(', ');
  return `${list.slice(0, limit).join(', ')}, … and ${list.length - limit} more`;
}

/**
 * The reason without what the report already says (which host went down, which pool came back),
 * so VMs stranded for the same cause group together: "host kvm1 went down; HA restart failed:
 * <why>" becomes "<why>".
 */
function why(reason: string): string {
  return reason
    .replace(/^host \S+ went down; /, '')
    .replace(/^primary storage \S+ (returned|unavailable); /, '')
    .replace(/^HA restart failed: /, '');
}

/** VMs grouped by the same reason, in first-seen order. */
function byReason<T extends { vm: string; reason?: string }>(vms: readonly T[]): { reason: string; vms: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const vm of vms) {
    const reason = why(vm.reason ?? 'stopped');
    const list = groups.get(reason) ?? [];
    list.push(vm.vm);
    groups.set(reason, list);
  }
  return [...groups].map(([reason, list]) => ({ reason, vms: list }));
}

function populationLine(report: DrillReport): string {
  const p = report.population;
  if (!p) return '';
  const at = `the drill starts at ${duration(p.atMs)}`;
  if (p.source === 'simulation') return `cloud: the simulation section's workloads ran up to ${duration(p.atMs)}; ${at}`;
  if (p.source === 'none') return `cloud: no simulation workloads and no demand: the cloud has no tenant VMs; ${at}`;
  return `cloud: the demand deployed at 0s: ${count(p.vmsDeployed)} of ${count(p.vmsRequested)} VMs, ${count(p.accountsCreated)} account(s), ${count(p.networksCreated)} network(s); ${at}`;
}

function populationNotes(report: DrillReport): string[] {
  const p = report.population;
  if (!p) return [];
  const out: string[] = [];
  for (const problem of p.buildProblems) out.push(`note: the design has an error: ${problem}`);
  const shown = 5;
  for (const r of p.refused.slice(0, shown)) out.push(`note: ${count(r.count)} ${r.request} request(s) refused: ${r.reason}`);
  if (p.refused.length > shown) {
    const rest = p.refused.slice(shown).reduce((n, r) => n + r.count, 0);
    out.push(`note: ${count(rest)} more request(s) refused for other reasons (all of them in --format json)`);
  }
  return out;
}

function header(report: DrillReport): string[] {
  const what = report.mode === 'fail' ? `--fail ${(report.options as { fail: string }).fail}` : report.mode === 'n-minus-1' ? '--n-minus-1' : `--runs ${(report.options as { runs: number }).runs}`;
  const out = [`cloudplane drill ${what}: ${report.scenario} (${report.file})`];
  if (report.mode === 'runs') {
    const o = report.options as Extract<DrillReport['options'], { runs: number }>;
    out.push(`seeds ${o.seeds[0]}..${o.seeds[1]}; failures strike for ${duration(o.windowMs)} from ${duration(o.atMs)}, then everything is repaired and the cloud must settle`);
    for (const f of o.faults) out.push(`  ${f.name}: ${f.target}, mean time between failures ${duration(f.mtbfMs)} each, repair ${f.repairMs !== null ? duration(f.repairMs) : f.mttrMs !== null ? `mean ${duration(f.mttrMs)}` : DEFAULT_REPAIR[f.name] ?? 'the fault\'s default'}`);
  } else {
    const o = report.options as { repairMs?: number };
    out.push(`seed ${report.seed}${o.repairMs !== undefined ? `; repair after ${duration(o.repairMs)}` : ''}`);
    out.push(populationLine(report));
  }
  out.push(...populationNotes(report));
  return out;
}

// ----- text -----

export function formatDrillText(report: DrillReport): string {
  const out = header(report);
  out.push('');
  if (report.fail) out.push(...failText(report.fail));
  if (report.nMinus1) out.push(...nMinus1Text(report.nMinus1));
  if (report.monteCarlo) out.push(...runsText(report.monteCarlo.summary));
  out.push('', `result: ${report.verdict.summary} (exit ${report.verdict.exitCode})`);
  return `${out.join('\n')}\n`;
}

function downLines(vms: readonly DownVm[], indent: string): string[] {
  return byReason(vms).map((g) => `${indent}${names(g.vms)}: ${g.reason}`);
}

function failText(fail: Omit<FailureDrillResult, 'population'>): string[] {
  const impact = fail.impact;
  const out = [`${impact.label} failed at ${duration(fail.atMs)} and was repaired ${duration(fail.repairMs)} later`];
  if (impact.management && impact.managementImpact) {
    const m = impact.managementImpact;
    out.push(`  running user VMs: ${count(m.runningAtFailure)} when it stopped, ${count(m.runningBeforeRepair)} just before it returned${m.runningBeforeRepair >= m.runningAtFailure ? ': running VMs kept running' : ''}`);
    out.push(`  API requests refused while it was down: ${count(m.apiRefused)}`);
    if (fail.probe) {
      const p = fail.probe;
      out.push(`  probe at +${duration(p.atMs - fail.atMs)}: ${p.request} ${p.accepted ? 'was accepted' : `refused: ${p.code} ${p.message}`}`);
    }
    out.push(`  reports held for its return (agents, monitors, timers): ${count(m.reportsHeld)}`);
  } else {
    out.push(`  VMs affected: ${count(impact.vmsAffected)} (of ${count(fail.vmsAtFailure.user)} user VMs and ${count(fail.vmsAtFailure.system)} system VMs and routers in the cloud)`);
    out.push(`  restarted by HA: ${count(impact.restarted.length)}`);
    for (const r of impact.restarted.slice(0, NAMES_SHOWN)) out.push(`    ${r.vm} ${r.fromHost} -> ${r.toHost}, running at +${duration(r.runningAtMs - fail.atMs)}${isZoneSystemVm(r.kind) ? ' (started by its manager)' : ''}`);
    if (impact.restarted.length > NAMES_SHOWN) out.push(`    … and ${impact.restarted.length - NAMES_SHOWN} more`);
    out.push(`  stranded (HA VMs left down): ${count(impact.stranded.length)}`);
    out.push(...downLines(impact.stranded, '    '));
    out.push(`  down without HA (by design): ${count(impact.downWithoutHa.length)}`);
    out.push(...downLines(impact.downWithoutHa, '    '));
    if (impact.destroyed > 0) out.push(`  destroyed meanwhile (by their owners, or routers whose network was shut down): ${count(impact.destroyed)}`);
    if (impact.replaced.length > 0) out.push(`  system VMs their manager could not start, destroyed to build anew: ${count(impact.replaced.length)}`);
    for (const r of impact.replaced.slice(0, NAMES_SHOWN)) out.push(`    ${r.vm}: ${r.reason}`);
    if (impact.pending > 0) out.push(`  still on their way back: ${count(impact.pending)}`);
    if (impact.shortfall.length === 0) out.push('  capacity shortfall: none');
    for (const s of impact.shortfall) out.push(`  capacity shortfall: cluster ${s.cluster} lacks ${mhz(s.cpuMhz)} and ${mib(s.memoryMiB)} to restart its ${count(s.vms)} stranded VM(s)`);
  }
  out.push(`  time to recover: ${impact.timeToRecoverMs === null ? 'nothing to restart' : `${duration(impact.timeToRecoverMs)} (${impact.management ? 'until the API was back' : 'failure to the last HA restart running'})`}`);
  if (fail.settleMs !== null) out.push(`  settled ${duration(fail.settleMs)} after the repair`);
  else out.push(`  did not settle within the bound after the repair:`, ...fail.unsettled.slice(0, NAMES_SHOWN).map((p) => `    ${p}`));
  return out;
}

function lossText(loss: HostLoss): string[] {
  const ha = loss.restarted + loss.stranded.length;
  const out = [`  host ${loss.host}: ${count(loss.stranded.length)} of ${count(ha)} HA VM(s) stranded, short ${mhz(loss.shortfall.cpuMhz)} and ${mib(loss.shortfall.memoryMiB)}`];
  if (loss.restartedVms && loss.restartedVms.length > 0) out.push(`    restarted: ${names(loss.restartedVms.map((v) => `${v.vm} -> ${v.toHost}`))}`);
  out.push(...byReason(loss.stranded).map((g) => `    stranded: ${names(g.vms)}: ${g.reason}`));
  return out;
}

/** Failing clusters listed in text and markdown; JSON has them all. */
const CLUSTERS_SHOWN = 20;

function nMinus1Text(result: NMinus1Result): string[] {
  const out = [`n-1: the loss of each of ${count(result.hostsEvaluated)} host(s) (${count(result.vms)} VMs), judged against the unchanged cloud`];
  for (const cluster of result.failing.slice(0, CLUSTERS_SHOWN)) {
    out.push('', `FAIL cluster ${cluster.cluster} (pod ${cluster.pod}, zone ${cluster.zone}): ${count(cluster.hosts)} host(s), ${count(cluster.haVms)} HA VM(s); the loss of ${count(cluster.losses.length)} of its hosts strands VMs`);
    for (const loss of cluster.losses) out.push(...lossText(loss));
  }
  if (result.failing.length > CLUSTERS_SHOWN) out.push('', `… and ${count(result.failing.length - CLUSTERS_SHOWN)} more cluster(s) that cannot absorb the loss of a host (all of them in --format json)`);
  out.push('', `ok   ${count(result.clustersAbsorbing)} of ${count(result.clusters)} cluster(s) absorb the loss of any one host`);
  if (result.timeToRecoverMs !== null) out.push(`time to recover from one host's loss: at most ${duration(result.timeToRecoverMs)} (failure detection plus VM start)`);
  return out;
}

function percentileRow(label: string, p: Percentiles | null, format: (n: number) => string): string {
  if (!p) return `${label.padEnd(18)}${'-'.padStart(10)}${'-'.padStart(10)}${'-'.padStart(10)}${'-'.padStart(10)}`;
  return `${label.padEnd(18)}${format(p.p10).padStart(10)}${format(p.p50).padStart(10)}${format(p.p90).padStart(10)}${format(p.max).padStart(10)}`;
}

function runsText(summary: MonteCarloSummary): string[] {
  return [
    `${count(summary.runs)} run(s)`,
    `${''.padEnd(18)}${'p10'.padStart(10)}${'p50'.padStart(10)}${'p90'.padStart(10)}${'max'.padStart(10)}`,
    percentileRow('failures', summary.failures, count),
    percentileRow('VMs affected', summary.vmsAffected, count),
    percentileRow('stranded', summary.stranded, count),
    percentileRow('time to recover', summary.timeToRecoverMs, duration),
    `time to recover: the worst failure of a run, failure to its last HA restart running (${count(summary.timeToRecoverMs?.runs ?? 0)} run(s) with restarts)`,
    `runs with stranded HA VMs: ${count(summary.runsWithStranded)}; runs that did not settle: ${count(summary.runsUnsettled)}`,
  ];
}

// ----- markdown -----

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

export function formatDrillMarkdown(report: DrillReport): string {
  const out = [`# Drill: ${cell(report.scenario)}`, ''];
  for (const line of header(report).slice(1)) out.push(`${cell(line.trim())}  `);
  out.push('');
  if (report.fail) out.push(...failMarkdown(report.fail));
  if (report.nMinus1) out.push(...nMinus1Markdown(report.nMinus1));
  if (report.monteCarlo) out.push(...runsMarkdown(report.monteCarlo.summary));
  out.push(`**Result:** ${cell(report.verdict.summary)} (exit ${report.verdict.exitCode}).`);
  return `${out.join('\n')}\n`;
}

function impactTable(impact: FailureImpact): string[] {
  const rows = [
    ['VMs affected', count(impact.vmsAffected)],
    ['restarted by HA', count(impact.restarted.length)],
    ['stranded', count(impact.stranded.length)],
    ['down without HA', count(impact.downWithoutHa.length)],
    ['time to recover', impact.timeToRecoverMs === null ? '-' : duration(impact.timeToRecoverMs)],
  ];
  return ['| | |', '|---|---:|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), ''];
}

function failMarkdown(fail: Omit<FailureDrillResult, 'population'>): string[] {
  const impact = fail.impact;
  const out = [`## ${cell(impact.label)} fails at ${duration(fail.atMs)}, repaired after ${duration(fail.repairMs)}`, '', ...impactTable(impact)];
  if (impact.managementImpact) {
    const m = impact.managementImpact;
    out.push(`Running user VMs: ${count(m.runningAtFailure)} when it stopped, ${count(m.runningBeforeRepair)} just before it returned. API requests refused: ${count(m.apiRefused)}. Reports held: ${count(m.reportsHeld)}.`, '');
    if (fail.probe) out.push(`Probe at +${duration(fail.probe.atMs - fail.atMs)}: \`${fail.probe.request}\` ${fail.probe.accepted ? 'accepted' : `refused: ${cell(`${fail.probe.code} ${fail.probe.message}`)}`}.`, '');
  }
  if (impact.restarted.length > 0) {
    out.push('| restarted | from | to | running at |', '|---|---|---|---:|');
    for (const r of impact.restarted) out.push(`| ${cell(r.vm)}${isZoneSystemVm(r.kind) ? ' (started by its manager)' : ''} | ${cell(r.fromHost)} | ${cell(r.toHost)} | +${duration(r.runningAtMs - fail.atMs)} |`);
    out.push('');
  }
  if (impact.stranded.length > 0 || impact.downWithoutHa.length > 0) {
    out.push('| down | HA | cluster | reason |', '|---|---|---|---|');
    for (const vm of impact.stranded) out.push(`| ${cell(vm.vm)} | yes | ${cell(vm.cluster)} | ${cell(vm.reason)} |`);
    for (const vm of impact.downWithoutHa) out.push(`| ${cell(vm.vm)} | no | ${cell(vm.cluster)} | ${cell(vm.reason)} |`);
    out.push('');
  }
  if (impact.replaced.length > 0) {
    out.push('| replaced by its manager | reason |', '|---|---|');
    for (const r of impact.replaced) out.push(`| ${cell(r.vm)} | ${cell(r.reason)} |`);
    out.push('');
  }
  for (const s of impact.shortfall) out.push(`Cluster **${cell(s.cluster)}** lacks ${mhz(s.cpuMhz)} and ${mib(s.memoryMiB)} to restart its ${count(s.vms)} stranded VM(s).`, '');
  out.push(fail.settleMs !== null ? `Settled ${duration(fail.settleMs)} after the repair.` : `Did not settle within the bound: ${cell(fail.unsettled.slice(0, NAMES_SHOWN).join('; '))}.`, '');
  return out;
}

function nMinus1Markdown(result: NMinus1Result): string[] {
  const out = [`## N-1: ${count(result.hostsEvaluated)} hosts, ${count(result.vms)} VMs`, '', `${count(result.clustersAbsorbing)} of ${count(result.clusters)} cluster(s) absorb the loss of any one host.`, ''];
  for (const cluster of result.failing.slice(0, CLUSTERS_SHOWN)) {
    out.push(`### Cluster ${cell(cluster.cluster)} (pod ${cell(cluster.pod)}, zone ${cell(cluster.zone)})`, '', `${count(cluster.hosts)} host(s), ${count(cluster.haVms)} HA VM(s).`, '');
    out.push('| host lost | HA VMs | stranded | short MHz | short MiB | stranded VMs |', '|---|---:|---:|---:|---:|---|');
    for (const loss of cluster.losses) {
      out.push(`| ${cell(loss.host)} | ${count(loss.restarted + loss.stranded.length)} | ${count(loss.stranded.length)} | ${count(loss.shortfall.cpuMhz)} | ${count(loss.shortfall.memoryMiB)} | ${cell(loss.stranded.map((v) => v.vm).join(', '))} |`);
    }
    out.push('');
    const reasons = new Set(cluster.losses.flatMap((l) => byReason(l.stranded).map((g) => g.reason)));
    for (const reason of reasons) out.push(`- ${cell(reason)}`);
    out.push('');
  }
  if (result.failing.length > CLUSTERS_SHOWN) out.push(`… and ${count(result.failing.length - CLUSTERS_SHOWN)} more cluster(s) that cannot absorb the loss of a host (all of them in the JSON report).`, '');
  if (result.timeToRecoverMs !== null) out.push(`Time to recover from one host's loss: at most ${duration(result.timeToRecoverMs)} (failure detection plus VM start).`, '');
  return out;
}

function runsMarkdown(summary: MonteCarloSummary): string[] {
  const row = (label: string, p: Percentiles | null, format: (n: number) => string): string => (p ? `| ${label} | ${format(p.p10)} | ${format(p.p50)} | ${format(p.p90)} | ${format(p.max)} |` : `| ${label} | - | - | - | - |`);
  return [
    `## ${count(summary.runs)} runs`,
    '',
    '| | p10 | p50 | p90 | max |',
    '|---|---:|---:|---:|---:|',
    row('failures', summary.failures, count),
    row('VMs affected', summary.vmsAffected, count),
    row('stranded', summary.stranded, count),
    row('time to recover', summary.timeToRecoverMs, duration),
    '',
    `Runs with stranded HA VMs: ${count(summary.runsWithStranded)}; runs that did not settle: ${count(summary.runsUnsettled)}.`,
    '',
  ];
}

import { type Finding, compareFindings, finding } from './findings.js';
import type { CloudState } from './model/state.js';
import { settingNumber } from './model/state.js';
import { evaluateDesign } from './rules/design.js';
import { buildScenario, type LocatedFinding } from './scenario/build.js';
import { resolveDemand } from './scenario/demand.js';
import { parseScenarioText, type InputProblem, type Position, type SourceMap } from './scenario/parse.js';
import type { ScenarioSpec } from './scenario/schema.js';
import { type Budget, BUDGET_CODES, formatCount } from './sizing/budget.js';
import type { Demand, ZoneDemand } from './sizing/demand.js';
import { planZone } from './sizing/zone-plan.js';

/**
 * The plan of a cloud: every finding of its design, every budget with its demand and supply, and
 * for each zone the resource that runs out first. `PLAN_SCHEMA_VERSION` versions the JSON shape;
 * it changes only when a field is removed or changes meaning.
 */
export const PLAN_SCHEMA_VERSION = 1;

export interface PlanFinding extends Finding {
  location?: Position;
}

export interface ZoneSummary {
  zone: string;
  zoneId: string;
  networkType: string;
  pods: number;
  clusters: number;
  hosts: number;
  systemVms: { secondaryStorageVms: number; consoleProxies: number; routers: number };
  /** The budget closest to (or furthest past) its limit, or null when nothing is planned. */
  firstToRunOut: { kind: string; scope: string; resource: string; utilization: number; status: string } | null;
}

export interface PlanReport {
  schemaVersion: number;
  scenario: { name: string; description?: string };
  summary: { errors: number; warnings: number; infos: number; zones: number; pods: number; clusters: number; hosts: number };
  findings: PlanFinding[];
  budgets: Budget[];
  zones: ZoneSummary[];
}

export interface CloudPlan {
  budgets: Budget[];
  findings: Finding[];
  zones: ZoneSummary[];
}

/** Sizes a built cloud against its demand: budgets per pod, network, zone and cluster. */
export function planCloud(state: CloudState, demand: Demand): CloudPlan {
  const budgets: Budget[] = [];
  const findings: Finding[] = [];
  const zones: ZoneSummary[] = [];
  const byZone = new Map(demand.zones.map((z) => [z.zoneId, z]));
  const sortedZones = [...state.zones.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const zone of sortedZones) {
    const zoneDemand = byZone.get(zone.id);
    const plan = planZone(state, zone, zoneDemand, demand);
    budgets.push(...plan.budgets);
    findings.push(...plan.findings);
    for (const budget of plan.budgets) {
      const codes = BUDGET_CODES[budget.kind];
      if (budget.status === 'exhausted') {
        findings.push(finding(codes.exhausted, { path: budget.scope, entityId: budget.entityId },
          `${budget.resource}: ${formatCount(budget.demand)} ${budget.unit} needed, ${formatCount(budget.limit)} ${budget.unit} usable${budget.limit !== budget.supply ? ` of ${formatCount(budget.supply)}` : ''} (${describeBreakdown(budget)})`,
          budget.recommendation ?? 'add capacity'));
      } else if (budget.status === 'near-full' && codes.nearFull) {
        findings.push(finding(codes.nearFull, { path: budget.scope, entityId: budget.entityId },
          `${budget.resource}: ${formatCount(budget.demand)} of ${formatCount(budget.supply)} ${budget.unit} (${Math.round((budget.demand / budget.supply) * 100)} %), above the ${budget.notificationThreshold} notification threshold`,
          'plan growth: this resource raises capacity alerts'));
      }
    }
    if (zoneDemand) findings.push(...checkAccountLimits(state, zone.name, zoneDemand));
    const pods = state.index.podsByZone.get(zone.id) ?? [];
    const clusters = pods.flatMap((p) => state.index.clustersByPod.get(p) ?? []);
    // The N-1 budget is a warning about resilience, not a resource that runs out.
    const planned = plan.budgets.filter((b) => b.demand > 0 && b.kind !== 'cluster.nMinus1');
    const first = planned.sort((a, b) => b.utilization - a.utilization || (a.scope < b.scope ? -1 : 1))[0];
    zones.push({
      zone: zone.name,
      zoneId: zone.id,
      networkType: zone.securityGroupsEnabled && zone.networkType === 'Advanced' ? 'Advanced (security groups)' : zone.networkType,
      pods: pods.length,
      clusters: clusters.length,
      hosts: clusters.reduce((sum, c) => sum + (state.index.hostsByCluster.get(c)?.length ?? 0), 0),
      systemVms: plan.systemVms,
      firstToRunOut: first ? { kind: first.kind, scope: first.scope, resource: first.resource, utilization: first.utilization, status: first.status } : null,
    });
  }
  if (demand.zones.length === 0) {
    findings.push(finding('DEMAND_NOTHING_PLANNED', { path: 'demand' }, 'the scenario plans no demand, so budgets show system VMs and supply only', 'add a demand: section with accounts, networks and VMs per zone'));
  }
  return { budgets, findings, zones };
}

/** Quantities (MiB, MHz, GiB) read "4,096 MiB for user VMs"; counts read "260 routers". */
const QUANTITY_UNITS: ReadonlySet<string> = new Set(['MiB', 'MHz', 'GiB']);

function describeBreakdown(budget: Budget): string {
  const quantity = QUANTITY_UNITS.has(budget.unit);
  return budget.breakdown.map((line) => (quantity ? `${formatCount(line.amount)} ${budget.unit} for ${line.label}` : `${formatCount(line.amount)} ${line.label}`)).join(', ') || 'nothing planned';
}

/** Average planned use per account against CloudStack's default account limits. */
function checkAccountLimits(state: CloudState, zoneName: string, zd: ZoneDemand): Finding[] {
  if (zd.accounts <= 0) return [];
  const vms = zd.vms.reduce((sum, g) => sum + g.count, 0);
  const usage: [string, number, string][] = [
    ['max.account.networks', zd.isolatedNetworks.count + zd.l2Networks.count + zd.vpcs.count * zd.vpcs.tiersPerVpc, 'networks'],
    ['max.account.vpcs', zd.vpcs.count, 'VPCs'],
    ['max.account.public.ips', zd.isolatedNetworks.count + zd.vpcs.count + zd.acquiredPublicIps, 'public IPs'],
    ['max.account.user.vms', vms, 'VMs'],
    ['max.account.volumes', zd.vms.reduce((sum, g) => sum + g.count * (1 + (g.dataDiskGiB > 0 ? 1 : 0)), 0), 'volumes'],
    ['max.account.cpus', zd.vms.reduce((sum, g) => sum + g.count * g.cpuNumber, 0), 'vCPUs'],
    ['max.account.memory', zd.vms.reduce((sum, g) => sum + g.count * g.memoryMiB, 0), 'MiB of memory'],
    ['max.account.primary.storage', zd.vms.reduce((sum, g) => sum + g.count * (g.rootDiskGiB + g.dataDiskGiB), 0), 'GiB of primary storage'],
  ];
  const out: Finding[] = [];
  for (const [setting, total, what] of usage) {
    const limit = settingNumber(state, setting);
    if (limit < 0) continue;
    const perAccount = total / zd.accounts;
    if (perAccount > limit) {
      out.push(finding('ACCOUNT_LIMIT_EXCEEDED', { path: `demand/${zoneName}` },
        `${zd.accounts} accounts in zone ${zoneName} plan ${total} ${what}, ${round1(perAccount)} per account on average, above ${setting} = ${limit}`,
        `raise ${setting} to at least ${Math.ceil(perAccount)} (settings: or updateResourceLimit per account), or plan ${Math.ceil(total / limit)} accounts`));
    }
  }
  return out;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

export type PlanOutcome =
  | { ok: true; report: PlanReport; state: CloudState }
  | { ok: false; problems: InputProblem[] };

/** From scenario text to a plan report: parse, build, check the design, size it. */
export function planScenarioText(text: string): PlanOutcome {
  const parsed = parseScenarioText(text);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  return { ok: true, ...planScenario(parsed.spec, parsed.source) };
}

export function planScenario(spec: ScenarioSpec, source?: SourceMap): { report: PlanReport; state: CloudState } {
  const built = buildScenario(spec);
  const located: LocatedFinding[] = [...built.findings];
  for (const f of evaluateDesign(built.state)) located.push({ ...f, ...(f.entityId && built.origins.has(f.entityId) ? { specPath: built.origins.get(f.entityId)! } : {}) });
  const { demand, findings: demandFindings } = resolveDemand(spec, built.state);
  located.push(...demandFindings);
  const plan = planCloud(built.state, demand);
  for (const f of plan.findings) located.push({ ...f, ...(f.entityId && built.origins.has(f.entityId) ? { specPath: built.origins.get(f.entityId)! } : {}) });
  const findings: PlanFinding[] = located
    .map(({ specPath, ...f }) => {
      const location = specPath && source ? source.locate(specPath) : undefined;
      return location ? { ...f, location } : f;
    })
    .sort(compareFindings);
  const summary = {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    infos: findings.filter((f) => f.severity === 'info').length,
    zones: built.state.zones.size,
    pods: built.state.pods.size,
    clusters: built.state.clusters.size,
    hosts: built.state.hosts.size,
  };
  const report: PlanReport = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    scenario: { name: spec.name, ...(spec.description ? { description: spec.description } : {}) },
    summary,
    findings,
    budgets: plan.budgets,
    zones: plan.zones,
  };
  return { report, state: built.state };
}

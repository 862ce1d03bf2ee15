import type { ScenarioSpec, VmDemandSpec, ZoneSpec } from '../core/scenario/schema.js';
import { DAY_MS, formatDurationMs, MONTH_MS } from './distributions.js';
import { DEFAULT_SIMULATION, type SimulationSpec } from './schema.js';
import { type WorkloadEntry, workloadEntry } from './workload.js';
import { monthlyGrowth, newAccounts, steadyArrivals, vmLifetimes } from './workloads.js';

/**
 * The workload `cloudplane simulate` runs for a scenario without a `simulation:` section,
 * derived from its `demand:`. The demand is what the architect expects to run; the workload
 * reaches it in the first month and then grows it, so the forecast says how long the design
 * lasts past its baseline.
 *
 * For each zone of the demand, with A accounts, N isolated networks and B VMs (of the groups
 * below), growth g a month and a mean VM life L:
 *
 * - tenants: A accounts at the start, each with round(N / A) isolated networks (at least one
 *   when the demand has any), and A x g new ones a month, each with as many networks;
 * - VMs: B deployed over the first `rampUp` (the baseline), then a Poisson stream of
 *   B x (1/L + ln(1 + g) / month) a day, growing by g a month, compounding, for tenants with a
 *   network in the zone; every VM lives an exponential time of mean L. Arrivals replace the VMs
 *   that end and add g a month, so the expected population is B x (1 + g)^months;
 * - each deploy draws one of the demand's VM entries, weighted by its count: the entry's offering,
 *   template, first data disk and root disk size. Entries on a shared network deploy there;
 *   entries on VPCs, L2 networks or no network are left out;
 * - not simulated: VPCs, L2 networks, acquired public IPs, console sessions, internal load
 *   balancer VMs and snapshots of the demand (a `simulation:` section can model what it needs).
 *
 * The rule's constants are `DEMAND_WORKLOAD`; `rule` describes the derived workload in words,
 * to print before the forecast.
 */

export const DEMAND_WORKLOAD = {
  /** Monthly growth of VM arrivals, and of new tenants as a share of the demand's accounts. */
  growthPercent: 5,
  /** Mean VM life (exponential). */
  lifetimeMeanMs: 180 * DAY_MS,
  /** The demand's VMs are deployed over this time at the start. */
  rampUpMs: 30 * DAY_MS,
} as const;

export interface DemandWorkload {
  simulation: SimulationSpec;
  /** The derived workload, one line per item, for the output. */
  rule: string[];
}

export type DemandWorkloadResult = { ok: true; workload: DemandWorkload } | { ok: false; message: string };

/** Rounded to 2 decimals: rates in the options (and the printed rule) stay short. */
const round2 = (x: number): number => Math.round(x * 100) / 100;

export function simulationFromDemand(spec: ScenarioSpec, base: SimulationSpec = DEFAULT_SIMULATION): DemandWorkloadResult {
  const demand = spec.demand ?? [];
  if (demand.length === 0) return { ok: false, message: 'the scenario has neither a simulation: section nor a demand: to derive a workload from; add one of them' };
  const g = DEMAND_WORKLOAD.growthPercent / 100;
  const L = DEMAND_WORKLOAD.lifetimeMeanMs;
  const workloads: WorkloadEntry[] = [];
  const rule: string[] = [
    `workload derived from demand: (the scenario has no simulation: section)`,
    `growth ${DEMAND_WORKLOAD.growthPercent}%/month; VM lives exponential, mean ${formatDurationMs(L)}; baseline deployed over the first ${formatDurationMs(DEMAND_WORKLOAD.rampUpMs)}`,
  ];
  let anyVms = false;
  for (const zd of demand) {
    const zone = spec.zones.find((z) => z.name === zd.zone);
    if (!zone || zone.type === 'Edge') continue;
    const accounts = Math.max(zd.accounts ?? 0, 1);
    const isolated = typeof zd.isolatedNetworks === 'number' ? zd.isolatedNetworks : zd.isolatedNetworks?.count ?? 0;
    const ownNetworks = zone.networkType === 'Advanced' && !zone.securityGroups && zone.guestCidr !== undefined;
    const networksPerAccount = ownNetworks && isolated > 0 ? Math.max(1, Math.round(isolated / accounts)) : 0;
    const perMonth = round2(accounts * g);
    workloads.push(workloadEntry(newAccounts, { name: 'newAccounts', zone: zone.name, initial: accounts, perMonth, networksPerAccount, prefix: `${zone.name}-tenant` }));
    rule.push(`zone ${zone.name}: ${accounts} tenants at the start and ${perMonth} new a month, ${networksPerAccount} isolated network(s) each`);

    // VM entries by where they go: tenant networks (undefined) or a named shared network.
    const targets = new Map<string | undefined, VmDemandSpec[]>();
    const leftOut: string[] = [];
    for (const vm of zd.vms ?? []) {
      if (vm.count <= 0) continue;
      const target = vmTarget(zone, vm, ownNetworks);
      if (target.kind === 'skip') {
        leftOut.push(`${vm.count} ${vm.offering} VMs (${target.why})`);
        continue;
      }
      const list = targets.get(target.network);
      if (list) list.push(vm);
      else targets.set(target.network, [vm]);
    }
    for (const [network, vms] of targets) {
      const baseline = vms.reduce((sum, vm) => sum + vm.count, 0);
      const perDay = round2(baseline * (DAY_MS / L + (Math.log(1 + g) * DAY_MS) / MONTH_MS));
      anyVms = true;
      workloads.push(workloadEntry(steadyArrivals, {
        name: 'steadyArrivals',
        zone: zone.name,
        ...(network === undefined ? {} : { network }),
        perDay,
        initial: baseline,
        rampUp: DEMAND_WORKLOAD.rampUpMs,
        localTenants: true,
        groups: vms.map((vm) => {
          const disk = vm.dataDisks?.[0];
          return {
            offering: vm.offering,
            weight: vm.count,
            ...(vm.template === undefined ? {} : { template: vm.template }),
            ...(disk === undefined ? {} : { diskOffering: disk.offering }),
            ...(disk?.sizeGiB === undefined ? {} : { dataDiskGiB: disk.sizeGiB }),
            ...(vm.rootDiskGiB === undefined ? {} : { rootDiskGiB: vm.rootDiskGiB }),
          };
        }),
      }));
      const kinds = vms.map((vm) => `${vm.count} ${vm.offering}${vm.template ? ` (${vm.template})` : ''}${vm.dataDisks?.[0] ? ` + ${vm.dataDisks[0].offering}` : ''}`).join(', ');
      rule.push(`zone ${zone.name}${network === undefined ? '' : `, network ${network}`}: ${baseline} VMs at baseline (${kinds}), then ${perDay} arrivals a day growing ${DEMAND_WORKLOAD.growthPercent}%/month`);
    }
    const vpcs = zd.vpcs?.count ?? 0;
    const l2 = typeof zd.l2Networks === 'number' ? zd.l2Networks : zd.l2Networks?.count ?? 0;
    if (vpcs > 0) leftOut.push(`${vpcs} VPCs`);
    if (l2 > 0) leftOut.push(`${l2} L2 networks`);
    if ((zd.acquiredPublicIps ?? 0) > 0) leftOut.push(`${zd.acquiredPublicIps} acquired public IPs`);
    if ((zd.snapshots?.perVolume ?? 0) > 0) leftOut.push('snapshots');
    if (leftOut.length > 0) rule.push(`zone ${zone.name}, not simulated: ${leftOut.join(', ')}`);
  }
  if (!anyVms) return { ok: false, message: 'the demand: plans no VMs the default workload can deploy; add a simulation: section' };
  workloads.push(workloadEntry(monthlyGrowth, { name: 'monthlyGrowth', percent: DEMAND_WORKLOAD.growthPercent }));
  workloads.push(workloadEntry(vmLifetimes, { name: 'vmLifetimes', distribution: 'exponential', mean: L }));
  return { ok: true, workload: { simulation: { ...base, workloads, faults: [] }, rule } };
}

type Target = { kind: 'deploy'; network: string | undefined } | { kind: 'skip'; why: string };

/** Where the demand puts a VM entry, in the default workload's terms. */
function vmTarget(zone: ZoneSpec, vm: VmDemandSpec, ownNetworks: boolean): Target {
  const shared = (zone.networks ?? []).filter((n) => n.type === 'Shared');
  const basicLike = zone.networkType === 'Basic' || zone.securityGroups === true;
  const wanted = vm.network ?? (basicLike ? 'shared' : 'isolated');
  switch (wanted) {
    case 'isolated':
      if (ownNetworks) return { kind: 'deploy', network: undefined };
      // A zone without a guest CIDR has no tenant networks; its first declared network takes the VMs.
      return zone.networks?.[0] ? { kind: 'deploy', network: zone.networks[0].name } : { kind: 'skip', why: 'no isolated networks in the zone' };
    case 'shared':
      if (zone.networkType === 'Basic') return { kind: 'deploy', network: undefined };
      return shared[0] ? { kind: 'deploy', network: shared[0].name } : { kind: 'skip', why: 'no shared network in the zone' };
    case 'vpc':
    case 'l2':
    case 'none':
      return { kind: 'skip', why: `on ${wanted === 'none' ? 'no network' : wanted === 'vpc' ? 'VPC tiers' : 'L2 networks'}` };
    default:
      return { kind: 'deploy', network: wanted };
  }
}

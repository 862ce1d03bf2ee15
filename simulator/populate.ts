import type { Command } from '../core/model/commands.js';
import type { Id, Network, Zone } from '../core/model/entities.js';
import type { DomainEvent } from '../core/model/events.js';
import type { ScenarioSpec, ZoneDemandSpec } from '../core/scenario/schema.js';
import { SECOND_MS } from './distributions.js';
import type { Simulation } from './simulation.js';

/**
 * Puts a scenario's `demand:` into a simulated cloud, through the core like any user would: the
 * tenants, their networks and every VM the demand counts, each an API request at the current
 * virtual time. A drill on a scenario without simulation workloads needs a cloud with VMs in it;
 * this is how it gets one. The result is reproducible: names and the order of requests follow the
 * file, and whatever is drawn (placement under the random host allocator) comes from the run's seed.
 *
 * The rule, per zone entry in file order:
 *
 * - tenants: `accounts` new accounts `<zone>-tenant-<n>`; without a count, the scenario's declared
 *   accounts; without any, one account `<zone>-tenant-1`;
 * - networks: `isolatedNetworks` isolated networks `<zone>-net-<n>`, `l2Networks` L2 networks
 *   `<zone>-l2-<n>`, `vpcs` VPCs `<zone>-vpc-<n>` (10.0.0.0/16) with `tiersPerVpc` tiers
 *   (10.0.<t>.0/24); network n belongs to tenant n (round robin over the tenants);
 * - VMs: the groups in order; the k-th VM of the zone belongs to tenant k (round robin), is named
 *   `<offering>-<n>` (n counts that offering's VMs over the whole demand), and goes on the kind of
 *   network its group names: the tenant's own isolated networks (round robin; none: the
 *   account's default network, which the core creates), the named shared network, the tenant's
 *   L2 networks or VPC tiers (round robin). Its first data disk comes with the deploy; further
 *   disks are created and attached after it.
 *
 * Acquired public IPs, console sessions, snapshots and VPC internal load balancer VMs are sizing
 * figures with no bearing on where VMs run; they are not created. Refused requests are counted
 * by reason, not retried: a design whose limits or capacity refuse its own demand shows it here.
 */

export interface PopulationReport {
  /** What the cloud was populated from. */
  source: 'simulation' | 'demand' | 'none';
  /** Demand only: VMs the demand asks for, and how many the core accepted. */
  vmsRequested: number;
  vmsDeployed: number;
  accountsCreated: number;
  networksCreated: number;
  /** Refused requests by reason (numbers in the reason kept: they are the design's). */
  refused: { request: string; reason: string; count: number }[];
  /** Commands refused while the cloud was built or its system VMs brought up (the design's errors). */
  buildProblems: string[];
}

/**
 * Deploys the scenario's demand at the current virtual time; the simulation must have started.
 * `onProgress` gets the share of the demand's VMs requested so far.
 */
export function deployDemand(run: Simulation, onProgress?: (fraction: number) => void): PopulationReport {
  const total = demandVmCount(run.spec);
  const report: PopulationReport = { source: 'demand', vmsRequested: 0, vmsDeployed: 0, accountsCreated: 0, networksCreated: 0, refused: [], buildProblems: [] };
  const refusals = new Map<string, { request: string; reason: string; count: number }>();
  const kinds = new Map<string, number>();
  const refuse = (request: string, reason: string, count = 1): void => {
    let key = `${request}\u0000${reason}`;
    if (!refusals.has(key)) {
      // A full cloud refuses with messages that differ in their numbers: past a few kinds, one line.
      const seen = kinds.get(request) ?? 0;
      if (seen >= MAX_REASONS) {
        key = `${request}\u0000other`;
        reason = 'other reasons';
      } else {
        kinds.set(request, seen + 1);
      }
    }
    const entry = refusals.get(key) ?? { request, reason, count: 0 };
    entry.count += count;
    refusals.set(key, entry);
  };
  const submit = (command: Command, what: string): DomainEvent[] | undefined => {
    const result = run.runtime.submit(command);
    if (result.ok) return result.step.events;
    refuse(what, result.rejection.message);
    return undefined;
  };
  const state = run.runtime.state;
  const offeringCount = new Map<string, number>();
  for (const entry of run.spec.demand ?? []) {
    const zone = [...state.zones.values()].find((z) => z.name === entry.zone);
    if (!zone) {
      // The design rules report an unknown demand zone; the drill just has nothing to put there.
      const count = (entry.vms ?? []).reduce((n, vm) => n + vm.count, 0);
      report.vmsRequested += count;
      refuse('deploy', `zone ${entry.zone} is not in the design`, count);
      continue;
    }
    const tenants = tenantsFor(run, entry, zone, submit, report);
    const isolated = networksFor(tenants.length, isolatedCount(entry), (n, owner) => {
      const redundant = typeof entry.isolatedNetworks === 'object' && entry.isolatedNetworks.redundantRouter === true;
      return submit({ type: 'createNetwork', zoneId: zone.id, name: `${zone.name}-net-${n}`, guestType: 'Isolated', accountId: tenants[owner]!, ...(redundant ? { redundantRouter: true } : {}) }, 'create isolated network');
    });
    const l2 = networksFor(tenants.length, l2Count(entry), (n, owner) => submit({ type: 'createNetwork', zoneId: zone.id, name: `${zone.name}-l2-${n}`, guestType: 'L2', accountId: tenants[owner]! }, 'create L2 network'));
    const tiers = vpcTiers(entry, zone, tenants, submit);
    for (const list of [isolated, l2, tiers]) for (const ids of list) report.networksCreated += ids.length;
    const sharedByName = new Map<string, Id>();
    for (const id of state.index.networksByZone.get(zone.id) ?? []) {
      const network: Network | undefined = state.networks.get(id);
      if (network?.guestType === 'Shared') {
        sharedByName.set(network.name, network.id);
        if (!sharedByName.has('shared')) sharedByName.set('shared', network.id);
      }
    }
    const basic = zone.networkType === 'Basic' || zone.securityGroupsEnabled;
    /** VMs placed so far per tenant and network kind, for the round robin over its networks. */
    const turns = new Map<string, number>();
    let k = 0;
    for (const group of entry.vms ?? []) {
      const offeringId = [...state.serviceOfferings.values()].find((o) => o.name === group.offering && o.systemVmType === undefined)?.id;
      const templateId = group.template === undefined ? undefined : run.templateId(group.template);
      const diskOfferings = (group.dataDisks ?? []).flatMap((disk) => {
        const offering = [...state.diskOfferings.values()].find((o) => o.name === disk.offering);
        return Array.from({ length: disk.count ?? 1 }, () => ({ id: offering?.id, name: disk.offering, sizeGiB: disk.sizeGiB }));
      });
      const networkKind = group.network ?? (basic ? 'shared' : 'isolated');
      for (let i = 0; i < group.count; i++, k++) {
        report.vmsRequested++;
        if (onProgress && report.vmsRequested % 1000 === 0) onProgress(report.vmsRequested / total);
        const n = (offeringCount.get(group.offering) ?? 0) + 1;
        offeringCount.set(group.offering, n);
        const vmName = `${group.offering}-${n}`;
        if (tenants.length === 0) {
          refuse('deploy', `no tenant account of zone ${zone.name} could be created`);
          continue;
        }
        const tenant = k % tenants.length;
        const accountId = tenants[tenant]!;
        if (offeringId === undefined) {
          refuse('deploy', `compute offering ${group.offering} is not declared`);
          continue;
        }
        if (group.template !== undefined && templateId === undefined) {
          refuse('deploy', `template ${group.template} could not be registered`);
          continue;
        }
        const pick = (lists: Id[][], kind: string): { networkId?: Id } | string => {
          const own = lists[tenant] ?? [];
          if (own.length === 0) return kind === 'isolated' ? {} : `tenant ${tenant + 1} of zone ${zone.name} has no ${kind} network to deploy on`;
          const key = `${kind}\u0000${tenant}`;
          const turn = turns.get(key) ?? 0;
          turns.set(key, turn + 1);
          return { networkId: own[turn % own.length]! };
        };
        const shared = sharedByName.get(networkKind);
        const network =
          networkKind === 'isolated' ? pick(isolated, 'isolated')
          : networkKind === 'l2' ? pick(l2, 'L2')
          : networkKind === 'vpc' ? pick(tiers, 'VPC tier')
          : networkKind === 'none' ? {}
          : shared !== undefined ? { networkId: shared }
          : `network ${networkKind} is not a shared network of zone ${zone.name}`;
        if (typeof network === 'string') {
          refuse('deploy', network);
          continue;
        }
        const networkId = network.networkId;
        const [first, ...more] = diskOfferings;
        if (first && first.id === undefined) {
          refuse('deploy', `disk offering ${first.name} is not declared`);
          continue;
        }
        const command: Command = {
          type: 'deployVirtualMachine',
          zoneId: zone.id,
          accountId,
          serviceOfferingId: offeringId,
          name: vmName,
          ...(templateId === undefined ? {} : { templateId }),
          ...(networkId === undefined ? {} : { networkIds: [networkId] }),
          ...(group.rootDiskGiB === undefined ? {} : { rootDiskSizeGiB: group.rootDiskGiB }),
          ...(first?.id === undefined ? {} : { diskOfferingId: first.id, ...(first.sizeGiB === undefined ? {} : { dataDiskSizeGiB: first.sizeGiB }) }),
        };
        const events = submit(command, 'deploy');
        if (!events) continue;
        report.vmsDeployed++;
        const vmId = lastUserVm(events);
        if (vmId === undefined) continue;
        more.forEach((disk, d) => {
          if (disk.id === undefined) return;
          const volume = submit({ type: 'createVolume', zoneId: zone.id, accountId, name: `${vmName}-data-${d + 2}`, diskOfferingId: disk.id, ...(disk.sizeGiB === undefined ? {} : { sizeGiB: disk.sizeGiB }) }, 'create data volume');
          const created = volume?.find((e) => e.type === 'volumeCreated');
          if (created?.type === 'volumeCreated') submit({ type: 'attachVolume', id: created.volume.id, vmId }, 'attach data volume');
        });
      }
    }
  }
  report.refused = [...refusals.values()];
  return report;
}

function lastUserVm(events: readonly DomainEvent[]): Id | undefined {
  let id: Id | undefined;
  for (const event of events) if (event.type === 'vmCreated' && event.vm.kind === 'User') id = event.vm.id;
  return id;
}

type Submit = (command: Command, what: string) => DomainEvent[] | undefined;

/** Distinct refusal reasons kept per kind of request; the rest are counted as "other reasons". */
const MAX_REASONS = 20;

function tenantsFor(run: Simulation, entry: ZoneDemandSpec, zone: Zone, submit: Submit, report: PopulationReport): Id[] {
  const state = run.runtime.state;
  const count = entry.accounts ?? 0;
  const tenants: Id[] = [];
  if (count === 0) {
    for (const declared of run.spec.accounts ?? []) {
      const account = [...state.accounts.values()].find((a) => a.name === declared.name);
      if (account) tenants.push(account.id);
    }
    if (tenants.length > 0) return tenants;
  }
  for (let n = 1; n <= Math.max(1, count); n++) {
    const events = submit({ type: 'createAccount', name: `${zone.name}-tenant-${n}` }, 'create account');
    const created = events?.find((e) => e.type === 'accountCreated');
    if (created?.type === 'accountCreated') {
      tenants.push(created.account.id);
      report.accountsCreated++;
    }
  }
  return tenants;
}

const isolatedCount = (entry: ZoneDemandSpec): number => (typeof entry.isolatedNetworks === 'number' ? entry.isolatedNetworks : entry.isolatedNetworks?.count ?? 0);
const l2Count = (entry: ZoneDemandSpec): number => (typeof entry.l2Networks === 'number' ? entry.l2Networks : entry.l2Networks?.count ?? 0);

/** `count` networks made by `create(n, owner)`, as lists per tenant. */
function networksFor(tenants: number, count: number, create: (n: number, owner: number) => DomainEvent[] | undefined): Id[][] {
  const byTenant: Id[][] = Array.from({ length: tenants }, () => []);
  if (tenants === 0) return byTenant;
  for (let n = 1; n <= count; n++) {
    const owner = (n - 1) % tenants;
    const created = create(n, owner)?.find((e) => e.type === 'networkCreated');
    if (created?.type === 'networkCreated') byTenant[owner]!.push(created.network.id);
  }
  return byTenant;
}

function vpcTiers(entry: ZoneDemandSpec, zone: Zone, tenants: Id[], submit: Submit): Id[][] {
  const byTenant: Id[][] = Array.from({ length: tenants.length }, () => []);
  const vpcs = entry.vpcs;
  if (!vpcs || tenants.length === 0) return byTenant;
  for (let n = 1; n <= vpcs.count; n++) {
    const owner = (n - 1) % tenants.length;
    const events = submit({ type: 'createVPC', zoneId: zone.id, name: `${zone.name}-vpc-${n}`, cidr: '10.0.0.0/16', accountId: tenants[owner]!, ...(vpcs.redundantRouter ? { redundantRouter: true } : {}) }, 'create VPC');
    const created = events?.find((e) => e.type === 'vpcCreated');
    if (created?.type !== 'vpcCreated') continue;
    for (let t = 1; t <= (vpcs.tiersPerVpc ?? 1); t++) {
      const tier = submit(
        { type: 'createNetwork', zoneId: zone.id, vpcId: created.vpc.id, name: `${zone.name}-vpc-${n}-tier-${t}`, guestType: 'Isolated', accountId: tenants[owner]!, gateway: `10.0.${t}.1`, netmask: '255.255.255.0' },
        'create VPC tier',
      );
      const network = tier?.find((e) => e.type === 'networkCreated');
      if (network?.type === 'networkCreated') byTenant[owner]!.push(network.network.id);
    }
  }
  return byTenant;
}

/**
 * Runs the cloud until nothing populated is still on its way up (no VM Starting), in steps of
 * 10 s of virtual time, at most `boundMs`. Returns the virtual time reached.
 */
export function settlePopulation(run: Simulation, boundMs = 3_600 * SECOND_MS): number {
  const deadline = run.nowMs + boundMs;
  for (;;) {
    let starting = false;
    for (const vm of run.runtime.state.vms.values()) {
      if (vm.state === 'Starting') {
        starting = true;
        break;
      }
    }
    if (!starting || run.nowMs >= deadline) return run.nowMs;
    run.runUntil(Math.min(run.nowMs + 10 * SECOND_MS, deadline));
  }
}

/** Total VMs a scenario's demand asks for. */
export function demandVmCount(spec: ScenarioSpec): number {
  let n = 0;
  for (const entry of spec.demand ?? []) for (const vm of entry.vms ?? []) n += vm.count;
  return n;
}

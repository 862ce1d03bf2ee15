/**
 * Drills on the shipped scenarios/drills/no-headroom.yaml: two application clusters of four hosts
 * (36 HA VMs of 4,000 MHz at 56 %) and a db cluster of three hosts (9 HA VMs of 8,000 MHz and
 * 32 GiB at 75 %), hosts of 32,000 MHz, least-consumed host order, seed 7. The cloud is populated
 * from the demand section; each failure kind is played out in the simulator with the exact VMs
 * it takes down, what HA restarts and where, what it strands, and how long recovery takes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../core/scenario/parse.js';
import type { ScenarioSpec } from '../../core/scenario/schema.js';
import { HOUR_MS, MINUTE_MS } from '../../simulator/distributions.js';
import { failureDrill, type FailureDrillResult, type FailureDrillOptions } from '../../simulator/drill-fail.js';
import { monteCarloRun, mtbfFaults, percentile, summarizeMonteCarlo, type MonteCarloInput } from '../../simulator/drill-montecarlo.js';
import { prepareDrill, resolveTarget } from '../../simulator/drill-setup.js';
import { evaluateHostLosses } from '../../simulator/nminus1.js';
import { runSeeds, seedRange } from '../../simulator/parallel.js';
import { parseSimulation } from '../../simulator/schema.js';

const FILE = 'scenarios/drills/no-headroom.yaml';

function scenario(): ScenarioSpec {
  const parsed = parseScenarioText(readFileSync(FILE, 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.spec;
}

function drill(options: FailureDrillOptions): FailureDrillResult {
  const outcome = failureDrill(scenario(), options);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome));
  return outcome.drill;
}

const names = (list: readonly { vm: string }[]): string[] => list.map((v) => v.vm).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

describe('populating a cloud from its demand', () => {
  it('deploys every VM of the demand through the core, by the documented names and round robin', () => {
    const prepared = prepareDrill(scenario());
    if (!prepared.ok) throw new Error(JSON.stringify(prepared.problems));
    const { run, population, atMs } = prepared.setup;
    expect(population).toEqual({ source: 'demand', vmsRequested: 45, vmsDeployed: 45, accountsCreated: 3, networksCreated: 3, refused: [], buildProblems: [] });
    expect(atMs).toBe(HOUR_MS);
    expect(run.nowMs).toBe(HOUR_MS);
    const state = run.runtime.state;
    const accounts = [...state.accounts.values()].filter((a) => a.name.startsWith('zone1-tenant-')).map((a) => a.name);
    expect(accounts).toEqual(['zone1-tenant-1', 'zone1-tenant-2', 'zone1-tenant-3']);
    const users = [...state.vms.values()].filter((vm) => vm.kind === 'User');
    expect(users.map((vm) => vm.name)).toEqual([...Array.from({ length: 9 }, (_, i) => `db-${i + 1}`), ...Array.from({ length: 36 }, (_, i) => `app-${i + 1}`)]);
    expect(users.every((vm) => vm.state === 'Running')).toBe(true);
    // The k-th VM belongs to tenant k mod 3, on that tenant's L2 network.
    const owner = (name: string): string => state.accounts.get(users.find((vm) => vm.name === name)!.accountId)!.name;
    expect([owner('db-1'), owner('db-2'), owner('db-3'), owner('db-4'), owner('app-1')]).toEqual(['zone1-tenant-1', 'zone1-tenant-2', 'zone1-tenant-3', 'zone1-tenant-1', 'zone1-tenant-1']);
    const network = (name: string): string => state.networks.get(users.find((vm) => vm.name === name)!.nics[0]!.networkId!)!.name;
    expect([network('db-1'), network('db-2'), network('db-3')]).toEqual(['zone1-l2-1', 'zone1-l2-2', 'zone1-l2-3']);
    // Least consumed first: three db VMs a host; the tags keep the app VMs off the db hosts.
    const onHost = (prefix: string): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const vm of users.filter((v) => v.name.startsWith(prefix))) {
        const host = state.hosts.get(vm.hostId!)!.name;
        out[host] = (out[host] ?? 0) + 1;
      }
      return out;
    };
    expect(onHost('db-')).toEqual({ 'db-kvm1': 3, 'db-kvm2': 3, 'db-kvm3': 3 });
    expect(Object.keys(onHost('app-')).every((h) => h.startsWith('app-'))).toBe(true);
  });

  it('finds failure targets by name or id, and says what exists when a name is wrong', () => {
    const prepared = prepareDrill(scenario(), { atMs: MINUTE_MS });
    if (!prepared.ok) throw new Error('no cloud');
    const state = prepared.setup.run.runtime.state;
    const pod = resolveTarget(state, 'pod', 'pod1');
    expect(pod.ok && pod.target.hostIds.length).toBe(11);
    const zone = resolveTarget(state, 'zone', 'zone1');
    expect(zone.ok && [zone.target.hostIds.length, zone.target.poolIds.length]).toEqual([11, 3]);
    const byId = resolveTarget(state, 'cluster', [...state.clusters.values()].find((c) => c.name === 'db')!.id);
    expect(byId.ok && byId.target.name).toBe('db');
    expect(resolveTarget(state, 'host', 'db-kvm9')).toEqual({ ok: false, message: '--target: no host named "db-kvm9" (did you mean "db-kvm1"?); hosts: app-a-kvm1, app-a-kvm2, app-a-kvm3, app-a-kvm4, app-b-kvm1, app-b-kvm2, app-b-kvm3, app-b-kvm4, … (11)' });
    expect(resolveTarget(state, 'management', 'mgmt1').ok).toBe(false);
  });
});

describe('--fail, each kind', () => {
  it('host: a db host strands all three of its VMs: the survivors have no room under the threshold', () => {
    const result = drill({ kind: 'host', target: 'db-kvm1' });
    const { impact } = result;
    expect([result.atMs, result.repairMs]).toEqual([HOUR_MS, 2 * HOUR_MS]);
    expect(impact.label).toBe('host db-kvm1');
    expect(impact.vmsAffected).toBe(3);
    // db-kvm2 and db-kvm3 hold 48,000 of their 64,000 MHz: one more VM of 8,000 makes 87.5 %.
    expect(impact.restarted).toEqual([]);
    expect(names(impact.stranded)).toEqual(['db-1', 'db-4', 'db-7']);
    // The HA manager tried again every restart.retry.interval and gave up after max.retries.
    for (const vm of impact.stranded) expect(vm.reason).toMatch(/^host db-kvm1 went down; HA restart failed 6 times, giving up \(max\.retries 5\); the last time: .*cluster over the 0\.85 CPU disable threshold/);
    expect(impact.shortfall).toEqual([{ cluster: 'db', cpuMhz: 24_000, memoryMiB: 98_304, vms: 3 }]);
    expect(impact.timeToRecoverMs).toBeNull();
    expect(result.settleMs).toBe(110_000);
    expect(result.unsettled).toEqual([]);
    expect(result.probe).toBeNull();
    expect(result.strandedAtEnd.map((v) => v.name).sort()).toEqual(['db-1', 'db-4', 'db-7']);
  });

  it('host: an application host is absorbed by its three neighbours', () => {
    const { impact } = drill({ kind: 'host', target: 'app-a-kvm2' });
    expect(impact.vmsAffected).toBe(5);
    expect(names(impact.restarted)).toEqual(['app-2', 'app-10', 'app-18', 'app-26', 'app-34']);
    expect(impact.restarted.every((r) => r.toHost.startsWith('app-a-') && r.toHost !== 'app-a-kvm2')).toBe(true);
    expect([impact.stranded, impact.downWithoutHa, impact.shortfall]).toEqual([[], [], []]);
    expect(impact.timeToRecoverMs).toBe(160_127);
  });

  it('cluster: every host of app-b down for an hour leaves HA nowhere to go', () => {
    const result = drill({ kind: 'cluster', target: 'app-b' });
    const { impact } = result;
    expect(impact.hosts).toEqual(['app-b-kvm1', 'app-b-kvm2', 'app-b-kvm3', 'app-b-kvm4']);
    expect(impact.vmsAffected).toBe(18);
    expect(impact.restarted).toEqual([]);
    expect(impact.stranded).toHaveLength(18);
    // Tried at once, then every 10 minutes five more times: all before the hosts return.
    for (const vm of impact.stranded) expect(vm.reason).toMatch(/HA restart failed 6 times, giving up \(max\.retries 5\)/);
    expect(impact.shortfall).toEqual([{ cluster: 'app-b', cpuMhz: 72_000, memoryMiB: 73_728, vms: 18 }]);
    expect(impact.timeToRecoverMs).toBeNull();
    expect(impact.repairedAtMs).toBe(2 * HOUR_MS);
  });

  it('cluster: back after 30 minutes, the HA retries restart every VM on its own hosts', () => {
    const { impact } = drill({ kind: 'cluster', target: 'app-b', repairMs: 30 * MINUTE_MS });
    expect(impact.vmsAffected).toBe(18);
    expect(impact.restarted).toHaveLength(18);
    expect(impact.stranded).toEqual([]);
    for (const r of impact.restarted) {
      expect(r.toHost.startsWith('app-b-')).toBe(true);
      expect(r.runningAtMs).toBeGreaterThan(HOUR_MS + 30 * MINUTE_MS);
    }
    // The hosts are back at 30m and reconnect; the next retry (every 10 minutes) restarts them.
    expect(impact.timeToRecoverMs).toBe(2_020_798);
  });

  it('pod: the whole pod, system VMs included, with the shortfall of each cluster', () => {
    const { impact, vmsAtFailure } = drill({ kind: 'pod', target: 'pod1' });
    expect(vmsAtFailure).toEqual({ user: 45, system: 2 });
    expect(impact.vmsAffected).toBe(47);
    expect(impact.restarted).toEqual([]);
    // The zone's system VMs go down with it. At the repair, the first hosts back do not reach their
    // cluster's storage: their managers cannot start them there, destroy them and build new ones.
    expect(impact.stranded.filter((v) => v.kind !== 'User')).toEqual([]);
    expect(impact.replaced.map((r) => r.vm).sort()).toEqual(['s-zone1-1', 'v-zone1-1']);
    for (const r of impact.replaced) expect(r.reason).toMatch(/^the (secondary storage VM|console proxy) manager could not start it: .*out of reach of the pool of an existing volume/);
    expect(impact.destroyed).toBe(0);
    // app-a's 18 user VMs; the two system VMs it ran are replaced, not stranded.
    expect(impact.shortfall.map((s) => [s.cluster, s.vms]).sort()).toEqual([['app-a', 18], ['app-b', 18], ['db', 9]]);
  });

  it('zone: hosts and primary storage go dark together; every affected VM is accounted for', () => {
    const { impact } = drill({ kind: 'zone', target: 'zone1' });
    expect(impact.hosts).toHaveLength(11);
    expect(impact.pools.sort()).toEqual(['app-a-nfs', 'app-b-nfs', 'db-nfs']);
    expect(impact.vmsAffected).toBe(47);
    expect(impact.restarted.length + impact.stranded.length + impact.downWithoutHa.length + impact.destroyed + impact.replaced.length + impact.pending).toBe(47);
    // Nothing runs before the zone is back two hours later.
    for (const r of impact.restarted) expect(r.runningAtMs).toBeGreaterThan(3 * HOUR_MS);
  });

  it('storage: the db pool stops its VMs; HA restarts each on its own host when the pool is back', () => {
    const result = drill({ kind: 'storage', target: 'db-nfs' });
    const { impact } = result;
    expect(impact.hosts).toEqual([]);
    expect(impact.pools).toEqual(['db-nfs']);
    expect(impact.vmsAffected).toBe(9);
    // Stopped VMs keep their capacity reserved on their hosts; a restart gives its own back, and
    // HA tries the last host first: all nine return where they were.
    expect(names(impact.restarted)).toEqual(['db-1', 'db-2', 'db-3', 'db-4', 'db-5', 'db-6', 'db-7', 'db-8', 'db-9']);
    for (const r of impact.restarted) {
      expect(r.toHost).toBe(r.fromHost);
      // Nothing restarts before the pool is back (30 minutes) and remounted.
      expect(r.runningAtMs).toBeGreaterThan(HOUR_MS + 30 * MINUTE_MS);
    }
    expect([impact.stranded, impact.shortfall]).toEqual([[], []]);
    expect(impact.timeToRecoverMs).toBe(1_992_677);
    expect(result.settleMs).toBe(200_000);
  });

  it('management: running VMs keep running while the API is refused; nothing needs restarting', () => {
    const result = drill({ kind: 'management' });
    const { impact, probe } = result;
    expect(impact.label).toBe('the management server');
    expect(impact.vmsAffected).toBe(0);
    expect(impact.managementImpact).toEqual({ runningAtFailure: 45, runningBeforeRepair: 45, apiRefused: 1, reportsHeld: 0 });
    expect(probe).toEqual({
      atMs: HOUR_MS + 7.5 * MINUTE_MS,
      request: 'startVirtualMachine',
      accepted: false,
      code: 'RESOURCE_UNAVAILABLE',
      message: 'the management server is down; running VMs go on, but nothing can be changed until it returns',
    });
    expect(impact.timeToRecoverMs).toBe(15 * MINUTE_MS);
    expect(result.settleMs).toBe(0);
  });

  it('agrees with n-1 on what the loss of each db host does', () => {
    const prepared = prepareDrill(scenario());
    if (!prepared.ok) throw new Error('no cloud');
    const losses = evaluateHostLosses(prepared.setup.run.runtime.state, { seed: 7, keepRestarted: true }).filter((l) => l.cluster === 'db');
    for (const loss of losses) {
      const { impact } = drill({ kind: 'host', target: loss.host });
      expect(names(impact.restarted)).toEqual(names(loss.restartedVms!));
      expect(names(impact.stranded)).toEqual(names(loss.stranded));
      expect(impact.restarted.map((r) => `${r.vm}@${r.toHost}`).sort()).toEqual(loss.restartedVms!.map((r) => `${r.vm}@${r.toHost}`).sort());
    }
  });
});

describe('Monte Carlo', () => {
  const input = (): MonteCarloInput => {
    const spec = scenario();
    const section = parseSimulation(spec.simulation, undefined, spec);
    if (!section.ok) throw new Error('section');
    const faults = mtbfFaults(section.simulation, { hostMtbf: '30d', hostMttr: '4h' });
    if (!faults.ok) throw new Error(faults.problems.join());
    return { spec, faults: faults.faults, windowMs: 10 * 24 * HOUR_MS };
  };

  it('gives the same percentiles for the same seeds, and other runs for other seeds', async () => {
    const first = summarizeMonteCarlo(await runSeeds({ module: new URL('../../simulator/drill-montecarlo.js', import.meta.url), job: 'monteCarloRun', input: input(), seeds: seedRange(7, 4), workers: 0 }));
    const again = summarizeMonteCarlo(seedRange(7, 4).map((seed) => monteCarloRun(input(), seed)));
    expect(again).toEqual(first);
    expect(first.runs).toBe(4);
    expect(first.firstSeed).toBe(7);
    const other = seedRange(100, 4).map((seed) => monteCarloRun(input(), seed));
    expect(other.map((r) => r.vmsAffected)).not.toEqual(seedRange(7, 4).map((seed) => monteCarloRun(input(), seed).vmsAffected));
    expect(first.failures.p10).toBeLessThanOrEqual(first.failures.p50);
    expect(first.failures.p50).toBeLessThanOrEqual(first.failures.p90);
    expect(first.failures.p90).toBeLessThanOrEqual(first.failures.max);
  });

  it('draws failures only from MTBF figures: the options, else the section\'s faults with mtbf', () => {
    const spec = scenario();
    const section = parseSimulation(spec.simulation, undefined, spec);
    if (!section.ok) throw new Error('section');
    expect(mtbfFaults(section.simulation, {})).toMatchObject({ ok: false });
    expect(mtbfFaults(section.simulation, { hostMttr: '1h' })).toEqual({ ok: false, problems: ['--mttr: needs --mtbf (the mean time between failures it repairs)'] });
    expect(mtbfFaults(section.simulation, { storageMtbf: 'soon' })).toEqual({ ok: false, problems: ['--storage-mtbf: "soon" is not a duration; write a duration with its unit: 250ms, 90s, 15m, 4h, 30d or 2w'] });
    const drawn = mtbfFaults(section.simulation, { hostMtbf: '365d', storageMtbf: '2w' });
    expect(drawn.ok && drawn.faults.map((f) => [f.name, (f.options as { mtbf: number }).mtbf])).toEqual([['hostCrash', 365 * 24 * HOUR_MS], ['primaryStorageOutage', 14 * 24 * HOUR_MS]]);
  });

  it('takes nearest-rank percentiles', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect([percentile(sorted, 10), percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 100)]).toEqual([1, 5, 9, 10]);
    expect(percentile([7], 10)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});

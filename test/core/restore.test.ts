/**
 * Restoring a state from its snapshot: a restart loads the latest snapshot and replays the events
 * after it, so the restored state must be the same cloud as the one the snapshot was taken of,
 * in its records and in everything derived from them, and must go on exactly as it would have.
 *
 * - Every shipped scenario, as built and after a short workload, restores to equal records and
 *   equal derived structures (derivedOf in test/support/derived.ts says what equal means there).
 * - Under random operations, a state restored at a random point and the original, given the same
 *   further operations, decide the same events and end in the same records and derived structures.
 * - The facts that only the records carry through a restore, one case each: the order VMs came to
 *   a host (HA follows it), a stopped VM's reservation, the order an expunge revokes rules in,
 *   deleted networks' VLANs and ranges, users and keys, addresses a later range blocked.
 * - A snapshot that went through JSON text, as the store keeps it, restores the same way, and the
 *   restored state never writes back into the snapshot it came from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evolve } from '../../core/evolve.js';
import type { Command } from '../../core/model/commands.js';
import { uuidFor } from '../../core/ids.js';
import { restoreState } from '../../core/model/restore.js';
import { snapshotOf } from '../../core/model/snapshot.js';
import { type CloudState, vmsOnHost } from '../../core/model/state.js';
import { formatIpv4 } from '../../core/net/ipv4.js';
import { SYSTEM_CALLER } from '../../core/ports.js';
import { SeededRng } from '../../core/rng.js';
import { buildScenario } from '../../core/scenario/build.js';
import { parseScenarioText } from '../../core/scenario/parse.js';
import type { ScenarioSpec } from '../../core/scenario/schema.js';
import { cloudOver, testCloud, type TestCloud, tinyDatacenter } from '../support/cloud.js';
import { derivedOf } from '../support/derived.js';
import { applyLifecycleOp, lifecycleDesign, type LifecycleOp, lifecycleOpArb, spreadGroups } from '../support/lifecycle-ops.js';

/** The records and the derived structures of a restored state equal the original's. */
function expectSameCloud(restored: CloudState, original: CloudState): void {
  expect(snapshotOf(restored)).toEqual(snapshotOf(original));
  expect(derivedOf(restored)).toEqual(derivedOf(original));
}

/** A copy of a generator in the same position: the twin of a cloud must draw what the cloud draws. */
function cloneRng(rng: SeededRng): SeededRng {
  return Object.assign(Object.create(SeededRng.prototype) as SeededRng, rng);
}

/** A cloud restored from the snapshot of another, at the same time, with the same draws and timers to come. */
function restoredTwin(cloud: TestCloud): TestCloud {
  const ctx = { ...cloud.ctx, rng: cloneRng(cloud.ctx.rng as SeededRng) };
  return cloudOver(restoreState(snapshotOf(cloud.state)), ctx, [], structuredClone(cloud.timers));
}

/** A public KVM template "os" of 3 GiB in every zone, owned by the system account. */
function registerTemplate(cloud: TestCloud): void {
  cloud.run({ type: 'registerTemplate', name: 'os', accountId: 'system', format: 'QCOW2', hypervisor: 'KVM', sizeGiB: 3, isPublic: true });
}

function shippedScenarios(): { file: string; spec: ScenarioSpec }[] {
  const files = readdirSync('scenarios').filter((name) => name.endsWith('.yaml')).sort();
  return files.map((file) => {
    const parsed = parseScenarioText(readFileSync(`scenarios/${file}`, 'utf8'));
    if (!parsed.ok) throw new Error(`scenarios/${file} does not parse: ${parsed.problems.map((p) => p.message).join('; ')}`);
    return { file, spec: parsed.spec };
  });
}

/**
 * A little of everything a running cloud holds, whatever the scenario offers: system VMs, a VM of
 * every account on the first template (in each zone, on the default network and on every network
 * the account may use), one of them stopped and one destroyed, an acquired address with a port
 * forward and a load balancer. Commands the scenario cannot take are refused, which is fine.
 */
function runWorkload(cloud: TestCloud): void {
  const state = cloud.state;
  registerTemplate(cloud);
  const template = [...state.templates.values()].find((t) => t.format !== 'ISO');
  const offering = [...state.serviceOfferings.values()].find((o) => o.systemVmType === undefined);
  const accounts = [...state.accounts.values()].filter((a) => a.id !== 'system');
  for (const zone of state.zones.values()) {
    cloud.run({ type: 'ensureSystemVms', zoneId: zone.id });
    if (!offering) continue;
    for (const account of accounts) {
      const base = { type: 'deployVirtualMachine', zoneId: zone.id, accountId: account.id, serviceOfferingId: offering.id, ...(template ? { templateId: template.id } : {}) } as const;
      cloud.run(base);
      for (const network of state.networks.values()) if (network.zoneId === zone.id) cloud.run({ ...base, networkIds: [network.id] });
    }
  }
  const userVms = [...state.vms.values()].filter((vm) => vm.kind === 'User' && vm.state === 'Running');
  if (userVms[0]) cloud.run({ type: 'stopVirtualMachine', id: userVms[0].id });
  if (userVms[1]) cloud.run({ type: 'destroyVirtualMachine', id: userVms[1].id });
  const target = userVms[2];
  const networkId = target?.nics.find((nic) => nic.role === 'guest')?.networkId;
  if (target && networkId !== undefined) {
    cloud.run({ type: 'associateIpAddress', accountId: target.accountId, networkId });
    const ip = [...state.publicIps.values()].reverse().find((p) => p.accountId === target.accountId && !p.sourceNat);
    if (ip) {
      cloud.run({ type: 'createPortForwardingRule', ipAddressId: ip.id, vmId: target.id, protocol: 'tcp', publicPort: 22, privatePort: 22 });
      cloud.run({ type: 'createLoadBalancerRule', ipAddressId: ip.id, name: 'www', algorithm: 'roundrobin', publicPort: 80, privatePort: 8080 });
      const rule = [...state.loadBalancerRules.values()].at(-1);
      if (rule) cloud.run({ type: 'assignToLoadBalancerRule', id: rule.id, vmIds: [target.id] });
    }
  }
  cloud.advance(1000);
}

describe('restoring every shipped scenario from its snapshot', () => {
  const scenarios = shippedScenarios();

  it('finds the shipped scenarios', () => {
    expect(scenarios.length).toBeGreaterThan(5);
  });

  it.each(scenarios.map((s) => [s.file, s.spec] as const))('%s as built', (_file, spec) => {
    const built = buildScenario(spec);
    expectSameCloud(restoreState(snapshotOf(built.state)), built.state);
  });

  it.each(scenarios.map((s) => [s.file, s.spec] as const))('%s after a workload', (_file, spec) => {
    const built = buildScenario(spec);
    const cloud = cloudOver(built.state, { nowMs: 0, rng: new SeededRng(7), actor: SYSTEM_CALLER, mode: 'enforce' });
    runWorkload(cloud);
    expect(cloud.events.length).toBeGreaterThan(0);
    expectSameCloud(restoreState(snapshotOf(cloud.state)), cloud.state);
  });
});

/** The lifecycle operations, and what else a running cloud does to its records between snapshots. */
type RestoreOp =
  | LifecycleOp
  | { op: 'expunge'; vm: number }
  | { op: 'acquireIp'; account: number; network: number }
  | { op: 'releaseIp'; ip: number }
  | { op: 'createNetwork'; account: number }
  | { op: 'deleteNetwork'; account: number; network: number }
  | { op: 'deployInto'; account: number; network: number; template: boolean; start: boolean }
  | { op: 'forwardPort'; ip: number; vm: number; port: number }
  | { op: 'balance'; ip: number; vm: number }
  | { op: 'scale'; vm: number; offering: number };

const restoreOpArb: fc.Arbitrary<RestoreOp> = fc.oneof(
  { weight: 8, arbitrary: lifecycleOpArb },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('expunge' as const), vm: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('acquireIp' as const), account: fc.nat(2), network: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('releaseIp' as const), ip: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('createNetwork' as const), account: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deleteNetwork' as const), account: fc.nat(2), network: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('deployInto' as const), account: fc.nat(2), network: fc.nat(3), template: fc.boolean(), start: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('forwardPort' as const), ip: fc.nat(20), vm: fc.nat(40), port: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('balance' as const), ip: fc.nat(20), vm: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('scale' as const), vm: fc.nat(40), offering: fc.nat(2) }) },
);

/** The lifecycle cloud with a public template "os", so root disks bring template copies to the pools. */
function restoreCloud(seed: number): { cloud: TestCloud; groupOf: Map<string, string> } {
  const cloud = testCloud(lifecycleDesign(), seed);
  registerTemplate(cloud);
  return { cloud, groupOf: spreadGroups(cloud) };
}

const ACCOUNTS = ['a', 'b', 'c'] as const;
const OFFERINGS = ['ha', 'plain', 'large'] as const;

/** Picks the i-th of a list, modulo its length, so any generated index means something. */
function pick<T>(list: readonly T[], i: number): T | undefined {
  return list.length === 0 ? undefined : list[i % list.length];
}

function applyRestoreOp(cloud: TestCloud, op: RestoreOp, groupOf: Map<string, string>): void {
  const state = cloud.state;
  const userVms = [...state.vms.values()].filter((vm) => vm.kind === 'User');
  const networksOf = (account: number) => {
    const accountId = cloud.idOf('account', ACCOUNTS[account]!);
    return [...state.networks.values()].filter((n) => n.accountId === accountId && n.guestType === 'Isolated' && n.state !== 'Destroy');
  };
  const freeIps = () => [...state.publicIps.values()].filter((ip) => !ip.sourceNat && ip.forSystemVm === undefined);
  let command: Command | undefined;
  switch (op.op) {
    case 'expunge': {
      const vm = pick(userVms.filter((v) => v.state === 'Destroyed'), op.vm);
      if (vm) command = { type: 'expungeVirtualMachine', id: vm.id };
      break;
    }
    case 'acquireIp': {
      const network = pick(networksOf(op.account), op.network);
      if (network) command = { type: 'associateIpAddress', accountId: network.accountId!, networkId: network.id };
      break;
    }
    case 'releaseIp': {
      const ip = pick(freeIps(), op.ip);
      if (ip) command = { type: 'disassociateIpAddress', id: ip.id };
      break;
    }
    case 'createNetwork': {
      const account = ACCOUNTS[op.account]!;
      const name = `${account}-net-${state.networks.size}`;
      command = { type: 'createNetwork', zoneId: cloud.idOf('zone', 'z'), name, guestType: 'Isolated', accountId: cloud.idOf('account', account) };
      break;
    }
    case 'deleteNetwork': {
      const network = pick(networksOf(op.account), op.network);
      if (network) command = { type: 'deleteNetwork', id: network.id };
      break;
    }
    case 'deployInto': {
      const network = pick(networksOf(op.account), op.network);
      if (!network) break;
      command = {
        type: 'deployVirtualMachine',
        zoneId: cloud.idOf('zone', 'z'),
        accountId: network.accountId!,
        serviceOfferingId: cloud.idOf('offering', 'plain'),
        networkIds: [network.id],
        startVm: op.start,
        ...(op.template ? { templateId: cloud.idOf('template', 'os') } : {}),
      };
      break;
    }
    case 'forwardPort': {
      const ip = pick(freeIps(), op.ip);
      const vm = pick(userVms.filter((v) => v.accountId === ip?.accountId && v.nics.some((n) => n.networkId === ip.networkId)), op.vm);
      if (ip && vm) command = { type: 'createPortForwardingRule', ipAddressId: ip.id, vmId: vm.id, protocol: 'tcp', publicPort: 2200 + op.port, privatePort: 22 };
      break;
    }
    case 'balance': {
      const ip = pick(freeIps(), op.ip);
      const vm = pick(userVms.filter((v) => v.accountId === ip?.accountId && v.nics.some((n) => n.networkId === ip.networkId)), op.vm);
      if (!ip || !vm) break;
      let rule = [...state.loadBalancerRules.values()].find((r) => r.publicIpId === ip.id);
      if (!rule) {
        cloud.run({ type: 'createLoadBalancerRule', ipAddressId: ip.id, name: `lb-${state.loadBalancerRules.size}`, algorithm: 'roundrobin', publicPort: 80, privatePort: 8080 });
        rule = [...state.loadBalancerRules.values()].find((r) => r.publicIpId === ip.id);
      }
      if (rule) command = { type: 'assignToLoadBalancerRule', id: rule.id, vmIds: [vm.id] };
      break;
    }
    case 'scale': {
      const vm = pick(userVms, op.vm);
      if (vm) command = { type: 'scaleVirtualMachine', id: vm.id, serviceOfferingId: cloud.idOf('offering', OFFERINGS[op.offering]!) };
      break;
    }
    default:
      applyLifecycleOp(cloud, op, groupOf);
      return;
  }
  if (command) cloud.run(command);
}

describe('a state restored from its snapshot goes on as the original', () => {
  it('decides the same events and ends in the same records and derived structures, wherever the snapshot is taken', () => {
    fc.assert(
      fc.property(fc.array(restoreOpArb, { minLength: 10, maxLength: 80, size: 'max' }), fc.nat(), fc.integer({ min: 1, max: 1000 }), (ops, cutDraw, seed) => {
        const { cloud, groupOf } = restoreCloud(seed);
        const cut = cutDraw % (ops.length + 1);
        for (const op of ops.slice(0, cut)) applyRestoreOp(cloud, op, groupOf);
        const twin = restoredTwin(cloud);
        expectSameCloud(twin.state, cloud.state);
        const before = cloud.events.length;
        for (const op of ops.slice(cut)) {
          applyRestoreOp(cloud, op, groupOf);
          applyRestoreOp(twin, op, groupOf);
        }
        expect(twin.events).toEqual(cloud.events.slice(before));
        expect(twin.timers).toEqual(cloud.timers);
        expectSameCloud(twin.state, cloud.state);
      }),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 60) },
    );
  });
});

describe('facts only the records keep through a restore', () => {
  function tiny() {
    const cloud = testCloud(tinyDatacenter(), 5);
    const zoneId = cloud.idOf('zone', 'z1');
    const deploy = (name: string, account = 'alice', offering = 'ha-4g', extra: Partial<Extract<Command, { type: 'deployVirtualMachine' }>> = {}) =>
      cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: cloud.idOf('account', account), serviceOfferingId: cloud.idOf('offering', offering), name, ...extra });
    return { cloud, zoneId, deploy };
  }

  /** Runs the same commands on a cloud and its restored twin; both must decide the same events. */
  function bothRun(cloud: TestCloud, twin: TestCloud, commands: (c: TestCloud) => void): void {
    const before = cloud.events.length;
    commands(cloud);
    commands(twin);
    expect(twin.events).toEqual(cloud.events.slice(before));
    expectSameCloud(twin.state, cloud.state);
  }

  it('restarts a failed host\'s VMs in the order they came to it, not the order they were created in', () => {
    const { cloud, deploy } = tiny();
    deploy('first');
    deploy('second');
    const host = cloud.vm('first').hostId!;
    expect(cloud.vm('second').hostId).toBe(host);
    // Stopped and started again on its last host, the first VM now came there after the second.
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('first').id });
    cloud.ok({ type: 'startVirtualMachine', id: cloud.vm('first').id });
    expect(cloud.vm('first').hostId).toBe(host);
    const usersOnHost = vmsOnHost(cloud.state, host).filter((vm) => vm.kind === 'User').map((vm) => vm.id);
    expect(usersOnHost).toEqual([cloud.vm('second').id, cloud.vm('first').id]);
    const twin = restoredTwin(cloud);
    bothRun(cloud, twin, (c) => c.ok({ type: 'hostDown', hostId: host }));
    const restarted = twin.events.filter((e) => e.type === 'vmStateChanged' && e.reason === 'restarted by HA').map((e) => twin.state.vms.get((e as { vmId: string }).vmId)!.name);
    // The router goes first (system VMs before user VMs), then the user VMs as they came.
    expect(restarted).toEqual(['r-alice-network', 'second', 'first']);
  });

  it('keeps a stopped VM\'s reservation on its last host until the skip-counting window closes', () => {
    const { cloud, deploy } = tiny();
    deploy('web');
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('web').id });
    expect(cloud.vm('web').capacityReserved).toBe(true);
    const twin = restoredTwin(cloud);
    expect(twin.state.capacity.holdOf(twin.vm('web'))).toMatchObject({ reserved: true, cpuMhz: 4000, memoryMiB: 4096 });
    bothRun(cloud, twin, (c) => c.advance(3600 * 1000));
    expect(twin.state.capacity.holdOf(twin.vm('web'))).toBeUndefined();
    expect(twin.state.vms.get(cloud.vm('web').id)!.capacityReserved).toBeUndefined();
  });

  it('revokes an expunged VM\'s port forwards, then takes it out of its load balancers, whatever order they came in', () => {
    const { cloud, deploy } = tiny();
    deploy('web');
    const networkId = cloud.idOf('network', 'alice-network');
    cloud.ok({ type: 'associateIpAddress', accountId: cloud.idOf('account', 'alice'), networkId });
    const ip = [...cloud.state.publicIps.values()].find((p) => !p.sourceNat)!;
    const web = cloud.vm('web').id;
    cloud.ok({ type: 'createLoadBalancerRule', ipAddressId: ip.id, name: 'www', algorithm: 'roundrobin', publicPort: 80, privatePort: 8080 });
    cloud.ok({ type: 'createLoadBalancerRule', ipAddressId: ip.id, name: 'tls', algorithm: 'roundrobin', publicPort: 443, privatePort: 8443 });
    // The VM joins the load balancers in the reverse of their creation, then gets a port forward.
    for (const ruleId of [...cloud.state.loadBalancerRules.keys()].reverse()) cloud.ok({ type: 'assignToLoadBalancerRule', id: ruleId, vmIds: [web] });
    cloud.ok({ type: 'createPortForwardingRule', ipAddressId: ip.id, vmId: web, protocol: 'tcp', publicPort: 22, privatePort: 22 });
    const twin = restoredTwin(cloud);
    bothRun(cloud, twin, (c) => c.ok({ type: 'destroyVirtualMachine', id: web, expunge: true }));
    expect(twin.events.map((e) => e.type).filter((t) => t !== 'vmStateChanged')).toEqual(['ruleDeleted', 'loadBalancerMembersRemoved', 'loadBalancerMembersRemoved', 'vmExpunged']);
  });

  it('gives a deleted network\'s VLAN and a deleted shared network\'s addresses back', () => {
    const { cloud, zoneId, deploy } = tiny();
    deploy('web', 'alice', 'plain-4g');
    const isolated = cloud.idOf('network', 'alice-network');
    cloud.ok({ type: 'createNetwork', zoneId, name: 'shared', guestType: 'Shared', vlan: 400, gateway: '10.50.0.1', netmask: '255.255.255.0', startIp: '10.50.0.10', endIp: '10.50.0.20' });
    const shared = cloud.idOf('network', 'shared');
    deploy('dhcp-user', 'alice', 'plain-4g', { networkIds: [shared] });
    for (const name of ['web', 'dhcp-user']) cloud.ok({ type: 'destroyVirtualMachine', id: cloud.vm(name).id, expunge: true });
    cloud.ok({ type: 'deleteNetwork', id: isolated });
    cloud.ok({ type: 'deleteNetwork', id: shared });
    expect(cloud.state.networks.get(shared)!.state).toBe('Destroy');
    const twin = restoredTwin(cloud);
    expect(twin.state.pools.guestByNetwork.has(shared)).toBe(false);
    bothRun(cloud, twin, (c) => {
      c.ok({ type: 'deployVirtualMachine', zoneId, accountId: c.idOf('account', 'bob'), serviceOfferingId: c.idOf('offering', 'plain-4g'), name: 'bob-web' });
    });
    expect(twin.state.networks.get(twin.idOf('network', 'bob-network'))!.vlan).toBe(100);
  });

  it('keeps users, their API keys, account states and roles', () => {
    const { cloud } = tiny();
    const alice = cloud.idOf('account', 'alice');
    const person = (username: string) => ({ username, firstName: username, lastName: 'Doe', email: `${username}@example.org`, passwordHash: `hash-${username}` });
    for (const username of ['ann', 'ben', 'cat']) cloud.ok({ type: 'createUser', accountId: alice, ...person(username) });
    const userId = (username: string) => [...cloud.state.users.values()].find((u) => u.username === username)!.id;
    cloud.ok({ type: 'registerUserKeys', id: userId('ann'), apiKey: 'key-1', secretKey: 'secret-1' });
    cloud.ok({ type: 'registerUserKeys', id: userId('cat'), apiKey: 'key-2', secretKey: 'secret-2' });
    cloud.ok({ type: 'registerUserKeys', id: userId('ann'), apiKey: 'key-3', secretKey: 'secret-3' });
    cloud.ok({ type: 'deleteUser', id: userId('ben') });
    cloud.ok({ type: 'lockAccount', id: cloud.idOf('account', 'bob') });
    cloud.ok({ type: 'createRole', name: 'auditor', roleType: 'User' });
    cloud.ok({ type: 'createRolePermission', roleId: [...cloud.state.roles.values()].find((r) => r.name === 'auditor')!.id, rule: 'list*', permission: 'allow' });
    const twin = restoredTwin(cloud);
    expect(twin.state.index.usersByApiKey.get('key-3')).toBe(userId('ann'));
    expect(twin.state.index.usersByApiKey.has('key-1')).toBe(false);
    bothRun(cloud, twin, (c) => {
      c.run({ type: 'createUser', accountId: alice, ...person('ann') });
      c.ok({ type: 'createUser', accountId: alice, ...person('ben') });
      c.ok({ type: 'registerUserKeys', id: [...c.state.users.values()].find((u) => u.username === 'cat')!.id, apiKey: 'key-4', secretKey: 'secret-4' });
    });
  });

  it('keeps an address that a range added after it took out of circulation', () => {
    const { cloud, deploy } = tiny();
    deploy('web');
    const alice = cloud.idOf('account', 'alice');
    const networkId = cloud.idOf('network', 'alice-network');
    for (let i = 0; i < 6; i++) cloud.ok({ type: 'associateIpAddress', accountId: alice, networkId });
    const taken = [...cloud.state.publicIps.values()].find((ip) => formatIpv4(ip.ip) === '203.0.113.16')!;
    expect(taken).toBeDefined();
    // A range of 203.0.113.16/28 overlapping the first (plan mode lets a design have one): its
    // network address is the taken one, which evolve blocks and stops counting as allocated.
    const zoneId = cloud.idOf('zone', 'z1');
    const first = [...cloud.state.vlanIpRanges.values()].find((r) => r.zoneId === zoneId && r.purpose === 'Public')!;
    const seq = cloud.state.idSeq;
    evolve(cloud.state, { type: 'vlanIpRangeCreated', idSeq: seq, vlanIpRange: { ...first, id: uuidFor(cloud.state.idNamespace, seq), vlan: 51, gateway: taken.ip + 1, cidr: { network: taken.ip, prefix: 28 }, first: taken.ip, last: taken.ip + 9 } });
    const pool = cloud.state.pools.publicByZone.get(zoneId)!;
    expect(pool.isBlocked(taken.ip)).toBe(true);
    expectSameCloud(restoreState(snapshotOf(cloud.state)), cloud.state);
  });

  it('frees the VLAN of a network deleted while its record still names it', () => {
    const { cloud, deploy } = tiny();
    deploy('web', 'alice', 'plain-4g');
    const networkId = cloud.idOf('network', 'alice-network');
    cloud.ok({ type: 'destroyVirtualMachine', id: cloud.vm('web').id, expunge: true });
    // Deleting an implemented network shuts it down first, which clears its VLAN; the network's
    // own deletion also gives back a VLAN it still holds, and leaves the record naming it.
    evolve(cloud.state, { type: 'networkDeleted', networkId });
    expect(cloud.state.networks.get(networkId)).toMatchObject({ state: 'Destroy', vlan: 100, vlanFromPool: true });
    expect(cloud.state.pools.vnetByPhysicalNetwork.get(cloud.state.networks.get(networkId)!.physicalNetworkId!)!.isFree(100)).toBe(true);
    expectSameCloud(restoreState(snapshotOf(cloud.state)), cloud.state);
  });
});

describe('restoring a snapshot kept as JSON text', () => {
  /** A cloud with VMs in every state the lifecycle design reaches, addresses, rules and VLANs taken. */
  function busyCloud(): { cloud: TestCloud; groupOf: Map<string, string> } {
    const { cloud, groupOf } = restoreCloud(3);
    const ops: RestoreOp[] = [
      { op: 'deploy', account: 0, offering: 0, spread: true },
      { op: 'deploy', account: 0, offering: 1, spread: false },
      { op: 'deploy', account: 1, offering: 0, spread: false },
      { op: 'deployInto', account: 1, network: 0, template: true, start: true },
      { op: 'createNetwork', account: 1 },
      { op: 'deployInto', account: 1, network: 1, template: true, start: false },
      { op: 'deploy', account: 2, offering: 2, spread: true },
      { op: 'acquireIp', account: 0, network: 0 },
      { op: 'forwardPort', ip: 0, vm: 0, port: 1 },
      { op: 'balance', ip: 0, vm: 1 },
      { op: 'migrate', vm: 0 },
      { op: 'stop', vm: 1 },
      { op: 'destroy', vm: 2 },
      { op: 'hostDown', host: 0 },
    ];
    for (const op of ops) applyRestoreOp(cloud, op, groupOf);
    return { cloud, groupOf };
  }

  it('gives the same cloud as the snapshot object, and the same cloud goes on the same way', () => {
    const { cloud, groupOf } = busyCloud();
    expect([...cloud.state.vms.values()].some((vm) => vm.capacityReserved)).toBe(true);
    expect([...cloud.state.storagePools.values()].some((pool) => (pool.templateIds ?? []).length > 0)).toBe(true);
    const text = JSON.stringify(snapshotOf(cloud.state));
    const restored = restoreState(JSON.parse(text) as ReturnType<typeof snapshotOf>);
    expectSameCloud(restored, cloud.state);
    const twin = cloudOver(restored, { ...cloud.ctx, rng: cloneRng(cloud.ctx.rng as SeededRng) }, [], structuredClone(cloud.timers));
    const before = cloud.events.length;
    const further: RestoreOp[] = [
      { op: 'hostUp', host: 0 },
      { op: 'start', vm: 1 },
      { op: 'expunge', vm: 0 },
      { op: 'advance', seconds: 7200 },
      { op: 'deploy', account: 1, offering: 0, spread: true },
    ];
    for (const op of further) {
      applyRestoreOp(cloud, op, groupOf);
      applyRestoreOp(twin, op, groupOf);
    }
    expect(twin.events).toEqual(cloud.events.slice(before));
    expect(twin.events.length).toBeGreaterThan(0);
    expectSameCloud(twin.state, cloud.state);
  });

  it('leaves the snapshot it was given as it was', () => {
    const { cloud, groupOf } = busyCloud();
    const snapshot = snapshotOf(cloud.state);
    const twin = cloudOver(restoreState(snapshot), { ...cloud.ctx, rng: cloneRng(cloud.ctx.rng as SeededRng) }, [], structuredClone(cloud.timers));
    for (const op of [{ op: 'hostUp', host: 0 }, { op: 'start', vm: 1 }, { op: 'advance', seconds: 7200 }] as RestoreOp[]) applyRestoreOp(twin, op, groupOf);
    expect(snapshot).toEqual(snapshotOf(cloud.state));
    expect(snapshotOf(twin.state)).not.toEqual(snapshot);
  });

  it('refuses a snapshot with a part a state does not hold', () => {
    const snapshot = { ...snapshotOf(testCloud(lifecycleDesign()).state), gadgets: [] };
    expect(() => restoreState(snapshot)).toThrow(/gadgets/);
  });
});

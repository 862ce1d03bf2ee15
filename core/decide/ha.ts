import { routerControlUsesPodIps } from '../data/hypervisors.js';
import { SYSTEM_ACCOUNT_ID } from '../data/system-vms.js';
import type { Nic, Vm, ZoneSystemVmKind } from '../model/compute.js';
import type { Id, StoragePool, Zone } from '../model/entities.js';
import type { DomainEvent } from '../model/events.js';
import type {
  EnsureSystemVms,
  HostMaintenance,
  HostReport,
  ManagementReport,
  StorageMaintenance,
  StoragePoolReport,
  TimerCommand,
  UpdateAllocationState,
} from '../model/lifecycle-commands.js';
import type { PublicIp } from '../model/services.js';
import { type CloudState, clustersOfZone, hostsOf, imageStoresOf, settingBoolean, settingNumber, storagePoolsOf, vmsOnHost } from '../model/state.js';
import { hostTakesVms } from '../evolve.js';
import { controlNic, DecisionBuilder, placeSystemVm } from './implement.js';
import { type DecideContext, type Decision, reject } from './support.js';
import { migrationTarget, planStart } from './vm.js';

/**
 * Failures and maintenance: hosts going down and coming back, HA restarts, maintenance mode,
 * storage outages, enabling and disabling resources, the management server itself, and the
 * system VMs every core zone runs.
 */

const done = (builder: DecisionBuilder): Decision => ({ ok: true, events: builder.events, findings: [] });

/** Joins a VM's stop cause and its failed HA restarts in its reason. */
const HA_FAILED = '; HA restart failed';

/** VMs holding a host (running, starting, migrating), system VMs and routers first. */
function systemVmsFirstOn(state: CloudState, hostId: Id): Vm[] {
  const vms = vmsOnHost(state, hostId).filter((vm) => vm.state === 'Running' || vm.state === 'Starting' || vm.state === 'Migrating' || vm.state === 'Stopping');
  const rank = (vm: Vm): number => (vm.kind === 'User' ? 1 : 0);
  return vms.sort((a, b) => rank(a) - rank(b));
}

function haEligible(state: CloudState, vm: Vm): boolean {
  return vm.haEnabled && !vm.usesLocalStorage && settingBoolean(state, 'vm.ha.enabled');
}

/**
 * A host failed (the agent stopped answering and the investigators confirmed it): its HA VMs
 * restart on other hosts of the same cluster, never on local storage; the rest stop there.
 */
export function decideHostReport(state: CloudState, cmd: HostReport, ctx: DecideContext): Decision {
  const host = state.hosts.get(cmd.hostId);
  if (!host) return reject('ENTITY_NOT_FOUND', `host ${cmd.hostId} does not exist`);
  const builder = new DecisionBuilder(state, ctx);
  if (cmd.type === 'hostUp') {
    if (host.status === 'Up') return done(builder);
    builder.events.push({ type: 'hostStatusChanged', hostId: host.id, status: 'Up', atMs: ctx.nowMs });
    return done(builder);
  }
  if (host.status === 'Down') return done(builder);
  builder.events.push({ type: 'hostStatusChanged', hostId: host.id, status: 'Down', atMs: ctx.nowMs });
  // The restarts below see the cluster without the failed host, as it will be once Down.
  const capacity = state.capacity;
  const ordinal = capacity.hostOrdinal.get(host.id)!;
  if (capacity.hostActive[ordinal] === 1) {
    builder.pending.loseHost(ordinal, capacity.hostCluster[ordinal]!, {
      cpuTotalMhz: capacity.hostCpuTotalMhz[ordinal]!,
      memoryTotalMiB: capacity.hostMemoryTotalMiB[ordinal]!,
      cpuAllocatedMhz: capacity.hostCpuUsedMhz[ordinal]! + capacity.hostCpuReservedMhz[ordinal]!,
      memoryAllocatedMiB: capacity.hostMemoryUsedMiB[ordinal]! + capacity.hostMemoryReservedMiB[ordinal]!,
    });
  }
  const avoid = new Set([host.id]);
  for (const vm of systemVmsFirstOn(state, host.id)) {
    if (vm.state === 'Stopping') {
      // The stop a user asked for is done: the VM is off, and HA has nothing to restart.
      builder.events.push({ type: 'vmStateChanged', vmId: vm.id, state: 'Stopped', lastHostId: host.id, atMs: ctx.nowMs });
    } else if (haEligible(state, vm)) {
      const failure = planStart(builder, vm, undefined, true, host.clusterId, avoid);
      if (!failure) continue;
      builder.events.push({ type: 'vmStateChanged', vmId: vm.id, state: 'Stopped', lastHostId: host.id, atMs: ctx.nowMs, reason: `host ${host.name} went down; HA restart failed: ${failure}`, haAttempts: 1 });
    } else {
      const why = vm.usesLocalStorage ? 'its volumes are on local storage, so HA cannot restart it' : vm.haEnabled ? 'HA is disabled in the zone' : 'its offering does not offer HA';
      builder.events.push({ type: 'vmStateChanged', vmId: vm.id, state: 'Stopped', lastHostId: host.id, atMs: ctx.nowMs, reason: `host ${host.name} went down; ${why}` });
    }
  }
  return done(builder);
}

export function decideHostMaintenance(state: CloudState, cmd: HostMaintenance, ctx: DecideContext): Decision {
  const host = state.hosts.get(cmd.id);
  if (!host) return reject('ENTITY_NOT_FOUND', `host ${cmd.id} does not exist`);
  if (ctx.actor.role !== 'RootAdmin') return reject('PERMISSION_DENIED', 'only a root admin can put hosts into maintenance');
  const builder = new DecisionBuilder(state, ctx);
  if (cmd.type === 'cancelHostMaintenance') {
    if (host.resourceState === 'Enabled') return done(builder);
    builder.events.push({ type: 'hostResourceStateChanged', hostId: host.id, resourceState: 'Enabled', atMs: ctx.nowMs });
    return done(builder);
  }
  if (host.resourceState !== 'Enabled' && host.resourceState !== 'Disabled') return reject('INVALID_STATE', `host ${host.name} is ${host.resourceState}`);
  builder.events.push({ type: 'hostResourceStateChanged', hostId: host.id, resourceState: 'PrepareForMaintenance', atMs: ctx.nowMs });
  const stuck: string[] = [];
  for (const vm of systemVmsFirstOn(state, host.id)) {
    if (vm.usesLocalStorage) {
      stuck.push(`${vm.name} (local storage)`);
      continue;
    }
    const target = migrationTarget(builder, vm, host, undefined);
    if (!target.ok) stuck.push(vm.name);
    else builder.events.push({ type: 'vmMigrated', vmId: vm.id, fromHostId: host.id, toHostId: target.hostId, atMs: ctx.nowMs });
  }
  builder.events.push({ type: 'hostResourceStateChanged', hostId: host.id, resourceState: stuck.length === 0 ? 'Maintenance' : 'ErrorInMaintenance', atMs: ctx.nowMs });
  return done(builder);
}

export function decideUpdateAllocationState(state: CloudState, cmd: UpdateAllocationState, ctx: DecideContext): Decision {
  if (ctx.actor.role !== 'RootAdmin') return reject('PERMISSION_DENIED', 'only a root admin can enable or disable infrastructure');
  const resource = ({ updateZone: 'zone', updatePod: 'pod', updateCluster: 'cluster', updateHost: 'host' } as const)[cmd.type];
  const records = { zone: state.zones, pod: state.pods, cluster: state.clusters, host: state.hosts }[resource];
  if (!records.has(cmd.id)) return reject('ENTITY_NOT_FOUND', `${resource} ${cmd.id} does not exist`);
  if (resource === 'host') {
    const host = state.hosts.get(cmd.id)!;
    if (host.resourceState !== 'Enabled' && host.resourceState !== 'Disabled') return reject('INVALID_STATE', `host ${host.name} is ${host.resourceState}; cancel maintenance first`);
    return { ok: true, events: [{ type: 'hostResourceStateChanged', hostId: cmd.id, resourceState: cmd.allocationState, atMs: ctx.nowMs }], findings: [] };
  }
  return { ok: true, events: [{ type: 'allocationStateChanged', resource, id: cmd.id, allocationState: cmd.allocationState }], findings: [] };
}

/** VMs with a volume on a pool. */
function vmsOnPool(state: CloudState, poolId: Id): Vm[] {
  const out = new Set<Vm>();
  for (const volume of state.volumes.values()) {
    if (volume.storagePoolId !== poolId || volume.vmId === undefined || volume.state === 'Destroy') continue;
    const vm = state.vms.get(volume.vmId);
    if (vm) out.add(vm);
  }
  return [...out];
}

/**
 * The reason a VM stopped for a pool outage; it also marks the VM for restart when the pool
 * returns (only VMs with a volume on the pool are looked at, so the name is enough).
 */
const outageMark = (pool: StoragePool, maintenance: boolean): string => `primary storage ${pool.name} ${maintenance ? 'in maintenance' : 'unavailable'}`;

/**
 * A primary storage outage stops every VM with a volume on the pool; when it returns, the HA
 * VMs among them restart. Maintenance does the same by request, restarting all of them after.
 */
export function decideStorageReport(state: CloudState, cmd: StoragePoolReport | StorageMaintenance, ctx: DecideContext): Decision {
  const id = 'storagePoolId' in cmd ? cmd.storagePoolId : cmd.id;
  const pool = state.storagePools.get(id);
  if (!pool) return reject('ENTITY_NOT_FOUND', `storage pool ${id} does not exist`);
  const builder = new DecisionBuilder(state, ctx);
  const goingDown = cmd.type === 'storagePoolDown' || cmd.type === 'enableStorageMaintenance';
  if (goingDown) {
    const target = cmd.type === 'storagePoolDown' ? 'Down' : 'Maintenance';
    if (pool.state === target) return done(builder);
    builder.events.push({ type: 'storagePoolStateChanged', storagePoolId: pool.id, state: target, atMs: ctx.nowMs });
    for (const vm of vmsOnPool(state, pool.id)) {
      if (vm.state !== 'Running' && vm.state !== 'Starting' && vm.state !== 'Stopping') continue;
      builder.events.push({ type: 'vmStateChanged', vmId: vm.id, state: 'Stopped', ...(vm.hostId ? { lastHostId: vm.hostId } : {}), atMs: ctx.nowMs, reason: outageMark(pool, target === 'Maintenance') });
    }
    return done(builder);
  }
  if (pool.state === 'Up') return done(builder);
  // The restarts follow as a separate step (the HA manager's), once the pool is Up in state.
  builder.events.push({ type: 'storagePoolStateChanged', storagePoolId: pool.id, state: 'Up', atMs: ctx.nowMs });
  return done(builder);
}

/** After a pool came back: HA VMs stopped by an outage restart; all VMs stopped by maintenance do. */
export function decideStorageRecovered(state: CloudState, poolId: Id, ctx: DecideContext): Decision {
  const pool = state.storagePools.get(poolId);
  const builder = new DecisionBuilder(state, ctx);
  if (!pool || pool.state !== 'Up') return done(builder);
  for (const vm of vmsOnPool(state, pool.id)) {
    if (vm.state !== 'Stopped') continue;
    const maintenance = vm.reason === outageMark(pool, true);
    if (!maintenance && (vm.reason !== outageMark(pool, false) || !haEligible(state, vm))) continue;
    const failure = planStart(builder, vm, undefined, !maintenance);
    if (failure) builder.events.push({ type: 'vmStateChanged', vmId: vm.id, state: 'Stopped', atMs: ctx.nowMs, reason: `primary storage ${pool.name} returned${maintenance ? '; restart failed' : HA_FAILED}: ${failure}`, ...(maintenance ? {} : { haAttempts: 1 }) });
  }
  return done(builder);
}

/**
 * The HA manager's next try for an HA VM whose restart failed: in the cluster of its last host,
 * on HA hosts if ha.tag says so. Another failure waits again, up to max.retries tries.
 */
export function decideHaRestartDue(state: CloudState, vmId: Id, ctx: DecideContext): Decision {
  const vm = state.vms.get(vmId);
  const builder = new DecisionBuilder(state, ctx);
  if (!vm || vm.state !== 'Stopped' || vm.haAttempts === undefined || !haEligible(state, vm)) return done(builder);
  const clusterId = vm.lastHostId === undefined ? undefined : state.hosts.get(vm.lastHostId)?.clusterId;
  const failure = planStart(builder, vm, undefined, true, clusterId);
  if (!failure) return done(builder);
  const attempts = vm.haAttempts + 1;
  const retries = settingNumber(state, 'max.retries');
  const next = attempts <= retries ? `trying again in ${settingNumber(state, 'restart.retry.interval')} s` : `giving up (max.retries ${retries})`;
  // The cause (host down, guest shut down, storage back) stays at the front of the reason.
  const cause = (vm.reason ?? '').split(HA_FAILED)[0];
  builder.events.push({ type: 'vmStateChanged', vmId: vm.id, state: 'Stopped', atMs: ctx.nowMs, reason: `${cause}${HA_FAILED} ${attempts} times, ${next}; the last time: ${failure}`, haAttempts: attempts });
  return done(builder);
}

export function decideManagementReport(state: CloudState, cmd: ManagementReport, ctx: DecideContext): Decision {
  const up = cmd.type === 'managementServerUp';
  if (state.managementUp === up) return { ok: true, events: [], findings: [] };
  return { ok: true, events: [{ type: 'managementStateChanged', up, atMs: ctx.nowMs }], findings: [] };
}

/** Live system VMs of a kind in a zone. */
function systemVmsOf(state: CloudState, zoneId: Id, kind: Vm['kind']): Vm[] {
  const out: Vm[] = [];
  for (const id of state.index.vmsByServes.get(zoneId) ?? []) {
    const vm = state.vms.get(id);
    if (vm && vm.kind === kind && vm.state !== 'Destroyed' && vm.state !== 'Expunging' && vm.state !== 'Error') out.push(vm);
  }
  return out;
}

function hasSecondaryStorage(state: CloudState, zone: Zone): boolean {
  return imageStoresOf(state, zone.id).some((s) => s.role === 'Image') || [...state.imageStores.values()].some((s) => s.role === 'Image' && s.zoneId === undefined && s.regionId === zone.regionId);
}

function systemVmNoun(kind: ZoneSystemVmKind): string {
  return kind === 'SecondaryStorageVm' ? 'secondary storage VM' : 'console proxy';
}

/** How many of a kind the zone runs: secondary storage VMs only where there is secondary storage. */
function wantedSystemVms(state: CloudState, zone: Zone, kind: ZoneSystemVmKind): number {
  if (kind === 'ConsoleProxy') return 1;
  return hasSecondaryStorage(state, zone) ? Math.max(1, settingNumber(state, 'max.ssvm.count')) : 0;
}

/** `s-<zone>-<n>` / `v-<zone>-<n>` with the lowest n no live VM of the zone has. */
function systemVmName(state: CloudState, zone: Zone, kind: ZoneSystemVmKind, taken: ReadonlySet<string>): string {
  const prefix = kind === 'SecondaryStorageVm' ? 's' : 'v';
  const names = new Set([...systemVmsOf(state, zone.id, kind).map((vm) => vm.name), ...taken]);
  let n = 1;
  while (names.has(`${prefix}-${zone.name}-${n}`)) n++;
  return `${prefix}-${zone.name}-${n}`;
}

/**
 * The secondary storage VM and console proxy of a core zone (SecondaryStorageVmManager,
 * ConsoleProxyManager): placed like any VM, with a public address (advanced zones) or a guest
 * address (basic zones), a management address from the pod's reserved range, a control address
 * and, for the SSVM, a storage network address when the pod has a storage range.
 */
export function decideEnsureSystemVms(state: CloudState, cmd: EnsureSystemVms, ctx: DecideContext): Decision {
  const zone = state.zones.get(cmd.zoneId);
  if (!zone) return reject('ENTITY_NOT_FOUND', `zone ${cmd.zoneId} does not exist`);
  const builder = new DecisionBuilder(state, ctx);
  if (zone.zoneType === 'Edge') return done(builder);
  const created = new Set<string>();
  for (const kind of ['SecondaryStorageVm', 'ConsoleProxy'] as const) {
    const missing = wantedSystemVms(state, zone, kind) - systemVmsOf(state, zone.id, kind).length;
    for (let i = 0; i < missing; i++) {
      const name = systemVmName(state, zone, kind, created);
      const failure = createSystemVm(builder, zone, kind, name);
      if (failure !== undefined) return reject('INSUFFICIENT_CAPACITY', failure);
      created.add(name);
    }
  }
  return done(builder);
}

/**
 * One scan of a zone by its secondary storage VM or console proxy manager (SystemVmLoadScanner):
 * nothing to do while one of its VMs runs, starts or migrates there. Otherwise it starts the
 * zone's stopped one, wherever its volume and the planner allow; one that cannot start is
 * destroyed, and the next scan builds a new one (as it does when there is none, or only one in
 * Error). The managers scan Enabled zones only. A scan that leaves the zone without a running
 * VM of its kind says why, and the next one follows a period later.
 */
export function decideSystemVmScan(state: CloudState, cmd: TimerCommand, ctx: DecideContext): Decision {
  const kind: ZoneSystemVmKind = cmd.type === 'secondaryStorageVmScan' ? 'SecondaryStorageVm' : 'ConsoleProxy';
  const zone = state.zones.get(cmd.id);
  const builder = new DecisionBuilder(state, ctx);
  if (!zone || zone.zoneType === 'Edge' || zone.allocationState !== 'Enabled' || wantedSystemVms(state, zone, kind) === 0) return done(builder);
  if (zoneRunsSystemVm(state, zone.id, kind)) return done(builder);
  // A zone with no host up or no primary storage up is not ready: the scan leaves it alone, and a
  // host or a pool coming back up brings the next one (readyAgainScans in effects.ts).
  if (!zoneReadyForSystemVms(state, zone)) return done(builder);
  const vms = systemVmsOf(state, zone.id, kind);
  const failed = (reason: string): Decision => ({ ok: true, events: [{ type: 'systemVmScanFailed', zoneId: zone.id, vmKind: kind, reason, atMs: ctx.nowMs }], findings: [] });
  const stopping = vms.find((vm) => vm.state === 'Stopping');
  if (stopping) return failed(`waiting for ${stopping.name} to stop`);
  const stopped = vms.find((vm) => vm.state === 'Stopped');
  if (stopped) {
    const failure = planStart(builder, stopped, undefined, false);
    if (!failure) return done(builder);
    // Destroyed with a reason; its destruction brings the next scan, which builds a new one.
    const reason = `the ${systemVmNoun(kind)} manager could not start it: ${failure}`;
    const events: DomainEvent[] = [{ type: 'vmStateChanged', vmId: stopped.id, state: 'Destroyed', atMs: ctx.nowMs, reason }, { type: 'vmExpunged', vmId: stopped.id }];
    for (const ip of state.publicIps.values()) if (ip.forSystemVm === stopped.id) events.push({ type: 'publicIpReleased', publicIpId: ip.id });
    return { ok: true, events, findings: [] };
  }
  const failure = createSystemVm(builder, zone, kind, systemVmName(state, zone, kind, new Set()));
  return failure === undefined ? done(builder) : failed(failure);
}

/** Whether one of the zone's VMs of the kind runs, starts or migrates: the scan has nothing to do. */
export function zoneRunsSystemVm(state: CloudState, zoneId: Id, kind: ZoneSystemVmKind): boolean {
  return systemVmsOf(state, zoneId, kind).some((vm) => vm.state === 'Running' || vm.state === 'Starting' || vm.state === 'Migrating');
}

function zoneReadyForSystemVms(state: CloudState, zone: Zone): boolean {
  const hostUp = clustersOfZone(state, zone.id).some((cluster) => hostsOf(state, cluster.id).some(hostTakesVms));
  return hostUp && storagePoolsOf(state, zone.id).some((pool) => pool.state === 'Up');
}

/** Places and creates one system VM of the zone; the reason when it cannot. */
function createSystemVm(builder: DecisionBuilder, zone: Zone, kind: ZoneSystemVmKind, name: string): string | undefined {
  const { state } = builder;
  const placed = placeSystemVm(builder, { kind, zone, accountId: SYSTEM_ACCOUNT_ID, servesId: zone.id, name });
  if (typeof placed === 'string') return `cannot start the ${systemVmNoun(kind)} of zone ${zone.name}: ${placed}`;
  const { vm, host } = placed;
  const nics: Nic[] = [];
  if (zone.networkType === 'Advanced' && !zone.securityGroupsEnabled) {
    const publicIp = takeSystemPublicIp(builder, zone.id, vm.id);
    if (typeof publicIp === 'string') return publicIp;
    nics.push({ role: 'public', ip: publicIp.ip, isDefault: true });
  } else {
    const pool = zone.networkType === 'Basic' ? state.pools.basicGuestByPod.get(host.podId) : undefined;
    const ip = builder.scratch.take(pool);
    if (pool && ip === undefined) return `pod ${state.pods.get(host.podId)?.name} has no free guest address for the ${vm.name} system VM`;
    const shared = [...(state.index.networksByZone.get(zone.id) ?? [])].map((id) => state.networks.get(id)!).find((n) => n.guestType === 'Shared');
    if (ip !== undefined) nics.push({ role: 'guest', podId: host.podId, ip, isDefault: true, ...(shared ? { networkId: shared.id } : {}) });
  }
  const management = builder.scratch.take(state.pools.reservedByPod.get(host.podId));
  if (management === undefined) return `pod ${state.pods.get(host.podId)?.name} has no free address in its reserved system range for ${vm.name}`;
  nics.push({ role: 'management', podId: host.podId, ip: management, isDefault: nics.length === 0 });
  if (!routerControlUsesPodIps(host.hypervisor)) {
    const control = controlNic(builder, host);
    if (typeof control === 'string') return control;
    nics.push(control);
  }
  const storagePool = state.pools.storageByPod.get(host.podId);
  if (kind === 'SecondaryStorageVm' && storagePool && storagePool.capacity > 0) {
    const ip = builder.scratch.take(storagePool);
    if (ip === undefined) return `pod ${state.pods.get(host.podId)?.name} has no free storage network address for ${vm.name}`;
    nics.push({ role: 'storage', podId: host.podId, ip, isDefault: false });
  }
  vm.nics = nics;
  builder.events.push({ type: 'vmCreated', idSeq: builder.scratch.lastSeq, vm, volumes: [placed.volume] });
  return undefined;
}

/** A public address for a system VM, from a range set aside for system VMs when there is one. */
function takeSystemPublicIp(builder: DecisionBuilder, zoneId: Id, vmId: Id): PublicIp | string {
  const { state, scratch } = builder;
  const pool = state.pools.publicByZone.get(zoneId);
  const ranges = [...state.vlanIpRanges.values()].filter((r) => r.zoneId === zoneId && r.purpose === 'Public' && r.dedication === undefined);
  let ip: number | undefined;
  for (const range of ranges.filter((r) => r.forSystemVms)) {
    for (let candidate = range.first; candidate <= range.last && ip === undefined; candidate++) {
      if (scratch.takeSpecific(pool, candidate)) ip = candidate;
    }
  }
  ip ??= scratch.take(pool);
  if (ip === undefined) return `zone ${state.zones.get(zoneId)?.name} has no free public IP for its system VMs`;
  const range = ranges.find((r) => ip! >= r.first && ip! <= r.last)!;
  const publicIp: PublicIp = { id: scratch.id(), ip, zoneId, vlanIpRangeId: range.id, accountId: SYSTEM_ACCOUNT_ID, sourceNat: false, purposes: [], forSystemVm: vmId };
  builder.events.push({ type: 'publicIpAllocated', idSeq: scratch.lastSeq, publicIp });
  return publicIp;
}

import type { Hold } from '../core/capacity.js';
import type { Nic, Vm } from '../core/model/compute.js';
import type { Id } from '../core/model/entities.js';
import type { DomainEvent } from '../core/model/events.js';
import { type CloudState, vmsOnHost } from '../core/model/state.js';
import { formatIpv4 } from '../core/net/ipv4.js';
import type { IdPool } from '../core/net/pool.js';
import { SimulationFailure } from './failure.js';

/**
 * Safety properties of a running cloud, checked after every accepted command. They are derived
 * again here from the records, independently of how evolve maintains the indexes, so a bug in
 * the bookkeeping shows up as a disagreement between the two.
 *
 * 1. No host is over its over-provisioned capacity: used + reserved <= total x ratio, for CPU
 *    and memory, from the holds.
 * 2. Holds match VM states: a Starting, Running, Stopping or Migrating VM holds used capacity
 *    on its host; a Stopped VM holds nothing or a reservation on its last host; nothing else
 *    holds anything. The host arrays equal the sums of the holds.
 * 3. No address, VLAN or VNI is held twice: every NIC address, public IP and pool VLAN is
 *    allocated in its pool exactly once, and each pool's allocated count equals the number of
 *    records holding one of its values.
 * 4. Every HA VM is running, starting (or stopping, migrating), or stopped with a reason (or on
 *    request), never silently down.
 * 5. Strict (host) anti-affinity is never violated by VMs holding a host.
 *
 * After each step the VMs and hosts the step touched are checked (cheap), and the count of used
 * holds against the VMs that should hold (so a hold left by a VM that left the cloud shows at
 * once); every `fullCheckEvery` steps the whole cloud is (O(n)). Tests set it to 1.
 */

export interface InvariantOptions {
  /** Steps between full checks; 1 checks the whole cloud after every step, 0 never does. */
  fullCheckEvery: number;
}

export const DEFAULT_INVARIANT_OPTIONS: InvariantOptions = { fullCheckEvery: 10_000 };

const LIVE: ReadonlySet<string> = new Set(['Starting', 'Running', 'Stopping', 'Migrating']);

/** Relative slack for float sums of capacity (MHz and MiB are integers, their sums exact). */
const EPSILON = 1e-6;

export class InvariantChecker {
  readonly options: InvariantOptions;
  /**
   * What the step touched, in arrays emptied after each check rather than sets, whose clear()
   * makes a new table every time. A VM touched twice in a row (destroyed and expunged) is listed
   * once; one touched again later in the step is checked again, which finds nothing new.
   */
  private readonly touchedVms: Id[] = [];
  private readonly touchedHosts: number[] = [];
  /** 1 for a host already in touchedHosts, by ordinal. */
  private hostListed = new Uint8Array(0);
  /** VMs stopped on request (a stop asked for, or deployed stopped): down without a reason is fine. */
  private readonly stoppedOnRequest = new Set<Id>();
  private stepsSinceFull = 0;

  constructor(
    private readonly state: CloudState,
    private readonly seed: number,
    options: Partial<InvariantOptions>,
  ) {
    this.options = { ...DEFAULT_INVARIANT_OPTIONS, ...options };
    // What happened before the checker was attached is unknown: trust existing stopped VMs.
    for (const vm of state.vms.values()) if (vm.state === 'Stopped' && vm.reason === undefined) this.stoppedOnRequest.add(vm.id);
  }

  /** Notes what an applied event touched. */
  observe(event: DomainEvent): void {
    switch (event.type) {
      case 'vmCreated':
        this.touch(event.vm.id);
        if (event.vm.state === 'Stopped') this.stoppedOnRequest.add(event.vm.id);
        return;
      case 'vmStateChanged':
        this.touch(event.vmId);
        if (event.state === 'Stopping') this.stoppedOnRequest.add(event.vmId);
        else if (event.state !== 'Stopped') this.stoppedOnRequest.delete(event.vmId);
        return;
      case 'vmExpunged': {
        // Its record is gone, with whatever it held (the full check finds a hold whose record
        // left the cloud): nothing to check, and looking up an id that is gone walks a whole
        // chain of the VM map, a string of other VMs at each step.
        const vms = this.touchedVms;
        if (vms.length > 0 && vms[vms.length - 1] === event.vmId) vms.pop();
        this.stoppedOnRequest.delete(event.vmId);
        return;
      }
      case 'vmMigrated':
      case 'vmScaled':
      case 'stoppedCapacityReleased':
        this.touch(event.vmId);
        return;
      default:
        return;
    }
  }

  private touch(vmId: Id): void {
    const vms = this.touchedVms;
    if (vms.length === 0 || vms[vms.length - 1] !== vmId) vms.push(vmId);
  }

  private touchHost(host: number): void {
    if (host >= this.hostListed.length) {
      const listed = new Uint8Array(Math.max(host + 1, this.state.capacity.hostCount));
      listed.set(this.hostListed);
      this.hostListed = listed;
    }
    if (this.hostListed[host] === 1) return;
    this.hostListed[host] = 1;
    this.touchedHosts.push(host);
  }

  /** Checks after a step; throws a SimulationFailure carrying the seed and the step number. */
  afterStep(stepNumber: number, atMs: number): void {
    const problems = this.checkTouched();
    if (this.options.fullCheckEvery > 0 && ++this.stepsSinceFull >= this.options.fullCheckEvery) {
      this.stepsSinceFull = 0;
      problems.push(...this.checkAll());
    }
    if (problems.length > 0) throw new SimulationFailure('invariant', this.seed, stepNumber, atMs, problems);
  }

  /** Whether a VM is down without a reason or a request: a liveness concern too. */
  isSilentlyDown(vm: Vm): boolean {
    return haEligible(vm) && (vm.state === 'Stopped' || vm.state === 'Error') && vm.reason === undefined && !this.stoppedOnRequest.has(vm.id);
  }

  /** The VMs and hosts the last step touched. Runs after every step, so it allocates nothing when all is well. */
  checkTouched(): string[] {
    const problems: string[] = [];
    const vms = this.touchedVms;
    if (vms.length === 0) return problems;
    for (let i = 0; i < vms.length; i++) {
      const vm = this.state.vms.get(vms[i]!);
      // An expunged VM's record is gone with whatever it held; the full check finds a hold
      // whose record left the cloud without giving it back.
      if (!vm) continue;
      const hold = this.state.capacity.holdOf(vm);
      holdProblems(this.state, vm, problems, hold);
      if (hold) this.touchHost(hold.host);
      if (this.isSilentlyDown(vm)) problems.push(silentlyDown(vm));
      if (LIVE.has(vm.state)) {
        if (vm.affinityGroupIds.length > 0) antiAffinityProblemsOf(this.state, vm, problems);
        nicProblems(this.state, vm, problems);
      }
    }
    const hosts = this.touchedHosts;
    for (let i = 0; i < hosts.length; i++) {
      hostCapacityProblems(this.state, hosts[i]!, problems);
      this.hostListed[hosts[i]!] = 0;
    }
    // A VM that left the cloud is not looked at, but a hold it left behind shows in the count:
    // every used hold is a VM's that is starting, running, stopping or migrating.
    const used = this.state.capacity.holds.usedCount;
    const holding = holdingVmCount(this.state);
    if (used !== holding) problems.push(`${used} holds of used capacity, but ${holding} VMs starting, running, stopping or migrating`);
    while (hosts.length > 0) hosts.pop();
    while (vms.length > 0) vms.pop();
    // A VM touched twice in the step and broken shows its problems once.
    return problems.length > 1 ? [...new Set(problems)] : problems;
  }

  /** The whole cloud, O(VMs + hosts + addresses held). */
  checkAll(): string[] {
    return [
      ...capacityProblems(this.state),
      ...allHoldProblems(this.state),
      ...addressProblems(this.state),
      ...haProblems(this.state, (vm) => this.isSilentlyDown(vm)),
      ...antiAffinityProblems(this.state),
    ];
  }
}

/** VMs that hold used capacity on a host, from the counts by state evolve keeps. */
function holdingVmCount(state: CloudState): number {
  const { user, system } = state.index.vmCountsByState;
  return user.Starting + user.Running + user.Stopping + user.Migrating + system.Starting + system.Running + system.Stopping + system.Migrating;
}

function haEligible(vm: Vm): boolean {
  return vm.haEnabled && !vm.usesLocalStorage;
}

function silentlyDown(vm: Vm): string {
  return `HA VM ${vm.name} (${vm.id}) is ${vm.state} with no reason and no stop request`;
}

// ----- 1. capacity -----

function hostName(state: CloudState, host: number): string {
  const id = state.capacity.hostIds[host]!;
  return state.hosts.get(id)?.name ?? id;
}

export function hostCapacityProblems(state: CloudState, host: number, problems: string[] = []): string[] {
  const c = state.capacity;
  const cluster = c.hostCluster[host]!;
  const cpuLimit = c.hostCpuTotalMhz[host]! * c.clusterCpuRatio[cluster]!;
  const cpu = c.hostCpuUsedMhz[host]! + c.hostCpuReservedMhz[host]!;
  if (cpu > cpuLimit * (1 + EPSILON)) problems.push(`host ${hostName(state, host)} is over its CPU capacity: ${cpu} MHz used and reserved > ${cpuLimit} MHz (total x ${c.clusterCpuRatio[cluster]})`);
  const memoryLimit = c.hostMemoryTotalMiB[host]! * c.clusterMemoryRatio[cluster]!;
  const memory = c.hostMemoryUsedMiB[host]! + c.hostMemoryReservedMiB[host]!;
  if (memory > memoryLimit * (1 + EPSILON)) problems.push(`host ${hostName(state, host)} is over its memory capacity: ${memory} MiB used and reserved > ${memoryLimit} MiB (total x ${c.clusterMemoryRatio[cluster]})`);
  return problems;
}

/** Every host within its capacity, and every host's numbers equal to the sums of its holds. */
export function capacityProblems(state: CloudState): string[] {
  const c = state.capacity;
  const problems: string[] = [];
  const n = c.hostCount;
  const cpuUsed = new Float64Array(n);
  const cpuReserved = new Float64Array(n);
  const memoryUsed = new Float64Array(n);
  const memoryReserved = new Float64Array(n);
  const guests = new Int32Array(n);
  for (const hold of c.holds.values()) {
    if (hold.host < 0 || hold.host >= n) continue;
    if (hold.reserved) {
      cpuReserved[hold.host]! += hold.cpuMhz;
      memoryReserved[hold.host]! += hold.memoryMiB;
    } else {
      cpuUsed[hold.host]! += hold.cpuMhz;
      memoryUsed[hold.host]! += hold.memoryMiB;
    }
    if (hold.guest) guests[hold.host]!++;
  }
  const differs = (a: number, b: number): boolean => Math.abs(a - b) > EPSILON * Math.max(1, Math.abs(a), Math.abs(b));
  for (let host = 0; host < n; host++) {
    hostCapacityProblems(state, host, problems);
    if (differs(c.hostCpuUsedMhz[host]!, cpuUsed[host]!) || differs(c.hostCpuReservedMhz[host]!, cpuReserved[host]!) || differs(c.hostMemoryUsedMiB[host]!, memoryUsed[host]!) || differs(c.hostMemoryReservedMiB[host]!, memoryReserved[host]!) || c.hostGuests[host] !== guests[host]) {
      problems.push(`host ${hostName(state, host)}: capacity arrays (${c.hostCpuUsedMhz[host]} MHz used, ${c.hostCpuReservedMhz[host]} reserved, ${c.hostGuests[host]} guests) differ from the sums of its holds (${cpuUsed[host]} used, ${cpuReserved[host]} reserved, ${guests[host]} guests)`);
    }
  }
  return problems;
}

// ----- 2. holds -----

function ordinalOf(state: CloudState, hostId: Id | undefined): number | undefined {
  return hostId === undefined ? undefined : state.capacity.hostOrdinal.get(hostId);
}

/** The hold of one VM against its state. */
export function holdProblems(state: CloudState, vm: Vm, problems: string[] = [], hold: Hold | undefined = state.capacity.holdOf(vm)): string[] {
  if (LIVE.has(vm.state)) {
    const host = vm.hostId === undefined ? undefined : state.capacity.hostOrdinalFor(vm, vm.hostId);
    if (host === undefined) {
      problems.push(`VM ${vm.name} is ${vm.state} without a host`);
      return problems;
    }
    if (!hold) {
      problems.push(`VM ${vm.name} is ${vm.state} on host ${hostName(state, host)} but holds no capacity`);
      return problems;
    }
    if (hold.reserved) problems.push(`VM ${vm.name} is ${vm.state} but its hold is a reservation`);
    if (hold.host !== host) problems.push(`VM ${vm.name} is ${vm.state} on host ${hostName(state, host)} but holds capacity on host ${hostName(state, hold.host)}`);
    if (hold.cpuMhz !== vm.cpuNumber * vm.cpuSpeedMhz || hold.memoryMiB !== vm.memoryMiB) problems.push(`VM ${vm.name} holds ${hold.cpuMhz} MHz and ${hold.memoryMiB} MiB but is sized ${vm.cpuNumber * vm.cpuSpeedMhz} MHz and ${vm.memoryMiB} MiB`);
    if (!vmsOnHost(state, vm.hostId!).includes(vm)) problems.push(`VM ${vm.name} is ${vm.state} on host ${hostName(state, host)} but the host index does not list it`);
    return problems;
  }
  if (vm.state === 'Stopped') {
    if (hold && !hold.reserved) problems.push(`VM ${vm.name} is Stopped but holds used capacity on host ${hostName(state, hold.host)}`);
    if (hold && hold.host !== ordinalOf(state, vm.lastHostId)) problems.push(`VM ${vm.name} is Stopped with a reservation on host ${hostName(state, hold.host)}, not on its last host`);
  } else if (hold) {
    problems.push(`VM ${vm.name} is ${vm.state} but holds capacity on host ${hostName(state, hold.host)}`);
  }
  if (vm.hostId !== undefined) problems.push(`VM ${vm.name} is ${vm.state} but still names host ${vm.hostId}`);
  return problems;
}

export function allHoldProblems(state: CloudState): string[] {
  const problems: string[] = [];
  for (const vm of state.vms.values()) holdProblems(state, vm, problems);
  for (const [holder, hold] of state.capacity.holds.withHolders()) {
    if (state.vms.get(holder.id) !== holder) problems.push(`a hold on host ${hostName(state, hold.host)} belongs to no VM of the cloud (${holder.id})`);
  }
  // The host index lists exactly the VMs that hold a host.
  const lists = state.index.vmsByHostOrdinal;
  if (lists.length > state.capacity.hostCount) problems.push(`the host index has lists for ${lists.length} hosts, the capacity index ${state.capacity.hostCount}`);
  for (let ordinal = 0; ordinal < lists.length; ordinal++) {
    const hostId = state.capacity.hostIds[ordinal]!;
    for (const record of lists[ordinal] ?? []) {
      const vm = state.vms.get(record.id) === record ? record : undefined;
      if (!vm || !LIVE.has(vm.state) || vm.hostId !== hostId) problems.push(`host index lists VM ${record.name} on host ${state.hosts.get(hostId)?.name ?? hostId}, where it is ${vm ? vm.state : 'gone'}`);
    }
  }
  return problems;
}

// ----- 3. addresses, VLANs and VNIs -----

type NicPlace = 'basic guest' | 'network' | 'link-local' | 'reserved' | 'storage';

/**
 * The pool a NIC's address is held in (the rules of evolve, derived again), and which kind of
 * range it is; undefined for an address no pool holds (public addresses, a router's gateway).
 * The range is named by placeLabel only when a problem needs the words: this runs for every NIC
 * a step touches.
 */
function poolOfNic(state: CloudState, nic: Nic): { pool: IdPool | undefined; place: NicPlace } | undefined {
  if (nic.ip === undefined) return undefined;
  switch (nic.role) {
    case 'guest': {
      if (nic.podId !== undefined) return { pool: state.pools.basicGuestByPod.get(nic.podId), place: 'basic guest' };
      if (nic.networkId === undefined) return undefined;
      const network = state.networks.get(nic.networkId);
      // The router's NIC on an isolated network or tier is the gateway, outside the pool.
      if (network && network.gateway === nic.ip && network.guestType !== 'Shared') return undefined;
      return { pool: state.pools.guestByNetwork.get(nic.networkId), place: 'network' };
    }
    case 'public':
      // Held by the public IP record of the address.
      return undefined;
    case 'control': {
      if (nic.podId === undefined) return undefined;
      const linkLocal = (nic.ip & 0xffff0000) >>> 0 === 0xa9fe0000;
      return linkLocal ? { pool: state.pools.linkLocalByPod.get(nic.podId), place: 'link-local' } : { pool: state.pools.reservedByPod.get(nic.podId), place: 'reserved' };
    }
    case 'management':
      return nic.podId === undefined ? undefined : { pool: state.pools.reservedByPod.get(nic.podId), place: 'reserved' };
    case 'storage':
      return nic.podId === undefined ? undefined : { pool: state.pools.storageByPod.get(nic.podId), place: 'storage' };
  }
}

/** The words for the range a NIC's address comes from. */
function placeLabel(state: CloudState, nic: Nic, place: NicPlace): string {
  if (place === 'network') return `network ${(nic.networkId !== undefined ? state.networks.get(nic.networkId)?.name : undefined) ?? nic.networkId}`;
  const pod = nic.podId === undefined ? undefined : (state.pods.get(nic.podId)?.name ?? nic.podId);
  const range = place === 'basic guest' ? 'guest' : place;
  return `${range} range of pod ${pod}`;
}

/** The NICs of one VM are allocated in their pools. */
export function nicProblems(state: CloudState, vm: Vm, problems: string[] = []): string[] {
  for (const nic of vm.nics) {
    const held = poolOfNic(state, nic);
    if (!held) continue;
    if (!held.pool) problems.push(`VM ${vm.name} has ${nic.role} address ${formatIpv4(nic.ip!)} in ${placeLabel(state, nic, held.place)}, which has no pool`);
    else if (!held.pool.isAllocated(nic.ip!)) problems.push(`VM ${vm.name} has ${nic.role} address ${formatIpv4(nic.ip!)} that ${placeLabel(state, nic, held.place)} does not count as allocated`);
  }
  return problems;
}

export function addressProblems(state: CloudState): string[] {
  const problems: string[] = [];
  const holders = new Map<IdPool, Map<number, string>>();
  const labels = new Map<IdPool, string>();
  const hold = (pool: IdPool | undefined, label: string, value: number, holder: string, shown: string): void => {
    if (!pool) {
      problems.push(`${holder} holds ${shown} in ${label}, which has no pool`);
      return;
    }
    labels.set(pool, label);
    let values = holders.get(pool);
    if (!values) {
      values = new Map();
      holders.set(pool, values);
    }
    const other = values.get(value);
    if (other !== undefined) problems.push(`${shown} is held twice in ${label}: by ${other} and by ${holder}`);
    else values.set(value, holder);
    if (!pool.isAllocated(value)) problems.push(`${holder} holds ${shown} but ${label} does not count it as allocated`);
  };
  for (const vm of state.vms.values()) {
    for (const nic of vm.nics) {
      const held = poolOfNic(state, nic);
      if (held) hold(held.pool, placeLabel(state, nic, held.place), nic.ip!, `VM ${vm.name}`, `address ${formatIpv4(nic.ip!)}`);
    }
  }
  for (const ip of state.publicIps.values()) {
    hold(state.pools.publicByZone.get(ip.zoneId), `public ranges of zone ${state.zones.get(ip.zoneId)?.name ?? ip.zoneId}`, ip.ip, `public IP ${ip.id}`, `address ${formatIpv4(ip.ip)}`);
  }
  for (const network of state.networks.values()) {
    if (!network.vlanFromPool || typeof network.vlan !== 'number' || network.state === 'Destroy' || network.physicalNetworkId === undefined) continue;
    const physical = state.physicalNetworks.get(network.physicalNetworkId);
    hold(state.pools.vnetByPhysicalNetwork.get(network.physicalNetworkId), `VNET range of physical network ${physical?.name ?? network.physicalNetworkId}`, network.vlan, `network ${network.name}`, `${physical?.isolationMethod === 'VXLAN' ? 'VNI' : 'VLAN'} ${network.vlan}`);
  }
  const families: [string, Map<Id, IdPool>][] = Object.entries(state.pools) as [string, Map<Id, IdPool>][];
  for (const [family, pools] of families) {
    for (const [key, pool] of pools) {
      const held = holders.get(pool)?.size ?? 0;
      if (pool.allocatedCount !== held) problems.push(`${labels.get(pool) ?? `${family} ${key}`} counts ${pool.allocatedCount} allocated, but ${held} records hold one of its values`);
    }
  }
  return problems;
}

// ----- 4. HA -----

export function haProblems(state: CloudState, silentlyDownOf: (vm: Vm) => boolean): string[] {
  const problems: string[] = [];
  for (const vm of state.vms.values()) if (silentlyDownOf(vm)) problems.push(silentlyDown(vm));
  return problems;
}

// ----- 5. strict anti-affinity -----

function antiAffinityProblemsOf(state: CloudState, vm: Vm, problems: string[]): string[] {
  for (const groupId of vm.affinityGroupIds) {
    const group = state.affinityGroups.get(groupId);
    if (!group || group.type !== 'host anti-affinity') continue;
    for (const otherId of group.vmIds) {
      if (otherId === vm.id) continue;
      const other = state.vms.get(otherId);
      if (other && LIVE.has(other.state) && other.hostId === vm.hostId) {
        problems.push(`VMs ${vm.name} and ${other.name} of anti-affinity group ${group.name} share host ${state.hosts.get(vm.hostId!)?.name ?? vm.hostId}`);
      }
    }
  }
  return problems;
}

export function antiAffinityProblems(state: CloudState): string[] {
  const problems: string[] = [];
  for (const group of state.affinityGroups.values()) {
    if (group.type !== 'host anti-affinity') continue;
    const seen = new Map<Id, string>();
    for (const vmId of group.vmIds) {
      const vm = state.vms.get(vmId);
      if (!vm || !LIVE.has(vm.state) || vm.hostId === undefined) continue;
      const other = seen.get(vm.hostId);
      if (other !== undefined) problems.push(`VMs ${other} and ${vm.name} of anti-affinity group ${group.name} share host ${state.hosts.get(vm.hostId)?.name ?? vm.hostId}`);
      else seen.set(vm.hostId, vm.name);
    }
  }
  return problems;
}

import { assert, fail } from './assert.js';

/**
 * Host and cluster capacity in typed arrays, indexed by ordinal (the order hosts and clusters were
 * created in). Every VM's claim on a host is a *hold*, kept per VM: taking a new hold first drops
 * the old one, and dropping a hold that does not exist does nothing, so reserve and release are
 * paired and idempotent and no capacity is ever counted twice.
 *
 * `used` is what Starting, Running and Migrating VMs take; `reserved` is what a stopped VM keeps
 * on its last host during `capacity.skipcounting.hours`. Cluster sums count only hosts that are
 * Up and Enabled, because that is what can take VMs (and absorb a failed host's).
 */

export interface Hold {
  host: number;
  cpuMhz: number;
  memoryMiB: number;
  reserved: boolean;
  /** Counts against the host's max guests (running or starting VMs, system VMs included). */
  guest: boolean;
  /** A VM placed by the implicit dedication planner in strict mode: the host is its account's. */
  strictAccountId?: string;
}

/** What takes a hold: a VM record (its id names it in iteration and in messages). */
export interface HoldOwner {
  readonly id: string;
}

/**
 * Where a VM record keeps its slot in the hold table: a field of the record itself, under a
 * symbol, so finding a VM's hold reads the record in hand instead of a map of every VM.
 *
 * The field is part of the record's object literal (vmRecord in evolve-lifecycle.ts) rather than
 * a private field of a class. V8 allocates objects from a literal that nearly always survives
 * straight into the old generation, next to the objects allocated after it (the record's NIC and
 * volume lists); class instances start young and are copied twice by the collector, each time to
 * wherever its copy pointer is. Kept together, a VM's record and lists are a few adjacent lines
 * of one page when the VM is destroyed weeks later, instead of a cache and TLB miss each.
 *
 * A symbol key is no data of the record: JSON, Object.keys, for-in and structuredClone do not
 * see it, so snapshots, events and API answers do not carry it. A spread copy does carry it, and
 * deep equality in tests compares it; but the slot counts only for the record the table gave it
 * to (slotOf compares the slot's owner with the record), so a copy holds nothing.
 */
export const HOLD_SLOT: unique symbol = Symbol('hold slot');

/** A record that can take a hold: one made by vmRecord, which starts its slot at -1 (none). */
export interface HoldingRecord extends HoldOwner {
  [HOLD_SLOT]: number;
}

function isHoldingRecord(record: object): record is HoldingRecord {
  return HOLD_SLOT in record;
}

/**
 * The holds of every VM, packed into typed arrays by slot: a hold is a few numbers and flags, and
 * at a hundred thousand VMs an object per hold (made again at every state change) is memory and
 * garbage the collector must trace. Each holding VM record carries its slot, so finding
 * a VM's hold reads a field of the record in hand instead of looking its id up in a map of every
 * VM: at a hundred thousand VMs such a map is 45 bytes a VM, and a lookup that misses the caches.
 * (HOLD_SLOT says where the slot is kept.)
 * Reads hand out a fresh Hold; writes go through CapacityIndex.hold, place and release.
 *
 * Iteration is by slot, lowest first: slots given back are taken again last in, first out, so the
 * order depends only on the sequence of takes and releases, and a replay or a restored cloud that
 * took them in the same order iterates alike.
 */
export class HoldTable {
  /** The record holding each slot; undefined for a free slot. */
  private owners: (HoldOwner | undefined)[] = [];
  private hosts = new Int32Array(64);
  /** Whole MHz and MiB in Int32Arrays, widened to Float64Arrays the first time a hold is not whole. */
  private cpusMhz: Int32Array | Float64Array = new Int32Array(64);
  private memoriesMiB: Int32Array | Float64Array = new Int32Array(64);
  /** Bit 0: reserved; bit 1: guest. */
  private flags = new Uint8Array(64);
  /** The account of a strict implicit dedication hold, by slot (rare, so a map). */
  private readonly strictAccounts = new Map<number, string>();
  /** Slots given back, reused last in, first out. */
  private readonly freeSlots: number[] = [];
  private slotCount = 0;
  private holdCount = 0;
  private reservedCount = 0;

  get size(): number {
    return this.holdCount;
  }

  /** Holds of used capacity (not a stopped VM's reservation): one per VM starting, running, stopping or migrating. */
  get usedCount(): number {
    return this.holdCount - this.reservedCount;
  }

  has(owner: HoldOwner): boolean {
    return this.slotOf(owner) !== undefined;
  }

  get(owner: HoldOwner): Hold | undefined {
    const slot = this.slotOf(owner);
    return slot === undefined ? undefined : this.at(slot);
  }

  /** The ids of the VMs that hold, by slot. */
  *keys(): IterableIterator<string> {
    for (const slot of this.takenSlots()) yield this.owners[slot]!.id;
  }

  *entries(): IterableIterator<[string, Hold]> {
    for (const slot of this.takenSlots()) yield [this.owners[slot]!.id, this.at(slot)];
  }

  [Symbol.iterator](): IterableIterator<[string, Hold]> {
    return this.entries();
  }

  *values(): IterableIterator<Hold> {
    for (const [, hold] of this.entries()) yield hold;
  }

  /** The records that hold with their holds, by slot (the invariant checkers compare the records with the state's). */
  *withHolders(): IterableIterator<[HoldOwner, Hold]> {
    for (const slot of this.takenSlots()) yield [this.owners[slot]!, this.at(slot)];
  }

  /** The slots that hold, lowest first. */
  private *takenSlots(): IterableIterator<number> {
    for (let slot = 0; slot < this.slotCount; slot++) if (this.owners[slot] !== undefined) yield slot;
  }

  /** Stores a hold for a VM that has none (CapacityIndex.place releases the old one first). */
  set(owner: HoldOwner, host: number, cpuMhz: number, memoryMiB: number, reserved: boolean, guest: boolean, strictAccountId: string | undefined): void {
    if (!isHoldingRecord(owner)) fail(`${owner.id} is not a VM record: holds are taken by the records vmRecord makes`);
    if (this.slotOf(owner) !== undefined) fail(`VM ${owner.id} holds capacity already`);
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.slotCount++;
      if (slot === this.hosts.length) this.grow();
    }
    // A free slot's flags are 0 (delete clears them, growth starts them so): update counts the reservation from there.
    this.update(slot, host, cpuMhz, memoryMiB, reserved, guest, strictAccountId);
    this.owners[slot] = owner;
    this.holdCount++;
    owner[HOLD_SLOT] = slot;
  }

  /** Writes a hold into its slot: a new one, or a changed one in place (the VM keeps its slot). */
  update(slot: number, host: number, cpuMhz: number, memoryMiB: number, reserved: boolean, guest: boolean, strictAccountId: string | undefined): void {
    if (this.cpusMhz instanceof Int32Array && ((cpuMhz | 0) !== cpuMhz || (memoryMiB | 0) !== memoryMiB)) this.widen();
    this.hosts[slot] = host;
    this.cpusMhz[slot] = cpuMhz;
    this.memoriesMiB[slot] = memoryMiB;
    this.reservedCount += (reserved ? 1 : 0) - (this.flags[slot]! & 1);
    this.flags[slot] = (reserved ? 1 : 0) | (guest ? 2 : 0);
    if (strictAccountId !== undefined) this.strictAccounts.set(slot, strictAccountId);
    else if (this.strictAccounts.size > 0) this.strictAccounts.delete(slot);
  }

  /**
   * A VM's slot, for reading its hold field by field without making a Hold. The slot counts only
   * if this table gave it to this record: a record of another cloud, or one whose hold was
   * dropped, has none here.
   */
  slotOf(owner: HoldOwner): number | undefined {
    if (!isHoldingRecord(owner)) return undefined;
    const slot = owner[HOLD_SLOT];
    return slot >= 0 && this.owners[slot] === owner ? slot : undefined;
  }

  hostAt(slot: number): number {
    return this.hosts[slot]!;
  }

  cpuMhzAt(slot: number): number {
    return this.cpusMhz[slot]!;
  }

  memoryMiBAt(slot: number): number {
    return this.memoriesMiB[slot]!;
  }

  reservedAt(slot: number): boolean {
    return (this.flags[slot]! & 1) !== 0;
  }

  guestAt(slot: number): boolean {
    return (this.flags[slot]! & 2) !== 0;
  }

  strictAccountAt(slot: number): string | undefined {
    return this.strictAccounts.size === 0 ? undefined : this.strictAccounts.get(slot);
  }

  delete(owner: HoldOwner): boolean {
    const slot = this.slotOf(owner);
    if (slot === undefined || !isHoldingRecord(owner)) return false;
    this.owners[slot] = undefined;
    owner[HOLD_SLOT] = -1;
    this.holdCount--;
    this.reservedCount -= this.flags[slot]! & 1;
    this.flags[slot] = 0;
    this.strictAccounts.delete(slot);
    this.freeSlots.push(slot);
    return true;
  }

  /** A host left the capacity index: holds on the hosts after it move down one ordinal. */
  shiftHostsAbove(host: number): void {
    for (const slot of this.takenSlots()) if (this.hosts[slot]! > host) this.hosts[slot]!--;
  }

  private at(slot: number): Hold {
    const flags = this.flags[slot]!;
    const hold: Hold = { host: this.hosts[slot]!, cpuMhz: this.cpusMhz[slot]!, memoryMiB: this.memoriesMiB[slot]!, reserved: (flags & 1) !== 0, guest: (flags & 2) !== 0 };
    const strictAccountId = this.strictAccountAt(slot);
    if (strictAccountId !== undefined) hold.strictAccountId = strictAccountId;
    return hold;
  }

  /** Half again as large: with a slot per VM, doubling would leave a third of a big table unused. */
  private grow(): void {
    const size = Math.ceil(this.hosts.length * 1.5);
    this.hosts = resized(this.hosts, size, (n) => new Int32Array(n));
    this.cpusMhz = this.cpusMhz instanceof Int32Array ? resized(this.cpusMhz, size, (n) => new Int32Array(n)) : resized(this.cpusMhz, size, (n) => new Float64Array(n));
    this.memoriesMiB = this.memoriesMiB instanceof Int32Array ? resized(this.memoriesMiB, size, (n) => new Int32Array(n)) : resized(this.memoriesMiB, size, (n) => new Float64Array(n));
    this.flags = resized(this.flags, size, (n) => new Uint8Array(n));
  }

  /** A hold of a fractional MHz or MiB (a scaled custom offering, say): both columns become doubles. */
  private widen(): void {
    this.cpusMhz = Float64Array.from(this.cpusMhz);
    this.memoriesMiB = Float64Array.from(this.memoriesMiB);
  }
}

function resized<T extends Float64Array | Int32Array | Uint8Array>(array: T, size: number, make: (n: number) => T): T {
  const next = make(size);
  next.set(array);
  return next;
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(array: T, size: number, make: (n: number) => T): T {
  return size <= array.length ? array : resized(array, Math.max(size, array.length * 2, 16), make);
}

/** How many recent cluster changes the capacity index remembers (see CapacityIndex.changeLog). */
export const CHANGE_LOG_SIZE = 1024;

export class CapacityIndex {
  hostCount = 0;
  readonly hostIds: string[] = [];
  readonly hostOrdinal = new Map<string, number>();
  hostCluster = new Int32Array(16);
  /** Raw totals: cores x MHz, and MiB. Over-provisioning is applied by readers, per cluster. */
  hostCpuTotalMhz = new Float64Array(16);
  hostMemoryTotalMiB = new Float64Array(16);
  hostCpuUsedMhz = new Float64Array(16);
  hostMemoryUsedMiB = new Float64Array(16);
  hostCpuReservedMhz = new Float64Array(16);
  hostMemoryReservedMiB = new Float64Array(16);
  hostGuests = new Int32Array(16);
  /** 1 when the host is Up and Enabled (it takes VMs and counts in its cluster's totals). */
  hostActive = new Uint8Array(16);

  clusterCount = 0;
  readonly clusterIds: string[] = [];
  readonly clusterOrdinal = new Map<string, number>();
  readonly clusterHosts: number[][] = [];
  clusterCpuRatio = new Float64Array(16);
  clusterMemoryRatio = new Float64Array(16);
  clusterCpuTotalMhz = new Float64Array(16);
  clusterMemoryTotalMiB = new Float64Array(16);
  /** used + reserved of the cluster's active hosts. */
  clusterCpuAllocatedMhz = new Float64Array(16);
  clusterMemoryAllocatedMiB = new Float64Array(16);
  /** Bumped whenever a cluster's numbers change, so ordered views know when to re-sort. */
  version = 0;
  /** The version at which each cluster's numbers last changed. */
  clusterStamp = new Float64Array(16);
  /**
   * The cluster touched at each of the last CHANGE_LOG_SIZE versions (slot version % size), so a
   * view that last looked a few versions ago re-sorts just those clusters instead of scanning all.
   */
  readonly changeLog = new Int32Array(CHANGE_LOG_SIZE);
  /**
   * Bumped when anything placement caches about the topology changes: clusters or hosts added,
   * allocation states, dedications, settings. Evolve bumps it; placement's caches compare it.
   */
  topologyVersion = 0;

  readonly holds = new HoldTable();
  /** Hosts reserved by strict implicit dedication: host ordinal -> account and number of its VMs there. */
  readonly strictHosts = new Map<number, { accountId: string; vms: number }>();

  addCluster(id: string, cpuRatio: number, memoryRatio: number): number {
    const ordinal = this.clusterCount++;
    this.clusterIds.push(id);
    this.clusterOrdinal.set(id, ordinal);
    this.clusterHosts.push([]);
    const n = this.clusterCount;
    this.clusterCpuRatio = grow(this.clusterCpuRatio, n, (k) => new Float64Array(k));
    this.clusterMemoryRatio = grow(this.clusterMemoryRatio, n, (k) => new Float64Array(k));
    this.clusterCpuTotalMhz = grow(this.clusterCpuTotalMhz, n, (k) => new Float64Array(k));
    this.clusterMemoryTotalMiB = grow(this.clusterMemoryTotalMiB, n, (k) => new Float64Array(k));
    this.clusterCpuAllocatedMhz = grow(this.clusterCpuAllocatedMhz, n, (k) => new Float64Array(k));
    this.clusterMemoryAllocatedMiB = grow(this.clusterMemoryAllocatedMiB, n, (k) => new Float64Array(k));
    this.clusterStamp = grow(this.clusterStamp, n, (k) => new Float64Array(k));
    this.clusterCpuRatio[ordinal] = cpuRatio;
    this.clusterMemoryRatio[ordinal] = memoryRatio;
    this.touch(ordinal);
    this.topologyVersion++;
    return ordinal;
  }

  addHost(id: string, clusterId: string, cpuTotalMhz: number, memoryTotalMiB: number, active: boolean): number {
    const cluster = this.clusterOrdinal.get(clusterId);
    assert(cluster !== undefined, `host ${id} added to unknown cluster ${clusterId}`);
    const ordinal = this.hostCount++;
    this.hostIds.push(id);
    this.hostOrdinal.set(id, ordinal);
    const n = this.hostCount;
    const f64 = (k: number) => new Float64Array(k);
    this.hostCluster = grow(this.hostCluster, n, (k) => new Int32Array(k));
    this.hostCpuTotalMhz = grow(this.hostCpuTotalMhz, n, f64);
    this.hostMemoryTotalMiB = grow(this.hostMemoryTotalMiB, n, f64);
    this.hostCpuUsedMhz = grow(this.hostCpuUsedMhz, n, f64);
    this.hostMemoryUsedMiB = grow(this.hostMemoryUsedMiB, n, f64);
    this.hostCpuReservedMhz = grow(this.hostCpuReservedMhz, n, f64);
    this.hostMemoryReservedMiB = grow(this.hostMemoryReservedMiB, n, f64);
    this.hostGuests = grow(this.hostGuests, n, (k) => new Int32Array(k));
    this.hostActive = grow(this.hostActive, n, (k) => new Uint8Array(k));
    this.hostCluster[ordinal] = cluster;
    this.hostCpuTotalMhz[ordinal] = cpuTotalMhz;
    this.hostMemoryTotalMiB[ordinal] = memoryTotalMiB;
    this.clusterHosts[cluster]!.push(ordinal);
    this.setActive(ordinal, active);
    this.topologyVersion++;
    return ordinal;
  }

  /** A host going down, into maintenance or disabled leaves its cluster's totals, and back. */
  setActive(host: number, active: boolean): void {
    const was = this.hostActive[host] === 1;
    if (was === active) return;
    this.hostActive[host] = active ? 1 : 0;
    const cluster = this.hostCluster[host]!;
    const sign = active ? 1 : -1;
    this.clusterCpuTotalMhz[cluster]! += sign * this.hostCpuTotalMhz[host]!;
    this.clusterMemoryTotalMiB[cluster]! += sign * this.hostMemoryTotalMiB[host]!;
    this.clusterCpuAllocatedMhz[cluster]! += sign * (this.hostCpuUsedMhz[host]! + this.hostCpuReservedMhz[host]!);
    this.clusterMemoryAllocatedMiB[cluster]! += sign * (this.hostMemoryUsedMiB[host]! + this.hostMemoryReservedMiB[host]!);
    this.touch(cluster);
  }

  /** Marks a cluster's numbers as changed. */
  private touch(cluster: number): void {
    this.clusterStamp[cluster] = ++this.version;
    this.changeLog[this.version % CHANGE_LOG_SIZE] = cluster;
  }

  setClusterRatios(clusterId: string, cpuRatio: number, memoryRatio: number): void {
    const cluster = this.clusterOrdinal.get(clusterId);
    if (cluster === undefined) return;
    this.clusterCpuRatio[cluster] = cpuRatio;
    this.clusterMemoryRatio[cluster] = memoryRatio;
    this.touch(cluster);
  }

  private apply(host: number, cpuMhz: number, memoryMiB: number, reserved: boolean, guest: boolean, strictAccountId: string | undefined, sign: 1 | -1): void {
    if (reserved) {
      this.hostCpuReservedMhz[host]! += sign * cpuMhz;
      this.hostMemoryReservedMiB[host]! += sign * memoryMiB;
    } else {
      this.hostCpuUsedMhz[host]! += sign * cpuMhz;
      this.hostMemoryUsedMiB[host]! += sign * memoryMiB;
    }
    if (guest) this.hostGuests[host]! += sign;
    if (strictAccountId !== undefined) {
      const entry = this.strictHosts.get(host) ?? { accountId: strictAccountId, vms: 0 };
      entry.vms += sign;
      if (entry.vms > 0) this.strictHosts.set(host, entry);
      else this.strictHosts.delete(host);
    }
    if (this.hostActive[host] === 1) {
      const cluster = this.hostCluster[host]!;
      this.clusterCpuAllocatedMhz[cluster]! += sign * cpuMhz;
      this.clusterMemoryAllocatedMiB[cluster]! += sign * memoryMiB;
      this.touch(cluster);
    }
  }

  /** Takes (or moves) the hold of a VM. */
  hold(vm: HoldOwner, hold: Hold): void {
    this.place(vm, hold.host, hold.cpuMhz, hold.memoryMiB, hold.reserved, hold.guest, hold.strictAccountId);
  }

  /** `hold` with the fields as arguments: evolve takes a hold at every VM state change and need not make one. */
  place(vm: HoldOwner, host: number, cpuMhz: number, memoryMiB: number, reserved: boolean, guest: boolean, strictAccountId?: string): void {
    const table = this.holds;
    const slot = table.slotOf(vm);
    if (slot === undefined) {
      table.set(vm, host, cpuMhz, memoryMiB, reserved, guest, strictAccountId);
    } else {
      // A start reaching Running holds what it held while Starting: nothing changes, and the
      // cluster is not marked as changed (ordered views would sort it again for nothing).
      if (table.hostAt(slot) === host && table.cpuMhzAt(slot) === cpuMhz && table.memoryMiBAt(slot) === memoryMiB && table.reservedAt(slot) === reserved && table.guestAt(slot) === guest && table.strictAccountAt(slot) === strictAccountId) return;
      // A VM that holds already (every state change of a running VM) keeps its slot: its old
      // claim comes off and the new one goes on, without taking its id out of the table and
      // putting it back.
      this.apply(table.hostAt(slot), table.cpuMhzAt(slot), table.memoryMiBAt(slot), table.reservedAt(slot), table.guestAt(slot), table.strictAccountAt(slot), -1);
      table.update(slot, host, cpuMhz, memoryMiB, reserved, guest, strictAccountId);
    }
    this.apply(host, cpuMhz, memoryMiB, reserved, guest, strictAccountId, 1);
  }

  /** Drops the hold of a VM; nothing happens when it has none. */
  release(vm: HoldOwner): boolean {
    const table = this.holds;
    const slot = table.slotOf(vm);
    if (slot === undefined) return false;
    const host = table.hostAt(slot);
    const cpuMhz = table.cpuMhzAt(slot);
    const memoryMiB = table.memoryMiBAt(slot);
    const reserved = table.reservedAt(slot);
    const guest = table.guestAt(slot);
    const strictAccountId = table.strictAccountAt(slot);
    table.delete(vm);
    this.apply(host, cpuMhz, memoryMiB, reserved, guest, strictAccountId, -1);
    return true;
  }

  holdOf(vm: HoldOwner): Hold | undefined {
    return this.holds.get(vm);
  }

  /**
   * The ordinal of a host: read off the VM's hold when the hold is on that host (a VM starting,
   * running or leaving holds it), which looks nothing up by id; else from the index.
   */
  hostOrdinalFor(vm: HoldOwner, hostId: string): number | undefined {
    const slot = this.holds.slotOf(vm);
    if (slot !== undefined) {
      const host = this.holds.hostAt(slot);
      if (this.hostIds[host] === hostId) return host;
    }
    return this.hostOrdinal.get(hostId);
  }

  /** Free CPU of a host under its cluster's over-provisioning (counting reserved unless told not to). */
  hostFreeCpuMhz(host: number, countReserved = true): number {
    const cluster = this.hostCluster[host]!;
    return this.hostCpuTotalMhz[host]! * this.clusterCpuRatio[cluster]! - this.hostCpuUsedMhz[host]! - (countReserved ? this.hostCpuReservedMhz[host]! : 0);
  }

  hostFreeMemoryMiB(host: number, countReserved = true): number {
    const cluster = this.hostCluster[host]!;
    return this.hostMemoryTotalMiB[host]! * this.clusterMemoryRatio[cluster]! - this.hostMemoryUsedMiB[host]! - (countReserved ? this.hostMemoryReservedMiB[host]! : 0);
  }

  /** Allocated share of a cluster's over-provisioned CPU after adding `extraMhz`. */
  clusterCpuShare(cluster: number, extraMhz = 0, lostTotalMhz = 0): number {
    const total = (this.clusterCpuTotalMhz[cluster]! - lostTotalMhz) * this.clusterCpuRatio[cluster]!;
    return total > 0 ? (this.clusterCpuAllocatedMhz[cluster]! + extraMhz) / total : Infinity;
  }

  clusterMemoryShare(cluster: number, extraMiB = 0, lostTotalMiB = 0): number {
    const total = (this.clusterMemoryTotalMiB[cluster]! - lostTotalMiB) * this.clusterMemoryRatio[cluster]!;
    return total > 0 ? (this.clusterMemoryAllocatedMiB[cluster]! + extraMiB) / total : Infinity;
  }
}

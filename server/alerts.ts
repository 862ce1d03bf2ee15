import { CHANGE_LOG_SIZE, type CapacityIndex } from '../core/capacity.js';
import { POOL_TYPE } from '../core/data/storage.js';
import { uuidFor } from '../core/ids.js';
import { scopedSettingValue } from '../core/model/configuration.js';
import type { Cluster, Pod, Zone } from '../core/model/entities.js';
import type { DomainEvent } from '../core/model/events.js';
import type { CloudState } from '../core/model/state.js';

/**
 * CloudStack's alerts (listAlerts), derived from the core's events and state alone, so that a
 * restart that replays the log raises exactly the same ones. After every event the capacity the
 * event may have changed is checked against the notification thresholds, as CloudStack's
 * capacity checker does on its timer: an allocated share above a threshold raises one alert,
 * which stays the only one for that capacity until the share has fallen back under the
 * threshold. A host going down raises an alert each time, and so does a scan of the secondary
 * storage VM or console proxy manager that cannot bring up its VM.
 *
 * The check runs lazily: an event marks the capacity as changed, and the next event (or a read)
 * checks the state as the event left it, with the time of that event. Live and replayed runs
 * check the same states at the same points, so they agree.
 */

/** CloudStack's AlertService.AlertType numbers and names. */
export const ALERT_TYPES = {
  memory: { type: 0, name: 'ALERT.MEMORY' },
  cpu: { type: 1, name: 'ALERT.CPU' },
  storage: { type: 2, name: 'ALERT.STORAGE' },
  storageAllocated: { type: 3, name: 'ALERT.STORAGE.ALLOCATED' },
  publicIp: { type: 4, name: 'ALERT.NETWORK.PUBLICIP' },
  privateIp: { type: 5, name: 'ALERT.NETWORK.PRIVATEIP' },
  secondaryStorage: { type: 6, name: 'ALERT.STORAGE.SECONDARY' },
  host: { type: 7, name: 'ALERT.COMPUTE.HOST' },
  vlan: { type: 18, name: 'ALERT.NETWORK.VLAN' },
  consoleProxy: { type: 10, name: 'ALERT.SERVICE.CONSOLEPROXY' },
  secondaryStorageVm: { type: 19, name: 'ALERT.SERVICE.SSVM' },
} as const;

export interface CloudAlert {
  id: string;
  type: number;
  name: string;
  /** CloudStack's subject line. */
  description: string;
  sentMs: number;
  zoneId?: string;
  podId?: string;
  clusterId?: string;
}

export interface AlertSnapshot {
  alerts: CloudAlert[];
  seq: number;
  /** Capacities above their threshold, by key, with the id of the alert they raised. */
  raised: [string, string][];
  changed: boolean;
  lastAtMs: number;
}

/** Salt of the alert ids (they share the namespace of the cloud's ids). */
const ALERT_ID_SALT = 0x414c5254;

/**
 * What an event may change, for the frequent events whose reach is known: VM holds (followed
 * through the capacity index's change log, cluster by cluster), primary and secondary storage,
 * and addresses (public, pod and VLAN). Any other event (new hosts, settings, thresholds,
 * states) makes the next check look at everything.
 */
const REACH: Readonly<Record<string, { holds?: true; storage?: true; addresses?: true }>> = {
  vmCreated: { holds: true, addresses: true },
  vmStateChanged: { holds: true },
  vmExpunged: { holds: true, addresses: true },
  vmMigrated: { holds: true },
  vmRebooted: { holds: true },
  stoppedCapacityReleased: { holds: true },
  volumeCreated: { storage: true },
  volumeAttached: { storage: true },
  volumeDetached: { storage: true },
  volumeResized: { storage: true },
  volumeDeleted: { storage: true },
  snapshotCreated: { storage: true },
  snapshotDeleted: { storage: true },
  templateRegistered: { storage: true },
  templateDeleted: { storage: true },
  publicIpAllocated: { addresses: true },
  publicIpReleased: { addresses: true },
  systemVmScanFailed: {},
};

export class AlertLog {
  readonly alerts: CloudAlert[] = [];
  private readonly raised = new Map<string, string>();
  private seq = 0;
  /** What the events since the last check may have changed. */
  private changed = false;
  private storageChanged = false;
  private addressesChanged = false;
  private lastAtMs = 0;
  /** The capacity index and version the clusters were last checked at; another index means check all. */
  private seenIndex: CapacityIndex | undefined;
  private seenVersion = 0;
  private allClusters = true;

  constructor(private readonly idNamespace: number) {}

  toSnapshot(): AlertSnapshot {
    return { alerts: this.alerts, seq: this.seq, raised: [...this.raised], changed: this.changed, lastAtMs: this.lastAtMs };
  }

  static fromSnapshot(idNamespace: number, snapshot: AlertSnapshot | undefined): AlertLog {
    const log = new AlertLog(idNamespace);
    if (!snapshot) return log;
    for (const alert of snapshot.alerts) log.alerts.push(alert);
    for (const [key, id] of snapshot.raised) log.raised.set(key, id);
    log.seq = snapshot.seq;
    // A restored log checks everything it may have missed at once; a capacity that did not change gets the same verdict.
    log.changed = snapshot.changed;
    log.storageChanged = snapshot.changed;
    log.addressesChanged = snapshot.changed;
    log.lastAtMs = snapshot.lastAtMs;
    return log;
  }

  /** Observes an event before it is applied: first checks what the earlier events left. */
  observe(event: DomainEvent, state: Readonly<CloudState>, atMs: number): void {
    this.check(state);
    if (event.type === 'hostStatusChanged' && event.status === 'Down') {
      const host = state.hosts.get(event.hostId);
      if (host && host.status !== 'Down') {
        const pod = state.pods.get(host.podId);
        const zone = state.zones.get(host.zoneId);
        this.raise(ALERT_TYPES.host, `Host is down, name: ${host.name} (id:${host.id}), availability zone: ${zone?.name}, pod: ${pod?.name}`, atMs, host.zoneId, host.podId);
      }
    }
    if (event.type === 'systemVmScanFailed') {
      const zone = state.zones.get(event.zoneId);
      const what = event.vmKind === 'SecondaryStorageVm' ? 'Secondary Storage Vm' : 'Console proxy';
      this.raise(event.vmKind === 'SecondaryStorageVm' ? ALERT_TYPES.secondaryStorageVm : ALERT_TYPES.consoleProxy, `${what} creation failure in zone [${zone?.name}]. Error details: ${event.reason}`, atMs, event.zoneId);
    }
    const reach = REACH[event.type];
    if (!reach) this.allClusters = true;
    this.storageChanged ||= !reach || reach.storage === true;
    this.addressesChanged ||= !reach || reach.addresses === true;
    this.changed = true;
    this.lastAtMs = atMs;
  }

  /** The alerts as of the state now, newest last. */
  current(state: Readonly<CloudState>): readonly CloudAlert[] {
    this.check(state);
    return this.alerts;
  }

  private raise(kind: { type: number; name: string }, description: string, atMs: number, zoneId?: string, podId?: string, clusterId?: string): string {
    const id = uuidFor((this.idNamespace ^ ALERT_ID_SALT) >>> 0, ++this.seq);
    this.alerts.push({
      id,
      type: kind.type,
      name: kind.name,
      description,
      sentMs: atMs,
      ...(zoneId === undefined ? {} : { zoneId }),
      ...(podId === undefined ? {} : { podId }),
      ...(clusterId === undefined ? {} : { clusterId }),
    });
    return id;
  }

  /** Raises the alert of a capacity over its threshold once; re-arms it once the capacity is back under. */
  private judge(key: string, used: number, total: number, threshold: number, raise: () => string): void {
    const over = total > 0 && used / total > threshold;
    if (over && !this.raised.has(key)) this.raised.set(key, raise());
    else if (!over) this.raised.delete(key);
  }

  private check(state: Readonly<CloudState>): void {
    if (!this.changed) return;
    const at = this.lastAtMs;
    const storage = this.storageChanged || this.allClusters;
    const addresses = this.addressesChanged;
    this.changed = false;
    this.storageChanged = false;
    this.addressesChanged = false;
    for (const ordinal of this.clustersToCheck(state.capacity)) this.checkCluster(state, ordinal, at);
    if (storage) this.checkClusterStorage(state, at);
    for (const zone of state.zones.values()) {
      if (addresses) this.checkZoneAddresses(state, zone, at);
      if (storage) this.checkSecondaryStorage(state, zone, at);
    }
  }

  private where(state: Readonly<CloudState>, cluster: Cluster): string {
    return `in cluster [${cluster.name}] pod [${state.pods.get(cluster.podId)?.name}] of availability zone [${state.zones.get(cluster.zoneId)?.name}].`;
  }

  private clustersToCheck(capacity: CapacityIndex): Iterable<number> {
    const all = this.allClusters || this.seenIndex !== capacity || capacity.version - this.seenVersion >= CHANGE_LOG_SIZE;
    const from = this.seenVersion;
    this.allClusters = false;
    this.seenIndex = capacity;
    this.seenVersion = capacity.version;
    if (all) return Array.from({ length: capacity.clusterCount }, (_, i) => i);
    const touched = new Set<number>();
    for (let v = from + 1; v <= capacity.version; v++) touched.add(capacity.changeLog[v % CHANGE_LOG_SIZE]!);
    return [...touched].sort((a, b) => a - b);
  }

  private checkCluster(state: Readonly<CloudState>, ordinal: number, at: number): void {
    const capacity = state.capacity;
    const cluster = state.clusters.get(capacity.clusterIds[ordinal]!);
    if (!cluster) return;
    const where = this.where(state, cluster);
    const threshold = (name: string) => Number(scopedSettingValue(state, cluster.id, name));
    const cpuTotal = capacity.clusterCpuTotalMhz[ordinal]! * capacity.clusterCpuRatio[ordinal]!;
    const cpuUsed = capacity.clusterCpuAllocatedMhz[ordinal]!;
    this.judge(`cpu:${cluster.id}`, cpuUsed, cpuTotal, threshold('cluster.cpu.allocated.capacity.notificationthreshold'), () =>
      this.raise(ALERT_TYPES.cpu, `System Alert: Low Unallocated CPU ${where}`, at, cluster.zoneId, cluster.podId, cluster.id));
    const memoryTotal = capacity.clusterMemoryTotalMiB[ordinal]! * capacity.clusterMemoryRatio[ordinal]!;
    const memoryUsed = capacity.clusterMemoryAllocatedMiB[ordinal]!;
    this.judge(`memory:${cluster.id}`, memoryUsed, memoryTotal, threshold('cluster.memory.allocated.capacity.notificationthreshold'), () =>
      this.raise(ALERT_TYPES.memory, `System Alert: Low Available Memory ${where}`, at, cluster.zoneId, cluster.podId, cluster.id));
  }

  /** Allocated primary storage of each cluster's own pools against their over-provisioned size. */
  private checkClusterStorage(state: Readonly<CloudState>, at: number): void {
    const byCluster = new Map<string, { allocated: number; total: number }>();
    for (const pool of state.storagePools.values()) {
      if (pool.clusterId === undefined || pool.scope !== 'CLUSTER') continue;
      const factor = pool.overprovisioningFactor ?? (POOL_TYPE[pool.protocol].overprovisioning ? Number(state.settings['storage.overprovisioning.factor']) : 1);
      const sums = byCluster.get(pool.clusterId) ?? { allocated: 0, total: 0 };
      sums.allocated += state.index.poolAllocatedGiB.get(pool.id) ?? 0;
      sums.total += pool.capacityGiB * factor;
      byCluster.set(pool.clusterId, sums);
    }
    for (const [clusterId, { allocated, total }] of byCluster) {
      const cluster = state.clusters.get(clusterId);
      if (!cluster) continue;
      this.judge(`storage-allocated:${cluster.id}`, allocated, total, Number(scopedSettingValue(state, cluster.id, 'cluster.storage.allocated.capacity.notificationthreshold')), () =>
        this.raise(ALERT_TYPES.storageAllocated, `System Alert: Remaining unallocated Storage is low ${this.where(state, cluster)}`, at, cluster.zoneId, cluster.podId, cluster.id));
    }
  }

  private checkZoneAddresses(state: Readonly<CloudState>, zone: Zone, at: number): void {
    const threshold = (name: string) => Number(scopedSettingValue(state, zone.id, name));
    const publicPool = state.pools.publicByZone.get(zone.id);
    if (publicPool) {
      this.judge(`public-ip:${zone.id}`, publicPool.allocatedCount, publicPool.capacity, threshold('zone.virtualnetwork.publicip.capacity.notificationthreshold'), () =>
        this.raise(ALERT_TYPES.publicIp, `System Alert: Number of unallocated virtual network public IPs is low in availability zone [${zone.name}].`, at, zone.id));
    }
    for (const podId of state.index.podsByZone.get(zone.id) ?? []) {
      const pod: Pod | undefined = state.pods.get(podId);
      const pool = state.pools.reservedByPod.get(podId);
      if (!pod || !pool) continue;
      this.judge(`private-ip:${pod.id}`, pool.allocatedCount, pool.capacity, threshold('pod.privateip.capacity.notificationthreshold'), () =>
        this.raise(ALERT_TYPES.privateIp, `System Alert: Number of unallocated private IPs is low in pod ${pod.name} of availability zone [${zone.name}].`, at, zone.id, pod.id));
    }
    let vlansUsed = 0;
    let vlansTotal = 0;
    for (const physicalNetworkId of state.index.physicalNetworksByZone.get(zone.id) ?? []) {
      const pool = state.pools.vnetByPhysicalNetwork.get(physicalNetworkId);
      if (!pool) continue;
      vlansUsed += pool.allocatedCount;
      vlansTotal += pool.capacity;
    }
    this.judge(`vlan:${zone.id}`, vlansUsed, vlansTotal, threshold('zone.vlan.capacity.notificationthreshold'), () =>
      this.raise(ALERT_TYPES.vlan, `System Alert: Number of unallocated VLANs is low in availability zone [${zone.name}].`, at, zone.id));
  }

  private checkSecondaryStorage(state: Readonly<CloudState>, zone: Zone, at: number): void {
    const threshold = (name: string) => Number(scopedSettingValue(state, zone.id, name));
    let storeUsed = 0;
    let storeTotal = 0;
    for (const storeId of state.index.imageStoresByZone.get(zone.id) ?? []) {
      const store = state.imageStores.get(storeId);
      if (!store) continue;
      storeUsed += state.index.imageStoreUsedGiB.get(store.id) ?? 0;
      storeTotal += store.capacityGiB;
    }
    this.judge(`secondary-storage:${zone.id}`, storeUsed, storeTotal, threshold('zone.secstorage.capacity.notificationthreshold'), () =>
      this.raise(ALERT_TYPES.secondaryStorage, `System Alert: Low Available Secondary Storage in availability zone [${zone.name}].`, at, zone.id));
  }
}

import { assert } from '../assert.js';
import {
  indexAccount,
  indexCluster,
  indexHost,
  indexImageStore,
  indexManagementServer,
  indexNetwork,
  indexPhysicalNetwork,
  indexPod,
  indexStorageNetworkIpRange,
  indexStoragePool,
  indexVlanIpRange,
  indexVpc,
  indexZone,
} from '../evolve.js';
import { rebuildIdentityIndex } from '../evolve-identity.js';
import { indexTag } from '../evolve-tenant.js';
import {
  indexHostArrivals,
  indexLoadBalancerRule,
  indexPortForwardingRule,
  indexPublicIp,
  indexSecurityGroup,
  indexSnapshot,
  indexTemplate,
  indexVm,
  indexVolume,
  vmRecord,
  volumeRecord,
} from '../evolve-lifecycle.js';
import type { Vm, Volume } from './compute.js';
import { DERIVED_KEYS, type snapshotOf } from './snapshot.js';
import { type CloudState, emptyState } from './state.js';

/**
 * The state a snapshot was taken of, as a restart loads it before replaying the events logged
 * after it. Records come back as they were, in the same order; every derived structure (the
 * indexes, the capacity index and its holds, the address and VNET pools, account usage) is
 * rebuilt from them by the functions evolve itself calls when a record is created (the index*
 * functions of evolve.ts and evolve-lifecycle.ts), so what a record implies is written once.
 *
 * Facts that used to live only in derived structures are in the records for this: which
 * templates a storage pool holds copies of (StoragePool.templateIds), whether a stopped VM still
 * reserves its last host (Vm.capacityReserved), and the order VMs came to their hosts
 * (Vm.hostArrival, counted by CloudState.hostArrivals), which HA restarts follow.
 *
 * The result behaves like the state the snapshot was taken of for every later command. A few
 * things are equivalent rather than equal, and nothing reads them in a way that can tell:
 * - the capacity index's version counters and cluster stamps start afresh (placement caches
 *   are kept per capacity index, so a new index starts with none and compares only its own);
 * - a link-local pool of a pod exists only while an address of it is held (decide treats a
 *   missing one as a fresh one);
 * - index lists and sets that evolve left empty, and zero counts, are absent (readers use ?? 0);
 * - a VM's rules are indexed port forwards first, then load balancers, not in the order they
 *   came to it (their one reader, expungeEvents, sorts them).
 * Sums of sizes in GiB are added in record order rather than event order, which is exact for the
 * whole numbers sizes are usually given in; fractional sizes may differ in the last bit.
 *
 * Pure: the snapshot is copied, never kept or changed.
 */
export function restoreState(snapshot: ReturnType<typeof snapshotOf>): CloudState {
  const data = JSON.parse(JSON.stringify(snapshot)) as Record<string, unknown>;
  assert(typeof data['idNamespace'] === 'number', 'a snapshot carries its id namespace');
  const state = emptyState(data['idNamespace']);
  // Accounts every cloud starts with never came through accountCreated, so evolve never listed
  // them by domain (creating another "system" account is a name check that does not see it).
  const seededAccountIds = new Set(state.accounts.keys());
  loadRecords(state, data);

  for (const zone of state.zones.values()) indexZone(state, zone);
  for (const pod of state.pods.values()) indexPod(state, pod);
  for (const cluster of state.clusters.values()) indexCluster(state, cluster);
  for (const host of state.hosts.values()) indexHost(state, host);
  // Hosts are listed by address before management servers. A server shares an address only with
  // the host it runs on, which exists first (anything else is refused in enforce mode), so this
  // is the order evolve appended them in; only a design built in plan mode can differ, and then
  // just in the order of its duplicate-address findings.
  for (const server of state.managementServers.values()) indexManagementServer(state, server);
  for (const store of state.imageStores.values()) indexImageStore(state, store);
  for (const physicalNetwork of state.physicalNetworks.values()) indexPhysicalNetwork(state, physicalNetwork);
  for (const range of state.storageNetworkIpRanges.values()) indexStorageNetworkIpRange(state, range);
  for (const template of state.templates.values()) indexTemplate(state, template);
  for (const pool of state.storagePools.values()) indexStoragePool(state, pool);
  for (const account of state.accounts.values()) if (!seededAccountIds.has(account.id)) indexAccount(state, account);
  for (const vpc of state.vpcs.values()) indexVpc(state, vpc);
  // Networks before ranges: a shared network's ranges add to its pool, as they came after it.
  for (const network of state.networks.values()) indexNetwork(state, network);
  for (const range of state.vlanIpRanges.values()) indexVlanIpRange(state, range);
  // A deleted network's guest pool went with it (networkDeleted), ranges and all.
  for (const network of state.networks.values()) if (network.state === 'Destroy') state.pools.guestByNetwork.delete(network.id);
  for (const snapshotRecord of state.snapshots.values()) indexSnapshot(state, snapshotRecord);
  // Every VM is in place before volumes count: a volume of a router or system VM counts for no one.
  for (const volume of state.volumes.values()) indexVolume(state, volume);
  // Addresses are taken after every range is in place (see holdAddress in evolve-lifecycle.ts).
  for (const vm of state.vms.values()) indexVm(state, vm, true);
  indexHostArrivals(state);
  for (const ip of state.publicIps.values()) indexPublicIp(state, ip, true);
  for (const rule of state.portForwardingRules.values()) indexPortForwardingRule(state, rule);
  for (const rule of state.loadBalancerRules.values()) indexLoadBalancerRule(state, rule);
  for (const group of state.securityGroups.values()) indexSecurityGroup(state, group);
  for (const tag of state.tags.values()) indexTag(state, tag);
  rebuildIdentityIndex(state);
  return state;
}

/**
 * Puts the snapshot's records into the state: each record map from its array (keyed by id, in
 * the array's order, which is creation order), everything else as it was. A snapshot without a
 * part keeps what an empty state has there (the default roles, say); a part the state does not
 * know is refused rather than dropped.
 */
function loadRecords(state: CloudState, data: Record<string, unknown>): void {
  const target = state as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(data)) {
    assert(key in target && !DERIVED_KEYS.has(key), `a snapshot has "${key}", which a state does not hold`);
    const empty = target[key];
    if (key === 'settings') {
      // A setting the snapshot does not name is at its default, as in a state replayed from the start.
      target[key] = { ...(empty as Record<string, unknown>), ...(value as Record<string, unknown>) };
      continue;
    }
    if (!(empty instanceof Map)) {
      target[key] = value;
      continue;
    }
    assert(Array.isArray(value), `"${key}" of a snapshot is a list of records`);
    const records = new Map<string, unknown>();
    for (const record of value as { id: string }[]) records.set(record.id, storedRecord(key, record));
    target[key] = records;
  }
}

/** VMs and volumes are stored in one shape, with every optional field present (see vmRecord). */
function storedRecord(key: string, record: { id: string }): unknown {
  if (key === 'vms') return vmRecord(record as Vm);
  if (key === 'volumes') return volumeRecord(record as Volume);
  return record;
}

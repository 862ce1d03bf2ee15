import type { ConfigurationEvent } from './model/configuration.js';
import type { CloudState } from './model/state.js';

/**
 * Applies scoped settings. A cluster's over-provisioning factors and disable thresholds are
 * written on the cluster (and into the capacity index), a pool's over-provisioning factor on the
 * pool, where placement reads them; every scoped value is also kept for listConfigurations.
 */
export function evolveConfiguration(state: CloudState, event: ConfigurationEvent): void {
  const record = state.scopedSettings.get(event.scopeId) ?? { id: event.scopeId, scope: event.scope, values: {} };
  record.values = { ...record.values, [event.name]: event.value };
  state.scopedSettings.set(record.id, record);
  state.capacity.topologyVersion++;
  if (typeof event.value !== 'number') return;
  if (event.scope === 'storagepool' && event.name === 'storage.overprovisioning.factor') {
    const pool = state.storagePools.get(event.scopeId);
    if (pool) pool.overprovisioningFactor = event.value;
    return;
  }
  if (event.scope !== 'cluster') return;
  const cluster = state.clusters.get(event.scopeId);
  if (!cluster) return;
  switch (event.name) {
    case 'cpu.overprovisioning.factor':
      cluster.cpuOvercommitRatio = event.value;
      state.capacity.setClusterRatios(cluster.id, cluster.cpuOvercommitRatio, cluster.memoryOvercommitRatio);
      return;
    case 'mem.overprovisioning.factor':
      cluster.memoryOvercommitRatio = event.value;
      state.capacity.setClusterRatios(cluster.id, cluster.cpuOvercommitRatio, cluster.memoryOvercommitRatio);
      return;
    case 'cluster.cpu.allocated.capacity.disablethreshold':
      cluster.cpuDisableThreshold = event.value;
      return;
    case 'cluster.memory.allocated.capacity.disablethreshold':
      cluster.memoryDisableThreshold = event.value;
      return;
    default:
      return;
  }
}

import type { Id } from './entities.js';

/**
 * Settings given a value for one zone, cluster, storage pool, account or domain
 * (updateConfiguration with zoneid, clusterid, ...): CloudStack's scoped configuration. A scope
 * without a value for a setting uses the global one. Over-provisioning factors and disable
 * thresholds of a cluster, and a pool's over-provisioning factor, live on those records too
 * (placement reads them there).
 */

export type ConfigurationScope = 'zone' | 'cluster' | 'storagepool' | 'account' | 'domain';

export type SettingValue = number | boolean | string;

export interface ScopedSettings {
  /** The zone, cluster, pool, account or domain. */
  id: Id;
  scope: ConfigurationScope;
  values: Record<string, SettingValue>;
}

export type ConfigurationEvent = { type: 'scopedConfigurationUpdated'; scope: ConfigurationScope; scopeId: Id; name: string; value: SettingValue };

/**
 * Settings the core honours per zone or per cluster; every other setting is global only (a
 * scoped value for it would change nothing, so updateConfiguration refuses one).
 */
export const SCOPED_SETTINGS: Readonly<Record<ConfigurationScope, readonly string[]>> = {
  cluster: [
    'cpu.overprovisioning.factor',
    'mem.overprovisioning.factor',
    'cluster.cpu.allocated.capacity.disablethreshold',
    'cluster.memory.allocated.capacity.disablethreshold',
    'cluster.cpu.allocated.capacity.notificationthreshold',
    'cluster.memory.allocated.capacity.notificationthreshold',
    'cluster.storage.capacity.notificationthreshold',
    'cluster.storage.allocated.capacity.notificationthreshold',
  ],
  zone: [
    'zone.virtualnetwork.publicip.capacity.notificationthreshold',
    'zone.directnetwork.publicip.capacity.notificationthreshold',
    'pod.privateip.capacity.notificationthreshold',
    'zone.vlan.capacity.notificationthreshold',
    'zone.secstorage.capacity.notificationthreshold',
  ],
  storagepool: ['storage.overprovisioning.factor'],
  account: [],
  domain: [],
};

/** A setting's value for one zone or cluster: its own, or the global one. */
export function scopedSettingValue(state: { scopedSettings: ReadonlyMap<Id, ScopedSettings>; settings: Readonly<Record<string, SettingValue>> }, scopeId: Id, name: string): SettingValue | undefined {
  return state.scopedSettings.get(scopeId)?.values[name] ?? state.settings[name];
}

/**
 * The CloudStack settings the core honours, with CloudStack's names and defaults. A scenario's
 * `settings:` block and (later) `updateConfiguration` override them; anything not listed here is
 * refused, so a typo in a setting name never passes silently.
 */

export type SettingScope = 'global' | 'zone' | 'cluster' | 'storagepool' | 'account' | 'domain';
export type SettingType = 'number' | 'boolean' | 'string';

export interface SettingDefinition {
  name: string;
  type: SettingType;
  defaultValue: number | boolean | string;
  scope: SettingScope;
  category: string;
  description: string;
  /** Allowed values for string settings. */
  values?: readonly string[];
  min?: number;
  max?: number;
}

const s = (d: SettingDefinition): SettingDefinition => d;

export const SETTINGS: readonly SettingDefinition[] = [
  s({ name: 'cpu.overprovisioning.factor', type: 'number', defaultValue: 1, scope: 'cluster', category: 'Advanced', min: 1, description: 'CPU over-provisioning factor, copied to a cluster when it is created.' }),
  s({ name: 'mem.overprovisioning.factor', type: 'number', defaultValue: 1, scope: 'cluster', category: 'Advanced', min: 1, description: 'Memory over-provisioning factor, copied to a cluster when it is created.' }),
  s({ name: 'storage.overprovisioning.factor', type: 'number', defaultValue: 2, scope: 'storagepool', category: 'Storage', min: 1, description: 'Storage over-provisioning factor for pool types that allow it.' }),
  s({ name: 'cluster.cpu.allocated.capacity.disablethreshold', type: 'number', defaultValue: 0.85, scope: 'cluster', category: 'Alert', min: 0, max: 1, description: 'Share of allocated CPU above which a cluster takes no new VMs.' }),
  s({ name: 'cluster.memory.allocated.capacity.disablethreshold', type: 'number', defaultValue: 0.85, scope: 'cluster', category: 'Alert', min: 0, max: 1, description: 'Share of allocated memory above which a cluster takes no new VMs.' }),
  s({ name: 'cluster.cpu.allocated.capacity.notificationthreshold', type: 'number', defaultValue: 0.75, scope: 'cluster', category: 'Alert', min: 0, max: 1, description: 'Share of allocated CPU above which an alert is raised.' }),
  s({ name: 'cluster.memory.allocated.capacity.notificationthreshold', type: 'number', defaultValue: 0.75, scope: 'cluster', category: 'Alert', min: 0, max: 1, description: 'Share of allocated memory above which an alert is raised.' }),
  s({ name: 'cluster.storage.capacity.notificationthreshold', type: 'number', defaultValue: 0.75, scope: 'cluster', category: 'Alert', min: 0, max: 1, description: 'Share of used primary storage above which an alert is raised.' }),
  s({ name: 'cluster.storage.allocated.capacity.notificationthreshold', type: 'number', defaultValue: 0.75, scope: 'cluster', category: 'Alert', min: 0, max: 1, description: 'Share of allocated primary storage above which an alert is raised.' }),
  s({ name: 'pool.storage.capacity.disablethreshold', type: 'number', defaultValue: 0.85, scope: 'zone', category: 'Alert', min: 0, max: 1, description: 'Share of used pool capacity above which a pool takes no new volumes.' }),
  s({ name: 'pool.storage.allocated.capacity.disablethreshold', type: 'number', defaultValue: 0.85, scope: 'zone', category: 'Alert', min: 0, max: 1, description: 'Share of allocated (over-provisioned) pool capacity above which a pool takes no new volumes.' }),
  s({ name: 'zone.virtualnetwork.publicip.capacity.notificationthreshold', type: 'number', defaultValue: 0.75, scope: 'zone', category: 'Alert', min: 0, max: 1, description: 'Share of public IPs in use above which an alert is raised.' }),
  s({ name: 'zone.directnetwork.publicip.capacity.notificationthreshold', type: 'number', defaultValue: 0.75, scope: 'zone', category: 'Alert', min: 0, max: 1, description: 'Share of shared-network IPs in use above which an alert is raised.' }),
  s({ name: 'pod.privateip.capacity.notificationthreshold', type: 'number', defaultValue: 0.75, scope: 'zone', category: 'Alert', min: 0, max: 1, description: 'Share of pod reserved IPs in use above which an alert is raised.' }),
  s({ name: 'zone.vlan.capacity.notificationthreshold', type: 'number', defaultValue: 0.75, scope: 'zone', category: 'Alert', min: 0, max: 1, description: 'Share of guest VLANs in use above which an alert is raised.' }),
  s({ name: 'zone.secstorage.capacity.notificationthreshold', type: 'number', defaultValue: 0.75, scope: 'zone', category: 'Alert', min: 0, max: 1, description: 'Share of secondary storage in use above which an alert is raised.' }),
  s({ name: 'cluster.threshold.enabled', type: 'boolean', defaultValue: true, scope: 'global', category: 'Advanced', description: 'Whether starts of stopped VMs are also checked against the cluster disable thresholds.' }),
  s({ name: 'capacity.skipcounting.hours', type: 'number', defaultValue: 3600, scope: 'global', category: 'Advanced', min: 0, description: 'Seconds (despite the name) a stopped VM keeps its capacity reserved on its last host.' }),
  s({ name: 'vm.allocation.algorithm', type: 'string', defaultValue: 'random', scope: 'global', category: 'Advanced', values: ['random', 'firstfit', 'userdispersing', 'userconcentratedpod_random', 'userconcentratedpod_firstfit', 'firstfitleastconsumed'], description: 'Order in which a cluster\'s hosts are tried.' }),
  s({ name: 'volume.allocation.algorithm', type: 'string', defaultValue: 'random', scope: 'global', category: 'Advanced', values: ['random', 'firstfit', 'userdispersing', 'userconcentratedpod_random', 'userconcentratedpod_firstfit', 'firstfitleastconsumed'], description: 'Order in which storage pools are tried.' }),
  s({ name: 'vm.deployment.planner', type: 'string', defaultValue: 'FirstFitPlanner', scope: 'global', category: 'Advanced', values: ['FirstFitPlanner', 'UserDispersingPlanner', 'UserConcentratedPodPlanner', 'ImplicitDedicationPlanner'], description: 'Deployment planner used when the offering names none.' }),
  s({ name: 'host.capacityType.to.order.clusters', type: 'string', defaultValue: 'CPU', scope: 'global', category: 'Advanced', values: ['CPU', 'RAM', 'COMBINED'], description: 'Capacity used to order clusters, least used first.' }),
  s({ name: 'host.capacityType.to.order.clusters.cputomemoryweight', type: 'number', defaultValue: 0.5, scope: 'global', category: 'Advanced', min: 0, max: 1, description: 'Weight of CPU against memory when clusters are ordered by COMBINED capacity.' }),
  s({ name: 'vm.user.dispersion.weight', type: 'number', defaultValue: 1, scope: 'global', category: 'Advanced', min: 0, max: 1, description: 'Weight of dispersion against capacity for the UserDispersingPlanner.' }),
  s({ name: 'apply.allocation.algorithm.to.pods', type: 'boolean', defaultValue: false, scope: 'global', category: 'Advanced', description: 'Order pods before clusters.' }),
  s({ name: 'ha.tag', type: 'string', defaultValue: '', scope: 'global', category: 'Advanced', description: 'Host tag marking hosts reserved for HA restarts.' }),
  s({ name: 'check.pod.cidrs', type: 'boolean', defaultValue: true, scope: 'global', category: 'Network', description: 'Refuse pod CIDRs that overlap another pod or the zone guest CIDR.' }),
  s({ name: 'control.cidr', type: 'string', defaultValue: '169.254.0.0/16', scope: 'global', category: 'Network', description: 'Link-local control network of system VMs on KVM, XenServer and LXC.' }),
  s({ name: 'control.gateway', type: 'string', defaultValue: '169.254.0.1', scope: 'global', category: 'Network', description: 'Gateway of the link-local control network.' }),
  s({ name: 'network.guest.cidr.limit', type: 'number', defaultValue: 22, scope: 'global', category: 'Network', min: 0, max: 32, description: 'Shortest guest CIDR prefix a non-root caller may ask for.' }),
  s({ name: 'allow.non.rfc1918.compliant.ips', type: 'boolean', defaultValue: false, scope: 'global', category: 'Network', description: 'Allow guest CIDRs outside RFC 1918 and RFC 6598 space.' }),
  s({ name: 'vpc.max.networks', type: 'number', defaultValue: 3, scope: 'account', category: 'Network', min: 1, description: 'Maximum tiers in a VPC.' }),
  s({ name: 'max.account.networks', type: 'number', defaultValue: 20, scope: 'account', category: 'Account Defaults', min: -1, description: 'Guest networks an account may own (-1: unlimited).' }),
  s({ name: 'max.account.vpcs', type: 'number', defaultValue: 20, scope: 'account', category: 'Account Defaults', min: -1, description: 'VPCs an account may own (-1: unlimited).' }),
  s({ name: 'max.account.public.ips', type: 'number', defaultValue: 20, scope: 'account', category: 'Account Defaults', min: -1, description: 'Public IPs an account may hold (-1: unlimited).' }),
  s({ name: 'max.account.user.vms', type: 'number', defaultValue: 20, scope: 'account', category: 'Account Defaults', min: -1, description: 'Instances an account may own (-1: unlimited).' }),
  s({ name: 'max.account.volumes', type: 'number', defaultValue: 20, scope: 'account', category: 'Account Defaults', min: -1, description: 'Volumes an account may own (-1: unlimited).' }),
  s({ name: 'max.account.snapshots', type: 'number', defaultValue: 20, scope: 'account', category: 'Account Defaults', min: -1, description: 'Snapshots an account may own (-1: unlimited).' }),
  s({ name: 'max.account.templates', type: 'number', defaultValue: 20, scope: 'account', category: 'Account Defaults', min: -1, description: 'Templates an account may own (-1: unlimited).' }),
  s({ name: 'max.account.cpus', type: 'number', defaultValue: 40, scope: 'account', category: 'Account Defaults', min: -1, description: 'vCPUs an account may use (-1: unlimited).' }),
  s({ name: 'max.account.memory', type: 'number', defaultValue: 40960, scope: 'account', category: 'Account Defaults', min: -1, description: 'Memory in MiB an account may use (-1: unlimited).' }),
  s({ name: 'max.account.primary.storage', type: 'number', defaultValue: 200, scope: 'account', category: 'Account Defaults', min: -1, description: 'Primary storage in GiB an account may use (-1: unlimited).' }),
  s({ name: 'max.account.projects', type: 'number', defaultValue: 10, scope: 'account', category: 'Account Defaults', min: -1, description: 'Projects an account may own (-1: unlimited).' }),
  s({ name: 'max.account.secondary.storage', type: 'number', defaultValue: 400, scope: 'account', category: 'Account Defaults', min: -1, description: 'Secondary storage in GiB an account may use (-1: unlimited).' }),
  s({ name: 'use.system.public.ips', type: 'boolean', defaultValue: true, scope: 'account', category: 'Network', description: 'Let an account draw from the system pool once its dedicated public IPs are used up.' }),
  s({ name: 'use.system.guest.vlans', type: 'boolean', defaultValue: true, scope: 'account', category: 'Network', description: 'Let an account draw from the system pool once its dedicated guest VLANs are used up.' }),
  s({ name: 'guest.domain.suffix', type: 'string', defaultValue: 'cloud.internal', scope: 'global', category: 'Network', description: 'Suffix of generated network domains.' }),
  s({ name: 'network.gc.interval', type: 'number', defaultValue: 600, scope: 'global', category: 'Network', min: 1, description: 'Seconds between network garbage collections.' }),
  s({ name: 'network.gc.wait', type: 'number', defaultValue: 600, scope: 'global', category: 'Network', min: 1, description: 'Seconds a network stays implemented with no VMs before it is shut down.' }),
  s({ name: 'consoleproxy.capacity.standby', type: 'number', defaultValue: 10, scope: 'global', category: 'Console Proxy', min: 0, description: 'Spare console sessions kept available in every zone.' }),
  s({ name: 'consoleproxy.session.max', type: 'number', defaultValue: 50, scope: 'global', category: 'Console Proxy', min: 1, description: 'Console sessions one console proxy VM serves.' }),
  s({ name: 'secstorage.capacityscan.interval', type: 'number', defaultValue: 30000, scope: 'global', category: 'Advanced', min: 1, description: 'Milliseconds between two scans of the secondary storage VM manager, which starts a stopped secondary storage VM, or builds a new one, in a zone that has none running.' }),
  s({ name: 'consoleproxy.capacityscan.interval', type: 'number', defaultValue: 30000, scope: 'global', category: 'Console Proxy', min: 1, description: 'Milliseconds between two scans of the console proxy manager, which starts a stopped console proxy, or builds a new one, in a zone that has none running.' }),
  s({ name: 'max.ssvm.count', type: 'number', defaultValue: 1, scope: 'zone', category: 'Advanced', min: 1, description: 'Secondary storage VMs per zone.' }),
  s({ name: 'system.vm.use.local.storage', type: 'boolean', defaultValue: false, scope: 'zone', category: 'Advanced', description: 'Place system VMs on local storage.' }),
  s({ name: 'vm.ha.enabled', type: 'boolean', defaultValue: true, scope: 'zone', category: 'Advanced', description: 'Restart HA-enabled VMs after a host failure.' }),
  s({ name: 'max.retries', type: 'number', defaultValue: 5, scope: 'cluster', category: 'Advanced', min: 0, description: 'Times the HA manager tries again to restart an HA VM whose restart failed.' }),
  s({ name: 'restart.retry.interval', type: 'number', defaultValue: 600, scope: 'cluster', category: 'Advanced', min: 1, description: 'Seconds between two attempts to restart an HA VM.' }),
  s({ name: 'start.retry', type: 'number', defaultValue: 10, scope: 'global', category: 'Advanced', min: 1, description: 'Attempts to start a VM on a new host before giving up.' }),
  s({ name: 'storage.max.volume.size', type: 'number', defaultValue: 2000, scope: 'global', category: 'Storage', min: 1, description: 'Largest volume a user may create, in GiB.' }),
  s({ name: 'expunge.delay', type: 'number', defaultValue: 86400, scope: 'global', category: 'Advanced', min: 0, description: 'Seconds a destroyed VM waits before it is expunged.' }),
  s({ name: 'enable.dynamic.scale.vm', type: 'boolean', defaultValue: false, scope: 'zone', category: 'Advanced', description: 'Allow scaling running VMs on hypervisors that support it (VMware, XenServer).' }),
  s({ name: 'usage.stats.job.aggregation.range', type: 'number', defaultValue: 1440, scope: 'global', category: 'Usage', min: 1, description: 'Minutes in one usage aggregation window: listUsageRecords gives one record per resource per window.' }),
  s({ name: 'vm.network.throttling.rate', type: 'number', defaultValue: 200, scope: 'global', category: 'Network', min: 0, description: 'Default network rate of a VM in Mb/s.' }),
];

export type Settings = Readonly<Record<string, number | boolean | string>>;

export const SETTING_BY_NAME: ReadonlyMap<string, SettingDefinition> = new Map(SETTINGS.map((d) => [d.name, d]));

export function defaultSettings(): Record<string, number | boolean | string> {
  return Object.fromEntries(SETTINGS.map((d) => [d.name, d.defaultValue]));
}

/** Checks a value against its definition; returns a reason when it does not fit. */
export function checkSettingValue(name: string, value: unknown): string | undefined {
  const definition = SETTING_BY_NAME.get(name);
  if (!definition) return `unknown setting "${name}"`;
  if (typeof value !== definition.type) return `${name} takes a ${definition.type}, got ${JSON.stringify(value)}`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `${name} must be a finite number`;
    if (definition.min !== undefined && value < definition.min) return `${name} must be at least ${definition.min}, got ${value}`;
    if (definition.max !== undefined && value > definition.max) return `${name} must be at most ${definition.max}, got ${value}`;
  }
  if (typeof value === 'string' && definition.values && !definition.values.includes(value)) {
    return `${name} must be one of ${definition.values.join(', ')}, got "${value}"`;
  }
  return undefined;
}

import { DISPLAY_NAME, type Feature, FEATURE_DESCRIPTION, FEATURE_SUPPORT, type Hypervisor } from '../data/hypervisors.js';
import { isObjectImageStore, SECONDARY_STORAGE_MIN_GIB } from '../data/storage.js';
import { type Finding, finding } from '../findings.js';
import type { Cluster, Zone } from '../model/entities.js';
import {
  type CloudState,
  clustersOf,
  hostsOf,
  imageStoresOf,
  physicalNetworksOf,
  podsOf,
  storagePoolsOf,
  vlanIpRangesOf,
} from '../model/state.js';
import { clusterPath, podPath, zonePath } from '../paths.js';

/**
 * Rules about the design as a whole, checked once the cloud is built: what a zone lacks, what a
 * hypervisor cannot do for the offerings and zones it serves, how the management plane is laid
 * out. Rules that CloudStack checks when a single command runs live in decide instead.
 */
export function evaluateDesign(state: CloudState): Finding[] {
  const out: Finding[] = [];
  for (const zone of state.zones.values()) checkZone(state, zone, out);
  checkFeatures(state, out);
  checkManagementPlane(state, out);
  return out;
}

function zoneClusters(state: CloudState, zone: Zone): Cluster[] {
  return podsOf(state, zone.id).flatMap((pod) => clustersOf(state, pod.id));
}

function checkZone(state: CloudState, zone: Zone, out: Finding[]): void {
  const subject = { path: zonePath(zone), entityId: zone.id };
  const core = zone.zoneType === 'Core';
  const pods = podsOf(state, zone.id);
  if (pods.length === 0) {
    out.push(finding('ZONE_NO_PODS', subject, `zone ${zone.name} has no pod`, 'add at least one pod with a cluster of hosts'));
  }
  const traffic = zoneTraffic(state, zone);
  const needed = core ? ['Management', 'Guest'] : ['Guest'];
  if (core && zone.networkType === 'Advanced' && !zone.securityGroupsEnabled) needed.push('Public');
  if (zone.networkType === 'Basic' && zone.elasticIp) needed.push('Public');
  const missing = needed.filter((t) => !traffic.has(t));
  if (missing.length > 0) {
    out.push(finding('ZONE_MISSING_TRAFFIC_TYPE', subject,
      `zone ${zone.name} has no physical network carrying ${missing.join(' or ')} traffic`,
      `add the ${missing.join(', ')} traffic type${missing.length > 1 ? 's' : ''} to a physical network of the zone`));
  }
  const publicRanges = vlanIpRangesOf(state, zone.id).filter((r) => r.purpose === 'Public');
  const needsPublic = core && ((zone.networkType === 'Advanced' && !zone.securityGroupsEnabled) || (zone.networkType === 'Basic' && zone.elasticIp));
  if (needsPublic && publicRanges.length === 0) {
    out.push(finding('ZONE_NO_PUBLIC_RANGE', subject, `zone ${zone.name} has no public IP range`, 'add a public range: routers need source NAT addresses and system VMs need one each'));
  }
  if (zone.networkType === 'Basic') {
    const guestRanges = vlanIpRangesOf(state, zone.id).filter((r) => r.purpose === 'Guest');
    for (const pod of pods) {
      if (!guestRanges.some((r) => r.podId === pod.id)) {
        out.push(finding('BASIC_POD_NO_GUEST_RANGE', { path: podPath(state, pod), entityId: pod.id }, `pod ${pod.name} of basic zone ${zone.name} has no guest IP range`, 'add a guestRanges entry to the pod; basic zone VMs take their address from their pod'));
      }
    }
  }
  checkSecondaryStorage(state, zone, out);
  for (const cluster of zoneClusters(state, zone)) checkCluster(state, zone, cluster, out);
}

function checkSecondaryStorage(state: CloudState, zone: Zone, out: Finding[]): void {
  if (zone.zoneType === 'Edge') return;
  const subject = { path: zonePath(zone), entityId: zone.id };
  const zoneStores = imageStoresOf(state, zone.id);
  const images = zoneStores.filter((s) => s.role === 'Image');
  const staging = zoneStores.filter((s) => s.role === 'ImageCache');
  const regionObjectStores = [...state.imageStores.values()].filter((s) => s.role === 'Image' && s.zoneId === undefined && s.regionId === zone.regionId && isObjectImageStore(s.provider));
  if (images.length === 0 && regionObjectStores.length === 0) {
    out.push(finding('ZONE_NO_SECONDARY_STORAGE', subject, `zone ${zone.name} has no secondary storage`, 'add an NFS secondary store of at least 100 GB to the zone'));
    return;
  }
  const fileCapacityGiB = images.reduce((sum, s) => sum + s.capacityGiB, 0);
  if (images.length > 0 && fileCapacityGiB < SECONDARY_STORAGE_MIN_GIB) {
    out.push(finding('ZONE_SECONDARY_STORAGE_SMALL', subject,
      `zone ${zone.name} has ${fileCapacityGiB} GiB of secondary storage, below the required 100 GB (93.1 GiB)`,
      'grow the secondary store to at least 100 GB'));
  }
  if (regionObjectStores.length > 0 && staging.length === 0) {
    out.push(finding('SECONDARY_STORAGE_NO_STAGING', subject,
      `zone ${zone.name} is in a region with ${regionObjectStores[0]!.provider} secondary storage but has no NFS staging store`,
      'add an NFS staging store (stagingStores) to the zone: hypervisors cannot mount object storage'));
  }
  const hyperv = zoneClusters(state, zone).some((c) => c.hypervisor === 'Hyperv');
  if (hyperv && !images.some((s) => s.provider === 'SMB')) {
    out.push(finding('SECONDARY_STORAGE_HYPERV_NEEDS_SMB', subject, `zone ${zone.name} runs Hyper-V but has no SMB secondary storage`, 'add an SMB secondary store; Hyper-V hosts mount secondary storage over SMB'));
  }
}

function checkCluster(state: CloudState, zone: Zone, cluster: Cluster, out: Finding[]): void {
  const subject = { path: clusterPath(state, cluster), entityId: cluster.id };
  const hosts = hostsOf(state, cluster.id);
  if (hosts.length === 0) {
    out.push(finding('CLUSTER_NO_HOSTS', subject, `cluster ${cluster.name} has no hosts`, 'add hosts, or remove the cluster'));
    return;
  }
  if (cluster.hypervisor === 'BareMetal') return;
  const pools = storagePoolsOf(state, zone.id);
  const reachable = pools.some(
    (p) =>
      (p.scope === 'CLUSTER' && p.clusterId === cluster.id) ||
      (p.scope === 'ZONE' && p.hypervisor === cluster.hypervisor) ||
      (p.scope === 'HOST' && p.clusterId === cluster.id),
  );
  if (!reachable) {
    out.push(finding('CLUSTER_NO_PRIMARY_STORAGE', subject,
      `cluster ${cluster.name} can reach no primary storage${zone.localStorageEnabled ? ' and its hosts have no local storage' : ''}`,
      'add primary storage to the cluster, a zone-wide pool for its hypervisor, or local storage on its hosts'));
  }
}

/** Flags a feature the design uses on a hypervisor that lacks it (error) or is not documented (warning). */
function featureFinding(out: Finding[], subject: { path: string; entityId?: string }, hypervisor: Hypervisor, feature: Feature, use: string): void {
  const support = FEATURE_SUPPORT[hypervisor][feature];
  if (support === 'yes') return;
  const what = FEATURE_DESCRIPTION[feature];
  if (support === 'unknown') {
    out.push(finding('HYPERVISOR_FEATURE_UNVERIFIED', subject, `${use}, but the documentation does not confirm ${what} on ${DISPLAY_NAME[hypervisor]}`, `test ${what} on ${DISPLAY_NAME[hypervisor]} before relying on it`));
  } else {
    out.push(finding('HYPERVISOR_FEATURE_UNSUPPORTED', subject, `${use}, but ${DISPLAY_NAME[hypervisor]} has no ${what}`, `use a hypervisor with ${what} (see the feature table), or drop the feature`));
  }
}

function zoneTraffic(state: CloudState, zone: Zone): Set<string> {
  return new Set(physicalNetworksOf(state, zone.id).flatMap((n) => n.traffic.map((t) => t.type)));
}

const SG_ADVANCED_HYPERVISORS: ReadonlySet<Hypervisor> = new Set(['KVM', 'XenServer', 'XenProject']);

function checkFeatures(state: CloudState, out: Finding[]): void {
  const hypervisorsInUse = new Map<Hypervisor, Cluster>();
  for (const zone of state.zones.values()) {
    for (const cluster of zoneClusters(state, zone)) {
      if (!hypervisorsInUse.has(cluster.hypervisor)) hypervisorsInUse.set(cluster.hypervisor, cluster);
      const subject = { path: clusterPath(state, cluster), entityId: cluster.id };
      if (zone.networkType === 'Basic' && zone.securityGroupsEnabled) {
        featureFinding(out, subject, cluster.hypervisor, 'securityGroupsInBasicZone', `basic zone ${zone.name} isolates guests with security groups on cluster ${cluster.name}`);
      }
      if (zoneTraffic(state, zone).has('Control')) {
        featureFinding(out, subject, cluster.hypervisor, 'linkLocalControlTraffic', `zone ${zone.name} labels a Control (link-local) network for cluster ${cluster.name}`);
      }
      if (zone.networkType === 'Advanced' && zone.securityGroupsEnabled && !SG_ADVANCED_HYPERVISORS.has(cluster.hypervisor)) {
        out.push(finding('HYPERVISOR_FEATURE_UNSUPPORTED', subject,
          `advanced zone ${zone.name} uses security groups on ${DISPLAY_NAME[cluster.hypervisor]} cluster ${cluster.name}`,
          'security groups in advanced zones work on KVM and XenServer (bridge mode) only'));
      }
    }
  }
  for (const offering of state.serviceOfferings.values()) {
    if (offering.systemVmType !== undefined) continue;
    const subject = { path: `offerings/compute/${offering.name}`, entityId: offering.id };
    for (const hypervisor of hypervisorsInUse.keys()) {
      if (offering.networkRateMbps !== undefined) featureFinding(out, subject, hypervisor, 'networkThrottling', `offering ${offering.name} sets a network rate of ${offering.networkRateMbps} Mb/s for VMs that may run on ${DISPLAY_NAME[hypervisor]}`);
      if (offering.offerHa) featureFinding(out, subject, hypervisor, 'highAvailability', `offering ${offering.name} offers HA to VMs that may run on ${DISPLAY_NAME[hypervisor]}`);
      if (offering.storageType === 'local') featureFinding(out, subject, hypervisor, 'localDisk', `offering ${offering.name} puts root disks on local storage of ${DISPLAY_NAME[hypervisor]} hosts`);
    }
  }
  for (const offering of state.diskOfferings.values()) {
    if (offering.storageType !== 'local') continue;
    const subject = { path: `offerings/disk/${offering.name}`, entityId: offering.id };
    for (const hypervisor of hypervisorsInUse.keys()) {
      featureFinding(out, subject, hypervisor, 'localDiskAsDataDisk', `disk offering ${offering.name} puts data disks on local storage of ${DISPLAY_NAME[hypervisor]} hosts`);
    }
  }
}

function checkManagementPlane(state: CloudState, out: Finding[]): void {
  const servers = [...state.managementServers.values()];
  if (servers.length < 2) return;
  const plane = state.managementPlane;
  const subject = { path: 'management' };
  if (plane.loadBalancerVip === undefined) {
    out.push(finding('MANAGEMENT_CLUSTER_WITHOUT_LOAD_BALANCER', subject,
      `${servers.length} management servers run without a load balancer address`,
      'put a load balancer in front of them (8080 and 8250 with persistence) and set the global "host" setting to its address'));
  }
  if (plane.databaseNodes < 2 || plane.databaseReplication === 'none') {
    out.push(finding('MANAGEMENT_DATABASE_SINGLE_POINT', subject,
      `${servers.length} management servers share ${plane.databaseNodes === 1 ? 'a single database node' : 'database nodes without replication'}`,
      'replicate the database (MySQL two-way or primary-replica replication, db.ha.enabled) so it is not the single point of failure'));
  }
}

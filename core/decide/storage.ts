import { DISPLAY_NAME, type Hypervisor } from '../data/hypervisors.js';
import {
  isObjectImageStore,
  POOL_TYPE,
  PRIMARY_STORAGE_RECOMMENDED_MAX_GIB,
  protocolSupport,
  SINGLE_VOLUME_PROTOCOLS,
  ZONE_WIDE_STORAGE_SUPPORT,
} from '../data/storage.js';
import { type Finding, finding } from '../findings.js';
import type { ImageStore, StoragePool } from '../model/entities.js';
import type { AddImageStore, AddObjectStoragePool, CreateBucket, CreateStoragePool } from '../model/commands.js';
import { type CloudState, DEFAULT_REGION_ID, hostsOf, storagePoolsOf, zonesOf } from '../model/state.js';
import { segment, storagePoolPath, zonePath } from '../paths.js';
import { conclude, type DecideContext, type Decision, newId, ParamReader, reject } from './support.js';

export function decideCreateStoragePool(state: CloudState, cmd: CreateStoragePool, ctx: DecideContext): Decision {
  const zone = state.zones.get(cmd.zoneId);
  if (!zone) return reject('ENTITY_NOT_FOUND', `zone ${cmd.zoneId} does not exist`);
  const cluster = cmd.clusterId === undefined ? undefined : state.clusters.get(cmd.clusterId);
  if (cmd.clusterId !== undefined && (!cluster || cluster.zoneId !== zone.id)) return reject('ENTITY_NOT_FOUND', `cluster ${cmd.clusterId} does not exist in zone ${zone.name}`);
  const host = cmd.hostId === undefined ? undefined : state.hosts.get(cmd.hostId);
  if (cmd.hostId !== undefined && (!host || host.zoneId !== zone.id)) return reject('ENTITY_NOT_FOUND', `host ${cmd.hostId} does not exist in zone ${zone.name}`);
  if (cmd.scope === 'CLUSTER' && !cluster) return reject('INVALID_PARAMETER', 'a cluster-scoped storage pool needs a cluster');
  if (cmd.scope === 'HOST' && !host) return reject('INVALID_PARAMETER', 'a host-scoped storage pool needs a host');
  const pool: StoragePool = {
    id: '',
    name: cmd.name,
    zoneId: zone.id,
    scope: cmd.scope,
    protocol: cmd.protocol,
    url: cmd.url ?? `${cmd.protocol.toLowerCase()}://${segment(cmd.name)}`,
    capacityGiB: cmd.capacityGiB,
    tags: cmd.tags ?? [],
    paths: cmd.paths ?? 1,
    state: 'Up',
  };
  if (cmd.scope === 'CLUSTER' && cluster) {
    pool.clusterId = cluster.id;
    pool.podId = cluster.podId;
  }
  if (cmd.scope === 'HOST' && host) {
    pool.hostId = host.id;
    pool.clusterId = host.clusterId;
    pool.podId = host.podId;
  }
  const path = storagePoolPath(state, pool);
  const params = new ParamReader(path);
  params.name('name', cmd.name);
  params.positive('capacityGiB', cmd.capacityGiB);
  params.ratio('overprovisioningFactor', cmd.overprovisioningFactor, 1, 1000);
  if (cmd.paths !== undefined) params.positive('paths', cmd.paths, true);
  if (params.failed) return params.rejection();

  const { id, idSeq } = newId(state);
  pool.id = id;
  const subject = { path, entityId: id };
  const findings: Finding[] = [];
  if (storagePoolsOf(state, zone.id).some((p) => p.name === cmd.name)) {
    findings.push(finding('STORAGE_POOL_NAME_DUPLICATE', subject, `a storage pool named "${cmd.name}" already exists in zone ${zone.name}`, 'give every primary storage pool of a zone its own name'));
  }
  const typeInfo = POOL_TYPE[cmd.protocol];
  if (typeInfo.shared === (cmd.scope === 'HOST')) {
    findings.push(finding('STORAGE_SCOPE_INVALID', { ...subject, field: 'scope' },
      typeInfo.shared ? `shared protocol ${cmd.protocol} cannot be host-scoped` : `local storage must be host-scoped, not ${cmd.scope.toLowerCase()}-scoped`,
      typeInfo.shared ? 'put the pool on a cluster or the zone' : 'declare local storage on the host'));
  }
  if (cmd.protocol === 'local' && !zone.localStorageEnabled) {
    findings.push(finding('LOCAL_STORAGE_DISABLED', subject, `zone ${zone.name} does not enable local storage for user instances`, 'set localStorage: true on the zone, or use shared primary storage'));
  }
  let hypervisor: Hypervisor | undefined = cluster?.hypervisor ?? host?.hypervisor;
  if (cmd.scope === 'ZONE') {
    hypervisor = cmd.hypervisor;
    if (hypervisor === undefined) {
      findings.push(finding('STORAGE_ZONE_WIDE_NO_HYPERVISOR', { ...subject, field: 'hypervisor' }, `zone-wide pool ${cmd.name} of zone ${zone.name} does not say which hypervisor's hosts attach it`, 'add hypervisor: KVM (or VMware, LXC)'));
    } else {
      pool.hypervisor = hypervisor;
      if (ZONE_WIDE_STORAGE_SUPPORT[hypervisor] !== 'yes') {
        findings.push(finding('STORAGE_ZONE_WIDE_UNSUPPORTED', { ...subject, field: 'scope' },
          `zone-wide storage pools are not supported for ${DISPLAY_NAME[hypervisor]}`,
          'use cluster-scoped primary storage for this hypervisor'));
      }
    }
  }
  if (cmd.scope === 'CLUSTER' && cluster && hostsOf(state, cluster.id).length === 0) {
    findings.push(finding('STORAGE_POOL_CLUSTER_WITHOUT_HOSTS', subject, `cluster ${cluster.name} has no host yet`, 'add a host to the cluster before its primary storage'));
  }
  if (hypervisor !== undefined) {
    const support = protocolSupport(hypervisor, cmd.protocol);
    if (support === 'no' || support === 'n/a') {
      findings.push(finding('STORAGE_PROTOCOL_UNSUPPORTED_BY_HYPERVISOR', { ...subject, field: 'protocol' },
        `${DISPLAY_NAME[hypervisor]} does not support ${cmd.protocol} primary storage`,
        `use a protocol ${DISPLAY_NAME[hypervisor]} supports: ${supportedProtocols(hypervisor)}`));
    } else if (support === 'unknown') {
      findings.push(finding('STORAGE_PROTOCOL_UNVERIFIED_FOR_HYPERVISOR', { ...subject, field: 'protocol' },
        `the documentation does not confirm ${cmd.protocol} primary storage on ${DISPLAY_NAME[hypervisor]}`, 'test this combination before relying on it'));
    }
  }
  if (cmd.overprovisioningFactor !== undefined) {
    if (cmd.overprovisioningFactor > 1 && !typeInfo.overprovisioning) {
      findings.push(finding('STORAGE_OVERPROVISIONING_UNSUPPORTED', { ...subject, field: 'overprovisioningFactor' },
        `over-provisioning factor ${cmd.overprovisioningFactor} is set on ${cmd.protocol} (${typeInfo.poolType}), which CloudStack does not over-provision`,
        'remove the factor; it applies to NFS, VMFS, RBD, PowerFlex, SharedMountPoint and similar types only'));
    } else {
      pool.overprovisioningFactor = cmd.overprovisioningFactor;
    }
  }
  if (cmd.capacityGiB > PRIMARY_STORAGE_RECOMMENDED_MAX_GIB && SINGLE_VOLUME_PROTOCOLS.has(cmd.protocol)) {
    findings.push(finding('STORAGE_POOL_OVER_6TB', { ...subject, field: 'capacityGiB' },
      `pool ${cmd.name} holds ${cmd.capacityGiB} GiB (${((cmd.capacityGiB * 2 ** 30) / 1e12).toFixed(1)} TB), above the recommended 6 TB per mount point or LUN`,
      `split it into ${Math.ceil(cmd.capacityGiB / PRIMARY_STORAGE_RECOMMENDED_MAX_GIB)} pools of at most 6 TB (5,588 GiB) each`));
  }
  return conclude(ctx, findings, [{ type: 'storagePoolCreated', idSeq, storagePool: pool }]);
}

function supportedProtocols(hypervisor: Hypervisor): string {
  const list = (['NFS', 'iSCSI', 'FC', 'SharedMountPoint', 'RBD', 'PowerFlex', 'SMB', 'VMFS', 'PreSetup', 'local'] as const).filter((p) => protocolSupport(hypervisor, p) === 'yes');
  return list.length > 0 ? list.join(', ') : 'none';
}

type StoreKind = 'file' | 'S3' | 'Swift';

function storeKind(store: Pick<ImageStore, 'provider'>): StoreKind {
  return isObjectImageStore(store.provider) ? (store.provider as 'S3' | 'Swift') : 'file';
}

export function decideAddImageStore(state: CloudState, cmd: AddImageStore, ctx: DecideContext): Decision {
  const zone = cmd.zoneId === undefined ? undefined : state.zones.get(cmd.zoneId);
  if (cmd.zoneId !== undefined && !zone) return reject('ENTITY_NOT_FOUND', `zone ${cmd.zoneId} does not exist`);
  const regionId = zone?.regionId ?? cmd.regionId ?? DEFAULT_REGION_ID;
  const region = state.regions.get(regionId);
  if (!region) return reject('ENTITY_NOT_FOUND', `region ${regionId} does not exist`);
  const role = cmd.role ?? 'Image';
  const path = zone ? `${zonePath(zone)}/${role === 'ImageCache' ? 'stagingStores' : 'secondaryStorage'}/${segment(cmd.name)}` : `regions/${segment(region.name)}/secondaryStorage/${segment(cmd.name)}`;
  const params = new ParamReader(path);
  params.name('name', cmd.name);
  params.positive('capacityGiB', cmd.capacityGiB);
  if (params.failed) return params.rejection();
  const objectBacked = isObjectImageStore(cmd.provider);
  if (role === 'Image' && objectBacked && zone) return reject('INVALID_PARAMETER', `${cmd.provider} secondary storage is region-wide; give no zone`);
  if (role === 'Image' && !objectBacked && !zone) return reject('INVALID_PARAMETER', `${cmd.provider} secondary storage serves one zone; give the zone`);
  if (role === 'ImageCache' && (cmd.provider !== 'NFS' || !zone)) return reject('INVALID_PARAMETER', 'a staging store is an NFS store of one zone');

  const { id, idSeq } = newId(state);
  const subject = { path, entityId: id };
  const findings: Finding[] = [];
  if (role === 'Image') {
    const zoneIds = new Set(zonesOf(state, regionId).map((z) => z.id));
    const existing = [...state.imageStores.values()].filter((s) => s.role === 'Image' && (s.regionId === regionId || (s.zoneId !== undefined && zoneIds.has(s.zoneId))));
    const other = existing.find((s) => storeKind(s) !== storeKind(cmd));
    if (other) {
      findings.push(finding('SECONDARY_STORAGE_MIXED_KINDS', subject,
        `${cmd.provider} secondary storage ${cmd.name} joins ${other.provider} store ${other.name} in region ${region.name}`,
        'a region uses one kind of secondary storage: NFS (or SMB), S3 or Swift'));
    }
  }
  const imageStore: ImageStore = {
    id,
    name: cmd.name,
    provider: cmd.provider,
    role,
    regionId,
    url: cmd.url ?? `${cmd.provider.toLowerCase()}://${segment(cmd.name)}`,
    capacityGiB: cmd.capacityGiB,
    readOnly: cmd.readOnly ?? false,
  };
  if (zone) imageStore.zoneId = zone.id;
  return conclude(ctx, findings, [{ type: 'imageStoreAdded', idSeq, imageStore }]);
}

export function decideAddObjectStoragePool(state: CloudState, cmd: AddObjectStoragePool, ctx: DecideContext): Decision {
  const params = new ParamReader(`objectStores/${segment(cmd.name)}`);
  params.name('name', cmd.name);
  params.positive('capacityGiB', cmd.capacityGiB);
  if (params.failed) return params.rejection();
  if ([...state.objectStores.values()].some((s) => s.name === cmd.name)) return reject('INVALID_PARAMETER', `an object store named "${cmd.name}" already exists`);
  const { id, idSeq } = newId(state);
  return conclude(ctx, [], [{ type: 'objectStoreAdded', idSeq, objectStore: { id, name: cmd.name, provider: cmd.provider, url: cmd.url, capacityGiB: cmd.capacityGiB } }]);
}

export function decideCreateBucket(state: CloudState, cmd: CreateBucket, ctx: DecideContext): Decision {
  const store = state.objectStores.get(cmd.objectStoreId);
  if (!store) return reject('ENTITY_NOT_FOUND', `object store ${cmd.objectStoreId} does not exist`);
  if (!state.accounts.has(cmd.accountId)) return reject('ENTITY_NOT_FOUND', `account ${cmd.accountId} does not exist`);
  const path = `objectStores/${segment(store.name)}/buckets/${segment(cmd.name)}`;
  const params = new ParamReader(path);
  params.name('name', cmd.name);
  params.positive('quotaGiB', cmd.quotaGiB);
  if (params.failed) return params.rejection();
  const buckets = [...state.buckets.values()].filter((b) => b.objectStoreId === store.id);
  if (buckets.some((b) => b.name === cmd.name)) return reject('INVALID_PARAMETER', `a bucket named "${cmd.name}" already exists in object store ${store.name}`);
  const { id, idSeq } = newId(state);
  const findings: Finding[] = [];
  const committedGiB = buckets.reduce((sum, b) => sum + b.quotaGiB, 0) + cmd.quotaGiB;
  if (committedGiB > store.capacityGiB) {
    findings.push(finding('OBJECT_STORE_OVERCOMMITTED', { path, entityId: id, field: 'quotaGiB' },
      `bucket quotas of object store ${store.name} reach ${committedGiB} GiB, above its ${store.capacityGiB} GiB`,
      `grow the object store by ${committedGiB - store.capacityGiB} GiB or lower the quotas`));
  }
  return conclude(ctx, findings, [{ type: 'bucketCreated', idSeq, bucket: { id, name: cmd.name, objectStoreId: store.id, accountId: cmd.accountId, quotaGiB: cmd.quotaGiB } }]);
}

import { hypervisorFromText } from '../../core/data/hypervisors.js';
import { IMAGE_STORE_PROVIDERS, type StorageProtocol } from '../../core/data/storage.js';
import type { DomainEvent } from '../../core/model/events.js';
import { API_ERROR, badValue } from '../errors.js';
import { defineCommand, listResult, ROOT_ADMIN_ONLY } from '../registry/command.js';
import { LIST_PARAMS, matchesKeyword } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { SUCCESS_FIELDS } from '../views/results.js';
import { imageStoreView, storagePoolView, urlParts } from '../views/storage-infrastructure.js';

/**
 * Primary storage pools and image stores: listed, created, updated, put into and out of
 * maintenance, deleted. A simulated storage server reports no size of its own, so a pool or store
 * created without one (capacitybytes, details capacity) gets a default size.
 */

const GIB_BYTES = 1024 ** 3;

/** The size a simulated primary storage or image store reports when none is given. */
const DEFAULT_POOL_GIB = 2048;
const DEFAULT_IMAGE_STORE_GIB = 2048;

/** The storage protocol of a URL scheme, as CloudStack's createStoragePool reads it. */
const PROTOCOL_OF_SCHEME: Readonly<Record<string, StorageProtocol>> = {
  nfs: 'NFS',
  iscsi: 'iSCSI',
  fc: 'FC',
  sharedmountpoint: 'SharedMountPoint',
  rbd: 'RBD',
  powerflex: 'PowerFlex',
  cifs: 'SMB',
  smb: 'SMB',
  vmfs: 'VMFS',
  presetup: 'PreSetup',
  clvm: 'CLVM',
  gluster: 'Gluster',
  linstor: 'Linstor',
  storpool: 'StorPool',
  datastorecluster: 'DatastoreCluster',
  file: 'local',
};

const matchesId = (wanted: string | undefined, id: string | undefined): boolean => wanted === undefined || wanted === id;

function sizeGiB(bytes: number | undefined, fallback: number): number {
  if (bytes === undefined) return fallback;
  if (bytes <= 0) throw badValue('Capacity bytes must be greater than zero');
  return bytes / GIB_BYTES;
}

const createdPoolId = (events: readonly DomainEvent[]): string | undefined => events.flatMap((e) => (e.type === 'storagePoolCreated' ? [e.storagePool.id] : []))[0];

export const listStoragePools = defineCommand({
  name: 'listStoragePools',
  description: 'Lists storage pools.',
  isAsync: false,
  since: '3.0.0',
  related: 'createStoragePool',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the storage pool', { related: 'listStoragePools' }),
    name: param.string('the name of the storage pool'),
    zoneid: param.uuid('the Zone ID for the storage pool', { related: 'listZones' }),
    podid: param.uuid('the Pod ID for the storage pool', { related: 'listPods' }),
    clusterid: param.uuid('list storage pools belonging to the specific cluster', { related: 'listClusters' }),
    hostid: param.uuid('host ID of the storage pools', { related: 'listHosts' }),
    ipaddress: param.string('the IP address for the storage pool'),
    path: param.string('the storage pool path'),
    scope: param.choice('the scope of the storage pool', ['HOST', 'CLUSTER', 'ZONE'] as const),
    status: param.string('the status of the storage pool'),
  },
  responseObject: 'storagepool',
  response: storagePoolView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const pools = [...call.state.storagePools.values()].filter((pool) => {
      const url = urlParts(pool.url);
      return (
        matchesId(p.id, pool.id) && matchesId(p.zoneid, pool.zoneId) && matchesId(p.podid, pool.podId) && matchesId(p.clusterid, pool.clusterId) && matchesId(p.hostid, pool.hostId) &&
        (p.name === undefined || pool.name === p.name) &&
        (p.ipaddress === undefined || url.host === p.ipaddress) &&
        (p.path === undefined || url.path === p.path) &&
        (p.scope === undefined || pool.scope === p.scope) &&
        (p.status === undefined || pool.state.toLowerCase() === p.status.toLowerCase()) &&
        matchesKeyword(p.keyword, pool.name)
      );
    });
    const ctx = call.view();
    return listResult(pools, (pool) => storagePoolView.render(pool, ctx));
  },
});

export const createStoragePool = defineCommand({
  name: 'createStoragePool',
  description: 'Creates a storage pool.',
  isAsync: false,
  since: '3.0.0',
  related: 'listStoragePools',
  params: {
    zoneid: param.uuid('the Zone ID for the storage pool', { required: true, related: 'listZones' }),
    name: param.string('the name for the storage pool', { required: true }),
    url: param.string('the URL of the storage pool', { required: true, length: 2048 }),
    podid: param.uuid('the Pod ID for the storage pool', { related: 'listPods' }),
    clusterid: param.uuid('the cluster ID for the storage pool', { related: 'listClusters' }),
    hostid: param.uuid('the host whose local storage a HOST-scoped pool is', { related: 'listHosts' }),
    scope: param.choice('the scope of the storage: cluster, zone or host', ['CLUSTER', 'ZONE', 'HOST'] as const),
    hypervisor: param.string('hypervisor type of the hosts in zone that will be attached to this storage pool. KVM, VMware supported as of now.'),
    capacitybytes: param.long('bytes CloudStack can provision from this storage pool'),
    tags: param.list('the tags for the storage pool'),
    provider: param.string('the storage provider name (accepted; DefaultPrimary)'),
    managed: param.boolean('whether the storage should be managed by CloudStack (accepted, not used)'),
    capacityiops: param.long('IOPS CloudStack can provision from this storage pool (accepted, not used)'),
    istagarule: param.boolean('whether the informed tag is a JS interpretable rule or not (accepted, not used)'),
    details: param.map('the details for the storage pool (accepted, not used)'),
  },
  responseObject: 'storagepool',
  response: storagePoolView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const { scheme } = urlParts(p.url);
    const protocol = PROTOCOL_OF_SCHEME[scheme];
    if (protocol === undefined) throw badValue(`${p.url} is not a valid uri`);
    const scope = p.scope ?? (p.hostid !== undefined ? 'HOST' : p.clusterid !== undefined ? 'CLUSTER' : 'ZONE');
    if (scope === 'CLUSTER' && (p.clusterid === undefined || p.podid === undefined)) throw badValue('Cluster id requires pod id');
    if (scope === 'HOST' && p.hostid === undefined) throw badValue('a host-scoped storage pool needs the host (hostid)');
    const cluster = p.clusterid === undefined ? undefined : call.state.clusters.get(p.clusterid);
    if (cluster && p.podid !== undefined && cluster.podId !== p.podid) throw badValue(`Cluster ${cluster.id} does not belong to pod ${p.podid}`);
    let hypervisor;
    if (p.hypervisor !== undefined) {
      hypervisor = hypervisorFromText(p.hypervisor);
      if (hypervisor === undefined) throw badValue(`Unable to resolve ${p.hypervisor} to a supported type`);
    }
    if (scope === 'ZONE' && hypervisor === undefined) throw badValue('zone wide storage pool must specify the hypervisor type (hypervisor)');
    const events = call.run({
      type: 'createStoragePool',
      zoneId: p.zoneid,
      scope,
      name: p.name,
      protocol,
      url: p.url,
      capacityGiB: sizeGiB(p.capacitybytes, DEFAULT_POOL_GIB),
      ...(p.clusterid === undefined ? {} : { clusterId: p.clusterid }),
      ...(p.podid === undefined ? {} : { podId: p.podid }),
      ...(p.hostid === undefined ? {} : { hostId: p.hostid }),
      ...(hypervisor === undefined ? {} : { hypervisor }),
      ...(p.tags === undefined ? {} : { tags: p.tags }),
    });
    return { kind: 'object', object: storagePoolView.render(call.state.storagePools.get(createdPoolId(events)!)!, call.view()) };
  },
});

export const updateStoragePool = defineCommand({
  name: 'updateStoragePool',
  description: 'Updates a storage pool.',
  isAsync: false,
  since: '3.0.0',
  related: 'listStoragePools',
  params: {
    id: param.uuid('the Id of the storage pool', { required: true, related: 'listStoragePools' }),
    name: param.string('Change the name of the storage pool'),
    tags: param.list('comma-separated list of tags for the storage pool'),
    capacitybytes: param.long('bytes CloudStack can provision from this storage pool'),
    enabled: param.boolean('false to disable the pool for allocation of new volumes, true to enable it back'),
    capacityiops: param.long('IOPS CloudStack can provision from this storage pool (accepted, not used)'),
    url: param.string('the URL of the storage pool (accepted, not used)'),
    istagarule: param.boolean('whether the informed tag is a JS interpretable rule or not (accepted, not used)'),
    details: param.map('the details for the storage pool (accepted, not used)'),
  },
  responseObject: 'storagepool',
  response: storagePoolView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    call.run({
      type: 'updateStoragePool',
      id: p.id,
      ...(p.name === undefined ? {} : { name: p.name }),
      ...(p.tags === undefined ? {} : { tags: p.tags }),
      ...(p.capacitybytes === undefined ? {} : { capacityGiB: sizeGiB(p.capacitybytes, 0) }),
      ...(p.enabled === undefined ? {} : { enabled: p.enabled }),
    });
    return { kind: 'object', object: storagePoolView.render(call.state.storagePools.get(p.id)!, call.view()) };
  },
});

export const deleteStoragePool = defineCommand({
  name: 'deleteStoragePool',
  description: 'Deletes a storage pool.',
  isAsync: false,
  since: '3.0.0',
  related: 'listStoragePools',
  params: {
    id: param.uuid('Storage pool id', { required: true, related: 'listStoragePools' }),
    forced: param.boolean('Force destroy storage pool (force expunge volumes in Destroyed state as a part of pool removal)'),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    call.run({ type: 'deleteStoragePool', id: p.id, ...(p.forced === undefined ? {} : { forced: p.forced }) });
    return { kind: 'success' };
  },
});

function storageMaintenanceCommand(name: 'enableStorageMaintenance' | 'cancelStorageMaintenance', description: string, cmdClass: string) {
  return defineCommand({
    name,
    description,
    isAsync: true,
    since: '3.0.0',
    related: 'listStoragePools',
    cmdClass,
    params: { id: param.uuid('Primary storage ID', { required: true, related: 'listStoragePools' }) },
    responseObject: 'storagepool',
    response: storagePoolView.fields,
    roles: ROOT_ADMIN_ONLY,
    handle(call, p) {
      if (!call.state.storagePools.has(p.id)) throw badValue(`Unable to find primary storage with id ${p.id}`);
      const enable = name === 'enableStorageMaintenance';
      const { job } = call.startJob(
        { type: name, id: p.id },
        { instanceType: 'StoragePool', instanceId: p.id, awaiting: () => ({ kind: 'storagePool', storagePoolId: p.id, success: [enable ? 'Maintenance' : 'Up'], errorCode: API_ERROR.INTERNAL_ERROR }) },
      );
      return { kind: 'async', jobId: job.id };
    },
  });
}

export const enableStorageMaintenance = storageMaintenanceCommand('enableStorageMaintenance', 'Puts storage pool into maintenance state', 'org.apache.cloudstack.api.command.admin.storage.PreparePrimaryStorageForMaintenanceCmd');
export const cancelStorageMaintenance = storageMaintenanceCommand('cancelStorageMaintenance', 'Cancels maintenance for primary storage', 'org.apache.cloudstack.api.command.admin.storage.CancelPrimaryStorageMaintenanceCmd');

export const listImageStores = defineCommand({
  name: 'listImageStores',
  description: 'Lists image stores.',
  isAsync: false,
  since: '4.2.0',
  related: 'addImageStore',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the storage pool', { related: 'listImageStores' }),
    name: param.string('the name of the image store'),
    zoneid: param.uuid('the Zone ID for the image store', { related: 'listZones' }),
    provider: param.string('the image store provider'),
    protocol: param.string('the image store protocol'),
    readonly: param.boolean('read-only status of the image store'),
  },
  responseObject: 'imagestore',
  response: imageStoreView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const stores = [...call.state.imageStores.values()].filter(
      (s) =>
        s.role === 'Image' &&
        matchesId(p.id, s.id) && matchesId(p.zoneid, s.zoneId) &&
        (p.name === undefined || s.name === p.name) &&
        (p.provider === undefined || s.provider.toLowerCase() === p.provider.toLowerCase()) &&
        (p.protocol === undefined || urlParts(s.url).scheme === p.protocol.toLowerCase()) &&
        (p.readonly === undefined || s.readOnly === p.readonly) &&
        matchesKeyword(p.keyword, s.name),
    );
    const ctx = call.view();
    return listResult(stores, (s) => imageStoreView.render(s, ctx));
  },
});

export const addImageStore = defineCommand({
  name: 'addImageStore',
  description: 'Adds backup image store.',
  isAsync: false,
  since: '4.2.0',
  related: 'listImageStores',
  params: {
    provider: param.string('the image store provider name', { required: true }),
    name: param.string('the name for the image store'),
    url: param.string('the URL for the image store', { length: 2048 }),
    zoneid: param.uuid('the Zone ID for the image store', { related: 'listZones' }),
    details: param.map('the details for the image store. Example: details[0].key=accesskey&details[0].value=s389ddssaa&details[1].key=secretkey&details[1].value=8dshfsss; capacity is the size in bytes of a simulated store'),
  },
  responseObject: 'imagestore',
  response: imageStoreView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const provider = IMAGE_STORE_PROVIDERS.find((name) => name.toLowerCase() === p.provider.toLowerCase());
    if (provider === undefined) throw badValue(`can't find image store provider by name ${p.provider}`);
    const capacity = p.details?.find((d) => d['key'] === 'capacity')?.['value'];
    const capacityBytes = capacity === undefined ? undefined : Number(capacity);
    if (capacityBytes !== undefined && !Number.isFinite(capacityBytes)) throw badValue(`Invalid capacity ${capacity}`);
    const events = call.run({
      type: 'addImageStore',
      name: p.name ?? p.url ?? provider,
      provider,
      capacityGiB: sizeGiB(capacityBytes, DEFAULT_IMAGE_STORE_GIB),
      ...(p.zoneid === undefined ? {} : { zoneId: p.zoneid }),
      ...(p.url === undefined ? {} : { url: p.url }),
    });
    const id = events.flatMap((e) => (e.type === 'imageStoreAdded' ? [e.imageStore.id] : []))[0]!;
    return { kind: 'object', object: imageStoreView.render(call.state.imageStores.get(id)!, call.view()) };
  },
});

export const deleteImageStore = defineCommand({
  name: 'deleteImageStore',
  description: 'Deletes an image store or Secondary Storage.',
  isAsync: false,
  since: '4.2.0',
  related: 'listImageStores',
  params: { id: param.uuid('the image store ID', { required: true, related: 'listImageStores' }) },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    call.run({ type: 'deleteImageStore', id: p.id });
    return { kind: 'success' };
  },
});

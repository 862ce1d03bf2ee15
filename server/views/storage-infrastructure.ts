import { isObjectImageStore, POOL_TYPE } from '../../core/data/storage.js';
import type { ImageStore, StoragePool } from '../../core/model/entities.js';
import { poolFactor } from '../../core/placement/storage.js';
import { createdOf, defineView, field } from './view.js';

/**
 * Primary storage pools and image stores as listStoragePools and listImageStores report them.
 * Sizes are bytes. A pool's allocation is what the core counts against it (volumes and template
 * copies); its use is that allocation spread over its over-provisioning factor, the core's model
 * of thin volumes.
 */

const GIB_BYTES = 1024 ** 3;

/** The server and path of a storage URL (nfs://10.0.0.5/export/primary). */
export function urlParts(url: string): { scheme: string; host: string | undefined; path: string | undefined } {
  const match = /^([a-z0-9+.-]+):\/\/([^/]*)(\/.*)?$/i.exec(url);
  if (!match) return { scheme: '', host: undefined, path: url };
  return { scheme: match[1]!.toLowerCase(), host: match[2] === '' ? undefined : match[2], path: match[3] };
}

export const storagePoolView = defineView<StoragePool>([
  field('id', 'string', 'the ID of the storage pool', (p) => p.id),
  field('name', 'string', 'the name of the storage pool', (p) => p.name),
  field('zoneid', 'string', 'the zone of the storage pool', (p) => p.zoneId),
  field('zonename', 'string', 'the name of that zone', (p, ctx) => ctx.state.zones.get(p.zoneId)?.name),
  field('podid', 'string', 'the pod of the storage pool', (p) => p.podId),
  field('podname', 'string', 'the name of that pod', (p, ctx) => (p.podId === undefined ? undefined : ctx.state.pods.get(p.podId)?.name)),
  field('clusterid', 'string', 'the cluster of the storage pool', (p) => p.clusterId),
  field('clustername', 'string', 'the name of that cluster', (p, ctx) => (p.clusterId === undefined ? undefined : ctx.state.clusters.get(p.clusterId)?.name)),
  field('scope', 'string', 'the scope of the storage pool: HOST, CLUSTER or ZONE', (p) => p.scope),
  field('type', 'string', 'the storage pool type', (p) => POOL_TYPE[p.protocol].poolType),
  field('ipaddress', 'string', 'the server of the storage', (p) => urlParts(p.url).host),
  field('path', 'string', 'the path on the server', (p) => urlParts(p.url).path),
  field('state', 'string', 'the state of the storage pool: Up, Down, Maintenance or Disabled', (p) => p.state),
  field('hypervisor', 'string', 'the hypervisor whose hosts attach a zone-wide pool, or the cluster\'s', (p, ctx) => p.hypervisor ?? (p.clusterId === undefined ? undefined : ctx.state.clusters.get(p.clusterId)?.hypervisor)),
  field('disksizetotal', 'long', 'the size of the storage pool in bytes', (p) => p.capacityGiB * GIB_BYTES),
  field('disksizeallocated', 'long', 'the bytes allocated to volumes and template copies', (p, ctx) => Math.round((ctx.state.index.poolAllocatedGiB.get(p.id) ?? 0) * GIB_BYTES)),
  field('disksizeused', 'long', 'the bytes in use', (p, ctx) => Math.round(((ctx.state.index.poolAllocatedGiB.get(p.id) ?? 0) / poolFactor(ctx.state, p)) * GIB_BYTES)),
  field('overprovisionfactor', 'string', 'the over-provisioning factor of the storage pool', (p, ctx) => String(poolFactor(ctx.state, p))),
  field('tags', 'string', 'the tags of the storage pool, comma-separated', (p) => (p.tags.length === 0 ? undefined : p.tags.join(','))),
  field('provider', 'string', 'the storage provider', () => 'DefaultPrimary'),
  field('managed', 'boolean', 'whether the storage is managed', () => false),
  field('istagarule', 'boolean', 'whether the tags are a rule', () => false),
  field('suitableformigration', 'boolean', 'whether volumes can be migrated to the pool', (p) => p.state === 'Up'),
  field('created', 'date', 'the date the storage pool was created', (p, ctx) => createdOf(p.id, ctx)),
  field('hasannotations', 'boolean', 'whether the storage pool has annotations', () => false),
]);

export const imageStoreView = defineView<ImageStore>([
  field('id', 'string', 'the ID of the image store', (s) => s.id),
  field('name', 'string', 'the name of the image store', (s) => s.name),
  field('zoneid', 'string', 'the zone of the image store', (s) => s.zoneId),
  field('zonename', 'string', 'the name of that zone', (s, ctx) => (s.zoneId === undefined ? undefined : ctx.state.zones.get(s.zoneId)?.name)),
  field('url', 'string', 'the URL of the image store', (s) => s.url),
  field('protocol', 'string', 'the protocol of the image store', (s) => urlParts(s.url).scheme || s.provider.toLowerCase()),
  field('providername', 'string', 'the provider of the image store', (s) => s.provider),
  field('scope', 'string', 'the scope of the image store: ZONE or REGION', (s) => (isObjectImageStore(s.provider) ? 'REGION' : 'ZONE')),
  field('readonly', 'boolean', 'whether the image store takes no new templates or snapshots', (s) => s.readOnly),
  field('disksizetotal', 'long', 'the size of the image store in bytes', (s) => s.capacityGiB * GIB_BYTES),
  field('disksizeused', 'long', 'the bytes used by templates and snapshots', (s, ctx) => Math.round((ctx.state.index.imageStoreUsedGiB.get(s.id) ?? 0) * GIB_BYTES)),
  field('hasannotations', 'boolean', 'whether the image store has annotations', () => false),
]);

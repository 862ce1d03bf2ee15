import { HYPERVISORS } from '../../core/data/hypervisors.js';
import { badValue } from '../errors.js';
import { ANY_ROLE, defineCommand, listResult, ROOT_ADMIN_ONLY } from '../registry/command.js';
import { LIST_PARAMS, matchesKeyword } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { clusterView, hostView, podView, zoneView } from '../views/infrastructure.js';

/** The infrastructure lists: zones, pods, clusters, hosts (networks, offerings and templates have modules of their own). */

const matchesId = (wanted: string | undefined, id: string): boolean => wanted === undefined || wanted === id;

export const listZones = defineCommand({
  name: 'listZones',
  description: 'Lists zones',
  isAsync: false,
  since: '3.0.0',
  related: 'createZone',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the zone', { related: 'listZones' }),
    ids: param.list('the IDs of the zones', { related: 'listZones' }),
    name: param.string('the name of the zone'),
    networktype: param.choice('the network type of the zone', ['Basic', 'Advanced'] as const),
    available: param.boolean('true to list only the zones the caller can deploy to'),
    showcapacities: param.boolean('the capacities of each zone (not reported yet)'),
  },
  responseObject: 'zone',
  response: zoneView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const admin = call.me().caller.role === 'RootAdmin';
    const zones = [...call.state.zones.values()].filter(
      (z) =>
        matchesId(p.id, z.id) &&
        (p.ids === undefined || p.ids.includes(z.id)) &&
        (p.name === undefined || z.name === p.name) &&
        (p.networktype === undefined || z.networkType === p.networktype) &&
        // Users see the zones they can deploy to.
        ((admin && !p.available) || z.allocationState === 'Enabled') &&
        matchesKeyword(p.keyword, z.name),
    );
    const ctx = call.view();
    return listResult(zones, (z) => zoneView.render(z, ctx));
  },
});

export const listPods = defineCommand({
  name: 'listPods',
  description: 'Lists all pods',
  isAsync: false,
  since: '3.0.0',
  related: 'createPod',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the pod', { related: 'listPods' }),
    name: param.string('the name of the pod'),
    zoneid: param.uuid('the zone of the pods', { related: 'listZones' }),
    allocationstate: param.choice('the allocation state of the pods', ['Enabled', 'Disabled'] as const),
  },
  responseObject: 'pod',
  response: podView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const pods = [...call.state.pods.values()].filter(
      (pod) => matchesId(p.id, pod.id) && matchesId(p.zoneid, pod.zoneId) && (p.name === undefined || pod.name === p.name) && (p.allocationstate === undefined || pod.allocationState === p.allocationstate) && matchesKeyword(p.keyword, pod.name),
    );
    const ctx = call.view();
    return listResult(pods, (pod) => podView.render(pod, ctx));
  },
});

export const listClusters = defineCommand({
  name: 'listClusters',
  description: 'Lists clusters.',
  isAsync: false,
  since: '3.0.0',
  related: 'addCluster',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the cluster', { related: 'listClusters' }),
    name: param.string('the name of the cluster'),
    zoneid: param.uuid('the zone of the clusters', { related: 'listZones' }),
    podid: param.uuid('the pod of the clusters', { related: 'listPods' }),
    hypervisor: param.string('the hypervisor of the clusters'),
    clustertype: param.choice('the type of the clusters', ['CloudManaged', 'ExternalManaged'] as const),
    allocationstate: param.choice('the allocation state of the clusters', ['Enabled', 'Disabled'] as const),
  },
  responseObject: 'cluster',
  response: clusterView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const clusters = [...call.state.clusters.values()].filter(
      (c) =>
        matchesId(p.id, c.id) && matchesId(p.zoneid, c.zoneId) && matchesId(p.podid, c.podId) &&
        (p.name === undefined || c.name === p.name) &&
        (p.hypervisor === undefined || c.hypervisor.toLowerCase() === p.hypervisor.toLowerCase()) &&
        (p.clustertype === undefined || c.clusterType === p.clustertype) &&
        (p.allocationstate === undefined || c.allocationState === p.allocationstate) &&
        matchesKeyword(p.keyword, c.name),
    );
    const ctx = call.view();
    return listResult(clusters, (c) => clusterView.render(c, ctx));
  },
});

export const listHosts = defineCommand({
  name: 'listHosts',
  description: 'Lists hosts.',
  isAsync: false,
  since: '3.0.0',
  related: 'addHost',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the host', { related: 'listHosts' }),
    name: param.string('the name of the host'),
    zoneid: param.uuid('the zone of the hosts', { related: 'listZones' }),
    podid: param.uuid('the pod of the hosts', { related: 'listPods' }),
    clusterid: param.uuid('the cluster of the hosts', { related: 'listClusters' }),
    type: param.string('the host type; hypervisor hosts are Routing'),
    state: param.string('the state of the hosts (Up, Down, ...)'),
    resourcestate: param.string('the resource state of the hosts (Enabled, Maintenance, ...)'),
    hypervisor: param.string('the hypervisor of the hosts'),
  },
  responseObject: 'host',
  response: hostView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    if (p.hypervisor !== undefined && !HYPERVISORS.some((h) => h.toLowerCase() === p.hypervisor!.toLowerCase())) throw badValue(`Invalid hypervisor type ${p.hypervisor}`);
    const hosts = [...call.state.hosts.values()].filter(
      (h) =>
        matchesId(p.id, h.id) && matchesId(p.zoneid, h.zoneId) && matchesId(p.podid, h.podId) && matchesId(p.clusterid, h.clusterId) &&
        (p.name === undefined || h.name === p.name) &&
        (p.type === undefined || p.type.toLowerCase() === 'routing') &&
        (p.state === undefined || h.status.toLowerCase() === p.state.toLowerCase()) &&
        (p.resourcestate === undefined || h.resourceState.toLowerCase() === p.resourcestate.toLowerCase()) &&
        (p.hypervisor === undefined || h.hypervisor.toLowerCase() === p.hypervisor.toLowerCase()) &&
        matchesKeyword(p.keyword, h.name),
    );
    const ctx = call.view();
    return listResult(hosts, (h) => hostView.render(h, ctx));
  },
});

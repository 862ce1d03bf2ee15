import { ARCHITECTURES, HYPERVISOR_CAPABILITIES, HYPERVISORS, hypervisorFromText } from '../../core/data/hypervisors.js';
import { isInDomainSubtree } from '../../core/identity.js';
import type { Vm } from '../../core/model/compute.js';
import type { DomainEvent } from '../../core/model/events.js';
import { clustersOf, clustersOfZone, hostsOf, podsOf } from '../../core/model/state.js';
import { freeHostAddress } from '../../core/decide/topology.js';
import { formatCidr, formatIpv4, parseIpv4 } from '../../core/net/ipv4.js';
import { API_ERROR, ApiError, badValue } from '../errors.js';
import { ANY_ROLE, type Call, defineCommand, DOMAIN_ADMINS, listResult, ROOT_ADMIN_ONLY } from '../registry/command.js';
import { LIST_PARAMS, matchesKeyword, SCOPED_LIST_PARAMS } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { type CapacityRow, capacityView, clusterCapacity, hypervisorCapabilitiesView, hypervisorCapabilityId, hypervisorView, podCapacity, zoneCapacity } from '../views/capacity.js';
import { clusterView, hostView, podView, zoneView } from '../views/infrastructure.js';
import { SUCCESS_FIELDS } from '../views/results.js';
import { routerView, systemVmTypeOf, systemVmView } from '../views/system-vms.js';

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

// ----- zones, pods, clusters and hosts: create, update, delete -----

const ALLOCATION_STATES = ['Enabled', 'Disabled'] as const;

/** The id of the record a command created. */
function createdIdOf(events: readonly DomainEvent[], type: 'zoneCreated' | 'podCreated' | 'clusterCreated' | 'hostAdded'): string {
  for (const event of events) {
    if (event.type === 'zoneCreated' && type === event.type) return event.zone.id;
    if (event.type === 'podCreated' && type === event.type) return event.pod.id;
    if (event.type === 'clusterCreated' && type === event.type) return event.cluster.id;
    if (event.type === 'hostAdded' && type === event.type) return event.host.id;
  }
  throw new Error(`no ${type} event`);
}

/** CloudStack's checkZoneParameters on addresses: an empty value is allowed. */
function checkDns(values: [string | undefined, string][]): void {
  for (const [value, what] of values) {
    if (value !== undefined && value !== '' && parseIpv4(value) === undefined) throw badValue(`Please enter a valid IP address for ${what}`);
  }
}

const nonEmpty = (...values: (string | undefined)[]): string[] => values.filter((v): v is string => v !== undefined && v !== '');

export const createZone = defineCommand({
  name: 'createZone',
  description: 'Creates a Zone.',
  isAsync: false,
  since: '3.0.0',
  related: 'listZones,updateZone',
  params: {
    name: param.string('the name of the zone', { required: true }),
    networktype: param.choice('network type of the zone, can be Basic or Advanced', ['Basic', 'Advanced'] as const, { required: true }),
    dns1: param.string('the first DNS for the zone', { required: true }),
    dns2: param.string('the second DNS for the zone'),
    internaldns1: param.string('the first internal DNS for the zone', { required: true }),
    internaldns2: param.string('the second internal DNS for the zone'),
    guestcidraddress: param.string('the guest CIDR address for the zone'),
    domain: param.string('network domain name for the networks in the zone'),
    localstorageenabled: param.boolean('true if local storage offering enabled, false otherwise'),
    securitygroupenabled: param.boolean('true if network is security group enabled, false otherwise'),
    allocationstate: param.choice('Allocation state of this zone for allocation of new resources', ALLOCATION_STATES),
    isedge: param.boolean('true if the zone is an edge zone, false otherwise'),
    ip6dns1: param.string('the first DNS for IPv6 network in the zone (accepted, not used)'),
    ip6dns2: param.string('the second DNS for IPv6 network in the zone (accepted, not used)'),
    domainid: param.uuid('the ID of the containing domain, null for public zones (accepted, not used)', { related: 'listDomains' }),
  },
  responseObject: 'zone',
  response: zoneView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    checkDns([[p.dns1, 'DNS1'], [p.dns2, 'DNS2'], [p.internaldns1, 'internal DNS1'], [p.internaldns2, 'internal DNS2']]);
    if ([...call.state.zones.values()].some((z) => z.name === p.name)) throw badValue('A zone with that name already exists. Please specify a unique zone name.');
    const events = call.run({
      type: 'createZone',
      name: p.name,
      networkType: p.networktype,
      dns: nonEmpty(p.dns1, p.dns2),
      internalDns: nonEmpty(p.internaldns1, p.internaldns2),
      ...(p.isedge ? { zoneType: 'Edge' as const } : {}),
      ...(p.guestcidraddress === undefined ? {} : { guestCidr: p.guestcidraddress }),
      ...(p.domain === undefined ? {} : { networkDomain: p.domain }),
      ...(p.localstorageenabled === undefined ? {} : { localStorageEnabled: p.localstorageenabled }),
      ...(p.securitygroupenabled === undefined ? {} : { securityGroupsEnabled: p.securitygroupenabled }),
      ...(p.allocationstate === undefined ? {} : { allocationState: p.allocationstate }),
    });
    return { kind: 'object', object: zoneView.render(call.state.zones.get(createdIdOf(events, 'zoneCreated'))!, call.view()) };
  },
});

export const updateZone = defineCommand({
  name: 'updateZone',
  description: 'Updates a Zone.',
  isAsync: false,
  since: '3.0.0',
  related: 'listZones',
  params: {
    id: param.uuid('the ID of the Zone', { required: true, related: 'listZones' }),
    name: param.string('the name of the Zone'),
    dns1: param.string('the first DNS for the Zone'),
    dns2: param.string('the second DNS for the Zone'),
    internaldns1: param.string('the first internal DNS for the Zone'),
    internaldns2: param.string('the second internal DNS for the Zone'),
    guestcidraddress: param.string('the guest CIDR address for the Zone'),
    domain: param.string('Network domain name for the networks in the zone; empty string will update domain with NULL value'),
    localstorageenabled: param.boolean('true if local storage offering enabled, false otherwise'),
    allocationstate: param.choice('Allocation state of this zone for allocation of new resources', ALLOCATION_STATES),
    dhcpprovider: param.string('the dhcp Provider for the Zone (accepted, not used)'),
    ispublic: param.boolean('updates a private zone to public if set, but not vice-versa (accepted, not used)'),
    details: param.map('the details for the Zone (accepted, not used)'),
  },
  responseObject: 'zone',
  response: zoneView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    call.run({
      type: 'editZone',
      id: p.id,
      ...(p.name === undefined ? {} : { name: p.name }),
      ...(p.dns1 === undefined ? {} : { dns1: p.dns1 }),
      ...(p.dns2 === undefined ? {} : { dns2: p.dns2 }),
      ...(p.internaldns1 === undefined ? {} : { internalDns1: p.internaldns1 }),
      ...(p.internaldns2 === undefined ? {} : { internalDns2: p.internaldns2 }),
      ...(p.guestcidraddress === undefined ? {} : { guestCidr: p.guestcidraddress }),
      ...(p.domain === undefined ? {} : { networkDomain: p.domain }),
      ...(p.localstorageenabled === undefined ? {} : { localStorageEnabled: p.localstorageenabled }),
      ...(p.allocationstate === undefined ? {} : { allocationState: p.allocationstate }),
    });
    const zone = call.state.zones.get(p.id)!;
    if (p.allocationstate === 'Enabled' && zone.zoneType === 'Core') {
      // An enabled zone gets its secondary storage VM and console proxy, as CloudStack's managers
      // start them for enabled zones; until the zone has room for them they are simply absent.
      try {
        call.run({ type: 'ensureSystemVms', zoneId: zone.id });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
      }
    }
    return { kind: 'object', object: zoneView.render(call.state.zones.get(p.id)!, call.view()) };
  },
});

/** A delete of the sync kind: the core command, then `{success: true}`. */
function deleteCommand(name: 'deleteZone' | 'deletePod' | 'deleteCluster', description: string, related: string) {
  return defineCommand({
    name,
    description,
    isAsync: false,
    since: '3.0.0',
    related,
    params: { id: param.uuid(`the ID of the ${name.slice('delete'.length).toLowerCase()}`, { required: true, related }) },
    responseObject: 'success',
    response: SUCCESS_FIELDS,
    roles: ROOT_ADMIN_ONLY,
    handle(call, p) {
      call.run({ type: name, id: p.id });
      return { kind: 'success' };
    },
  });
}

export const deleteZone = deleteCommand('deleteZone', 'Deletes a Zone.', 'listZones');

export const createPod = defineCommand({
  name: 'createPod',
  description: 'Creates a new Pod.',
  isAsync: false,
  since: '3.0.0',
  related: 'listPods,updatePod',
  params: {
    zoneid: param.uuid('the Zone ID in which the Pod will be created', { required: true, related: 'listZones' }),
    name: param.string('the name of the Pod', { required: true }),
    gateway: param.string('the gateway for the Pod'),
    netmask: param.string('the netmask for the Pod'),
    startip: param.string('the starting IP address for the Pod'),
    endip: param.string('the ending IP address for the Pod'),
    allocationstate: param.choice('Allocation state of this Pod for allocation of new resources', ALLOCATION_STATES),
    storageaccessgroups: param.list('storage access groups of the pod (accepted, not used)'),
  },
  responseObject: 'pod',
  response: podView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const zone = call.state.zones.get(p.zoneid);
    if (!zone) throw badValue(`Please specify a valid zone. Unable to find zone by id ${p.zoneid}`);
    if (podsOf(call.state, zone.id).some((pod) => pod.name === p.name)) {
      throw badValue(`A pod with name: ${p.name} already exists in zone ${zone.id}. Please specify a different pod name. `);
    }
    if (p.gateway === undefined || parseIpv4(p.gateway) === undefined) throw badValue('The gateway is not a valid IP address.');
    if (p.netmask === undefined) throw badValue(`Please enter a valid CIDR for pod: ${p.name}`);
    if (p.startip === undefined || parseIpv4(p.startip) === undefined) throw badValue('The start address of the IP range is not a valid IP address.');
    const events = call.run({
      type: 'createPod',
      zoneId: zone.id,
      name: p.name,
      gateway: p.gateway,
      netmask: p.netmask,
      startIp: p.startip,
      ...(p.endip === undefined ? {} : { endIp: p.endip }),
      // A pod created without an allocation state is enabled, as in CloudStack.
      allocationState: p.allocationstate ?? 'Enabled',
    });
    return { kind: 'object', object: podView.render(call.state.pods.get(createdIdOf(events, 'podCreated'))!, call.view()) };
  },
});

export const updatePod = defineCommand({
  name: 'updatePod',
  description: 'Updates a Pod.',
  isAsync: false,
  since: '3.0.0',
  related: 'listPods',
  params: {
    id: param.uuid('the ID of the Pod', { required: true, related: 'listPods' }),
    name: param.string('the name of the Pod'),
    allocationstate: param.choice('Allocation state of this cluster for allocation of new resources', ALLOCATION_STATES),
    gateway: param.string('the gateway for the Pod'),
    netmask: param.string('the netmask of the Pod'),
    startip: param.string('the starting IP address for the Pod'),
    endip: param.string('the ending IP address for the Pod'),
  },
  responseObject: 'pod',
  response: podView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    if (p.gateway !== undefined || p.netmask !== undefined || p.startip !== undefined || p.endip !== undefined) {
      throw new ApiError(API_ERROR.UNSUPPORTED_ACTION, 'Changing the gateway, netmask or IP range of a pod is not supported; add a range with createManagementNetworkIpRange', 4390);
    }
    call.run({ type: 'editPod', id: p.id, ...(p.name === undefined ? {} : { name: p.name }), ...(p.allocationstate === undefined ? {} : { allocationState: p.allocationstate }) });
    return { kind: 'object', object: podView.render(call.state.pods.get(p.id)!, call.view()) };
  },
});

export const deletePod = deleteCommand('deletePod', 'Deletes a Pod.', 'listPods');

export const addCluster = defineCommand({
  name: 'addCluster',
  description: 'Adds a new cluster',
  isAsync: false,
  since: '3.0.0',
  related: 'listClusters,updateCluster',
  params: {
    zoneid: param.uuid('the Zone ID for the cluster', { required: true, related: 'listZones' }),
    podid: param.uuid('the Pod ID for the host', { required: true, related: 'listPods' }),
    clustername: param.string('the cluster name', { required: true }),
    clustertype: param.choice('type of the cluster: CloudManaged, ExternalManaged', ['CloudManaged', 'ExternalManaged'] as const, { required: true }),
    hypervisor: param.string('hypervisor type of the cluster: XenServer,KVM,VMware,Hyperv,BareMetal,Simulator,Ovm3', { required: true }),
    arch: param.choice('the CPU arch of the cluster', ARCHITECTURES),
    allocationstate: param.choice('Allocation state of this cluster for allocation of new resources', ALLOCATION_STATES),
    url: param.string('the URL (accepted, not used)'),
    username: param.string('the username for the cluster (accepted, not used)'),
    password: param.string('the password for the host (accepted, not used)'),
  },
  responseObject: 'cluster',
  response: clusterView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const pod = call.state.pods.get(p.podid);
    if (!pod) throw badValue(`Can't find pod with specified podId ${p.podid}`);
    if (pod.zoneId !== p.zoneid) throw badValue(`Pod with specified id doesn't belong to the zone ${p.zoneid}`);
    const hypervisor = hypervisorFromText(p.hypervisor);
    if (hypervisor === undefined) throw badValue(`Unable to resolve ${p.hypervisor} to a supported type`);
    const events = call.run({
      type: 'addCluster',
      podId: pod.id,
      name: p.clustername,
      hypervisor,
      clusterType: p.clustertype,
      ...(p.arch === undefined ? {} : { arch: p.arch }),
      ...(p.allocationstate === undefined ? {} : { allocationState: p.allocationstate }),
    });
    const cluster = call.state.clusters.get(createdIdOf(events, 'clusterCreated'))!;
    const ctx = call.view();
    return listResult([cluster], (c) => clusterView.render(c, ctx));
  },
});

export const updateCluster = defineCommand({
  name: 'updateCluster',
  description: 'Updates an existing cluster',
  isAsync: false,
  since: '3.0.0',
  related: 'listClusters',
  params: {
    id: param.uuid('the ID of the Cluster', { required: true, related: 'listClusters' }),
    clustername: param.string('the cluster name'),
    allocationstate: param.choice('Allocation state of this cluster for allocation of new resources', ALLOCATION_STATES),
    managedstate: param.string('whether this cluster is managed by cloudstack (accepted, not used)'),
  },
  responseObject: 'cluster',
  response: clusterView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    call.run({ type: 'editCluster', id: p.id, ...(p.clustername === undefined ? {} : { name: p.clustername }), ...(p.allocationstate === undefined ? {} : { allocationState: p.allocationstate }) });
    return { kind: 'object', object: clusterView.render(call.state.clusters.get(p.id)!, call.view()) };
  },
});

export const deleteCluster = deleteCommand('deleteCluster', 'Deletes a cluster.', 'listClusters');

/**
 * What a simulated host reports when it connects and no size is given: the size of the
 * cluster's first host, else 16 cores of 2,000 MHz and 64 GiB.
 */
/** A DNS name (RFC 1123): dot-separated labels of letters, digits and inner hyphens. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

const DEFAULT_HOST = { cpuCores: 16, cpuMhz: 2000, memoryMiB: 65_536 };

export const addHost = defineCommand({
  name: 'addHost',
  description: 'Adds a new host.',
  isAsync: false,
  since: '3.0.0',
  related: 'listHosts,updateHost',
  params: {
    zoneid: param.uuid('the Zone ID for the host', { required: true, related: 'listZones' }),
    podid: param.uuid('the Pod ID for the host', { required: true, related: 'listPods' }),
    url: param.string('the host URL', { required: true }),
    hypervisor: param.string('hypervisor type of the host', { required: true }),
    clusterid: param.uuid('the cluster ID for the host', { related: 'listClusters' }),
    clustername: param.string('the cluster name for the host; a new cluster of that name is added when the pod has none'),
    username: param.string('the username for the host (accepted, not used)'),
    password: param.string('the password for the host (accepted, not used)'),
    hosttags: param.list('list of tags to be added to the host'),
    allocationstate: param.choice('Allocation state of this Host for allocation of new resources', ALLOCATION_STATES),
    cpunumber: param.integer('the CPU cores the simulated host reports; the cluster\'s first host\'s, else 16'),
    cpuspeed: param.integer('the speed of one core of the simulated host in MHz; the cluster\'s first host\'s, else 2000'),
    memory: param.long('the memory of the simulated host in MiB; the cluster\'s first host\'s, else 65536'),
  },
  responseObject: 'host',
  response: hostView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const pod = call.state.pods.get(p.podid);
    if (!pod || pod.zoneId !== p.zoneid) throw badValue(`Can't find pod with specified podId ${p.podid} in zone ${p.zoneid}`);
    const hypervisor = hypervisorFromText(p.hypervisor);
    if (hypervisor === undefined) throw badValue(`Unable to resolve ${p.hypervisor} to a supported type`);
    const address = /^(?:[a-z]+:\/\/)?([^/:]+)/i.exec(p.url.trim())?.[1];
    if (address === undefined || (parseIpv4(address) === undefined && (!HOST_NAME.test(address) || /^[\d.]+$/.test(address)))) {
      throw new ApiError(API_ERROR.INTERNAL_ERROR, `Unable to add the host: Cannot find the server resources at ${p.url}`, 4250);
    }
    // A host given by name (kvm-01.example.com) is a simulated host: it keeps the name and gets
    // a free address of its pod, as CloudStack's simulator gives its hosts.
    let ip = address;
    if (parseIpv4(address) === undefined) {
      const free = freeHostAddress(call.state, pod);
      if (free === undefined) {
        throw new ApiError(API_ERROR.INTERNAL_ERROR, `Unable to add the host ${address}: pod ${pod.name} has no free address left in ${formatCidr(pod.cidr)} outside its reserved ranges`, 4250);
      }
      ip = formatIpv4(free);
    }
    let clusterId = p.clusterid;
    if (clusterId !== undefined) {
      const cluster = call.state.clusters.get(clusterId);
      if (!cluster || cluster.podId !== pod.id) throw badValue(`Can't find cluster with specified clusterId ${clusterId} in pod ${pod.id}`);
    } else if (p.clustername !== undefined) {
      clusterId = clustersOf(call.state, pod.id).find((c) => c.name === p.clustername)?.id;
      if (clusterId === undefined) clusterId = createdIdOf(call.run({ type: 'addCluster', podId: pod.id, name: p.clustername, hypervisor }), 'clusterCreated');
    } else {
      throw badValue('Please specify a cluster: clusterid or clustername');
    }
    const reference = hostsOf(call.state, clusterId)[0];
    const events = call.run({
      type: 'addHost',
      clusterId,
      name: address,
      ip,
      hypervisor,
      cpuCores: p.cpunumber ?? reference?.cpuCores ?? DEFAULT_HOST.cpuCores,
      cpuMhz: p.cpuspeed ?? reference?.cpuMhz ?? DEFAULT_HOST.cpuMhz,
      memoryMiB: p.memory ?? reference?.memoryMiB ?? DEFAULT_HOST.memoryMiB,
      ...(p.hosttags === undefined ? {} : { tags: p.hosttags }),
    });
    const hostId = createdIdOf(events, 'hostAdded');
    if (p.allocationstate === 'Disabled') call.run({ type: 'updateHost', id: hostId, allocationState: 'Disabled' });
    const ctx = call.view();
    return listResult([call.state.hosts.get(hostId)!], (h) => hostView.render(h, ctx));
  },
});

export const updateHost = defineCommand({
  name: 'updateHost',
  description: 'Updates a host.',
  isAsync: false,
  since: '3.0.0',
  related: 'listHosts',
  params: {
    id: param.uuid('the ID of the host to update', { required: true, related: 'listHosts' }),
    allocationstate: param.choice('Change resource state of host, valid values are [Enable, Disable]. Operation may failed if host in states not allowing Enable/Disable', ['Enable', 'Disable'] as const),
    hosttags: param.list('list of tags to be added to the host'),
    name: param.string('the new name of the host'),
    annotation: param.string('Add an annotation to this host (accepted, not used)'),
    oscategoryid: param.uuid('the id of Os category to update the host with (accepted, not used)'),
    url: param.string('the new uri for the secondary storage (accepted, not used)'),
  },
  responseObject: 'host',
  response: hostView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    call.run({
      type: 'editHost',
      id: p.id,
      ...(p.name === undefined ? {} : { name: p.name }),
      ...(p.hosttags === undefined ? {} : { tags: p.hosttags }),
      ...(p.allocationstate === undefined ? {} : { allocationState: p.allocationstate === 'Enable' ? 'Enabled' as const : 'Disabled' as const }),
    });
    return { kind: 'object', object: hostView.render(call.state.hosts.get(p.id)!, call.view()) };
  },
});

export const deleteHost = defineCommand({
  name: 'deleteHost',
  description: 'Deletes a host.',
  isAsync: false,
  since: '3.0.0',
  related: 'listHosts',
  params: {
    id: param.uuid('the host ID', { required: true, related: 'listHosts' }),
    forced: param.boolean('Force delete the host. All HA enabled vms running on the host will be put to HA; HA disabled ones will be stopped'),
    forcedestroylocalstorage: param.boolean('Force destroy local storage on this host (accepted; the local storage goes with the host)'),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    call.run({ type: 'deleteHost', id: p.id, ...(p.forced === undefined ? {} : { forced: p.forced }) });
    return { kind: 'success' };
  },
});

function hostMaintenanceCommand(name: 'prepareHostForMaintenance' | 'cancelHostMaintenance', description: string, cmdClass: string) {
  return defineCommand({
    name,
    description,
    isAsync: true,
    since: '3.0.0',
    related: 'listHosts',
    cmdClass,
    params: { id: param.uuid('the host ID', { required: true, related: 'listHosts' }) },
    responseObject: 'host',
    response: hostView.fields,
    roles: ROOT_ADMIN_ONLY,
    handle(call, p) {
      if (!call.state.hosts.has(p.id)) throw badValue(`Host with id ${p.id} doesn't exist`);
      const prepare = name === 'prepareHostForMaintenance';
      const { job } = call.startJob(
        { type: name, id: p.id },
        {
          instanceType: 'Host',
          instanceId: p.id,
          awaiting: () => ({ kind: 'host', hostId: p.id, success: prepare ? ['Maintenance'] : ['Enabled'], failure: prepare ? ['ErrorInMaintenance'] : [], errorCode: API_ERROR.INTERNAL_ERROR }),
        },
      );
      return { kind: 'async', jobId: job.id };
    },
  });
}

export const prepareHostForMaintenance = hostMaintenanceCommand('prepareHostForMaintenance', 'Prepares a host for maintenance.', 'org.apache.cloudstack.api.command.admin.host.PrepareForMaintenanceCmd');
export const cancelHostMaintenance = hostMaintenanceCommand('cancelHostMaintenance', 'Cancels host maintenance.', 'org.apache.cloudstack.api.command.admin.host.CancelMaintenanceCmd');

// ----- hypervisors, system VMs, routers, capacity -----

export const listHypervisors = defineCommand({
  name: 'listHypervisors',
  description: 'List hypervisors',
  isAsync: false,
  since: '3.0.0',
  params: { zoneid: param.uuid('the zone id for listing hypervisors', { related: 'listZones' }) },
  responseObject: 'hypervisor',
  response: hypervisorView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const names = p.zoneid === undefined ? [...HYPERVISORS] : [...new Set(clustersOfZone(call.state, p.zoneid).map((c) => c.hypervisor))];
    const ctx = call.view();
    return listResult(names.map((name) => ({ name })), (h) => hypervisorView.render(h, ctx));
  },
});

export const listHypervisorCapabilities = defineCommand({
  name: 'listHypervisorCapabilities',
  description: 'Lists all hypervisor capabilities.',
  isAsync: false,
  since: '3.0.0',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('ID of the hypervisor capability', { related: 'listHypervisorCapabilities' }),
    hypervisor: param.string('the hypervisor for which to restrict the search'),
  },
  responseObject: 'hypervisorCapabilities',
  response: hypervisorCapabilitiesView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const wanted = p.hypervisor === undefined ? undefined : hypervisorFromText(p.hypervisor) ?? p.hypervisor;
    const rows = HYPERVISOR_CAPABILITIES.filter((r) => matchesId(p.id, hypervisorCapabilityId(r)) && (wanted === undefined || r.hypervisor === wanted));
    const ctx = call.view();
    return listResult(rows, (r) => hypervisorCapabilitiesView.render(r, ctx));
  },
});

/** Where a system VM or router is, for the podid and hostid filters. */
function podIdOf(call: Call, vm: Vm): string | undefined {
  const hostId = vm.hostId ?? vm.lastHostId;
  return (hostId === undefined ? undefined : call.state.hosts.get(hostId)?.podId) ?? vm.nics.find((n) => n.podId !== undefined)?.podId;
}

export const listSystemVms = defineCommand({
  name: 'listSystemVms',
  description: 'List system virtual machines.',
  isAsync: false,
  since: '3.0.0',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the system virtual machine', { related: 'listSystemVms' }),
    name: param.string('the name of the system virtual machine'),
    zoneid: param.uuid('the Zone ID of the system virtual machine', { related: 'listZones' }),
    podid: param.uuid('the Pod ID of the system virtual machine', { related: 'listPods' }),
    hostid: param.uuid('the host ID of the system virtual machine', { related: 'listHosts' }),
    state: param.string('the state of the system virtual machine'),
    systemvmtype: param.choice('the system VM type', ['consoleproxy', 'secondarystoragevm'] as const),
    storageid: param.uuid('the storage ID where vm\'s volumes belong to', { related: 'listStoragePools' }),
  },
  responseObject: 'systemvm',
  response: systemVmView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const vms = [...call.state.vms.values()].filter(
      (vm) =>
        systemVmTypeOf(vm) !== undefined &&
        vm.state !== 'Expunging' &&
        matchesId(p.id, vm.id) && matchesId(p.zoneid, vm.zoneId) && matchesId(p.hostid, vm.hostId ?? '') &&
        (p.podid === undefined || podIdOf(call, vm) === p.podid) &&
        (p.name === undefined || vm.name === p.name) &&
        (p.state === undefined || vm.state.toLowerCase() === p.state.toLowerCase()) &&
        (p.systemvmtype === undefined || systemVmTypeOf(vm) === p.systemvmtype) &&
        (p.storageid === undefined || vm.volumeIds.some((id) => call.state.volumes.get(id)?.storagePoolId === p.storageid)) &&
        matchesKeyword(p.keyword, vm.name),
    );
    const ctx = call.view();
    return listResult(vms, (vm) => systemVmView.render(vm, ctx));
  },
});

export const listRouters = defineCommand({
  name: 'listRouters',
  description: 'List routers.',
  isAsync: false,
  since: '3.0.0',
  params: {
    ...SCOPED_LIST_PARAMS,
    id: param.uuid('the ID of the disk router', { related: 'listRouters' }),
    name: param.string('the name of the router'),
    zoneid: param.uuid('the Zone ID of the router', { related: 'listZones' }),
    podid: param.uuid('the Pod ID of the router', { related: 'listPods' }),
    hostid: param.uuid('the host ID of the router', { related: 'listHosts' }),
    state: param.string('the state of the router'),
    networkid: param.uuid('list by network id', { related: 'listNetworks' }),
    vpcid: param.uuid('List networks by VPC', { related: 'listVPCs' }),
    forvpc: param.boolean('if true is passed for this parameter, list only VPC routers'),
  },
  responseObject: 'router',
  response: routerView.fields,
  roles: DOMAIN_ADMINS,
  handle(call, p) {
    const { caller } = call.me();
    const visible = (accountId: string): boolean => {
      if (caller.role === 'RootAdmin') return true;
      const domainId = call.state.accounts.get(accountId)?.domainId;
      return domainId !== undefined && isInDomainSubtree(call.state, domainId, caller.domainId);
    };
    const routers = [...call.state.vms.values()].filter(
      (vm) =>
        vm.kind === 'DomainRouter' &&
        vm.state !== 'Expunging' &&
        visible(vm.accountId) &&
        matchesId(p.id, vm.id) && matchesId(p.zoneid, vm.zoneId) && matchesId(p.hostid, vm.hostId ?? '') &&
        (p.podid === undefined || podIdOf(call, vm) === p.podid) &&
        (p.name === undefined || vm.name === p.name) &&
        (p.state === undefined || vm.state.toLowerCase() === p.state.toLowerCase()) &&
        (p.networkid === undefined || vm.nics.some((n) => n.networkId === p.networkid)) &&
        (p.vpcid === undefined || vm.servesId === p.vpcid) &&
        (p.forvpc === undefined || (vm.servesId !== undefined && call.state.vpcs.has(vm.servesId)) === p.forvpc) &&
        matchesKeyword(p.keyword, vm.name),
    );
    const ctx = call.view();
    return listResult(routers, (vm) => routerView.render(vm, ctx));
  },
});

export const listCapacity = defineCommand({
  name: 'listCapacity',
  description: 'Lists all the system wide capacities.',
  isAsync: false,
  since: '3.0.0',
  params: {
    ...LIST_PARAMS,
    zoneid: param.uuid('lists capacity by the Zone ID', { related: 'listZones' }),
    podid: param.uuid('lists capacity by the Pod ID', { related: 'listPods' }),
    clusterid: param.uuid('lists capacity by the Cluster ID', { related: 'listClusters' }),
    type: param.integer('lists capacity by type* CAPACITY_TYPE_MEMORY = 0* CAPACITY_TYPE_CPU = 1* CAPACITY_TYPE_STORAGE = 2* CAPACITY_TYPE_STORAGE_ALLOCATED = 3* CAPACITY_TYPE_VIRTUAL_NETWORK_PUBLIC_IP = 4* CAPACITY_TYPE_PRIVATE_IP = 5* CAPACITY_TYPE_SECONDARY_STORAGE = 6* CAPACITY_TYPE_VLAN = 7* CAPACITY_TYPE_DIRECT_ATTACHED_PUBLIC_IP = 8* CAPACITY_TYPE_LOCAL_STORAGE = 9.'),
    sortby: param.string('Sort the results. Available values: Usage'),
    fetchlatest: param.boolean('recalculate capacities and fetch the latest (capacities are always current here)'),
  },
  responseObject: 'capacity',
  response: capacityView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    if (p.sortby !== undefined && p.sortby.toLowerCase() !== 'usage') throw badValue('Only value supported for sortBy parameter is : usage');
    const state = call.state;
    let rows: CapacityRow[];
    if (p.clusterid !== undefined) rows = clusterCapacity(state, p.clusterid);
    else if (p.podid !== undefined) rows = podCapacity(state, p.podid);
    else rows = (p.zoneid === undefined ? [...state.zones.keys()] : [p.zoneid]).flatMap((id) => zoneCapacity(state, id));
    if (p.type !== undefined) rows = rows.filter((r) => r.type === p.type);
    const share = (r: CapacityRow): number => (r.total > 0 ? r.used / r.total : 0);
    if (p.sortby !== undefined) rows = [...rows].sort((a, b) => share(b) - share(a));
    // CloudStack orders the rows by zone name, then type (a stable sort, so usage orders within them).
    const zoneName = (r: CapacityRow): string => state.zones.get(r.zoneId)?.name ?? '';
    rows = [...rows].sort((a, b) => (zoneName(a) < zoneName(b) ? -1 : zoneName(a) > zoneName(b) ? 1 : a.type - b.type));
    const ctx = call.view();
    return listResult(rows, (r) => capacityView.render(r, ctx));
  },
});

import { ISOLATION_METHODS, TRAFFIC_TYPES, type VlanTag } from '../../core/model/entities.js';
import { API_ERROR, ApiError, badValue } from '../errors.js';
import { type Call, defineCommand, listResult, ROOT_ADMIN_ONLY } from '../registry/command.js';
import { LIST_PARAMS, matchesKeyword } from '../registry/lists.js';
import { param } from '../registry/params.js';
import {
  networkServiceProviderView,
  physicalNetworkView,
  providersOf,
  trafficTypesOf,
  trafficTypeView,
  virtualRouterElementView,
  vlanIpRangeView,
} from '../views/physical-networks.js';
import { SUCCESS_FIELDS } from '../views/results.js';
import { ownerAccountId } from './vms.js';

/**
 * Physical networks and what they carry: traffic types, network service providers and their
 * virtual router elements, and the public and guest IP ranges of a zone. The physical network
 * commands are async as in CloudStack; the core decides them at once, so their jobs end with the
 * command.
 */

const matchesId = (wanted: string | undefined, id: string | undefined): boolean => wanted === undefined || wanted === id;

export const listPhysicalNetworks = defineCommand({
  name: 'listPhysicalNetworks',
  description: 'Lists physical networks',
  isAsync: false,
  since: '3.0.0',
  related: 'createPhysicalNetwork',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('list physical network by id', { related: 'listPhysicalNetworks' }),
    name: param.string('search by name'),
    zoneid: param.uuid('the Zone ID for the physical network', { related: 'listZones' }),
  },
  responseObject: 'physicalnetwork',
  response: physicalNetworkView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const networks = [...call.state.physicalNetworks.values()].filter(
      (n) => matchesId(p.id, n.id) && matchesId(p.zoneid, n.zoneId) && (p.name === undefined || n.name.includes(p.name)) && matchesKeyword(p.keyword, n.name),
    );
    const ctx = call.view();
    return listResult(networks, (n) => physicalNetworkView.render(n, ctx));
  },
});

export const createPhysicalNetwork = defineCommand({
  name: 'createPhysicalNetwork',
  description: 'Creates a physical network',
  isAsync: true,
  since: '3.0.0',
  related: 'listPhysicalNetworks,updatePhysicalNetwork',
  cmdClass: 'org.apache.cloudstack.api.command.admin.network.CreatePhysicalNetworkCmd',
  params: {
    zoneid: param.uuid('the Zone ID for the physical network', { required: true, related: 'listZones' }),
    name: param.string('the name of the physical network', { required: true }),
    vlan: param.string('the VLAN for the physical network'),
    isolationmethods: param.list('the isolation method for the physical network[VLAN/L3/GRE]'),
    tags: param.list('Tag the physical network'),
    networkspeed: param.string('the speed for the physical network[1G/10G] (accepted, not used)'),
    broadcastdomainrange: param.string('the broadcast domain range for the physical network[Pod or Zone]. In Acton release it can be Zone only in Advance zone, and Pod in Basic (accepted, not used)'),
    domainid: param.uuid('domain ID of the account owning a physical network (accepted, not used)', { related: 'listDomains' }),
  },
  responseObject: 'physicalnetwork',
  response: physicalNetworkView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    if (!call.state.zones.has(p.zoneid)) throw badValue(`Please specify a valid zone. Unable to find zone by id ${p.zoneid}`);
    if ((p.isolationmethods?.length ?? 0) > 1) throw badValue('Only one isolationMethod can be specified for a physical network at this time');
    const method = p.isolationmethods?.[0] === undefined ? undefined : ISOLATION_METHODS.find((m) => m.toLowerCase() === p.isolationmethods![0]!.toLowerCase());
    if (p.isolationmethods?.[0] !== undefined && method === undefined) throw badValue(`Unable to resolve isolation method ${p.isolationmethods[0]}`);
    if ((p.tags?.length ?? 0) > 1) throw badValue('Only one tag can be specified for a physical network at this time');
    const { job, events } = call.startJob(
      {
        type: 'createPhysicalNetwork',
        zoneId: p.zoneid,
        name: p.name,
        ...(method === undefined ? {} : { isolationMethod: method }),
        ...(p.vlan === undefined ? {} : { vlan: p.vlan }),
        ...(p.tags === undefined ? {} : { tags: p.tags }),
      },
      { instanceType: 'PhysicalNetwork', instanceId: (events) => events.flatMap((e) => (e.type === 'physicalNetworkCreated' ? [e.physicalNetwork.id] : []))[0] },
    );
    const id = events.flatMap((e) => (e.type === 'physicalNetworkCreated' ? [e.physicalNetwork.id] : []))[0];
    return { kind: 'async', jobId: job.id, ...(id === undefined ? {} : { id }) };
  },
});

export const updatePhysicalNetwork = defineCommand({
  name: 'updatePhysicalNetwork',
  description: 'Updates a physical network',
  isAsync: true,
  since: '3.0.0',
  related: 'listPhysicalNetworks',
  cmdClass: 'org.apache.cloudstack.api.command.admin.network.UpdatePhysicalNetworkCmd',
  params: {
    id: param.uuid('physical network id', { required: true, related: 'listPhysicalNetworks' }),
    vlan: param.string('the VLAN for the physical network'),
    state: param.choice('Enabled/Disabled', ['Enabled', 'Disabled'] as const),
    tags: param.list('Tag the physical network'),
    networkspeed: param.string('the speed for the physical network[1G/10G] (accepted, not used)'),
  },
  responseObject: 'physicalnetwork',
  response: physicalNetworkView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const { job } = call.startJob(
      { type: 'updatePhysicalNetwork', id: p.id, ...(p.vlan === undefined ? {} : { vlan: p.vlan }), ...(p.state === undefined ? {} : { state: p.state }), ...(p.tags === undefined ? {} : { tags: p.tags }) },
      { instanceType: 'PhysicalNetwork', instanceId: p.id },
    );
    return { kind: 'async', jobId: job.id };
  },
});

export const deletePhysicalNetwork = defineCommand({
  name: 'deletePhysicalNetwork',
  description: 'Deletes a Physical Network.',
  isAsync: true,
  since: '3.0.0',
  related: 'listPhysicalNetworks',
  cmdClass: 'org.apache.cloudstack.api.command.admin.network.DeletePhysicalNetworkCmd',
  params: { id: param.uuid('the ID of the Physical network', { required: true, related: 'listPhysicalNetworks' }) },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const { job } = call.startJob({ type: 'deletePhysicalNetwork', id: p.id }, { instanceType: 'PhysicalNetwork', instanceId: p.id });
    return { kind: 'async', jobId: job.id };
  },
});

export const addTrafficType = defineCommand({
  name: 'addTrafficType',
  description: 'Adds traffic type to a physical network',
  isAsync: true,
  since: '3.0.0',
  related: 'listTrafficTypes',
  cmdClass: 'org.apache.cloudstack.api.command.admin.usage.AddTrafficTypeCmd',
  params: {
    physicalnetworkid: param.uuid('the Physical Network ID', { required: true, related: 'listPhysicalNetworks' }),
    traffictype: param.choice('the trafficType to be added to the physical network', TRAFFIC_TYPES, { required: true }),
    kvmnetworklabel: param.string('The network name label of the physical device dedicated to this traffic on a KVM host'),
    xennetworklabel: param.string('The network name label of the physical device dedicated to this traffic on a XenServer host'),
    vmwarenetworklabel: param.string('The network name label of the physical device dedicated to this traffic on a VMware host'),
    hypervnetworklabel: param.string('The network name label of the physical device dedicated to this traffic on a Hyperv host'),
    vlan: param.string('The VLAN id to be used for Management traffic by VMware host'),
    isolationmethod: param.string('Used if physical network has multiple isolation types and traffic type is public (accepted, not used)'),
  },
  responseObject: 'traffictype',
  response: trafficTypeView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    if (!call.state.physicalNetworks.has(p.physicalnetworkid)) throw badValue('Physical Network with specified id doesn\'t exist in the system');
    const vlan = p.vlan === undefined ? undefined : Number(p.vlan.replace(/^vlan:\/\//i, ''));
    if (vlan !== undefined && !Number.isInteger(vlan)) throw badValue(`Invalid vlan ${p.vlan}`);
    const labels = {
      ...(p.kvmnetworklabel === undefined ? {} : { kvm: p.kvmnetworklabel }),
      ...(p.xennetworklabel === undefined ? {} : { xen: p.xennetworklabel }),
      ...(p.vmwarenetworklabel === undefined ? {} : { vmware: p.vmwarenetworklabel }),
      ...(p.hypervnetworklabel === undefined ? {} : { hyperv: p.hypervnetworklabel }),
    };
    const id = call.state.physicalNetworkServices.get(p.physicalnetworkid)?.trafficTypeIds[p.traffictype];
    const { job } = call.startJob(
      { type: 'addTrafficType', physicalNetworkId: p.physicalnetworkid, trafficType: p.traffictype, labels, ...(vlan === undefined ? {} : { vlan }) },
      { instanceType: 'TrafficType', ...(id === undefined ? {} : { instanceId: id }) },
    );
    return { kind: 'async', jobId: job.id, ...(id === undefined ? {} : { id }) };
  },
});

export const listTrafficTypes = defineCommand({
  name: 'listTrafficTypes',
  description: 'Lists traffic types of a given physical network.',
  isAsync: false,
  since: '3.0.0',
  related: 'addTrafficType',
  params: {
    ...LIST_PARAMS,
    physicalnetworkid: param.uuid('the Physical Network ID', { required: true, related: 'listPhysicalNetworks' }),
  },
  responseObject: 'traffictype',
  response: trafficTypeView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const network = call.state.physicalNetworks.get(p.physicalnetworkid);
    if (!network) throw badValue('Physical Network with specified id doesn\'t exist in the system');
    const ctx = call.view();
    return listResult(trafficTypesOf(ctx, network), (t) => trafficTypeView.render(t, ctx));
  },
});

export const listNetworkServiceProviders = defineCommand({
  name: 'listNetworkServiceProviders',
  description: 'Lists network serviceproviders for a given physical network.',
  isAsync: false,
  since: '3.0.0',
  related: 'updateNetworkServiceProvider',
  params: {
    ...LIST_PARAMS,
    physicalnetworkid: param.uuid('the Physical Network ID', { related: 'listPhysicalNetworks' }),
    name: param.string('list providers by name'),
    state: param.string('list providers by state'),
  },
  responseObject: 'networkserviceprovider',
  response: networkServiceProviderView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const ctx = call.view();
    const providers = [...call.state.physicalNetworks.keys()]
      .filter((id) => matchesId(p.physicalnetworkid, id))
      .flatMap((id) => providersOf(ctx, id))
      .filter((r) => (p.name === undefined || r.provider.name.toLowerCase() === p.name.toLowerCase()) && (p.state === undefined || r.provider.state.toLowerCase() === p.state.toLowerCase()) && matchesKeyword(p.keyword, r.provider.name));
    return listResult(providers, (r) => networkServiceProviderView.render(r, ctx));
  },
});

export const updateNetworkServiceProvider = defineCommand({
  name: 'updateNetworkServiceProvider',
  description: 'Updates a network serviceProvider of a physical network',
  isAsync: true,
  since: '3.0.0',
  related: 'listNetworkServiceProviders',
  cmdClass: 'org.apache.cloudstack.api.command.admin.network.UpdateNetworkServiceProviderCmd',
  params: {
    id: param.uuid('network service provider id', { required: true, related: 'listNetworkServiceProviders' }),
    state: param.string('Enabled/Disabled/Shutdown the physical network service provider'),
    servicelist: param.list('the list of services to be enabled for this physical network service provider'),
  },
  responseObject: 'networkserviceprovider',
  response: networkServiceProviderView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const state = p.state === undefined ? undefined : (['Enabled', 'Disabled', 'Shutdown'] as const).find((s) => s.toLowerCase() === p.state!.toLowerCase());
    if (p.state !== undefined && state === undefined) throw badValue(`Unable to resolve state '${p.state}' to a supported value {Enabled or Disabled}`);
    if (state === 'Shutdown') throw badValue('Updating the provider state to \'Shutdown\' is not supported');
    const current = [...call.state.physicalNetworkServices.values()].flatMap((s) => s.providers).find((provider) => provider.id === p.id);
    if (!current) throw badValue(`Network Service Provider id=${p.id}doesn't exist in the system`);
    if (p.servicelist !== undefined) throw badValue(`Cannot update set of Services for this Service Provider '${current.name}'`);
    const { job } = call.startJob({ type: 'updateNetworkServiceProvider', id: p.id, state: state ?? current.state }, { instanceType: 'PhysicalNetworkServiceProvider', instanceId: p.id });
    return { kind: 'async', jobId: job.id };
  },
});

export const listVirtualRouterElements = defineCommand({
  name: 'listVirtualRouterElements',
  description: 'Lists all available virtual router elements.',
  isAsync: false,
  since: '3.0.0',
  related: 'configureVirtualRouterElement',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('list virtual router elements by id', { related: 'listVirtualRouterElements' }),
    nspid: param.uuid('list virtual router elements by network service provider id', { related: 'listNetworkServiceProviders' }),
    enabled: param.boolean('list network offerings by enabled state'),
  },
  responseObject: 'virtualrouterelement',
  response: virtualRouterElementView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const ctx = call.view();
    const elements = [...call.state.physicalNetworks.keys()]
      .flatMap((id) => providersOf(ctx, id))
      .filter((r) => r.provider.element !== undefined && matchesId(p.id, r.provider.element.id) && matchesId(p.nspid, r.provider.id) && (p.enabled === undefined || r.provider.element.enabled === p.enabled));
    return listResult(elements, (r) => virtualRouterElementView.render(r, ctx));
  },
});

export const configureVirtualRouterElement = defineCommand({
  name: 'configureVirtualRouterElement',
  description: 'Configures a virtual router element.',
  isAsync: true,
  since: '3.0.0',
  related: 'listVirtualRouterElements',
  cmdClass: 'org.apache.cloudstack.api.command.admin.router.ConfigureVirtualRouterElementCmd',
  params: {
    id: param.uuid('the ID of the virtual router provider', { required: true, related: 'listVirtualRouterElements' }),
    enabled: param.boolean('Enabled/Disabled the service provider', { required: true }),
  },
  responseObject: 'virtualrouterelement',
  response: virtualRouterElementView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const { job } = call.startJob({ type: 'configureVirtualRouterElement', id: p.id, enabled: p.enabled }, { instanceType: 'None', instanceId: p.id });
    return { kind: 'async', jobId: job.id };
  },
});

// ----- IP ranges -----

function parseVlan(text: string): VlanTag {
  const bare = text.trim().replace(/^vlan:\/\//i, '');
  if (bare.toLowerCase() === 'untagged') return 'untagged';
  if (!/^\d+$/.test(bare) || Number(bare) > 4095) throw badValue(`Please specify a valid vlan id; ${text} is not one (a number 1-4094, vlan://<number> or untagged)`);
  return Number(bare);
}

/** The zone of a range: given, or that of its network or pod. */
function zoneOfRange(call: Call, zoneId: string | undefined, networkId: string | undefined, podId: string | undefined): string {
  const inferred = zoneId ?? (networkId === undefined ? undefined : call.state.networks.get(networkId)?.zoneId) ?? (podId === undefined ? undefined : call.state.pods.get(podId)?.zoneId);
  if (inferred === undefined) throw badValue('Please specify a valid zone id');
  if (!call.state.zones.has(inferred)) throw badValue(`Please specify a valid zone. Unable to find zone by id ${inferred}`);
  return inferred;
}

export const createVlanIpRange = defineCommand({
  name: 'createVlanIpRange',
  description: 'Creates a VLAN IP range.',
  isAsync: false,
  since: '3.0.0',
  related: 'listVlanIpRanges',
  params: {
    zoneid: param.uuid('the Zone ID of the VLAN IP range', { related: 'listZones' }),
    podid: param.uuid('optional parameter. Have to be specified for Direct Untagged vlan only.', { related: 'listPods' }),
    networkid: param.uuid('the network id', { related: 'listNetworks' }),
    physicalnetworkid: param.uuid('the physical network id', { related: 'listPhysicalNetworks' }),
    vlan: param.string('the ID or VID of the VLAN. If not specified, will be defaulted to the vlan of the network or if vlan of the network is null - to Untagged'),
    gateway: param.string('the gateway of the VLAN IP range'),
    netmask: param.string('the netmask of the VLAN IP range'),
    startip: param.string('the beginning IP address in the VLAN IP range'),
    endip: param.string('the ending IP address in the VLAN IP range'),
    forvirtualnetwork: param.boolean('true if VLAN is of Virtual type, false if Direct'),
    forsystemvms: param.boolean('true if IP range is set to system vms, false if not'),
    account: param.string('account who will own the VLAN. If VLAN is Zone wide, this parameter should be omitted'),
    domainid: param.uuid('domain ID of the account owning a VLAN', { related: 'listDomains' }),
    ip6gateway: param.string('the gateway of the IPv6 network. Required for Shared networks and Isolated networks when it belongs to VPC'),
    ip6cidr: param.string('the CIDR of IPv6 network, must be at least /64'),
    startipv6: param.string('the beginning IPv6 address in the IPv6 network range (not supported)'),
    endipv6: param.string('the ending IPv6 address in the IPv6 network range (not supported)'),
  },
  responseObject: 'vlan',
  response: vlanIpRangeView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    if (p.startipv6 !== undefined || p.endipv6 !== undefined) throw new ApiError(API_ERROR.UNSUPPORTED_ACTION, 'IPv6 address ranges are not supported; give ip6gateway and ip6cidr', 4390);
    if (p.gateway === undefined || p.netmask === undefined) throw badValue('Gateway, netmask and zoneId have to be passed in for virtual and direct untagged networks');
    if (p.startip === undefined) throw badValue('Please specify the start ip address of the range');
    const zoneId = zoneOfRange(call, p.zoneid, p.networkid, p.podid);
    const network = p.networkid === undefined ? undefined : call.state.networks.get(p.networkid);
    if (p.networkid !== undefined && (!network || network.state === 'Destroy')) throw badValue(`Unable to find network by id ${p.networkid}`);
    const accountId = p.account === undefined ? undefined : ownerAccountId(call, p.account, p.domainid);
    const vlan = p.vlan === undefined ? network?.vlan : parseVlan(p.vlan);
    const events = call.run({
      type: 'createVlanIpRange',
      zoneId,
      forVirtualNetwork: p.forvirtualnetwork ?? (p.networkid === undefined && p.podid === undefined),
      gateway: p.gateway,
      netmask: p.netmask,
      startIp: p.startip,
      ...(p.endip === undefined ? {} : { endIp: p.endip }),
      ...(vlan === undefined ? {} : { vlan }),
      ...(p.podid === undefined ? {} : { podId: p.podid }),
      ...(p.networkid === undefined ? {} : { networkId: p.networkid }),
      ...(p.physicalnetworkid === undefined ? {} : { physicalNetworkId: p.physicalnetworkid }),
      ...(p.forsystemvms === undefined ? {} : { forSystemVms: p.forsystemvms }),
      ...(accountId === undefined ? {} : { accountId, domainId: call.state.accounts.get(accountId)!.domainId }),
      ...(accountId === undefined && p.domainid !== undefined ? { domainId: p.domainid } : {}),
      ...(p.ip6gateway === undefined ? {} : { ip6Gateway: p.ip6gateway }),
      ...(p.ip6cidr === undefined ? {} : { ip6Cidr: p.ip6cidr }),
    });
    const id = events.flatMap((e) => (e.type === 'vlanIpRangeCreated' ? [e.vlanIpRange.id] : []))[0]!;
    return { kind: 'object', object: vlanIpRangeView.render(call.state.vlanIpRanges.get(id)!, call.view()) };
  },
});

export const listVlanIpRanges = defineCommand({
  name: 'listVlanIpRanges',
  description: 'Lists all VLAN IP ranges.',
  isAsync: false,
  since: '3.0.0',
  related: 'createVlanIpRange',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the VLAN IP range', { related: 'listVlanIpRanges' }),
    zoneid: param.uuid('the Zone ID of the VLAN IP range', { related: 'listZones' }),
    podid: param.uuid('the Pod ID of the VLAN IP range', { related: 'listPods' }),
    networkid: param.uuid('network id of the VLAN IP range', { related: 'listNetworks' }),
    physicalnetworkid: param.uuid('physical network id of the VLAN IP range', { related: 'listPhysicalNetworks' }),
    vlan: param.string('the ID or VID of the VLAN. Default is an "untagged" VLAN.'),
    forvirtualnetwork: param.boolean('true if VLAN is of Virtual type, false if Direct'),
    account: param.string('the account with which the VLAN IP range is associated. Must be used with the domainId parameter.'),
    domainid: param.uuid('the domain ID with which the VLAN IP range is associated.  If used with the account parameter, returns all VLAN IP ranges for that account in the specified domain.', { related: 'listDomains' }),
  },
  responseObject: 'vlaniprange',
  response: vlanIpRangeView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const vlan = p.vlan === undefined ? undefined : parseVlan(p.vlan);
    const accountId = p.account === undefined ? undefined : ownerAccountId(call, p.account, p.domainid);
    const ranges = [...call.state.vlanIpRanges.values()].filter(
      (r) =>
        matchesId(p.id, r.id) && matchesId(p.zoneid, r.zoneId) && matchesId(p.podid, r.podId) && matchesId(p.networkid, r.networkId) && matchesId(p.physicalnetworkid, r.physicalNetworkId) &&
        (vlan === undefined || r.vlan === vlan) &&
        (p.forvirtualnetwork === undefined || (r.purpose === 'Public') === p.forvirtualnetwork) &&
        (accountId === undefined ? p.domainid === undefined || r.dedication?.domainId === p.domainid : r.dedication?.accountId === accountId),
    );
    const ctx = call.view();
    return listResult(ranges, (r) => vlanIpRangeView.render(r, ctx));
  },
});

export const deleteVlanIpRange = defineCommand({
  name: 'deleteVlanIpRange',
  description: 'Deletes a VLAN IP range.',
  isAsync: false,
  since: '3.0.0',
  related: 'listVlanIpRanges',
  params: { id: param.uuid('the id of the VLAN IP range', { required: true, related: 'listVlanIpRanges' }) },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    call.run({ type: 'deleteVlanIpRange', id: p.id });
    return { kind: 'success' };
  },
});

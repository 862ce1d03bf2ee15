import { isInDomainSubtree } from '../../core/identity.js';
import type { Network, VlanTag } from '../../core/model/entities.js';
import type { DomainEvent } from '../../core/model/events.js';
import { networkOfferingIdOf, vpcOfferingIdOf } from '../../core/model/tenant.js';
import { formatCidr } from '../../core/net/ipv4.js';
import { badValue } from '../errors.js';
import { ANY_ROLE, type Call, defineCommand, listResult, ROOT_ADMIN_ONLY } from '../registry/command.js';
import { accountScope, LIST_PARAMS, matchesKeyword, SCOPED_LIST_PARAMS } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { networkOfferingView, networkView, vpcOfferingView, vpcView } from '../views/network.js';
import { SUCCESS_FIELDS } from '../views/results.js';
import { ownerAccountId } from './vms.js';

/**
 * Guest networks, their offerings, VPCs and VPC offerings. Each mutation is one core command;
 * the core decides what an offering allows, who may act on what and what a restart does. The
 * async ones finish when the command is decided (their effects need no report back).
 */

const matchesId = (wanted: string | undefined, id: string | undefined): boolean => wanted === undefined || wanted === id;

const GUEST_TYPES = ['Isolated', 'Shared', 'L2'] as const;
const OFFERING_STATES = ['Enabled', 'Disabled'] as const;
const AVAILABILITIES = ['Optional', 'Required'] as const;

function eventId(events: readonly DomainEvent[], type: 'networkCreated' | 'vpcCreated' | 'networkOfferingCreated'): string | undefined {
  for (const event of events) {
    if (event.type === 'networkCreated' && type === 'networkCreated') return event.network.id;
    if (event.type === 'vpcCreated' && type === 'vpcCreated') return event.vpc.id;
    if (event.type === 'networkOfferingCreated' && type === 'networkOfferingCreated') return event.networkOffering.id;
  }
  return undefined;
}

// ----- network offerings -----

export const listNetworkOfferings = defineCommand({
  name: 'listNetworkOfferings',
  description: 'Lists all available network offerings.',
  isAsync: false,
  since: '3.0.0',
  related: 'createNetworkOffering',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the network offering', { related: 'listNetworkOfferings' }),
    name: param.string('the name of the network offering'),
    displaytext: param.string('the display text of the network offering'),
    guestiptype: param.choice('the guest type of its networks', GUEST_TYPES),
    traffictype: param.choice('the traffic type of its networks', ['Guest'] as const),
    state: param.choice('the state of the offerings (users see Enabled ones only)', OFFERING_STATES),
    isdefault: param.boolean('true for the default offerings only'),
    forvpc: param.boolean('true for offerings of VPC tiers, false for the others'),
    specifyvlan: param.boolean('whether its networks are given their VLAN'),
    availability: param.choice('the availability of the offerings', AVAILABILITIES),
    supportedservices: param.list('offerings that have all of these services'),
    sourcenatsupported: param.boolean('whether the offerings have SourceNat'),
    zoneid: param.uuid('the zone the offerings are for (every offering is for every zone here)', { related: 'listZones' }),
  },
  responseObject: 'networkoffering',
  response: networkOfferingView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const user = call.me().caller.role !== 'RootAdmin';
    if (p.zoneid !== undefined && !call.state.zones.has(p.zoneid)) throw badValue(`Unable to find zone by id ${p.zoneid}`);
    const wanted = (p.supportedservices ?? []).map((s) => s.toLowerCase());
    const offerings = [...call.state.networkOfferings.values()].filter(
      (o) =>
        matchesId(p.id, o.id) &&
        (p.name === undefined || o.name === p.name) &&
        (p.displaytext === undefined || o.displayText === p.displaytext) &&
        (p.guestiptype === undefined || o.guestType === p.guestiptype) &&
        (p.state === undefined ? !user || o.state === 'Enabled' : o.state === p.state && (!user || p.state === 'Enabled')) &&
        (p.isdefault === undefined || o.isDefault === p.isdefault) &&
        (p.forvpc === undefined || o.forVpc === p.forvpc) &&
        (p.specifyvlan === undefined || o.specifyVlan === p.specifyvlan) &&
        (p.availability === undefined || o.availability === p.availability) &&
        wanted.every((w) => o.services.some((s) => s.toLowerCase() === w)) &&
        (p.sourcenatsupported === undefined || o.services.includes('SourceNat') === p.sourcenatsupported) &&
        matchesKeyword(p.keyword, o.name, o.displayText),
    );
    const ctx = call.view();
    return listResult(offerings, (o) => networkOfferingView.render(o, ctx));
  },
});

export const createNetworkOffering = defineCommand({
  name: 'createNetworkOffering',
  description: 'Creates a network offering, Disabled until enabled with updateNetworkOffering (or created with enable=true).',
  isAsync: false,
  since: '3.0.0',
  related: 'listNetworkOfferings',
  params: {
    name: param.string('the name of the network offering', { required: true }),
    displaytext: param.string('the display text of the network offering', { required: true }),
    guestiptype: param.choice('the guest type of its networks', GUEST_TYPES, { required: true }),
    traffictype: param.choice('the traffic type of its networks: only Guest', ['Guest'] as const, { required: true }),
    supportedservices: param.list('the services of its networks (Dhcp, Dns, SourceNat, StaticNat, PortForwarding, Lb, Firewall, ...)'),
    serviceproviderlist: param.map('the provider of each service (the virtual router provides them all here)'),
    servicecapabilitylist: param.map('capabilities of the services (accepted)'),
    conservemode: param.boolean('true: one public address may serve port forwarding and load balancing together; default true'),
    specifyvlan: param.boolean('true: its networks are given their VLAN; default false'),
    specifyipranges: param.boolean('true: its networks are given their address range; default false (true for shared)'),
    ispersistent: param.boolean('true: its networks stay implemented without VMs; default false'),
    egressdefaultpolicy: param.boolean('true: egress is allowed unless a rule blocks it; default true'),
    availability: param.choice('Required: the offering of the network an account gets by default; default Optional', AVAILABILITIES),
    networkrate: param.integer('the data rate of its networks in Mbit/s'),
    tags: param.string('the tag of the guest physical network its networks use'),
    forvpc: param.boolean('true: it is for VPC tiers; default false'),
    enable: param.boolean('true: the offering is Enabled at once; default false'),
  },
  responseObject: 'networkoffering',
  response: networkOfferingView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const events = call.run({
      type: 'createNetworkOffering',
      name: p.name,
      displayText: p.displaytext,
      guestType: p.guestiptype,
      ...(p.supportedservices === undefined ? {} : { services: p.supportedservices }),
      ...(p.forvpc === undefined ? {} : { forVpc: p.forvpc }),
      ...(p.specifyvlan === undefined ? {} : { specifyVlan: p.specifyvlan }),
      ...(p.specifyipranges === undefined ? {} : { specifyIpRanges: p.specifyipranges }),
      ...(p.ispersistent === undefined ? {} : { persistent: p.ispersistent }),
      ...(p.conservemode === undefined ? {} : { conserveMode: p.conservemode }),
      ...(p.egressdefaultpolicy === undefined ? {} : { egressDefaultPolicy: p.egressdefaultpolicy }),
      ...(p.availability === undefined ? {} : { availability: p.availability }),
      ...(p.networkrate === undefined ? {} : { networkRateMbps: p.networkrate }),
      ...(p.tags === undefined ? {} : { tags: p.tags }),
      ...(p.enable ? { state: 'Enabled' as const } : {}),
    });
    const offering = call.state.networkOfferings.get(eventId(events, 'networkOfferingCreated')!)!;
    return { kind: 'object', object: networkOfferingView.render(offering, call.view()) };
  },
});

export const updateNetworkOffering = defineCommand({
  name: 'updateNetworkOffering',
  description: 'Updates a network offering: its name, display text, state, availability or tags.',
  isAsync: false,
  since: '3.0.0',
  related: 'listNetworkOfferings',
  params: {
    id: param.uuid('the ID of the network offering', { related: 'listNetworkOfferings' }),
    name: param.string('the new name (without id: the name of the offering to update)'),
    displaytext: param.string('the new display text'),
    state: param.choice('Enabled or Disabled', OFFERING_STATES),
    availability: param.choice('Optional or Required', AVAILABILITIES),
    tags: param.string('the new tag of the guest physical network its networks use'),
  },
  responseObject: 'networkoffering',
  response: networkOfferingView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    let id = p.id;
    if (id === undefined) {
      if (p.name === undefined) throw badValue('One of either id or name must be specified');
      id = [...call.state.networkOfferings.values()].find((o) => o.name === p.name)?.id;
      if (id === undefined) throw badValue(`unable to find network offering ${p.name}`);
    }
    call.run({
      type: 'updateNetworkOffering',
      id,
      ...(p.name === undefined || p.id === undefined ? {} : { name: p.name }),
      ...(p.displaytext === undefined ? {} : { displayText: p.displaytext }),
      ...(p.state === undefined ? {} : { state: p.state }),
      ...(p.availability === undefined ? {} : { availability: p.availability }),
      ...(p.tags === undefined ? {} : { tags: p.tags }),
    });
    return { kind: 'object', object: networkOfferingView.render(call.state.networkOfferings.get(id)!, call.view()) };
  },
});

export const deleteNetworkOffering = defineCommand({
  name: 'deleteNetworkOffering',
  description: 'Deletes a network offering that is not a default one and that no network uses.',
  isAsync: false,
  since: '3.0.0',
  related: 'listNetworkOfferings',
  params: {
    id: param.uuid('the ID of the network offering', { required: true, related: 'listNetworkOfferings' }),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    call.run({ type: 'deleteNetworkOffering', id: p.id });
    return { kind: 'success' };
  },
});

// ----- networks -----

/** Shared networks without an owner serve their domain (and below), or everyone. */
function sharedNetworkVisible(call: Call, network: Network): boolean {
  const { caller } = call.me();
  if (network.accountId !== undefined) return false;
  if (caller.role === 'RootAdmin' || network.domainId === undefined) return true;
  return isInDomainSubtree(call.state, caller.domainId, network.domainId) || isInDomainSubtree(call.state, network.domainId, caller.domainId);
}

export const listNetworks = defineCommand({
  name: 'listNetworks',
  description: 'Lists all available networks.',
  isAsync: false,
  since: '3.0.0',
  related: 'createNetwork',
  params: {
    ...SCOPED_LIST_PARAMS,
    id: param.uuid('the ID of the network', { related: 'listNetworks' }),
    zoneid: param.uuid('the zone of the networks', { related: 'listZones' }),
    type: param.choice('the guest type of the networks', GUEST_TYPES),
    vpcid: param.uuid('the VPC whose tiers to list', { related: 'listVPCs' }),
    networkofferingid: param.uuid('the offering of the networks', { related: 'listNetworkOfferings' }),
    physicalnetworkid: param.uuid('the physical network of the networks', { related: 'listPhysicalNetworks' }),
    forvpc: param.boolean('true for VPC tiers only, false for the other networks'),
    acltype: param.choice('Account or Domain networks', ['Account', 'Domain'] as const),
    traffictype: param.choice('the traffic type of the networks: only Guest networks are listed', ['Guest'] as const),
    canusefordeploy: param.boolean('true to list only networks VMs can be deployed into'),
  },
  responseObject: 'network',
  response: networkView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const inScope = accountScope(call, p, 'own');
    const networks = [...call.state.networks.values()].filter(
      (n) =>
        n.state !== 'Destroy' &&
        (n.accountId === undefined ? sharedNetworkVisible(call, n) : inScope(n.accountId)) &&
        matchesId(p.id, n.id) && matchesId(p.zoneid, n.zoneId) &&
        (p.type === undefined || n.guestType === p.type) &&
        (p.vpcid === undefined || n.vpcId === p.vpcid) &&
        (p.networkofferingid === undefined || networkOfferingIdOf(n) === p.networkofferingid) &&
        (p.physicalnetworkid === undefined || n.physicalNetworkId === p.physicalnetworkid) &&
        (p.forvpc === undefined || (n.vpcId !== undefined) === p.forvpc) &&
        (p.acltype === undefined || (n.accountId === undefined ? 'Domain' : 'Account') === p.acltype) &&
        matchesKeyword(p.keyword, n.name, n.displayText),
    );
    const ctx = call.view();
    return listResult(networks, (n) => networkView.render(n, ctx));
  },
});

function parseVlan(text: string): VlanTag {
  const bare = text.trim().replace(/^vlan:\/\//i, '');
  if (bare.toLowerCase() === 'untagged') return 'untagged';
  if (!/^\d+$/.test(bare)) throw badValue(`Invalid vlan ${text}: give a VLAN number, vlan://<number> or untagged`);
  return Number(bare);
}

export const createNetwork = defineCommand({
  name: 'createNetwork',
  description: 'Creates a network from an enabled network offering.',
  isAsync: false,
  since: '3.0.0',
  related: 'listNetworks,listNetworkOfferings',
  params: {
    name: param.string('the name of the network', { required: true }),
    networkofferingid: param.uuid('the network offering of the network', { required: true, related: 'listNetworkOfferings' }),
    zoneid: param.uuid('the zone of the network', { required: true, related: 'listZones' }),
    displaytext: param.string('the display text of the network; the name when absent'),
    account: param.string('the account that owns the network (admins; with domainid)'),
    domainid: param.uuid('the domain of that account, or of a domain-wide shared network', { related: 'listDomains' }),
    acltype: param.choice('Account or Domain (shared networks of admins)', ['Account', 'Domain'] as const),
    physicalnetworkid: param.uuid('the physical network of the network', { related: 'listPhysicalNetworks' }),
    vlan: param.string('the VLAN of the network (root admins; shared networks and specifyvlan offerings)'),
    bypassvlanoverlapcheck: param.boolean('root admins: a shared network may reuse a VLAN of the guest pool'),
    gateway: param.string('the gateway of the network'),
    netmask: param.string('the netmask of the network'),
    startip: param.string('the first address of a shared network\'s range'),
    endip: param.string('the last address of a shared network\'s range'),
    networkdomain: param.string('the network domain of the network'),
    vpcid: param.uuid('the VPC the network is a tier of', { related: 'listVPCs' }),
    aclid: param.uuid('the network ACL of a VPC tier (accepted; tiers take the default ACL)'),
    ip6gateway: param.string('the IPv6 gateway of a shared network'),
    ip6cidr: param.string('the IPv6 CIDR of a shared network'),
    subdomainaccess: param.boolean('whether sub-domains may use a domain-wide shared network (accepted)'),
  },
  responseObject: 'network',
  response: networkView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const offering = call.state.networkOfferings.get(p.networkofferingid);
    // An admin's shared network without an account serves its domain (or everyone).
    const domainWide = offering?.guestType === 'Shared' && p.account === undefined && p.acltype !== 'Account';
    const accountId = domainWide ? undefined : ownerAccountId(call, p.account, p.account === undefined ? undefined : p.domainid);
    const events = call.run({
      type: 'createNetwork',
      zoneId: p.zoneid,
      name: p.name,
      guestType: offering?.guestType ?? 'Isolated',
      networkOfferingId: p.networkofferingid,
      ...(accountId === undefined ? {} : { accountId }),
      ...(domainWide && p.domainid !== undefined ? { domainId: p.domainid } : {}),
      ...(p.displaytext === undefined ? {} : { displayText: p.displaytext }),
      ...(p.physicalnetworkid === undefined ? {} : { physicalNetworkId: p.physicalnetworkid }),
      ...(p.vlan === undefined ? {} : { vlan: parseVlan(p.vlan) }),
      ...(p.bypassvlanoverlapcheck === undefined ? {} : { bypassVlanOverlapCheck: p.bypassvlanoverlapcheck }),
      ...(p.gateway === undefined ? {} : { gateway: p.gateway }),
      ...(p.netmask === undefined ? {} : { netmask: p.netmask }),
      ...(p.startip === undefined ? {} : { startIp: p.startip }),
      ...(p.endip === undefined ? {} : { endIp: p.endip }),
      ...(p.networkdomain === undefined ? {} : { networkDomain: p.networkdomain }),
      ...(p.vpcid === undefined ? {} : { vpcId: p.vpcid }),
      ...(p.ip6gateway === undefined ? {} : { ip6Gateway: p.ip6gateway }),
      ...(p.ip6cidr === undefined ? {} : { ip6Cidr: p.ip6cidr }),
    });
    const network = call.state.networks.get(eventId(events, 'networkCreated')!)!;
    return { kind: 'object', object: networkView.render(network, call.view()) };
  },
});

export const updateNetwork = defineCommand({
  name: 'updateNetwork',
  description: 'Updates a network: its name and display text.',
  isAsync: true,
  since: '3.0.0',
  related: 'listNetworks',
  cmdClass: 'org.apache.cloudstack.api.command.user.network.UpdateNetworkCmd',
  params: {
    id: param.uuid('the ID of the network', { required: true, related: 'listNetworks' }),
    name: param.string('the new name of the network'),
    displaytext: param.string('the new display text of the network'),
    networkofferingid: param.uuid('the offering of the network: it must stay the one it has', { related: 'listNetworkOfferings' }),
    displaynetwork: param.boolean('whether the network is shown to users (accepted)'),
  },
  responseObject: 'network',
  response: networkView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const network = call.state.networks.get(p.id);
    if (p.networkofferingid !== undefined && network && network.state !== 'Destroy' && p.networkofferingid !== networkOfferingIdOf(network)) {
      throw badValue(`the network offering of network ${network.name} cannot be changed here; create a network of the other offering`);
    }
    const { job } = call.startJob(
      { type: 'updateNetwork', id: p.id, ...(p.name === undefined ? {} : { name: p.name }), ...(p.displaytext === undefined ? {} : { displayText: p.displaytext }) },
      { instanceType: 'Network', instanceId: p.id },
    );
    return { kind: 'async', jobId: job.id };
  },
});

export const restartNetwork = defineCommand({
  name: 'restartNetwork',
  description: 'Restarts a network: its routers apply the configuration again, or with cleanup are replaced by new ones.',
  isAsync: true,
  since: '3.0.0',
  related: 'listNetworks',
  cmdClass: 'org.apache.cloudstack.api.command.user.network.RestartNetworkCmd',
  params: {
    id: param.uuid('the ID of the network', { required: true, related: 'listNetworks' }),
    cleanup: param.boolean('true: replace the routers by new ones; default false'),
    makeredundant: param.boolean('turn the network redundant (accepted; networks keep their router count)'),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    const { job } = call.startJob({ type: 'restartNetwork', id: p.id, ...(p.cleanup === undefined ? {} : { cleanup: p.cleanup }) }, { instanceType: 'Network', instanceId: p.id });
    return { kind: 'async', jobId: job.id };
  },
});

export const deleteNetwork = defineCommand({
  name: 'deleteNetwork',
  description: 'Deletes a network without VMs: its routers, addresses and rules go with it.',
  isAsync: true,
  since: '3.0.0',
  related: 'listNetworks',
  cmdClass: 'org.apache.cloudstack.api.command.user.network.DeleteNetworkCmd',
  params: {
    id: param.uuid('the ID of the network', { required: true, related: 'listNetworks' }),
    forced: param.boolean('delete even when its resources cannot be cleaned up (accepted)'),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    const { job } = call.startJob({ type: 'deleteNetwork', id: p.id }, { instanceType: 'Network', instanceId: p.id });
    return { kind: 'async', jobId: job.id };
  },
});

// ----- VPCs -----

export const listVPCOfferings = defineCommand({
  name: 'listVPCOfferings',
  description: 'Lists VPC offerings.',
  isAsync: false,
  since: '4.0.0',
  related: 'createVPC',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the VPC offering', { related: 'listVPCOfferings' }),
    name: param.string('the name of the VPC offering'),
    displaytext: param.string('the display text of the VPC offering'),
    state: param.choice('the state of the offerings', OFFERING_STATES),
    isdefault: param.boolean('true for the default offerings only'),
    supportedservices: param.list('offerings that have all of these services'),
    zoneid: param.uuid('the zone the offerings are for (every offering is for every zone here)', { related: 'listZones' }),
  },
  responseObject: 'vpcoffering',
  response: vpcOfferingView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const wanted = (p.supportedservices ?? []).map((s) => s.toLowerCase());
    const offerings = [...call.state.vpcOfferings.values()].filter(
      (o) =>
        matchesId(p.id, o.id) &&
        (p.name === undefined || o.name === p.name) &&
        (p.displaytext === undefined || o.displayText === p.displaytext) &&
        (p.state === undefined || o.state === p.state) &&
        (p.isdefault === undefined || o.isDefault === p.isdefault) &&
        wanted.every((w) => o.services.some((s) => s.toLowerCase() === w)) &&
        matchesKeyword(p.keyword, o.name, o.displayText),
    );
    const ctx = call.view();
    return listResult(offerings, (o) => vpcOfferingView.render(o, ctx));
  },
});

export const listVPCs = defineCommand({
  name: 'listVPCs',
  description: 'Lists VPCs.',
  isAsync: false,
  since: '4.0.0',
  related: 'createVPC',
  params: {
    ...SCOPED_LIST_PARAMS,
    id: param.uuid('the ID of the VPC', { related: 'listVPCs' }),
    name: param.string('the name of the VPC'),
    displaytext: param.string('the display text of the VPC'),
    zoneid: param.uuid('the zone of the VPCs', { related: 'listZones' }),
    vpcofferingid: param.uuid('the offering of the VPCs', { related: 'listVPCOfferings' }),
    cidr: param.string('the super CIDR of the VPCs'),
    state: param.choice('the state of the VPCs', ['Enabled', 'Inactive'] as const),
    restartrequired: param.boolean('whether the VPCs need a restart'),
  },
  responseObject: 'vpc',
  response: vpcView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const inScope = accountScope(call, p, 'own');
    const admin = call.me().caller.role === 'RootAdmin';
    const vpcs = [...call.state.vpcs.values()].filter(
      (v) =>
        (v.accountId === undefined ? admin : inScope(v.accountId)) &&
        matchesId(p.id, v.id) && matchesId(p.zoneid, v.zoneId) &&
        (p.name === undefined || v.name === p.name) &&
        (p.displaytext === undefined || (v.displayText ?? v.name) === p.displaytext) &&
        (p.vpcofferingid === undefined || vpcOfferingIdOf(v) === p.vpcofferingid) &&
        (p.cidr === undefined || formatCidr(v.cidr) === p.cidr) &&
        (p.state === undefined || p.state === 'Enabled') &&
        (p.restartrequired === undefined || !p.restartrequired) &&
        matchesKeyword(p.keyword, v.name, v.displayText),
    );
    const ctx = call.view();
    return listResult(vpcs, (v) => vpcView.render(v, ctx));
  },
});

export const createVPC = defineCommand({
  name: 'createVPC',
  description: 'Creates a VPC: a super CIDR its tiers are carved from, served by one router.',
  isAsync: true,
  since: '4.0.0',
  related: 'listVPCs',
  cmdClass: 'org.apache.cloudstack.api.command.user.vpc.CreateVPCCmd',
  params: {
    name: param.string('the name of the VPC', { required: true }),
    displaytext: param.string('the display text of the VPC', { required: true }),
    cidr: param.string('the super CIDR of the VPC', { required: true }),
    vpcofferingid: param.uuid('the VPC offering of the VPC', { required: true, related: 'listVPCOfferings' }),
    zoneid: param.uuid('the zone of the VPC', { required: true, related: 'listZones' }),
    account: param.string('the account that owns the VPC (admins; with domainid)'),
    domainid: param.uuid('the domain of that account', { related: 'listDomains' }),
    networkdomain: param.string('the network domain of the VPC and its tiers'),
    start: param.boolean('start the VPC router at once (accepted; it starts with the first tier in use)'),
  },
  responseObject: 'vpc',
  response: vpcView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const accountId = ownerAccountId(call, p.account, p.domainid);
    const { job, events } = call.startJob(
      {
        type: 'createVPC',
        zoneId: p.zoneid,
        name: p.name,
        displayText: p.displaytext,
        cidr: p.cidr,
        vpcOfferingId: p.vpcofferingid,
        accountId,
        ...(p.networkdomain === undefined ? {} : { networkDomain: p.networkdomain }),
      },
      { instanceType: 'Vpc', instanceId: (e) => eventId(e, 'vpcCreated') },
    );
    const id = eventId(events, 'vpcCreated');
    return { kind: 'async', jobId: job.id, ...(id === undefined ? {} : { id }) };
  },
});

export const updateVPC = defineCommand({
  name: 'updateVPC',
  description: 'Updates a VPC: its name and display text.',
  isAsync: true,
  since: '4.0.0',
  related: 'listVPCs',
  cmdClass: 'org.apache.cloudstack.api.command.user.vpc.UpdateVPCCmd',
  params: {
    id: param.uuid('the ID of the VPC', { required: true, related: 'listVPCs' }),
    name: param.string('the new name of the VPC'),
    displaytext: param.string('the new display text of the VPC'),
    fordisplay: param.boolean('whether the VPC is shown to users (accepted)'),
  },
  responseObject: 'vpc',
  response: vpcView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const { job } = call.startJob(
      { type: 'updateVPC', id: p.id, ...(p.name === undefined ? {} : { name: p.name }), ...(p.displaytext === undefined ? {} : { displayText: p.displaytext }) },
      { instanceType: 'Vpc', instanceId: p.id },
    );
    return { kind: 'async', jobId: job.id };
  },
});

export const restartVPC = defineCommand({
  name: 'restartVPC',
  description: 'Restarts a VPC: its routers apply the configuration again, or with cleanup are replaced by new ones.',
  isAsync: true,
  since: '4.0.0',
  related: 'listVPCs',
  cmdClass: 'org.apache.cloudstack.api.command.user.vpc.RestartVPCCmd',
  params: {
    id: param.uuid('the ID of the VPC', { required: true, related: 'listVPCs' }),
    cleanup: param.boolean('true: replace the routers by new ones; default false'),
    makeredundant: param.boolean('turn the VPC redundant (accepted; VPCs keep their router count)'),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    const { job } = call.startJob({ type: 'restartVPC', id: p.id, ...(p.cleanup === undefined ? {} : { cleanup: p.cleanup }) }, { instanceType: 'Vpc', instanceId: p.id });
    return { kind: 'async', jobId: job.id };
  },
});

export const deleteVPC = defineCommand({
  name: 'deleteVPC',
  description: 'Deletes a VPC without tiers: its routers and addresses go with it.',
  isAsync: true,
  since: '4.0.0',
  related: 'listVPCs',
  cmdClass: 'org.apache.cloudstack.api.command.user.vpc.DeleteVPCCmd',
  params: {
    id: param.uuid('the ID of the VPC', { required: true, related: 'listVPCs' }),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    const { job } = call.startJob({ type: 'deleteVPC', id: p.id }, { instanceType: 'Vpc', instanceId: p.id });
    return { kind: 'async', jobId: job.id };
  },
});

import type { Command } from '../../core/model/commands.js';
import type { DomainEvent } from '../../core/model/events.js';
import type { Protocol, PublicIp } from '../../core/model/services.js';
import { formatIpv4 } from '../../core/net/ipv4.js';
import { badValue } from '../errors.js';
import { ANY_ROLE, type Call, defineCommand, listResult } from '../registry/command.js';
import { accountScope, matchesKeyword, SCOPED_LIST_PARAMS } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { virtualMachineView } from '../views/compute.js';
import { firewallRuleView, loadBalancerRuleView, portForwardingRuleView, publicIpView, securityGroupView } from '../views/network.js';
import { SUCCESS_FIELDS } from '../views/results.js';
import { ownerAccountId } from './vms.js';

/**
 * Services on public addresses and security groups: acquiring and releasing addresses, static
 * NAT, port forwarding, firewall (ingress and egress) and load balancer rules, and security
 * groups with their rules. The core decides every rule of networking.md §4.1 (one purpose per
 * address unless the offering conserves addresses, static NAT takes the whole address, the source
 * NAT address takes no static NAT) and who may act on what; these commands only translate.
 */

const matchesId = (wanted: string | undefined, id: string | undefined): boolean => wanted === undefined || wanted === id;

const PROTOCOLS = ['tcp', 'udp', 'icmp', 'all'] as const;

type CreatedEvent = Extract<DomainEvent, { type: 'publicIpAllocated' | 'portForwardingRuleCreated' | 'firewallRuleCreated' | 'loadBalancerRuleCreated' | 'securityGroupCreated' | 'securityGroupRuleAdded' }>;

/** The id of what a command created, from its events. */
function createdId(type: CreatedEvent['type']) {
  return (events: readonly DomainEvent[]): string | undefined => {
    for (const event of events) {
      if (event.type !== type) continue;
      switch (event.type) {
        case 'publicIpAllocated': return event.publicIp.id;
        case 'portForwardingRuleCreated':
        case 'firewallRuleCreated':
        case 'loadBalancerRuleCreated':
        case 'securityGroupRuleAdded':
          return event.rule.id;
        case 'securityGroupCreated': return event.securityGroup.id;
      }
    }
    return undefined;
  };
}

/** An async create: decided now, done now, `{id, jobid}` when it was accepted. */
function asyncCreate(call: Call, command: Command, instanceType: string, type: CreatedEvent['type']) {
  const find = createdId(type);
  const { job, events } = call.startJob(command, { instanceType, instanceId: find });
  const id = find(events);
  return { kind: 'async' as const, jobId: job.id, ...(id === undefined ? {} : { id }) };
}

function asyncJob(call: Call, command: Command, instanceType: string, instanceId: string) {
  const { job } = call.startJob(command, { instanceType, instanceId });
  return { kind: 'async' as const, jobId: job.id };
}

/** The public address a rule sits on, for scoping lists to the address's account. */
function ownerOfIp(call: Call, publicIpId: string | undefined): string | undefined {
  return publicIpId === undefined ? undefined : call.state.publicIps.get(publicIpId)?.accountId;
}

// ----- public addresses -----

export const listPublicIpAddresses = defineCommand({
  name: 'listPublicIpAddresses',
  description: 'Lists the public addresses acquired by accounts.',
  isAsync: false,
  since: '3.0.0',
  related: 'associateIpAddress',
  params: {
    ...SCOPED_LIST_PARAMS,
    id: param.uuid('the ID of the address', { related: 'listPublicIpAddresses' }),
    ipaddress: param.string('the address'),
    zoneid: param.uuid('the zone of the addresses', { related: 'listZones' }),
    associatednetworkid: param.uuid('the guest network the addresses serve', { related: 'listNetworks' }),
    vpcid: param.uuid('the VPC the addresses belong to', { related: 'listVPCs' }),
    vlanid: param.uuid('the public range of the addresses', { related: 'listVlanIpRanges' }),
    physicalnetworkid: param.uuid('the physical network of the addresses', { related: 'listPhysicalNetworks' }),
    issourcenat: param.boolean('true for source NAT addresses only, false for the others'),
    isstaticnat: param.boolean('true for static NAT addresses only, false for the others'),
    forvirtualnetwork: param.boolean('true for public ranges (every address here)'),
    allocatedonly: param.boolean('true (default): acquired addresses only; free ones have no record here'),
    state: param.choice('the state of the addresses', ['Allocated', 'Allocating', 'Free', 'Releasing', 'Reserved'] as const),
  },
  responseObject: 'publicipaddress',
  response: publicIpView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const inScope = accountScope(call, p, 'own');
    const ips = [...call.state.publicIps.values()].filter(
      (ip) =>
        inScope(ip.accountId) &&
        matchesId(p.id, ip.id) && matchesId(p.zoneid, ip.zoneId) &&
        (p.ipaddress === undefined || formatIpv4(ip.ip) === p.ipaddress) &&
        (p.associatednetworkid === undefined || ip.networkId === p.associatednetworkid) &&
        (p.vpcid === undefined || ip.vpcId === p.vpcid) &&
        (p.vlanid === undefined || ip.vlanIpRangeId === p.vlanid) &&
        (p.physicalnetworkid === undefined || call.state.vlanIpRanges.get(ip.vlanIpRangeId)?.physicalNetworkId === p.physicalnetworkid) &&
        (p.issourcenat === undefined || ip.sourceNat === p.issourcenat) &&
        (p.isstaticnat === undefined || (ip.staticNatVmId !== undefined) === p.isstaticnat) &&
        (p.forvirtualnetwork === undefined || p.forvirtualnetwork) &&
        (p.state === undefined || p.state === 'Allocated') &&
        matchesKeyword(p.keyword, formatIpv4(ip.ip)),
    );
    const ctx = call.view();
    return listResult(ips, (ip) => publicIpView.render(ip, ctx));
  },
});

export const associateIpAddress = defineCommand({
  name: 'associateIpAddress',
  description: 'Acquires a public address for an isolated network, a VPC or (for later use) a zone.',
  isAsync: true,
  since: '3.0.0',
  related: 'listPublicIpAddresses',
  cmdClass: 'org.apache.cloudstack.api.command.user.address.AssociateIPAddrCmd',
  params: {
    zoneid: param.uuid('the zone to acquire the address in', { related: 'listZones' }),
    networkid: param.uuid('the isolated network the address serves', { related: 'listNetworks' }),
    vpcid: param.uuid('the VPC the address belongs to', { related: 'listVPCs' }),
    account: param.string('the account to acquire the address for (admins; with domainid)'),
    domainid: param.uuid('the domain of that account', { related: 'listDomains' }),
    isportable: param.boolean('a portable address (region-wide): not offered here'),
    fordisplay: param.boolean('whether the address is shown to users (accepted)'),
  },
  responseObject: 'ipaddress',
  response: publicIpView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    if (p.isportable) throw badValue('Portable IP addresses are not offered by this cloud');
    // As AssociateIPAddrCmd: an address for a network or VPC belongs to its owner unless an account is named.
    const owner = p.networkid !== undefined ? call.state.networks.get(p.networkid)?.accountId : p.vpcid !== undefined ? call.state.vpcs.get(p.vpcid)?.accountId : undefined;
    const accountId = p.account !== undefined || owner === undefined ? ownerAccountId(call, p.account, p.domainid) : owner;
    return asyncCreate(
      call,
      { type: 'associateIpAddress', accountId, ...(p.zoneid === undefined ? {} : { zoneId: p.zoneid }), ...(p.networkid === undefined ? {} : { networkId: p.networkid }), ...(p.vpcid === undefined ? {} : { vpcId: p.vpcid }) },
      'IpAddress',
      'publicIpAllocated',
    );
  },
});

export const disassociateIpAddress = defineCommand({
  name: 'disassociateIpAddress',
  description: 'Releases a public address; its rules and static NAT are revoked first.',
  isAsync: true,
  since: '3.0.0',
  related: 'associateIpAddress',
  cmdClass: 'org.apache.cloudstack.api.command.user.address.DisassociateIPAddrCmd',
  params: {
    id: param.uuid('the ID of the address', { required: true, related: 'listPublicIpAddresses' }),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    return asyncJob(call, { type: 'disassociateIpAddress', id: p.id }, 'IpAddress', p.id);
  },
});

// ----- static NAT -----

export const enableStaticNat = defineCommand({
  name: 'enableStaticNat',
  description: 'Maps a whole public address to a VM\'s default NIC.',
  isAsync: false,
  since: '3.0.0',
  related: 'disableStaticNat',
  params: {
    ipaddressid: param.uuid('the public address', { required: true, related: 'listPublicIpAddresses' }),
    virtualmachineid: param.uuid('the VM', { required: true, related: 'listVirtualMachines' }),
    networkid: param.uuid('the network of the VM\'s NIC (its default NIC is used)', { related: 'listNetworks' }),
    vmguestip: param.string('the guest address of the VM (its default NIC\'s is used)'),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    call.run({ type: 'enableStaticNat', ipAddressId: p.ipaddressid, vmId: p.virtualmachineid });
    return { kind: 'success' };
  },
});

export const disableStaticNat = defineCommand({
  name: 'disableStaticNat',
  description: 'Ends the static NAT of a public address; its firewall rules go with it.',
  isAsync: true,
  since: '3.0.0',
  related: 'enableStaticNat',
  cmdClass: 'org.apache.cloudstack.api.command.user.nat.DisableStaticNatCmd',
  params: {
    ipaddressid: param.uuid('the public address', { required: true, related: 'listPublicIpAddresses' }),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    return asyncJob(call, { type: 'disableStaticNat', ipAddressId: p.ipaddressid }, 'IpAddress', p.ipaddressid);
  },
});

// ----- port forwarding -----

export const listPortForwardingRules = defineCommand({
  name: 'listPortForwardingRules',
  description: 'Lists port forwarding rules.',
  isAsync: false,
  since: '3.0.0',
  related: 'createPortForwardingRule',
  params: {
    ...SCOPED_LIST_PARAMS,
    id: param.uuid('the ID of the rule', { related: 'listPortForwardingRules' }),
    ipaddressid: param.uuid('the public address of the rules', { related: 'listPublicIpAddresses' }),
    networkid: param.uuid('the guest network of the rules', { related: 'listNetworks' }),
  },
  responseObject: 'portforwardingrule',
  response: portForwardingRuleView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const inScope = accountScope(call, p, 'own');
    const rules = [...call.state.portForwardingRules.values()].filter((r) => {
      const owner = ownerOfIp(call, r.publicIpId);
      const ip = call.state.publicIps.get(r.publicIpId);
      const networkId = ip?.networkId ?? call.state.vms.get(r.vmId)?.nics.find((n) => n.role === 'guest' && n.isDefault)?.networkId;
      return owner !== undefined && inScope(owner) && matchesId(p.id, r.id) && matchesId(p.ipaddressid, r.publicIpId) && matchesId(p.networkid, networkId) && matchesKeyword(p.keyword, r.protocol);
    });
    const ctx = call.view();
    return listResult(rules, (r) => portForwardingRuleView.render(r, ctx));
  },
});

export const createPortForwardingRule = defineCommand({
  name: 'createPortForwardingRule',
  description: 'Forwards public ports of an address to ports of a VM.',
  isAsync: true,
  since: '3.0.0',
  related: 'listPortForwardingRules',
  cmdClass: 'org.apache.cloudstack.api.command.user.firewall.CreatePortForwardingRuleCmd',
  params: {
    ipaddressid: param.uuid('the public address', { required: true, related: 'listPublicIpAddresses' }),
    virtualmachineid: param.uuid('the VM the ports go to', { required: true, related: 'listVirtualMachines' }),
    protocol: param.choice('tcp or udp', ['tcp', 'udp'] as const, { required: true }),
    publicport: param.integer('the first public port', { required: true }),
    privateport: param.integer('the first private port', { required: true }),
    publicendport: param.integer('the last public port'),
    privateendport: param.integer('the last private port'),
    cidrlist: param.list('the source CIDRs allowed; default 0.0.0.0/0'),
    networkid: param.uuid('the network of the VM\'s NIC (its default NIC is used)', { related: 'listNetworks' }),
    vmguestip: param.string('the guest address of the VM (its default NIC\'s is used)'),
    openfirewall: param.boolean('open the firewall for the public ports too (accepted; add a firewall rule for that)'),
  },
  responseObject: 'portforwardingrule',
  response: portForwardingRuleView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    return asyncCreate(
      call,
      {
        type: 'createPortForwardingRule',
        ipAddressId: p.ipaddressid,
        vmId: p.virtualmachineid,
        protocol: p.protocol,
        publicPort: p.publicport,
        privatePort: p.privateport,
        ...(p.publicendport === undefined ? {} : { publicEndPort: p.publicendport }),
        ...(p.privateendport === undefined ? {} : { privateEndPort: p.privateendport }),
        ...(p.cidrlist === undefined ? {} : { cidrList: p.cidrlist }),
      },
      'FirewallRule',
      'portForwardingRuleCreated',
    );
  },
});

export const deletePortForwardingRule = defineCommand({
  name: 'deletePortForwardingRule',
  description: 'Deletes a port forwarding rule.',
  isAsync: true,
  since: '3.0.0',
  related: 'listPortForwardingRules',
  cmdClass: 'org.apache.cloudstack.api.command.user.firewall.DeletePortForwardingRuleCmd',
  params: {
    id: param.uuid('the ID of the rule', { required: true, related: 'listPortForwardingRules' }),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    return asyncJob(call, { type: 'deletePortForwardingRule', id: p.id }, 'FirewallRule', p.id);
  },
});

// ----- firewall rules -----

function firewallList(name: 'listFirewallRules' | 'listEgressFirewallRules', direction: 'ingress' | 'egress') {
  return defineCommand({
    name,
    description: direction === 'ingress' ? 'Lists the firewall rules of public addresses.' : 'Lists the egress firewall rules of isolated networks.',
    isAsync: false,
    since: direction === 'ingress' ? '3.0.0' : '4.0.0',
    related: direction === 'ingress' ? 'createFirewallRule' : 'createEgressFirewallRule',
    params: {
      ...SCOPED_LIST_PARAMS,
      id: param.uuid('the ID of the rule', { related: name }),
      ipaddressid: param.uuid('the public address of the rules', { related: 'listPublicIpAddresses' }),
      networkid: param.uuid('the guest network of the rules', { related: 'listNetworks' }),
    },
    responseObject: 'firewallrule',
    response: firewallRuleView.fields,
    roles: ANY_ROLE,
    handle(call, p) {
      const inScope = accountScope(call, p, 'own');
      const rules = [...call.state.firewallRules.values()].filter((r) => {
        if (r.direction !== direction) return false;
        const ip = r.publicIpId === undefined ? undefined : call.state.publicIps.get(r.publicIpId);
        const owner = ip?.accountId ?? (r.networkId === undefined ? undefined : call.state.networks.get(r.networkId)?.accountId);
        return owner !== undefined && inScope(owner) && matchesId(p.id, r.id) && matchesId(p.ipaddressid, r.publicIpId) && matchesId(p.networkid, r.networkId ?? ip?.networkId) && matchesKeyword(p.keyword, r.protocol);
      });
      const ctx = call.view();
      return listResult(rules, (r) => firewallRuleView.render(r, ctx));
    },
  });
}

export const listFirewallRules = firewallList('listFirewallRules', 'ingress');
export const listEgressFirewallRules = firewallList('listEgressFirewallRules', 'egress');

export const createFirewallRule = defineCommand({
  name: 'createFirewallRule',
  description: 'Opens ports of a public address to source CIDRs.',
  isAsync: true,
  since: '3.0.0',
  related: 'listFirewallRules',
  cmdClass: 'org.apache.cloudstack.api.command.user.firewall.CreateFirewallRuleCmd',
  params: {
    ipaddressid: param.uuid('the public address', { required: true, related: 'listPublicIpAddresses' }),
    protocol: param.choice('tcp, udp, icmp or all', PROTOCOLS, { required: true }),
    startport: param.integer('the first port'),
    endport: param.integer('the last port'),
    icmptype: param.integer('the ICMP type'),
    icmpcode: param.integer('the ICMP code'),
    cidrlist: param.list('the source CIDRs allowed; default 0.0.0.0/0'),
    type: param.choice('user or system (accepted)', ['user', 'system'] as const),
    fordisplay: param.boolean('whether the rule is shown to users (accepted)'),
  },
  responseObject: 'firewallrule',
  response: firewallRuleView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    return asyncCreate(
      call,
      {
        type: 'createFirewallRule',
        ipAddressId: p.ipaddressid,
        protocol: p.protocol as Protocol,
        ...(p.startport === undefined ? {} : { startPort: p.startport }),
        ...(p.endport === undefined ? {} : { endPort: p.endport }),
        ...(p.icmptype === undefined ? {} : { icmpType: p.icmptype }),
        ...(p.icmpcode === undefined ? {} : { icmpCode: p.icmpcode }),
        ...(p.cidrlist === undefined ? {} : { cidrList: p.cidrlist }),
      },
      'FirewallRule',
      'firewallRuleCreated',
    );
  },
});

export const createEgressFirewallRule = defineCommand({
  name: 'createEgressFirewallRule',
  description: 'Adds an egress rule to an isolated network: it allows or blocks what it matches, against the offering\'s default policy.',
  isAsync: true,
  since: '4.0.0',
  related: 'listEgressFirewallRules',
  cmdClass: 'org.apache.cloudstack.api.command.user.firewall.CreateEgressFirewallRuleCmd',
  params: {
    networkid: param.uuid('the isolated network', { required: true, related: 'listNetworks' }),
    protocol: param.choice('tcp, udp, icmp or all', PROTOCOLS, { required: true }),
    startport: param.integer('the first port'),
    endport: param.integer('the last port'),
    cidrlist: param.list('the source CIDRs, inside the network\'s CIDR; default all of it'),
    destcidrlist: param.list('the destination CIDRs (accepted)'),
    icmptype: param.integer('the ICMP type (accepted)'),
    icmpcode: param.integer('the ICMP code (accepted)'),
    type: param.choice('user or system (accepted)', ['user', 'system'] as const),
    fordisplay: param.boolean('whether the rule is shown to users (accepted)'),
  },
  responseObject: 'firewallrule',
  response: firewallRuleView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    return asyncCreate(
      call,
      {
        type: 'createEgressFirewallRule',
        networkId: p.networkid,
        protocol: p.protocol as Protocol,
        ...(p.startport === undefined ? {} : { startPort: p.startport }),
        ...(p.endport === undefined ? {} : { endPort: p.endport }),
        ...(p.cidrlist === undefined ? {} : { cidrList: p.cidrlist }),
      },
      'FirewallRule',
      'firewallRuleCreated',
    );
  },
});

/** deleteFirewallRule takes ingress rules, deleteEgressFirewallRule egress ones, as CloudStack's purposes do. */
function firewallDelete(name: 'deleteFirewallRule' | 'deleteEgressFirewallRule', direction: 'ingress' | 'egress', cmdClass: string) {
  return defineCommand({
    name,
    description: direction === 'ingress' ? 'Deletes a firewall rule of a public address.' : 'Deletes an egress firewall rule.',
    isAsync: true,
    since: direction === 'ingress' ? '3.0.0' : '4.0.0',
    related: direction === 'ingress' ? 'listFirewallRules' : 'listEgressFirewallRules',
    cmdClass,
    params: {
      id: param.uuid('the ID of the rule', { required: true, related: direction === 'ingress' ? 'listFirewallRules' : 'listEgressFirewallRules' }),
    },
    responseObject: 'success',
    response: SUCCESS_FIELDS,
    roles: ANY_ROLE,
    handle(call, p) {
      const rule = call.state.firewallRules.get(p.id);
      if (rule && rule.direction !== direction) throw badValue(`Unable to find ${p.id} having purpose Firewall and traffic type ${direction === 'ingress' ? 'Ingress' : 'Egress'}`);
      return asyncJob(call, { type: 'deleteFirewallRule', id: p.id }, 'FirewallRule', p.id);
    },
  });
}

export const deleteFirewallRule = firewallDelete('deleteFirewallRule', 'ingress', 'org.apache.cloudstack.api.command.user.firewall.DeleteFirewallRuleCmd');
export const deleteEgressFirewallRule = firewallDelete('deleteEgressFirewallRule', 'egress', 'org.apache.cloudstack.api.command.user.firewall.DeleteEgressFirewallRuleCmd');

// ----- load balancing -----

export const listLoadBalancerRules = defineCommand({
  name: 'listLoadBalancerRules',
  description: 'Lists load balancer rules.',
  isAsync: false,
  since: '3.0.0',
  related: 'createLoadBalancerRule',
  params: {
    ...SCOPED_LIST_PARAMS,
    id: param.uuid('the ID of the rule', { related: 'listLoadBalancerRules' }),
    name: param.string('the name of the rule'),
    publicipid: param.uuid('the public address of the rules', { related: 'listPublicIpAddresses' }),
    virtualmachineid: param.uuid('a VM the rules balance to', { related: 'listVirtualMachines' }),
    zoneid: param.uuid('the zone of the rules', { related: 'listZones' }),
    networkid: param.uuid('the guest network of the rules', { related: 'listNetworks' }),
  },
  responseObject: 'loadbalancerrule',
  response: loadBalancerRuleView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const inScope = accountScope(call, p, 'own');
    const rules = [...call.state.loadBalancerRules.values()].filter((r) => {
      const ip = call.state.publicIps.get(r.publicIpId);
      return ip !== undefined && inScope(ip.accountId) && matchesId(p.id, r.id) && (p.name === undefined || r.name === p.name) &&
        matchesId(p.publicipid, r.publicIpId) && (p.virtualmachineid === undefined || r.vmIds.includes(p.virtualmachineid)) &&
        matchesId(p.zoneid, ip.zoneId) && (p.networkid === undefined || ip.networkId === p.networkid || r.vmIds.some((vmId) => call.state.vms.get(vmId)?.nics.some((n) => n.networkId === p.networkid))) &&
        matchesKeyword(p.keyword, r.name);
    });
    const ctx = call.view();
    return listResult(rules, (r) => loadBalancerRuleView.render(r, ctx));
  },
});

export const createLoadBalancerRule = defineCommand({
  name: 'createLoadBalancerRule',
  description: 'Balances a public port of an address over VMs (assign them with assignToLoadBalancerRule).',
  isAsync: true,
  since: '3.0.0',
  related: 'listLoadBalancerRules',
  cmdClass: 'org.apache.cloudstack.api.command.user.loadbalancer.CreateLoadBalancerRuleCmd',
  params: {
    name: param.string('the name of the rule', { required: true }),
    algorithm: param.choice('roundrobin, leastconn or source', ['roundrobin', 'leastconn', 'source'] as const, { required: true }),
    publicport: param.integer('the public port', { required: true }),
    privateport: param.integer('the private port of the members', { required: true }),
    publicipid: param.uuid('the public address of the rule', { related: 'listPublicIpAddresses' }),
    protocol: param.choice('tcp, udp or tcp-proxy; default tcp', ['tcp', 'udp', 'tcp-proxy'] as const),
    networkid: param.uuid('the guest network of the members (that of the address is used)', { related: 'listNetworks' }),
    zoneid: param.uuid('the zone (elastic load balancing, not offered here)', { related: 'listZones' }),
    cidrlist: param.list('the source CIDRs (accepted)'),
    description: param.string('the description of the rule (accepted)'),
    openfirewall: param.boolean('open the firewall for the public port too (accepted; add a firewall rule for that)'),
  },
  responseObject: 'loadbalancer',
  response: loadBalancerRuleView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    if (p.publicipid === undefined) throw badValue('publicipid is required: this cloud offers no elastic load balancing that would acquire an address');
    return asyncCreate(
      call,
      { type: 'createLoadBalancerRule', ipAddressId: p.publicipid, name: p.name, algorithm: p.algorithm, publicPort: p.publicport, privatePort: p.privateport, ...(p.protocol === undefined ? {} : { protocol: p.protocol }) },
      'LoadBalancerRule',
      'loadBalancerRuleCreated',
    );
  },
});

/** The VMs of an assign or remove: virtualmachineids, and the VMs of vmidipmap. */
function memberIds(p: { virtualmachineids?: string[] | undefined; vmidipmap?: Record<string, string>[] | undefined }): string[] {
  const ids = [...(p.virtualmachineids ?? [])];
  for (const entry of p.vmidipmap ?? []) if (entry['vmid'] !== undefined && !ids.includes(entry['vmid'])) ids.push(entry['vmid']);
  return ids;
}

function membership(name: 'assignToLoadBalancerRule' | 'removeFromLoadBalancerRule', cmdClass: string) {
  return defineCommand({
    name,
    description: name === 'assignToLoadBalancerRule' ? 'Adds VMs to the members of a load balancer rule.' : 'Removes VMs from the members of a load balancer rule.',
    isAsync: true,
    since: '3.0.0',
    related: 'listLoadBalancerRuleInstances',
    cmdClass,
    params: {
      id: param.uuid('the ID of the rule', { required: true, related: 'listLoadBalancerRules' }),
      virtualmachineids: param.list('the VMs', { related: 'listVirtualMachines' }),
      vmidipmap: param.map('VMs with the guest address to use (vmid, vmip; the default NIC\'s address is used)'),
    },
    responseObject: 'success',
    response: SUCCESS_FIELDS,
    roles: ANY_ROLE,
    handle(call, p) {
      return asyncJob(call, { type: name, id: p.id, vmIds: memberIds(p) }, 'LoadBalancerRule', p.id);
    },
  });
}

export const assignToLoadBalancerRule = membership('assignToLoadBalancerRule', 'org.apache.cloudstack.api.command.user.loadbalancer.AssignToLoadBalancerRuleCmd');
export const removeFromLoadBalancerRule = membership('removeFromLoadBalancerRule', 'org.apache.cloudstack.api.command.user.loadbalancer.RemoveFromLoadBalancerRuleCmd');

export const deleteLoadBalancerRule = defineCommand({
  name: 'deleteLoadBalancerRule',
  description: 'Deletes a load balancer rule.',
  isAsync: true,
  since: '3.0.0',
  related: 'listLoadBalancerRules',
  cmdClass: 'org.apache.cloudstack.api.command.user.loadbalancer.DeleteLoadBalancerRuleCmd',
  params: {
    id: param.uuid('the ID of the rule', { required: true, related: 'listLoadBalancerRules' }),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    return asyncJob(call, { type: 'deleteLoadBalancerRule', id: p.id }, 'LoadBalancerRule', p.id);
  },
});

export const listLoadBalancerRuleInstances = defineCommand({
  name: 'listLoadBalancerRuleInstances',
  description: 'Lists the VMs a load balancer rule balances to (applied=false: the VMs that could be added).',
  isAsync: false,
  since: '3.0.0',
  related: 'assignToLoadBalancerRule',
  params: {
    ...SCOPED_LIST_PARAMS,
    id: param.uuid('the ID of the rule', { required: true, related: 'listLoadBalancerRules' }),
    applied: param.boolean('true (default): the members; false: the account\'s VMs on the rule\'s network that are not members'),
  },
  responseObject: 'loadbalancerruleinstance',
  response: virtualMachineView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const rule = call.state.loadBalancerRules.get(p.id);
    const ip: PublicIp | undefined = rule === undefined ? undefined : call.state.publicIps.get(rule.publicIpId);
    const inScope = accountScope(call, { listall: true }, 'own');
    if (!rule || !ip || !inScope(ip.accountId)) throw badValue(`Unable to find load balancer rule ${p.id}`);
    const onNetwork = (vmId: string) => {
      const nic = call.state.vms.get(vmId)?.nics.find((n) => n.role === 'guest' && n.isDefault);
      const network = nic?.networkId === undefined ? undefined : call.state.networks.get(nic.networkId);
      return ip.vpcId !== undefined ? network?.vpcId === ip.vpcId : network?.id === ip.networkId;
    };
    const vms = (p.applied ?? true)
      ? rule.vmIds.map((id) => call.state.vms.get(id)!).filter((vm) => vm !== undefined)
      : [...(call.state.index.vmsByAccount.get(ip.accountId) ?? [])].map((id) => call.state.vms.get(id)!).filter((vm) => vm.kind === 'User' && vm.state !== 'Destroyed' && vm.state !== 'Expunging' && !rule.vmIds.includes(vm.id) && onNetwork(vm.id));
    const ctx = call.view();
    return listResult(vms, (vm) => virtualMachineView.render(vm, ctx));
  },
});

// ----- security groups -----

/** The group of an id, or of a name in the owner's account (account and domainid for admins). */
function securityGroupId(call: Call, p: { id?: string | undefined; securitygroupid?: string | undefined; securitygroupname?: string | undefined; name?: string | undefined; account?: string | undefined; domainid?: string | undefined }): string {
  const id = p.id ?? p.securitygroupid;
  const name = p.securitygroupname ?? p.name;
  if (id !== undefined && name !== undefined) throw badValue('Either the id or the name of the security group must be given, not both');
  if (id !== undefined) return id;
  if (name === undefined) throw badValue('Either the id or the name of the security group must be given');
  const accountId = ownerAccountId(call, p.account, p.domainid);
  const group = [...call.state.securityGroups.values()].find((g) => g.accountId === accountId && g.name === name);
  if (!group) throw badValue(`Unable to find security group by name ${name}`);
  return group.id;
}

export const listSecurityGroups = defineCommand({
  name: 'listSecurityGroups',
  description: 'Lists security groups.',
  isAsync: false,
  since: '3.0.0',
  related: 'createSecurityGroup',
  params: {
    ...SCOPED_LIST_PARAMS,
    id: param.uuid('the ID of the group', { related: 'listSecurityGroups' }),
    securitygroupname: param.string('the name of the group'),
    virtualmachineid: param.uuid('the groups of this VM', { related: 'listVirtualMachines' }),
  },
  responseObject: 'securitygroup',
  response: securityGroupView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const inScope = accountScope(call, p, 'own');
    const vm = p.virtualmachineid === undefined ? undefined : call.state.vms.get(p.virtualmachineid);
    const groups = [...call.state.securityGroups.values()].filter(
      (g) =>
        inScope(g.accountId) && matchesId(p.id, g.id) &&
        (p.securitygroupname === undefined || g.name === p.securitygroupname) &&
        (p.virtualmachineid === undefined || (vm?.securityGroupIds.includes(g.id) ?? false)) &&
        matchesKeyword(p.keyword, g.name),
    );
    const ctx = call.view();
    return listResult(groups, (g) => securityGroupView.render(g, ctx));
  },
});

export const createSecurityGroup = defineCommand({
  name: 'createSecurityGroup',
  description: 'Creates a security group: no ingress until rules allow it.',
  isAsync: false,
  since: '3.0.0',
  related: 'listSecurityGroups',
  params: {
    name: param.string('the name of the group, unique in the account', { required: true }),
    description: param.string('the description of the group (accepted)'),
    account: param.string('the account of the group (admins; with domainid)'),
    domainid: param.uuid('the domain of that account', { related: 'listDomains' }),
  },
  responseObject: 'securitygroup',
  response: securityGroupView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const events = call.run({ type: 'createSecurityGroup', name: p.name, accountId: ownerAccountId(call, p.account, p.domainid) });
    const group = call.state.securityGroups.get(createdId('securityGroupCreated')(events)!)!;
    return { kind: 'object', object: securityGroupView.render(group, call.view()) };
  },
});

function authorize(name: 'authorizeSecurityGroupIngress' | 'authorizeSecurityGroupEgress') {
  const ingress = name === 'authorizeSecurityGroupIngress';
  return defineCommand({
    name,
    description: ingress ? 'Allows traffic into the members of a security group.' : 'Allows traffic out of the members of a security group.',
    isAsync: true,
    since: '3.0.0',
    related: 'listSecurityGroups',
    cmdClass: `org.apache.cloudstack.api.command.user.securitygroup.${ingress ? 'AuthorizeSecurityGroupIngressCmd' : 'AuthorizeSecurityGroupEgressCmd'}`,
    params: {
      securitygroupid: param.uuid('the ID of the group', { related: 'listSecurityGroups' }),
      securitygroupname: param.string('the name of the group (in the owner\'s account)'),
      account: param.string('the account of the group (admins; with domainid)'),
      domainid: param.uuid('the domain of that account', { related: 'listDomains' }),
      protocol: param.choice('tcp, udp, icmp or all; default tcp', PROTOCOLS),
      startport: param.integer('the first port'),
      endport: param.integer('the last port'),
      icmptype: param.integer('the ICMP type (accepted)'),
      icmpcode: param.integer('the ICMP code (accepted)'),
      cidrlist: param.list(ingress ? 'the source CIDRs allowed' : 'the destination CIDRs allowed'),
      usersecuritygrouplist: param.map('a group whose members are allowed instead (account, group)'),
    },
    responseObject: 'securitygroup',
    response: securityGroupView.fields,
    roles: ANY_ROLE,
    handle(call, p) {
      const groupId = securityGroupId(call, p);
      const from = p.usersecuritygrouplist?.[0];
      let fromGroupId: string | undefined;
      if (from !== undefined) {
        const owner = ownerAccountId(call, from['account'], from['account'] === undefined ? undefined : call.state.accounts.get(call.state.securityGroups.get(groupId)?.accountId ?? '')?.domainId);
        fromGroupId = [...call.state.securityGroups.values()].find((g) => g.accountId === owner && g.name === from['group'])?.id;
        if (fromGroupId === undefined) throw badValue(`Unable to find security group ${from['group'] ?? ''} of account ${from['account'] ?? call.me().account.name}`);
      }
      const { job } = call.startJob(
        {
          type: name,
          securityGroupId: groupId,
          protocol: (p.protocol ?? 'tcp') as Protocol,
          ...(p.startport === undefined ? {} : { startPort: p.startport }),
          ...(p.endport === undefined ? {} : { endPort: p.endport }),
          ...(p.cidrlist === undefined ? {} : { cidrList: p.cidrlist }),
          ...(fromGroupId === undefined ? {} : { fromGroupId }),
        },
        // The job is about the new rule: its result is the group with that rule only, as CloudStack's is.
        { instanceType: 'SecurityGroup', instanceId: createdId('securityGroupRuleAdded') },
      );
      return { kind: 'async', jobId: job.id };
    },
  });
}

export const authorizeSecurityGroupIngress = authorize('authorizeSecurityGroupIngress');
export const authorizeSecurityGroupEgress = authorize('authorizeSecurityGroupEgress');

function revoke(name: 'revokeSecurityGroupIngress' | 'revokeSecurityGroupEgress') {
  const direction = name === 'revokeSecurityGroupIngress' ? 'ingress' : 'egress';
  return defineCommand({
    name,
    description: `Deletes an ${direction} rule of a security group.`,
    isAsync: true,
    since: '3.0.0',
    related: 'listSecurityGroups',
    cmdClass: `org.apache.cloudstack.api.command.user.securitygroup.${direction === 'ingress' ? 'RevokeSecurityGroupIngressCmd' : 'RevokeSecurityGroupEgressCmd'}`,
    params: {
      id: param.uuid('the ID of the rule', { required: true }),
    },
    responseObject: 'success',
    response: SUCCESS_FIELDS,
    roles: ANY_ROLE,
    handle(call, p) {
      for (const group of call.state.securityGroups.values()) {
        const rule = group.rules.find((r) => r.id === p.id);
        if (rule && rule.direction !== direction) throw badValue(`Unable to find ${direction} rule with id ${p.id}`);
      }
      return asyncJob(call, { type: 'revokeSecurityGroupRule', id: p.id }, 'SecurityGroup', p.id);
    },
  });
}

export const revokeSecurityGroupIngress = revoke('revokeSecurityGroupIngress');
export const revokeSecurityGroupEgress = revoke('revokeSecurityGroupEgress');

export const deleteSecurityGroup = defineCommand({
  name: 'deleteSecurityGroup',
  description: 'Deletes a security group that no VM is in (the default group stays).',
  isAsync: false,
  since: '3.0.0',
  related: 'listSecurityGroups',
  params: {
    id: param.uuid('the ID of the group', { related: 'listSecurityGroups' }),
    name: param.string('the name of the group (in the owner\'s account)'),
    account: param.string('the account of the group (admins; with domainid)'),
    domainid: param.uuid('the domain of that account', { related: 'listDomains' }),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    call.run({ type: 'deleteSecurityGroup', id: securityGroupId(call, p) });
    return { kind: 'success' };
  },
});

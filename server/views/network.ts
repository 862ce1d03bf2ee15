import type { Id, Network, Vpc } from '../../core/model/entities.js';
import type { FirewallRule, LoadBalancerRule, PortForwardingRule, PublicIp, SecurityGroup, SecurityGroupRule } from '../../core/model/services.js';
import { type NetworkOffering, networkOfferingIdOf, type VpcOffering, vpcOfferingIdOf } from '../../core/model/tenant.js';
import { formatCidr, formatIpv4, prefixToNetmask } from '../../core/net/ipv4.js';
import type { JsonObject } from '../http/respond.js';
import { createdOf, defineView, field, type FieldSpec, nested, type ResponseField, type ViewContext } from './view.js';

/**
 * Guest networking as CloudStack reports it: networks and their offerings, VPCs and their
 * offerings, public addresses, port forwarding, firewall and load balancer rules, security
 * groups. Field names and JSON types follow cloudstack-go's generated structs; CloudStack sends
 * the ports of port forwarding and load balancer rules as strings and those of firewall and
 * security group rules as numbers, and so does this.
 */

const zoneName = (ctx: ViewContext, id: Id): string | undefined => ctx.state.zones.get(id)?.name;

/** The owner fields every account-owned response carries. */
function ownerFields<T>(accountOf: (record: T, ctx: ViewContext) => Id | undefined): FieldSpec<T>[] {
  const account = (r: T, ctx: ViewContext) => {
    const id = accountOf(r, ctx);
    return id === undefined ? undefined : ctx.state.accounts.get(id);
  };
  return [
    field('account', 'string', 'the account that owns it', (r, ctx) => account(r, ctx)?.name),
    field('domainid', 'string', 'the domain of that account', (r, ctx) => account(r, ctx)?.domainId),
    field('domain', 'string', 'the domain name of that account', (r, ctx) => ctx.state.domains.get(account(r, ctx)?.domainId ?? '')?.name),
    field('domainpath', 'string', 'the domain path of that account', (r, ctx) => ctx.state.domains.get(account(r, ctx)?.domainId ?? '')?.path),
  ];
}

const TAGS_FIELD = <T>(): FieldSpec<T> => field('tags', 'list', 'the tags of the resource', () => []);

const SERVICE_FIELDS: readonly ResponseField[] = [
  { name: 'name', type: 'string', description: 'the service name' },
  { name: 'provider', type: 'list', description: 'the providers of the service', response: [{ name: 'name', type: 'string', description: 'the provider name' }] },
  { name: 'capability', type: 'list', description: 'the capabilities of the service' },
];

/** The provider of each service: security groups have their own, everything else is the (VPC) virtual router. */
function servicesJson(services: readonly string[], inVpc: boolean): JsonObject[] {
  return services.map((name) => ({
    name,
    provider: [{ name: name === 'SecurityGroup' ? 'SecurityGroupProvider' : inVpc ? 'VpcVirtualRouter' : 'VirtualRouter' }],
    capability: [],
  }));
}

function offeringOf(ctx: ViewContext, network: Network): NetworkOffering | undefined {
  return ctx.state.networkOfferings.get(networkOfferingIdOf(network));
}

function broadcastUri(network: Network): string | undefined {
  if (network.vlan === undefined) return undefined;
  return network.vlan === 'untagged' ? 'vlan://untagged' : `vlan://${network.vlan}`;
}

export const networkView = defineView<Network>([
  field('id', 'string', 'the ID of the network', (n) => n.id),
  field('name', 'string', 'the name of the network', (n) => n.name),
  field('displaytext', 'string', 'the display text of the network', (n) => n.displayText ?? n.name),
  field('zoneid', 'string', 'the zone ID of the network', (n) => n.zoneId),
  field('zonename', 'string', 'the zone name of the network', (n, ctx) => zoneName(ctx, n.zoneId)),
  field('type', 'string', 'the guest type of the network: Isolated, Shared or L2', (n) => n.guestType),
  field('traffictype', 'string', 'the traffic type of the network', () => 'Guest'),
  field('state', 'string', 'the state of the network', (n) => n.state),
  field('cidr', 'string', 'the CIDR of the network', (n) => (n.cidr ? formatCidr(n.cidr) : undefined)),
  field('gateway', 'string', 'the gateway of the network', (n) => (n.gateway === undefined ? undefined : formatIpv4(n.gateway))),
  field('netmask', 'string', 'the netmask of the network', (n) => (n.cidr ? prefixToNetmask(n.cidr.prefix) : undefined)),
  field('vlan', 'string', 'the VLAN of the network', (n) => (n.vlan === undefined ? undefined : String(n.vlan))),
  field('broadcasturi', 'string', 'the broadcast URI of the network', broadcastUri),
  field('broadcastdomaintype', 'string', 'the broadcast domain type of the network', (n) => (n.vlan === undefined ? undefined : 'Vlan')),
  field('networkdomain', 'string', 'the network domain of the network', (n) => n.networkDomain),
  field('physicalnetworkid', 'string', 'the physical network of the network', (n) => n.physicalNetworkId),
  field('networkofferingid', 'string', 'the network offering of the network', (n) => networkOfferingIdOf(n)),
  field('networkofferingname', 'string', 'the name of that offering', (n, ctx) => offeringOf(ctx, n)?.name),
  field('networkofferingdisplaytext', 'string', 'the display text of that offering', (n, ctx) => offeringOf(ctx, n)?.displayText),
  field('networkofferingavailability', 'string', 'the availability of that offering', (n, ctx) => offeringOf(ctx, n)?.availability),
  field('networkofferingconservemode', 'boolean', 'whether that offering conserves public addresses', (n, ctx) => offeringOf(ctx, n)?.conserveMode),
  field('egressdefaultpolicy', 'boolean', 'whether egress is allowed when no egress rule says otherwise', (n, ctx) => (n.guestType === 'Isolated' && n.vpcId === undefined ? offeringOf(ctx, n)?.egressDefaultPolicy : undefined)),
  field('vpcid', 'string', 'the VPC the network is a tier of', (n) => n.vpcId),
  field('vpcname', 'string', 'the name of that VPC', (n, ctx) => (n.vpcId === undefined ? undefined : ctx.state.vpcs.get(n.vpcId)?.name)),
  field('account', 'string', 'the account that owns the network', (n, ctx) => (n.accountId === undefined ? undefined : ctx.state.accounts.get(n.accountId)?.name)),
  field('domainid', 'string', 'the domain of the network', (n, ctx) => n.domainId ?? (n.accountId === undefined ? undefined : ctx.state.accounts.get(n.accountId)?.domainId)),
  field('domain', 'string', 'the domain name of the network', (n, ctx) => ctx.state.domains.get(n.domainId ?? ctx.state.accounts.get(n.accountId ?? '')?.domainId ?? '')?.name),
  field('acltype', 'string', 'the ACL type of the network: Account or Domain', (n) => (n.accountId === undefined ? 'Domain' : 'Account')),
  field('ispersistent', 'boolean', 'whether the network stays implemented without VMs', (n) => n.persistent),
  field('redundantrouter', 'boolean', 'whether the network has redundant routers', (n) => n.redundantRouter),
  field('specifyvlan', 'boolean', 'whether the VLAN of the network was given rather than drawn', (n, ctx) => offeringOf(ctx, n)?.specifyVlan ?? false),
  field('specifyipranges', 'boolean', 'whether the network has IP ranges of its own', (n, ctx) => offeringOf(ctx, n)?.specifyIpRanges ?? n.guestType === 'Shared'),
  field('issystem', 'boolean', 'whether it is a system network', () => false),
  field('isdefault', 'boolean', 'whether it is the default network of the zone', () => false),
  field('canusefordeploy', 'boolean', 'whether VMs can be deployed into it', (n) => n.state !== 'Destroy'),
  field('restartrequired', 'boolean', 'whether the network needs a restart', () => false),
  field('displaynetwork', 'boolean', 'whether the network is shown to users', () => true),
  field('ip6cidr', 'string', 'the IPv6 CIDR of the network', (n) => n.ip6Cidr),
  { name: 'service', type: 'list', description: 'the services the network offers', fields: SERVICE_FIELDS, get: (n) => servicesJson(n.services, n.vpcId !== undefined) },
  field('created', 'date', 'the date the network was created', (n, ctx) => createdOf(n.id, ctx)),
  TAGS_FIELD<Network>(),
  field('hasannotations', 'boolean', 'whether the network has annotations', () => false),
]);

export const networkOfferingView = defineView<NetworkOffering>([
  field('id', 'string', 'the ID of the network offering', (o) => o.id),
  field('name', 'string', 'the name of the network offering', (o) => o.name),
  field('displaytext', 'string', 'what users read about the offering', (o) => o.displayText),
  field('guestiptype', 'string', 'the guest type of its networks: Isolated, Shared or L2', (o) => o.guestType),
  field('traffictype', 'string', 'the traffic type of its networks', () => 'Guest'),
  field('state', 'string', 'Enabled or Disabled: only an enabled offering makes new networks', (o) => o.state),
  field('availability', 'string', 'Required: the offering of the network an account gets by default; otherwise Optional', (o) => o.availability),
  field('isdefault', 'boolean', 'whether it is one of the offerings every cloud starts with', (o) => o.isDefault),
  field('ispersistent', 'boolean', 'whether its networks stay implemented without VMs', (o) => o.persistent),
  field('conservemode', 'boolean', 'whether one public address may serve port forwarding and load balancing together', (o) => o.conserveMode),
  field('egressdefaultpolicy', 'boolean', 'whether egress is allowed when no egress rule says otherwise', (o) => o.egressDefaultPolicy),
  field('forvpc', 'boolean', 'whether it is for VPC tiers', (o) => o.forVpc),
  field('specifyvlan', 'boolean', 'whether its networks are given their VLAN', (o) => o.specifyVlan),
  field('specifyipranges', 'boolean', 'whether its networks are given their address range', (o) => o.specifyIpRanges),
  field('networkrate', 'integer', 'the data rate of its networks in Mbit/s', (o) => o.networkRateMbps),
  field('tags', 'string', 'the tag of the guest physical network its networks use', (o) => o.tags),
  field('internetprotocol', 'string', 'the internet protocol of its networks', () => 'IPv4'),
  field('supportsinternallb', 'boolean', 'whether it supports internal load balancing', () => false),
  field('supportspublicaccess', 'boolean', 'whether it supports public access for internal load balancers', () => false),
  field('supportsstrechedl2subnet', 'boolean', 'whether its networks may span zones', () => false),
  { name: 'service', type: 'list', description: 'the services of its networks', fields: SERVICE_FIELDS, get: (o) => servicesJson(o.services, o.forVpc) },
  field('created', 'date', 'the date the offering was created', (o, ctx) => createdOf(o.id, ctx)),
  field('hasannotations', 'boolean', 'whether the offering has annotations', () => false),
]);

export const vpcOfferingView = defineView<VpcOffering>([
  field('id', 'string', 'the ID of the VPC offering', (o) => o.id),
  field('name', 'string', 'the name of the VPC offering', (o) => o.name),
  field('displaytext', 'string', 'what users read about the offering', (o) => o.displayText),
  field('state', 'string', 'Enabled or Disabled', (o) => o.state),
  field('isdefault', 'boolean', 'whether it is one of the offerings every cloud starts with', (o) => o.isDefault),
  field('distributedvpcrouter', 'boolean', 'whether its VPCs have a distributed router', () => false),
  field('supportsregionLevelvpc', 'boolean', 'whether its VPCs may span the zones of a region', () => false),
  field('internetprotocol', 'string', 'the internet protocol of its VPCs', () => 'IPv4'),
  { name: 'service', type: 'list', description: 'the services of its VPCs', fields: SERVICE_FIELDS, get: (o) => servicesJson(o.services, true) },
  field('created', 'date', 'the date the offering was created', (o, ctx) => createdOf(o.id, ctx)),
]);

function tiersOf(ctx: ViewContext, vpc: Vpc): Network[] {
  return (ctx.state.index.networksByVpc.get(vpc.id) ?? []).map((id) => ctx.state.networks.get(id)!).filter((n) => n !== undefined && n.state !== 'Destroy');
}

export const vpcView = defineView<Vpc>([
  field('id', 'string', 'the ID of the VPC', (v) => v.id),
  field('name', 'string', 'the name of the VPC', (v) => v.name),
  field('displaytext', 'string', 'what users read about the VPC', (v) => v.displayText ?? v.name),
  field('cidr', 'string', 'the super CIDR of the VPC, which its tiers are carved from', (v) => formatCidr(v.cidr)),
  field('zoneid', 'string', 'the zone of the VPC', (v) => v.zoneId),
  field('zonename', 'string', 'the name of that zone', (v, ctx) => zoneName(ctx, v.zoneId)),
  field('state', 'string', 'the state of the VPC', () => 'Enabled'),
  field('vpcofferingid', 'string', 'the VPC offering of the VPC', (v) => vpcOfferingIdOf(v)),
  field('vpcofferingname', 'string', 'the name of that offering', (v, ctx) => ctx.state.vpcOfferings.get(vpcOfferingIdOf(v))?.name),
  ...ownerFields<Vpc>((v) => v.accountId),
  field('networkdomain', 'string', 'the network domain of the VPC and its tiers', (v) => v.networkDomain),
  field('redundantvpcrouter', 'boolean', 'whether the VPC has redundant routers', (v) => v.redundantRouter),
  field('restartrequired', 'boolean', 'whether the VPC needs a restart', () => false),
  field('regionlevelvpc', 'boolean', 'whether the VPC spans the zones of a region', () => false),
  field('distributedvpcrouter', 'boolean', 'whether the VPC has a distributed router', () => false),
  field('fordisplay', 'boolean', 'whether the VPC is shown to users', () => true),
  field('publicmtu', 'integer', 'the MTU of the public interface of its router', () => 1500),
  nested<Vpc, Network>('network', 'the tiers of the VPC', networkView, (v, ctx) => tiersOf(ctx, v)),
  { name: 'service', type: 'list', description: 'the services of the VPC', fields: SERVICE_FIELDS, get: (v, ctx) => servicesJson(ctx.state.vpcOfferings.get(vpcOfferingIdOf(v))?.services ?? [], true) },
  field('created', 'date', 'the date the VPC was created', (v, ctx) => createdOf(v.id, ctx)),
  TAGS_FIELD<Vpc>(),
  field('hasannotations', 'boolean', 'whether the VPC has annotations', () => false),
]);

function rangeOf(ctx: ViewContext, ip: PublicIp) {
  return ctx.state.vlanIpRanges.get(ip.vlanIpRangeId);
}

function staticNatVm(ctx: ViewContext, ip: PublicIp) {
  return ip.staticNatVmId === undefined ? undefined : ctx.state.vms.get(ip.staticNatVmId);
}

function hasRules(ctx: ViewContext, ip: PublicIp): boolean {
  for (const rule of ctx.state.portForwardingRules.values()) if (rule.publicIpId === ip.id) return true;
  for (const rule of ctx.state.loadBalancerRules.values()) if (rule.publicIpId === ip.id) return true;
  for (const rule of ctx.state.firewallRules.values()) if (rule.publicIpId === ip.id) return true;
  return false;
}

/** The guest address a static NAT VM answers on: its default NIC's. */
function vmGuestIp(ctx: ViewContext, vmId: Id): string | undefined {
  const nic = ctx.state.vms.get(vmId)?.nics.find((n) => n.role === 'guest' && n.isDefault);
  return nic?.ip === undefined ? undefined : formatIpv4(nic.ip);
}

export const publicIpView = defineView<PublicIp>([
  field('id', 'string', 'the ID of the public address', (ip) => ip.id),
  field('ipaddress', 'string', 'the public address', (ip) => formatIpv4(ip.ip)),
  field('allocated', 'date', 'when the address was acquired', (ip, ctx) => createdOf(ip.id, ctx)),
  field('state', 'string', 'the state of the address', () => 'Allocated'),
  field('zoneid', 'string', 'the zone of the address', (ip) => ip.zoneId),
  field('zonename', 'string', 'the name of that zone', (ip, ctx) => zoneName(ctx, ip.zoneId)),
  field('issourcenat', 'boolean', 'whether it is the source NAT address of its network or VPC', (ip) => ip.sourceNat),
  field('isstaticnat', 'boolean', 'whether static NAT is enabled on it', (ip) => ip.staticNatVmId !== undefined),
  field('issystem', 'boolean', 'whether a system VM holds it', (ip) => ip.forSystemVm !== undefined),
  field('isportable', 'boolean', 'whether it is a portable address', () => false),
  field('forvirtualnetwork', 'boolean', 'whether it is on a public range', () => true),
  field('forsystemvms', 'boolean', 'whether its range is for system VMs only', (ip, ctx) => rangeOf(ctx, ip)?.forSystemVms ?? false),
  field('fordisplay', 'boolean', 'whether the address is shown to users', () => true),
  field('hasrules', 'boolean', 'whether rules use the address', (ip, ctx) => hasRules(ctx, ip)),
  field('purpose', 'string', 'what the address serves', (ip) => (ip.purposes.length === 0 ? undefined : ip.purposes.join(','))),
  field('vlanid', 'string', 'the public range of the address', (ip) => ip.vlanIpRangeId),
  field('vlanname', 'string', 'the VLAN of that range', (ip, ctx) => {
    const vlan = rangeOf(ctx, ip)?.vlan;
    return vlan === undefined ? undefined : vlan === 'untagged' ? 'vlan://untagged' : `vlan://${vlan}`;
  }),
  field('physicalnetworkid', 'string', 'the physical network of that range', (ip, ctx) => rangeOf(ctx, ip)?.physicalNetworkId),
  field('associatednetworkid', 'string', 'the guest network the address serves', (ip) => ip.networkId),
  field('associatednetworkname', 'string', 'the name of that network', (ip, ctx) => (ip.networkId === undefined ? undefined : ctx.state.networks.get(ip.networkId)?.name)),
  field('vpcid', 'string', 'the VPC the address belongs to', (ip) => ip.vpcId),
  field('vpcname', 'string', 'the name of that VPC', (ip, ctx) => (ip.vpcId === undefined ? undefined : ctx.state.vpcs.get(ip.vpcId)?.name)),
  field('virtualmachineid', 'string', 'the VM the address is static NAT for', (ip) => ip.staticNatVmId),
  field('virtualmachinename', 'string', 'the name of that VM', (ip, ctx) => staticNatVm(ctx, ip)?.name),
  field('virtualmachinedisplayname', 'string', 'the display name of that VM', (ip, ctx) => {
    const vm = staticNatVm(ctx, ip);
    return vm === undefined ? undefined : vm.displayName ?? vm.name;
  }),
  field('virtualmachinetype', 'string', 'the type of that VM', (ip, ctx) => (staticNatVm(ctx, ip) === undefined ? undefined : 'UserVm')),
  field('vmipaddress', 'string', 'the guest address of that VM', (ip, ctx) => (ip.staticNatVmId === undefined ? undefined : vmGuestIp(ctx, ip.staticNatVmId))),
  ...ownerFields<PublicIp>((ip) => ip.accountId),
  TAGS_FIELD<PublicIp>(),
  field('hasannotations', 'boolean', 'whether the address has annotations', () => false),
]);

function ipOfRule(ctx: ViewContext, publicIpId: Id | undefined): PublicIp | undefined {
  return publicIpId === undefined ? undefined : ctx.state.publicIps.get(publicIpId);
}

/** The guest network a rule on an address applies in: the address's, or (VPC) the tier of the VM. */
function ruleNetworkId(ctx: ViewContext, ip: PublicIp | undefined, vmId?: Id): Id | undefined {
  if (ip?.networkId !== undefined) return ip.networkId;
  if (vmId === undefined) return undefined;
  return ctx.state.vms.get(vmId)?.nics.find((n) => n.role === 'guest' && n.isDefault)?.networkId;
}

export const portForwardingRuleView = defineView<PortForwardingRule>([
  field('id', 'string', 'the ID of the rule', (r) => r.id),
  field('ipaddressid', 'string', 'the public address of the rule', (r) => r.publicIpId),
  field('ipaddress', 'string', 'that address', (r, ctx) => {
    const ip = ipOfRule(ctx, r.publicIpId);
    return ip === undefined ? undefined : formatIpv4(ip.ip);
  }),
  field('protocol', 'string', 'tcp or udp', (r) => r.protocol),
  field('publicport', 'string', 'the first public port', (r) => String(r.publicPortStart)),
  field('publicendport', 'string', 'the last public port', (r) => String(r.publicPortEnd)),
  field('privateport', 'string', 'the first private port', (r) => String(r.privatePortStart)),
  field('privateendport', 'string', 'the last private port', (r) => String(r.privatePortEnd)),
  field('virtualmachineid', 'string', 'the VM the ports go to', (r) => r.vmId),
  field('virtualmachinename', 'string', 'the name of that VM', (r, ctx) => ctx.state.vms.get(r.vmId)?.name),
  field('virtualmachinedisplayname', 'string', 'the display name of that VM', (r, ctx) => {
    const vm = ctx.state.vms.get(r.vmId);
    return vm === undefined ? undefined : vm.displayName ?? vm.name;
  }),
  field('vmguestip', 'string', 'the guest address the ports go to', (r) => formatIpv4(r.vmIp)),
  field('cidrlist', 'string', 'the source CIDRs, comma-separated', (r) => r.cidrList.join(',')),
  field('networkid', 'string', 'the guest network of the rule', (r, ctx) => ruleNetworkId(ctx, ipOfRule(ctx, r.publicIpId), r.vmId)),
  field('state', 'string', 'the state of the rule', () => 'Active'),
  field('fordisplay', 'boolean', 'whether the rule is shown to users', () => true),
  TAGS_FIELD<PortForwardingRule>(),
]);

export const firewallRuleView = defineView<FirewallRule>([
  field('id', 'string', 'the ID of the rule', (r) => r.id),
  field('protocol', 'string', 'tcp, udp, icmp or all', (r) => r.protocol),
  field('startport', 'integer', 'the first port', (r) => r.startPort),
  field('endport', 'integer', 'the last port', (r) => r.endPort),
  field('icmptype', 'integer', 'the ICMP type', (r) => r.icmpType),
  field('icmpcode', 'integer', 'the ICMP code', (r) => r.icmpCode),
  field('cidrlist', 'string', 'the source CIDRs, comma-separated', (r) => r.cidrList.join(',')),
  field('ipaddressid', 'string', 'the public address of an ingress rule', (r) => r.publicIpId),
  field('ipaddress', 'string', 'that address', (r, ctx) => {
    const ip = ipOfRule(ctx, r.publicIpId);
    return ip === undefined ? undefined : formatIpv4(ip.ip);
  }),
  field('networkid', 'string', 'the guest network of the rule', (r, ctx) => r.networkId ?? ruleNetworkId(ctx, ipOfRule(ctx, r.publicIpId))),
  field('traffictype', 'string', 'Ingress or Egress', (r) => (r.direction === 'ingress' ? 'Ingress' : 'Egress')),
  field('state', 'string', 'the state of the rule', () => 'Active'),
  field('fordisplay', 'boolean', 'whether the rule is shown to users', () => true),
  TAGS_FIELD<FirewallRule>(),
]);

export const loadBalancerRuleView = defineView<LoadBalancerRule>([
  field('id', 'string', 'the ID of the rule', (r) => r.id),
  field('name', 'string', 'the name of the rule', (r) => r.name),
  field('algorithm', 'string', 'roundrobin, leastconn or source', (r) => r.algorithm),
  field('protocol', 'string', 'tcp, udp or tcp-proxy', (r) => r.protocol),
  field('publicipid', 'string', 'the public address of the rule', (r) => r.publicIpId),
  field('publicip', 'string', 'that address', (r, ctx) => {
    const ip = ipOfRule(ctx, r.publicIpId);
    return ip === undefined ? undefined : formatIpv4(ip.ip);
  }),
  field('publicport', 'string', 'the public port', (r) => String(r.publicPort)),
  field('privateport', 'string', 'the private port of the members', (r) => String(r.privatePort)),
  field('cidrlist', 'string', 'the source CIDRs, comma-separated', () => ''),
  field('networkid', 'string', 'the guest network of the rule', (r, ctx) => ruleNetworkId(ctx, ipOfRule(ctx, r.publicIpId), r.vmIds[0])),
  field('zoneid', 'string', 'the zone of the rule', (r, ctx) => ipOfRule(ctx, r.publicIpId)?.zoneId),
  field('zonename', 'string', 'the name of that zone', (r, ctx) => {
    const ip = ipOfRule(ctx, r.publicIpId);
    return ip === undefined ? undefined : zoneName(ctx, ip.zoneId);
  }),
  ...ownerFields<LoadBalancerRule>((r, ctx) => ipOfRule(ctx, r.publicIpId)?.accountId),
  field('state', 'string', 'the state of the rule', () => 'Active'),
  field('fordisplay', 'boolean', 'whether the rule is shown to users', () => true),
  TAGS_FIELD<LoadBalancerRule>(),
]);

const SECURITY_GROUP_RULE_FIELDS: readonly ResponseField[] = [
  { name: 'ruleid', type: 'string', description: 'the ID of the rule' },
  { name: 'protocol', type: 'string', description: 'tcp, udp, icmp or all' },
  { name: 'startport', type: 'integer', description: 'the first port' },
  { name: 'endport', type: 'integer', description: 'the last port' },
  { name: 'cidr', type: 'string', description: 'the source (ingress) or destination (egress) CIDRs, comma-separated' },
  { name: 'account', type: 'string', description: 'the account of the group whose members the rule allows' },
  { name: 'securitygroupname', type: 'string', description: 'the name of that group' },
  { name: 'tags', type: 'list', description: 'the tags of the rule' },
];

function ruleJson(ctx: ViewContext, rule: SecurityGroupRule): JsonObject {
  const out: JsonObject = { ruleid: rule.id, protocol: rule.protocol };
  if (rule.startPort !== undefined) out['startport'] = rule.startPort;
  if (rule.endPort !== undefined) out['endport'] = rule.endPort;
  if (rule.groupId !== undefined) {
    const group = ctx.state.securityGroups.get(rule.groupId);
    if (group) {
      const account = ctx.state.accounts.get(group.accountId)?.name;
      if (account !== undefined) out['account'] = account;
      out['securitygroupname'] = group.name;
    }
  } else {
    out['cidr'] = rule.cidrList.join(',');
  }
  out['tags'] = [];
  return out;
}

function membersOf(ctx: ViewContext, group: SecurityGroup): Id[] {
  const out: Id[] = [];
  for (const vm of ctx.state.vms.values()) if (vm.kind === 'User' && vm.state !== 'Destroyed' && vm.state !== 'Expunging' && vm.securityGroupIds.includes(group.id)) out.push(vm.id);
  return out;
}

export const securityGroupView = defineView<SecurityGroup>([
  field('id', 'string', 'the ID of the security group', (g) => g.id),
  field('name', 'string', 'the name of the security group', (g) => g.name),
  field('description', 'string', 'the description of the security group', (g) => (g.name === 'default' ? 'Default Security Group' : undefined)),
  ...ownerFields<SecurityGroup>((g) => g.accountId),
  { name: 'ingressrule', type: 'set', description: 'the ingress rules', fields: SECURITY_GROUP_RULE_FIELDS, get: (g, ctx) => g.rules.filter((r) => r.direction === 'ingress').map((r) => ruleJson(ctx, r)) },
  { name: 'egressrule', type: 'set', description: 'the egress rules', fields: SECURITY_GROUP_RULE_FIELDS, get: (g, ctx) => g.rules.filter((r) => r.direction === 'egress').map((r) => ruleJson(ctx, r)) },
  field('virtualmachinecount', 'integer', 'the number of VMs in the group', (g, ctx) => membersOf(ctx, g).length),
  field('virtualmachineids', 'set', 'the VMs in the group', (g, ctx) => membersOf(ctx, g)),
  TAGS_FIELD<SecurityGroup>(),
]);

/**
 * The security group of an authorize job: only the rule the job added, as CloudStack answers
 * (cloudstack-go unwraps a single rule from it).
 */
function securityGroupResult(id: Id, ctx: ViewContext): JsonObject | undefined {
  const group = ctx.state.securityGroups.get(id);
  if (group) return { securitygroup: securityGroupView.render(group, ctx) };
  for (const candidate of ctx.state.securityGroups.values()) {
    const rule = candidate.rules.find((r) => r.id === id);
    if (rule) return { securitygroup: securityGroupView.render({ ...candidate, rules: [rule] }, ctx) };
  }
  return undefined;
}

/** Job results of the networking commands, by object name (see results.ts). */
export const NETWORK_JOB_RESULTS: Record<string, (id: string, ctx: ViewContext) => JsonObject | undefined> = {
  network: (id, ctx) => {
    const network = ctx.state.networks.get(id);
    return network ? { network: networkView.render(network, ctx) } : undefined;
  },
  vpc: (id, ctx) => {
    const vpc = ctx.state.vpcs.get(id);
    return vpc ? { vpc: vpcView.render(vpc, ctx) } : undefined;
  },
  ipaddress: (id, ctx) => {
    const ip = ctx.state.publicIps.get(id);
    return ip ? { ipaddress: publicIpView.render(ip, ctx) } : undefined;
  },
  portforwardingrule: (id, ctx) => {
    const rule = ctx.state.portForwardingRules.get(id);
    return rule ? { portforwardingrule: portForwardingRuleView.render(rule, ctx) } : undefined;
  },
  firewallrule: (id, ctx) => {
    const rule = ctx.state.firewallRules.get(id);
    return rule ? { firewallrule: firewallRuleView.render(rule, ctx) } : undefined;
  },
  loadbalancer: (id, ctx) => {
    const rule = ctx.state.loadBalancerRules.get(id);
    return rule ? { loadbalancer: loadBalancerRuleView.render(rule, ctx) } : undefined;
  },
  securitygroup: securityGroupResult,
};

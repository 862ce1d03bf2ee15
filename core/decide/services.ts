import type { Id } from '../model/entities.js';
import type {
  AssignToLoadBalancerRule,
  AssociateIpAddress,
  AuthorizeSecurityGroupRule,
  CreateEgressFirewallRule,
  CreateFirewallRule,
  CreateLoadBalancerRule,
  CreatePortForwardingRule,
  CreateSecurityGroup,
  DeleteSecurityGroup,
  DisableStaticNat,
  DisassociateIpAddress,
  EnableStaticNat,
  RuleDeletion,
} from '../model/lifecycle-commands.js';
import type { DomainEvent } from '../model/events.js';
import { DEFAULT_SECURITY_GROUP, type PublicIp } from '../model/services.js';
import type { CloudState } from '../model/state.js';
import { cidrContains, formatIpv4, parseCidr } from '../net/ipv4.js';
import { limitExceeded, mayActOn } from './access.js';
import { Scratch } from './scratch.js';
import { type DecideContext, type Decision, reject } from './support.js';

/**
 * Services on public IPs (networking.md §4.1) and security groups. A public IP serves one
 * purpose unless the network conserves addresses (the default offerings do: port forwarding and
 * load balancing may share one); static NAT takes the whole address; a VPC's source NAT address
 * takes no port forwarding; a VM holds at most one static NAT address.
 */

const ok = (events: DomainEvent[]): Decision => ({ ok: true, events, findings: [] });

function ipOf(state: CloudState, ctx: DecideContext, id: Id): PublicIp | Decision {
  const ip = state.publicIps.get(id);
  if (!ip || ip.forSystemVm !== undefined) return reject('ENTITY_NOT_FOUND', `public IP ${id} does not exist`);
  if (!mayActOn(state, ctx.actor, ip.accountId)) return reject('PERMISSION_DENIED', 'the caller may not act on this public IP');
  return ip;
}

function checkPorts(start: number, end: number): string | undefined {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end > 65535 || start > end) return `port range ${start}-${end} is not within 1-65535 and ordered`;
  return undefined;
}

function checkCidrs(cidrs: readonly string[] | undefined): string | undefined {
  for (const cidr of cidrs ?? []) if (!parseCidr(cidr)) return `"${cidr}" is not a valid CIDR`;
  return undefined;
}

export function decideAssociateIpAddress(state: CloudState, cmd: AssociateIpAddress, ctx: DecideContext): Decision {
  const account = state.accounts.get(cmd.accountId);
  if (!account) return reject('ENTITY_NOT_FOUND', `account ${cmd.accountId} does not exist`);
  if (!mayActOn(state, ctx.actor, account.id)) return reject('PERMISSION_DENIED', `the caller may not acquire addresses for account ${account.name}`);
  const network = cmd.networkId === undefined ? undefined : state.networks.get(cmd.networkId);
  const vpc = cmd.vpcId === undefined ? undefined : state.vpcs.get(cmd.vpcId);
  if (cmd.networkId !== undefined && (!network || network.state === 'Destroy')) return reject('ENTITY_NOT_FOUND', `network ${cmd.networkId} does not exist`);
  if (cmd.vpcId !== undefined && !vpc) return reject('ENTITY_NOT_FOUND', `VPC ${cmd.vpcId} does not exist`);
  const zoneId = network?.zoneId ?? vpc?.zoneId ?? cmd.zoneId;
  const zone = zoneId === undefined ? undefined : state.zones.get(zoneId);
  if (!zone) return reject('INVALID_PARAMETER', 'give a zone, an isolated network or a VPC');
  if (network && (network.guestType !== 'Isolated' || network.vpcId !== undefined)) return reject('INVALID_PARAMETER', `network ${network.name} is not an isolated network outside a VPC`);
  if (zone.networkType === 'Basic' ? !zone.elasticIp : zone.securityGroupsEnabled) return reject('INVALID_PARAMETER', `zone ${zone.name} has no public addresses to acquire`);
  const owner = network?.accountId ?? vpc?.accountId;
  if (owner !== undefined && owner !== account.id) return reject('PERMISSION_DENIED', `the network or VPC belongs to another account`);
  const limit = limitExceeded(state, account.id, { public_ip: 1 });
  if (limit) return reject('RESOURCE_LIMIT_EXCEEDED', limit);
  const scratch = new Scratch(state);
  const pool = state.pools.publicByZone.get(zone.id);
  const ranges = [...state.vlanIpRanges.values()].filter((r) => r.zoneId === zone.id && r.purpose === 'Public');
  const own = ranges.filter((r) => r.dedication?.accountId === account.id || (r.dedication !== undefined && r.dedication.accountId === undefined && r.dedication.domainId === account.domainId));
  const foreign = ranges.filter((r) => r.dedication !== undefined && !own.includes(r));
  let ip: number | undefined;
  // The account's dedicated ranges first, then the system pool (use.system.public.ips).
  for (const range of own) {
    for (let candidate = range.first; candidate <= range.last && ip === undefined; candidate++) if (scratch.takeSpecific(pool, candidate)) ip = candidate;
  }
  if (ip === undefined) {
    if (foreign.length === 0) ip = scratch.take(pool);
    else {
      for (const range of ranges.filter((r) => r.dedication === undefined)) {
        for (let candidate = range.first; candidate <= range.last && ip === undefined; candidate++) if (scratch.takeSpecific(pool, candidate)) ip = candidate;
      }
    }
  }
  if (ip === undefined) return reject('INSUFFICIENT_CAPACITY', `zone ${zone.name} has no free public IP address`);
  const range = ranges.find((r) => ip! >= r.first && ip! <= r.last)!;
  const publicIp: PublicIp = {
    id: scratch.id(), ip, zoneId: zone.id, vlanIpRangeId: range.id, accountId: account.id, sourceNat: false, purposes: [],
    ...(network ? { networkId: network.id } : {}),
    ...(vpc ? { vpcId: vpc.id } : {}),
  };
  return ok([{ type: 'publicIpAllocated', idSeq: scratch.lastSeq, publicIp }]);
}

/** Every rule on an address, revoked before the address goes back. */
export function revokeAll(state: CloudState, ip: PublicIp): DomainEvent[] {
  const events: DomainEvent[] = [];
  for (const rule of state.portForwardingRules.values()) if (rule.publicIpId === ip.id) events.push({ type: 'ruleDeleted', kind: 'portForwarding', ruleId: rule.id });
  for (const rule of state.loadBalancerRules.values()) if (rule.publicIpId === ip.id) events.push({ type: 'ruleDeleted', kind: 'loadBalancer', ruleId: rule.id });
  for (const rule of state.firewallRules.values()) if (rule.publicIpId === ip.id) events.push({ type: 'ruleDeleted', kind: 'firewall', ruleId: rule.id });
  if (ip.staticNatVmId !== undefined) events.push({ type: 'staticNatChanged', publicIpId: ip.id });
  return events;
}

export function decideDisassociateIpAddress(state: CloudState, cmd: DisassociateIpAddress, ctx: DecideContext): Decision {
  const ip = ipOf(state, ctx, cmd.id);
  if ('ok' in ip) return ip;
  if (ip.sourceNat) return reject('INVALID_STATE', 'the source NAT address of a network goes only with the network');
  return ok([...revokeAll(state, ip), { type: 'publicIpReleased', publicIpId: ip.id }]);
}

/** The VM's NIC on the network the address serves (static NAT and port forwarding need it). */
function vmOnIpNetwork(state: CloudState, ip: PublicIp, vmId: Id): { ok: true; vmIp: number } | { ok: false; message: string } {
  const vm = state.vms.get(vmId);
  if (!vm || vm.state === 'Destroyed' || vm.kind !== 'User') return { ok: false, message: `virtual machine ${vmId} does not exist` };
  if (vm.accountId !== ip.accountId) return { ok: false, message: `virtual machine ${vm.name} belongs to another account` };
  const nic = vm.nics.find((n) => n.role === 'guest' && n.isDefault && (ip.vpcId !== undefined ? state.networks.get(n.networkId ?? '')?.vpcId === ip.vpcId : n.networkId === ip.networkId));
  if (!nic || nic.ip === undefined) return { ok: false, message: `virtual machine ${vm.name} has no default NIC on the network of this address` };
  return { ok: true, vmIp: nic.ip };
}

export function decideEnableStaticNat(state: CloudState, cmd: EnableStaticNat, ctx: DecideContext): Decision {
  const ip = ipOf(state, ctx, cmd.ipAddressId);
  if ('ok' in ip) return ip;
  // As in CloudStack: the source NAT address, and a VM that already has a static NAT address, are
  // parameter errors (431); a clash with what the address already serves is a rule conflict (537).
  if (ip.sourceNat) return reject('INVALID_PARAMETER', 'the source NAT address cannot be used for static NAT');
  if (ip.purposes.some((p) => p !== 'StaticNat')) return reject('NETWORK_RULE_CONFLICT', `the address already serves ${ip.purposes.join(' and ')}; static NAT needs the whole address`);
  if (ip.staticNatVmId !== undefined && ip.staticNatVmId !== cmd.vmId) {
    return reject('NETWORK_RULE_CONFLICT', `the address is already static NAT for virtual machine ${state.vms.get(ip.staticNatVmId)?.name ?? ip.staticNatVmId}`);
  }
  const nic = vmOnIpNetwork(state, ip, cmd.vmId);
  if (!nic.ok) return reject('INVALID_PARAMETER', nic.message);
  const other = state.index.staticNatByVm.get(cmd.vmId);
  const otherIp = other === undefined || other === ip.id ? undefined : state.publicIps.get(other);
  if (otherIp) return reject('INVALID_PARAMETER', `virtual machine ${state.vms.get(cmd.vmId)!.name} already has the static NAT address ${formatIpv4(otherIp.ip)}`);
  return ok([{ type: 'staticNatChanged', publicIpId: ip.id, vmId: cmd.vmId }]);
}

export function decideDisableStaticNat(state: CloudState, cmd: DisableStaticNat, ctx: DecideContext): Decision {
  const ip = ipOf(state, ctx, cmd.ipAddressId);
  if ('ok' in ip) return ip;
  if (ip.staticNatVmId === undefined) return reject('INVALID_STATE', 'static NAT is not enabled on this address');
  // The firewall rules of the address go with its static NAT, as in CloudStack.
  const events: DomainEvent[] = [];
  for (const rule of state.firewallRules.values()) if (rule.publicIpId === ip.id) events.push({ type: 'ruleDeleted', kind: 'firewall', ruleId: rule.id });
  return ok([...events, { type: 'staticNatChanged', publicIpId: ip.id }]);
}

function portsOverlap(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start <= b.end && b.start <= a.end;
}

export function decideCreatePortForwardingRule(state: CloudState, cmd: CreatePortForwardingRule, ctx: DecideContext): Decision {
  const ip = ipOf(state, ctx, cmd.ipAddressId);
  if ('ok' in ip) return ip;
  const publicEnd = cmd.publicEndPort ?? cmd.publicPort;
  const privateEnd = cmd.privateEndPort ?? cmd.privatePort;
  const bad = checkPorts(cmd.publicPort, publicEnd) ?? checkPorts(cmd.privatePort, privateEnd) ?? checkCidrs(cmd.cidrList);
  if (bad) return reject('INVALID_PARAMETER', bad);
  if (publicEnd - cmd.publicPort !== privateEnd - cmd.privatePort) return reject('INVALID_PARAMETER', 'the public and private port ranges must be of the same size');
  if (ip.staticNatVmId !== undefined) return reject('NETWORK_RULE_CONFLICT', 'static NAT is enabled on the address; it takes no port forwarding');
  if (ip.sourceNat && ip.vpcId !== undefined) return reject('NETWORK_RULE_CONFLICT', 'the source NAT address of a VPC takes no port forwarding');
  const nic = vmOnIpNetwork(state, ip, cmd.vmId);
  if (!nic.ok) return reject('INVALID_PARAMETER', nic.message);
  for (const rule of state.portForwardingRules.values()) {
    if (rule.publicIpId === ip.id && rule.protocol === cmd.protocol && portsOverlap({ start: rule.publicPortStart, end: rule.publicPortEnd }, { start: cmd.publicPort, end: publicEnd })) {
      return reject('NETWORK_RULE_CONFLICT', `public ports ${cmd.publicPort}-${publicEnd}/${cmd.protocol} overlap an existing port forwarding rule`);
    }
  }
  for (const rule of state.loadBalancerRules.values()) {
    if (rule.publicIpId === ip.id && rule.publicPort >= cmd.publicPort && rule.publicPort <= publicEnd) return reject('NETWORK_RULE_CONFLICT', `public port ${rule.publicPort} is already load balanced`);
  }
  const scratch = new Scratch(state);
  const rule = { id: scratch.id(), publicIpId: ip.id, protocol: cmd.protocol, publicPortStart: cmd.publicPort, publicPortEnd: publicEnd, privatePortStart: cmd.privatePort, privatePortEnd: privateEnd, vmId: cmd.vmId, vmIp: nic.vmIp, cidrList: cmd.cidrList ?? ['0.0.0.0/0'] };
  return ok([{ type: 'portForwardingRuleCreated', idSeq: scratch.lastSeq, rule }]);
}

export function decideCreateFirewallRule(state: CloudState, cmd: CreateFirewallRule | CreateEgressFirewallRule, ctx: DecideContext): Decision {
  const scratch = new Scratch(state);
  const bad = ((cmd.protocol === 'tcp' || cmd.protocol === 'udp') && cmd.startPort !== undefined ? checkPorts(cmd.startPort, cmd.endPort ?? cmd.startPort) : undefined) ?? checkCidrs(cmd.cidrList);
  if (bad) return reject('INVALID_PARAMETER', bad);
  if (cmd.type === 'createEgressFirewallRule') {
    const network = state.networks.get(cmd.networkId);
    if (!network || network.state === 'Destroy') return reject('ENTITY_NOT_FOUND', `network ${cmd.networkId} does not exist`);
    if (network.accountId !== undefined && !mayActOn(state, ctx.actor, network.accountId)) return reject('PERMISSION_DENIED', `the caller may not change network ${network.name}`);
    if (network.guestType !== 'Isolated' || network.vpcId !== undefined) return reject('INVALID_PARAMETER', 'egress firewall rules apply to isolated networks only');
    for (const cidr of cmd.cidrList ?? []) {
      const parsed = parseCidr(cidr)!;
      if (network.cidr && !cidrContains(network.cidr, parsed)) return reject('INVALID_PARAMETER', `egress source ${cidr} is not inside the network CIDR`);
    }
    const rule = { id: scratch.id(), networkId: network.id, direction: 'egress' as const, protocol: cmd.protocol, cidrList: cmd.cidrList ?? [], ...(cmd.startPort === undefined ? {} : { startPort: cmd.startPort, endPort: cmd.endPort ?? cmd.startPort }) };
    return ok([{ type: 'firewallRuleCreated', idSeq: scratch.lastSeq, rule }]);
  }
  const ip = ipOf(state, ctx, cmd.ipAddressId);
  if ('ok' in ip) return ip;
  const rule = {
    id: scratch.id(), publicIpId: ip.id, direction: 'ingress' as const, protocol: cmd.protocol, cidrList: cmd.cidrList ?? ['0.0.0.0/0'],
    ...(cmd.startPort === undefined ? {} : { startPort: cmd.startPort, endPort: cmd.endPort ?? cmd.startPort }),
    ...(cmd.icmpType === undefined ? {} : { icmpType: cmd.icmpType }),
    ...(cmd.icmpCode === undefined ? {} : { icmpCode: cmd.icmpCode }),
  };
  return ok([{ type: 'firewallRuleCreated', idSeq: scratch.lastSeq, rule }]);
}

export function decideCreateLoadBalancerRule(state: CloudState, cmd: CreateLoadBalancerRule, ctx: DecideContext): Decision {
  const ip = ipOf(state, ctx, cmd.ipAddressId);
  if ('ok' in ip) return ip;
  const bad = checkPorts(cmd.publicPort, cmd.publicPort) ?? checkPorts(cmd.privatePort, cmd.privatePort);
  if (bad) return reject('INVALID_PARAMETER', bad);
  if (ip.staticNatVmId !== undefined) return reject('NETWORK_RULE_CONFLICT', 'static NAT is enabled on the address; it takes no load balancing');
  for (const rule of state.loadBalancerRules.values()) if (rule.publicIpId === ip.id && rule.publicPort === cmd.publicPort) return reject('NETWORK_RULE_CONFLICT', `public port ${cmd.publicPort} is already load balanced`);
  for (const rule of state.portForwardingRules.values()) {
    if (rule.publicIpId === ip.id && cmd.publicPort >= rule.publicPortStart && cmd.publicPort <= rule.publicPortEnd) return reject('NETWORK_RULE_CONFLICT', `public port ${cmd.publicPort} is already forwarded`);
  }
  const scratch = new Scratch(state);
  const rule = { id: scratch.id(), name: cmd.name, publicIpId: ip.id, algorithm: cmd.algorithm, protocol: cmd.protocol ?? 'tcp', publicPort: cmd.publicPort, privatePort: cmd.privatePort, vmIds: [] };
  return ok([{ type: 'loadBalancerRuleCreated', idSeq: scratch.lastSeq, rule }]);
}

export function decideAssignToLoadBalancerRule(state: CloudState, cmd: AssignToLoadBalancerRule, ctx: DecideContext): Decision {
  const rule = state.loadBalancerRules.get(cmd.id);
  if (!rule) return reject('ENTITY_NOT_FOUND', `load balancer rule ${cmd.id} does not exist`);
  const ip = ipOf(state, ctx, rule.publicIpId);
  if ('ok' in ip) return ip;
  if (cmd.vmIds.length === 0) return reject('INVALID_PARAMETER', 'name at least one virtual machine');
  if (cmd.type === 'removeFromLoadBalancerRule') {
    const stranger = cmd.vmIds.find((vmId) => !rule.vmIds.includes(vmId));
    if (stranger !== undefined) return reject('INVALID_PARAMETER', `virtual machine ${state.vms.get(stranger)?.name ?? stranger} is not assigned to load balancer rule ${rule.name}`);
    return ok([{ type: 'loadBalancerMembersRemoved', ruleId: rule.id, vmIds: cmd.vmIds }]);
  }
  for (const vmId of cmd.vmIds) {
    const nic = vmOnIpNetwork(state, ip, vmId);
    if (!nic.ok) return reject('INVALID_PARAMETER', nic.message);
  }
  return ok([{ type: 'loadBalancerMembersAssigned', ruleId: rule.id, vmIds: cmd.vmIds }]);
}

export function decideRuleDeletion(state: CloudState, cmd: RuleDeletion, ctx: DecideContext): Decision {
  if (cmd.type === 'revokeSecurityGroupRule') {
    for (const group of state.securityGroups.values()) {
      if (!group.rules.some((r) => r.id === cmd.id)) continue;
      if (!mayActOn(state, ctx.actor, group.accountId)) return reject('PERMISSION_DENIED', `the caller may not change security group ${group.name}`);
      return ok([{ type: 'securityGroupRuleRevoked', securityGroupId: group.id, ruleId: cmd.id }]);
    }
    return reject('ENTITY_NOT_FOUND', `security group rule ${cmd.id} does not exist`);
  }
  const kind = cmd.type === 'deletePortForwardingRule' ? 'portForwarding' : cmd.type === 'deleteLoadBalancerRule' ? 'loadBalancer' : 'firewall';
  const rule = kind === 'portForwarding' ? state.portForwardingRules.get(cmd.id) : kind === 'loadBalancer' ? state.loadBalancerRules.get(cmd.id) : state.firewallRules.get(cmd.id);
  if (!rule) return reject('ENTITY_NOT_FOUND', `rule ${cmd.id} does not exist`);
  const owner = 'publicIpId' in rule && rule.publicIpId !== undefined ? state.publicIps.get(rule.publicIpId)?.accountId : state.networks.get((rule as { networkId?: Id }).networkId ?? '')?.accountId;
  if (owner !== undefined && !mayActOn(state, ctx.actor, owner)) return reject('PERMISSION_DENIED', 'the caller may not delete this rule');
  return ok([{ type: 'ruleDeleted', kind, ruleId: cmd.id }]);
}

export function decideCreateSecurityGroup(state: CloudState, cmd: CreateSecurityGroup, ctx: DecideContext): Decision {
  if (!state.accounts.has(cmd.accountId)) return reject('ENTITY_NOT_FOUND', `account ${cmd.accountId} does not exist`);
  if (!mayActOn(state, ctx.actor, cmd.accountId)) return reject('PERMISSION_DENIED', 'the caller may not create security groups for this account');
  for (const group of state.securityGroups.values()) if (group.accountId === cmd.accountId && group.name === cmd.name) return reject('INVALID_PARAMETER', `Unable to create security group, a group with name ${cmd.name} already exists.`);
  const scratch = new Scratch(state);
  const securityGroup = { id: scratch.id(), name: cmd.name, accountId: cmd.accountId, rules: [] };
  return ok([{ type: 'securityGroupCreated', idSeq: scratch.lastSeq, securityGroup }]);
}

export function decideAuthorizeSecurityGroupRule(state: CloudState, cmd: AuthorizeSecurityGroupRule, ctx: DecideContext): Decision {
  const group = state.securityGroups.get(cmd.securityGroupId);
  if (!group) return reject('ENTITY_NOT_FOUND', `security group ${cmd.securityGroupId} does not exist`);
  if (!mayActOn(state, ctx.actor, group.accountId)) return reject('PERMISSION_DENIED', `the caller may not change security group ${group.name}`);
  if (cmd.fromGroupId !== undefined && !state.securityGroups.has(cmd.fromGroupId)) return reject('ENTITY_NOT_FOUND', `security group ${cmd.fromGroupId} does not exist`);
  if ((cmd.protocol === 'tcp' || cmd.protocol === 'udp') && cmd.startPort !== undefined) {
    const bad = checkPorts(cmd.startPort, cmd.endPort ?? cmd.startPort);
    if (bad) return reject('INVALID_PARAMETER', bad);
  }
  const badCidr = checkCidrs(cmd.cidrList);
  if (badCidr) return reject('INVALID_PARAMETER', badCidr);
  const scratch = new Scratch(state);
  const rule = {
    id: scratch.id(),
    direction: cmd.type === 'authorizeSecurityGroupIngress' ? ('ingress' as const) : ('egress' as const),
    protocol: cmd.protocol,
    cidrList: cmd.cidrList ?? (cmd.fromGroupId === undefined ? ['0.0.0.0/0'] : []),
    ...(cmd.startPort === undefined ? {} : { startPort: cmd.startPort, endPort: cmd.endPort ?? cmd.startPort }),
    ...(cmd.fromGroupId === undefined ? {} : { groupId: cmd.fromGroupId }),
  };
  return ok([{ type: 'securityGroupRuleAdded', idSeq: scratch.lastSeq, securityGroupId: group.id, rule }]);
}

export function decideDeleteSecurityGroup(state: CloudState, cmd: DeleteSecurityGroup, ctx: DecideContext): Decision {
  const group = state.securityGroups.get(cmd.id);
  if (!group) return reject('ENTITY_NOT_FOUND', `security group ${cmd.id} does not exist`);
  if (!mayActOn(state, ctx.actor, group.accountId)) return reject('PERMISSION_DENIED', `the caller may not delete security group ${group.name}`);
  if (group.name === DEFAULT_SECURITY_GROUP) return reject('INVALID_STATE', 'the default security group cannot be deleted');
  for (const vm of state.vms.values()) if (vm.securityGroupIds.includes(group.id) && vm.state !== 'Destroyed') return reject('RESOURCE_IN_USE', `security group ${group.name} is used by VM ${vm.name}`);
  return ok([{ type: 'securityGroupDeleted', securityGroupId: group.id }]);
}

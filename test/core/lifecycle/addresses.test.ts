/**
 * Public addresses and the rules on them, as in CloudStack (networking.md §4.1): an address is
 * acquired from the zone's pool and counted against max.account.public.ips; static NAT takes
 * the whole address, so it is refused while port forwarding or load balancing rules sit on it
 * and those are refused while it is on (NETWORK_RULE_CONFLICT, 537); a VM holds one static NAT
 * address; the source NAT address serves neither static NAT nor release; ports of port
 * forwarding and load balancing rules must not clash; releasing an address revokes its rules
 * first. Firewall rules are allowed on a static NAT address; egress rules only on isolated
 * networks and for sources inside their CIDR. Security groups are checked in a basic zone.
 *
 * Each test deploys web1 and web2 into alice's default isolated network of the tiny
 * datacenter (source NAT 203.0.113.10, public range 203.0.113.10-20) and reads the addresses,
 * their purposes and the rule records.
 */
import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../../../core/net/ipv4.js';
import type { DomainEvent } from '../../../core/model/events.js';
import { testCloud, tinyDatacenter } from '../../support/cloud.js';
import { basicZoneDatacenter, lastAddress, publicAddresses, refusal } from './fixtures.js';

function setUp(settings: Record<string, number> = {}) {
  const spec = tinyDatacenter();
  Object.assign(spec.settings!, settings);
  const cloud = testCloud(spec);
  const zoneId = cloud.idOf('zone', 'z1');
  const alice = cloud.idOf('account', 'alice');
  const offering = cloud.idOf('offering', 'plain-4g');
  cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: offering, name: 'web1' });
  cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: offering, name: 'web2' });
  const networkId = cloud.idOf('network', 'alice-network');
  const acquire = () => {
    cloud.ok({ type: 'associateIpAddress', accountId: alice, networkId });
    return lastAddress(cloud);
  };
  const sourceNat = [...cloud.state.publicIps.values()].find((ip) => ip.sourceNat)!;
  return { cloud, zoneId, alice, networkId, acquire, sourceNat, web1: cloud.vm('web1').id, web2: cloud.vm('web2').id };
}

function trail(events: readonly DomainEvent[]): string[] {
  return events.map((e) => (e.type === 'ruleDeleted' ? `ruleDeleted ${e.kind}` : e.type));
}

describe('acquiring and releasing public addresses', () => {
  it('takes the next free address of the zone and counts it as a public_ip of the account', () => {
    const { cloud, alice, acquire } = setUp();
    expect(cloud.state.index.accountUsage.get(alice)!.public_ip).toBe(1);
    const ip = acquire();
    expect(formatIpv4(ip.ip)).toBe('203.0.113.11');
    expect(ip).toMatchObject({ accountId: alice, networkId: cloud.idOf('network', 'alice-network'), sourceNat: false, purposes: [] });
    expect(cloud.state.index.accountUsage.get(alice)!.public_ip).toBe(2);
  });

  it('refuses an address past max.account.public.ips with error 535', () => {
    const { cloud, alice, networkId, acquire } = setUp({ 'max.account.public.ips': 2 });
    acquire();
    expect(refusal(cloud, { type: 'associateIpAddress', accountId: alice, networkId })).toBe(
      "RESOURCE_LIMIT_EXCEEDED 535 Maximum number of resources of type 'public_ip' for account alice has been exceeded: it holds 2 public IPs, asks for 1 more, and max.account.public.ips is 2",
    );
    expect(publicAddresses(cloud)).toEqual(['203.0.113.10 source NAT', '203.0.113.11 free for rules']);
  });

  it('gives a released address back to the zone, so the next one acquired is the same', () => {
    const { cloud, alice, acquire } = setUp();
    const ip = acquire();
    cloud.ok({ type: 'disassociateIpAddress', id: ip.id });
    expect(cloud.state.index.accountUsage.get(alice)!.public_ip).toBe(1);
    expect(formatIpv4(acquire().ip)).toBe('203.0.113.11');
  });

  it('never releases the source NAT address of a network', () => {
    const { cloud, sourceNat } = setUp();
    expect(refusal(cloud, { type: 'disassociateIpAddress', id: sourceNat.id })).toBe('INVALID_STATE 431 the source NAT address of a network goes only with the network');
  });

  it('revokes every rule of the address before releasing it', () => {
    const { cloud, acquire, web1, web2 } = setUp();
    const ip = acquire();
    cloud.ok({ type: 'createPortForwardingRule', ipAddressId: ip.id, vmId: web1, protocol: 'tcp', publicPort: 22, privatePort: 22 });
    cloud.ok({ type: 'createLoadBalancerRule', ipAddressId: ip.id, name: 'www', algorithm: 'roundrobin', publicPort: 80, privatePort: 8080 });
    cloud.ok({ type: 'assignToLoadBalancerRule', id: [...cloud.state.loadBalancerRules.values()][0]!.id, vmIds: [web1, web2] });
    cloud.ok({ type: 'createFirewallRule', ipAddressId: ip.id, protocol: 'tcp', startPort: 22, cidrList: ['198.51.100.0/24'] });
    const from = cloud.events.length;
    cloud.ok({ type: 'disassociateIpAddress', id: ip.id });
    expect(trail(cloud.events.slice(from))).toEqual(['ruleDeleted portForwarding', 'ruleDeleted loadBalancer', 'ruleDeleted firewall', 'publicIpReleased']);
    expect([cloud.state.portForwardingRules.size, cloud.state.loadBalancerRules.size, cloud.state.firewallRules.size]).toEqual([0, 0, 0]);
    expect(publicAddresses(cloud)).toEqual(['203.0.113.10 source NAT']);
  });
});

describe('expunging a VM', () => {
  it('revokes the port forwarding rules to it and takes it out of load balancers, as CloudStack does', () => {
    const { cloud, acquire, web1, web2 } = setUp();
    const ip = acquire();
    cloud.ok({ type: 'createPortForwardingRule', ipAddressId: ip.id, vmId: web1, protocol: 'tcp', publicPort: 22, privatePort: 22 });
    cloud.ok({ type: 'createPortForwardingRule', ipAddressId: ip.id, vmId: web2, protocol: 'tcp', publicPort: 2222, privatePort: 22 });
    cloud.ok({ type: 'createLoadBalancerRule', ipAddressId: ip.id, name: 'www', algorithm: 'roundrobin', publicPort: 80, privatePort: 8080 });
    const lb = [...cloud.state.loadBalancerRules.values()][0]!;
    cloud.ok({ type: 'assignToLoadBalancerRule', id: lb.id, vmIds: [web1, web2] });
    // Destroying alone keeps the rules: the VM may still be recovered.
    cloud.ok({ type: 'destroyVirtualMachine', id: web1 });
    expect(cloud.state.portForwardingRules.size).toBe(2);
    const from = cloud.events.length;
    cloud.ok({ type: 'expungeVirtualMachine', id: web1 });
    expect(trail(cloud.events.slice(from))).toEqual(['ruleDeleted portForwarding', 'loadBalancerMembersRemoved', 'vmExpunged']);
    expect([...cloud.state.portForwardingRules.values()].map((r) => r.vmId)).toEqual([web2]);
    expect(cloud.state.loadBalancerRules.get(lb.id)!.vmIds).toEqual([web2]);
    expect(cloud.state.index.rulesByVm.has(web1)).toBe(false);
    // The address keeps its purposes while web2's rules remain.
    expect(publicAddresses(cloud)).toContain('203.0.113.11 PortForwarding and Lb');
  });

  it('by its expunge.delay timer does the same', () => {
    const { cloud, acquire, web1 } = setUp();
    const ip = acquire();
    cloud.ok({ type: 'createPortForwardingRule', ipAddressId: ip.id, vmId: web1, protocol: 'tcp', publicPort: 22, privatePort: 22 });
    cloud.ok({ type: 'destroyVirtualMachine', id: web1 });
    cloud.advance(86_400_000);
    expect(cloud.state.vms.has(web1)).toBe(false);
    expect(cloud.state.portForwardingRules.size).toBe(0);
    expect(cloud.state.publicIps.get(ip.id)!.purposes).toEqual([]);
  });
});

describe('load balancer members', () => {
  it('leave a rule when removed, and only members can be removed', () => {
    const { cloud, acquire, web1, web2 } = setUp();
    const ip = acquire();
    cloud.ok({ type: 'createLoadBalancerRule', ipAddressId: ip.id, name: 'www', algorithm: 'roundrobin', publicPort: 80, privatePort: 8080 });
    const lb = [...cloud.state.loadBalancerRules.values()][0]!;
    cloud.ok({ type: 'assignToLoadBalancerRule', id: lb.id, vmIds: [web1] });
    expect(refusal(cloud, { type: 'removeFromLoadBalancerRule', id: lb.id, vmIds: [web2] })).toBe('INVALID_PARAMETER 431 virtual machine web2 is not assigned to load balancer rule www');
    cloud.ok({ type: 'removeFromLoadBalancerRule', id: lb.id, vmIds: [web1] });
    expect(lb.vmIds).toEqual([]);
    expect(cloud.state.index.rulesByVm.has(web1)).toBe(false);
  });
});

describe('static NAT', () => {
  it('takes the whole address: no port forwarding or load balancing while it is on (537)', () => {
    const { cloud, acquire, web1 } = setUp();
    const ip = acquire();
    cloud.ok({ type: 'enableStaticNat', ipAddressId: ip.id, vmId: web1 });
    expect(publicAddresses(cloud)).toEqual(['203.0.113.10 source NAT', '203.0.113.11 static NAT to web1']);
    expect(cloud.state.index.staticNatByVm.get(web1)).toBe(ip.id);
    const pf = cloud.run({ type: 'createPortForwardingRule', ipAddressId: ip.id, vmId: web1, protocol: 'tcp', publicPort: 22, privatePort: 22 });
    expect(pf).toMatchObject({ code: 'NETWORK_RULE_CONFLICT', errorCode: 537, message: 'static NAT is enabled on the address; it takes no port forwarding' });
    expect(refusal(cloud, { type: 'createLoadBalancerRule', ipAddressId: ip.id, name: 'www', algorithm: 'roundrobin', publicPort: 80, privatePort: 80 })).toBe(
      'NETWORK_RULE_CONFLICT 537 static NAT is enabled on the address; it takes no load balancing',
    );
  });

  it('is refused on an address that already forwards ports or balances load (537)', () => {
    const { cloud, acquire, web1 } = setUp();
    const forwarded = acquire();
    cloud.ok({ type: 'createPortForwardingRule', ipAddressId: forwarded.id, vmId: web1, protocol: 'tcp', publicPort: 22, privatePort: 22 });
    expect(refusal(cloud, { type: 'enableStaticNat', ipAddressId: forwarded.id, vmId: web1 })).toBe(
      'NETWORK_RULE_CONFLICT 537 the address already serves PortForwarding; static NAT needs the whole address',
    );
    const balanced = acquire();
    cloud.ok({ type: 'createLoadBalancerRule', ipAddressId: balanced.id, name: 'www', algorithm: 'leastconn', publicPort: 80, privatePort: 80 });
    expect(refusal(cloud, { type: 'enableStaticNat', ipAddressId: balanced.id, vmId: web1 })).toBe('NETWORK_RULE_CONFLICT 537 the address already serves Lb; static NAT needs the whole address');
    expect(cloud.state.index.staticNatByVm.has(web1)).toBe(false);
  });

  it('gives a VM one static NAT address, and an address to one VM', () => {
    const { cloud, acquire, web1, web2 } = setUp();
    const first = acquire();
    const second = acquire();
    cloud.ok({ type: 'enableStaticNat', ipAddressId: first.id, vmId: web1 });
    // CloudStack raises a parameter error (431) for the VM and a rule conflict (537) for the address.
    expect(refusal(cloud, { type: 'enableStaticNat', ipAddressId: second.id, vmId: web1 })).toBe('INVALID_PARAMETER 431 virtual machine web1 already has the static NAT address 203.0.113.11');
    expect(refusal(cloud, { type: 'enableStaticNat', ipAddressId: first.id, vmId: web2 })).toBe('NETWORK_RULE_CONFLICT 537 the address is already static NAT for virtual machine web1');
    cloud.ok({ type: 'enableStaticNat', ipAddressId: second.id, vmId: web2 });
    expect(publicAddresses(cloud)).toEqual(['203.0.113.10 source NAT', '203.0.113.11 static NAT to web1', '203.0.113.12 static NAT to web2']);
  });

  it('is never on the source NAT address', () => {
    const { cloud, sourceNat, web1 } = setUp();
    expect(refusal(cloud, { type: 'enableStaticNat', ipAddressId: sourceNat.id, vmId: web1 })).toBe('INVALID_PARAMETER 431 the source NAT address cannot be used for static NAT');
  });

  it('takes firewall rules, and disabling it revokes them with it', () => {
    const { cloud, acquire, web1 } = setUp();
    const ip = acquire();
    cloud.ok({ type: 'enableStaticNat', ipAddressId: ip.id, vmId: web1 });
    cloud.ok({ type: 'createFirewallRule', ipAddressId: ip.id, protocol: 'tcp', startPort: 22, cidrList: ['198.51.100.0/24'] });
    cloud.ok({ type: 'createFirewallRule', ipAddressId: ip.id, protocol: 'icmp', icmpType: 8, icmpCode: 0 });
    expect([...cloud.state.firewallRules.values()].map((r) => `${r.direction} ${r.protocol} ${r.startPort ?? r.icmpType} ${r.cidrList.join(',')}`)).toEqual(['ingress tcp 22 198.51.100.0/24', 'ingress icmp 8 0.0.0.0/0']);
    const from = cloud.events.length;
    cloud.ok({ type: 'disableStaticNat', ipAddressId: ip.id });
    expect(trail(cloud.events.slice(from))).toEqual(['ruleDeleted firewall', 'ruleDeleted firewall', 'staticNatChanged']);
    expect(cloud.state.firewallRules.size).toBe(0);
    expect(publicAddresses(cloud)).toEqual(['203.0.113.10 source NAT', '203.0.113.11 free for rules']);
    expect(refusal(cloud, { type: 'disableStaticNat', ipAddressId: ip.id })).toBe('INVALID_STATE 431 static NAT is not enabled on this address');
  });

  it('goes with the address when it is released', () => {
    const { cloud, acquire, web1 } = setUp();
    const ip = acquire();
    cloud.ok({ type: 'enableStaticNat', ipAddressId: ip.id, vmId: web1 });
    const from = cloud.events.length;
    cloud.ok({ type: 'disassociateIpAddress', id: ip.id });
    expect(trail(cloud.events.slice(from))).toEqual(['staticNatChanged', 'publicIpReleased']);
    expect(cloud.state.index.staticNatByVm.has(web1)).toBe(false);
  });
});

describe('port forwarding and load balancing', () => {
  it('refuses public ports that overlap a port forwarding rule of the same protocol', () => {
    const { cloud, acquire, web1, web2 } = setUp();
    const ip = acquire();
    cloud.ok({ type: 'createPortForwardingRule', ipAddressId: ip.id, vmId: web1, protocol: 'tcp', publicPort: 8000, publicEndPort: 8010, privatePort: 8000, privateEndPort: 8010 });
    expect(refusal(cloud, { type: 'createPortForwardingRule', ipAddressId: ip.id, vmId: web2, protocol: 'tcp', publicPort: 8010, privatePort: 80 })).toBe(
      'NETWORK_RULE_CONFLICT 537 public ports 8010-8010/tcp overlap an existing port forwarding rule',
    );
    // The same port over UDP is another rule.
    cloud.ok({ type: 'createPortForwardingRule', ipAddressId: ip.id, vmId: web2, protocol: 'udp', publicPort: 8010, privatePort: 53 });
    expect([...cloud.state.portForwardingRules.values()].map((r) => `${r.protocol} ${r.publicPortStart}-${r.publicPortEnd} -> ${formatIpv4(r.vmIp)}:${r.privatePortStart}`)).toEqual([
      'tcp 8000-8010 -> 10.1.1.2:8000',
      'udp 8010-8010 -> 10.1.1.3:53',
    ]);
  });

  it('refuses a load balancer port that is forwarded, and a forwarded range that holds a balanced port', () => {
    const { cloud, acquire, web1 } = setUp();
    const ip = acquire();
    cloud.ok({ type: 'createPortForwardingRule', ipAddressId: ip.id, vmId: web1, protocol: 'tcp', publicPort: 8000, publicEndPort: 8010, privatePort: 8000, privateEndPort: 8010 });
    expect(refusal(cloud, { type: 'createLoadBalancerRule', ipAddressId: ip.id, name: 'www', algorithm: 'roundrobin', publicPort: 8003, privatePort: 80 })).toBe(
      'NETWORK_RULE_CONFLICT 537 public port 8003 is already forwarded',
    );
    cloud.ok({ type: 'createLoadBalancerRule', ipAddressId: ip.id, name: 'www', algorithm: 'roundrobin', publicPort: 80, privatePort: 80 });
    expect(refusal(cloud, { type: 'createPortForwardingRule', ipAddressId: ip.id, vmId: web1, protocol: 'tcp', publicPort: 79, publicEndPort: 81, privatePort: 79, privateEndPort: 81 })).toBe(
      'NETWORK_RULE_CONFLICT 537 public port 80 is already load balanced',
    );
    expect(refusal(cloud, { type: 'createLoadBalancerRule', ipAddressId: ip.id, name: 'www2', algorithm: 'source', publicPort: 80, privatePort: 8080 })).toBe(
      'NETWORK_RULE_CONFLICT 537 public port 80 is already load balanced',
    );
    // The default offering conserves addresses: forwarding and balancing share this one.
    expect(publicAddresses(cloud)).toEqual(['203.0.113.10 source NAT', '203.0.113.11 PortForwarding and Lb']);
  });
});

describe('firewall rules', () => {
  it('take egress rules only on isolated networks, for sources inside the network CIDR', () => {
    const { cloud, networkId } = setUp();
    const l2 = cloud.idOf('network', 'l2');
    expect(refusal(cloud, { type: 'createEgressFirewallRule', networkId: l2, protocol: 'tcp', startPort: 80, cidrList: ['10.1.1.0/24'] })).toBe('INVALID_PARAMETER 431 egress firewall rules apply to isolated networks only');
    expect(refusal(cloud, { type: 'createEgressFirewallRule', networkId, protocol: 'tcp', startPort: 80, cidrList: ['10.2.0.0/24'] })).toBe('INVALID_PARAMETER 431 egress source 10.2.0.0/24 is not inside the network CIDR');
    expect(refusal(cloud, { type: 'createEgressFirewallRule', networkId, protocol: 'tcp', startPort: 80, cidrList: ['10.0.0.0/8'] })).toBe('INVALID_PARAMETER 431 egress source 10.0.0.0/8 is not inside the network CIDR');
    cloud.ok({ type: 'createEgressFirewallRule', networkId, protocol: 'tcp', startPort: 80, cidrList: ['10.1.1.0/26'] });
    const rule = [...cloud.state.firewallRules.values()][0]!;
    expect(rule).toMatchObject({ networkId, direction: 'egress', protocol: 'tcp', startPort: 80, endPort: 80, cidrList: ['10.1.1.0/26'] });
  });

  it('check every source CIDR, with or without a port range', () => {
    const { cloud, networkId, acquire } = setUp();
    const ip = acquire();
    expect(refusal(cloud, { type: 'createEgressFirewallRule', networkId, protocol: 'tcp', startPort: 80, cidrList: ['10.1.1.0/33'] })).toBe('INVALID_PARAMETER 431 "10.1.1.0/33" is not a valid CIDR');
    expect(refusal(cloud, { type: 'createFirewallRule', ipAddressId: ip.id, protocol: 'tcp', startPort: 22, cidrList: ['anywhere'] })).toBe('INVALID_PARAMETER 431 "anywhere" is not a valid CIDR');
    expect(refusal(cloud, { type: 'createFirewallRule', ipAddressId: ip.id, protocol: 'tcp', startPort: 70_000 })).toBe('INVALID_PARAMETER 431 port range 70000-70000 is not within 1-65535 and ordered');
    expect(cloud.state.firewallRules.size).toBe(0);
  });
});

describe('security groups', () => {
  function basicZone() {
    const cloud = testCloud(basicZoneDatacenter());
    const alice = cloud.idOf('account', 'alice');
    cloud.ok({ type: 'createSecurityGroup', name: 'web', accountId: alice });
    const group = [...cloud.state.securityGroups.values()].find((g) => g.name === 'web')!;
    return { cloud, alice, group };
  }

  it('are created once per name and account, and take ingress and egress rules', () => {
    const { cloud, alice, group } = basicZone();
    expect(refusal(cloud, { type: 'createSecurityGroup', name: 'web', accountId: alice })).toBe('INVALID_PARAMETER 431 Unable to create security group, a group with name web already exists.');
    cloud.ok({ type: 'createSecurityGroup', name: 'web', accountId: cloud.idOf('account', 'bob') });
    cloud.ok({ type: 'authorizeSecurityGroupIngress', securityGroupId: group.id, protocol: 'tcp', startPort: 80, endPort: 443 });
    cloud.ok({ type: 'authorizeSecurityGroupIngress', securityGroupId: group.id, protocol: 'tcp', startPort: 22, fromGroupId: group.id });
    cloud.ok({ type: 'authorizeSecurityGroupEgress', securityGroupId: group.id, protocol: 'all', cidrList: ['10.0.0.0/8'] });
    expect(group.rules.map((r) => `${r.direction} ${r.protocol} ${r.startPort === undefined ? 'any port' : `${r.startPort}-${r.endPort}`} ${r.groupId === group.id ? 'from web' : r.cidrList.join(',')}`)).toEqual([
      'ingress tcp 80-443 0.0.0.0/0',
      'ingress tcp 22-22 from web',
      'egress all any port 10.0.0.0/8',
    ]);
    expect(refusal(cloud, { type: 'authorizeSecurityGroupIngress', securityGroupId: group.id, protocol: 'udp', startPort: 0 })).toBe('INVALID_PARAMETER 431 port range 0-0 is not within 1-65535 and ordered');
  });

  it('lose a rule when it is revoked', () => {
    const { cloud, group } = basicZone();
    cloud.ok({ type: 'authorizeSecurityGroupIngress', securityGroupId: group.id, protocol: 'tcp', startPort: 80 });
    cloud.ok({ type: 'authorizeSecurityGroupIngress', securityGroupId: group.id, protocol: 'tcp', startPort: 443 });
    const from = cloud.events.length;
    cloud.ok({ type: 'revokeSecurityGroupRule', id: group.rules[0]!.id });
    expect(trail(cloud.events.slice(from))).toEqual(['securityGroupRuleRevoked']);
    expect(group.rules.map((r) => r.startPort)).toEqual([443]);
    expect(refusal(cloud, { type: 'revokeSecurityGroupRule', id: 'no-such-rule' })).toBe('ENTITY_NOT_FOUND 431 security group rule no-such-rule does not exist');
  });

  it('cannot be deleted while a VM uses them (536); once it is destroyed they can', () => {
    const { cloud, alice, group } = basicZone();
    cloud.ok({ type: 'deployVirtualMachine', zoneId: cloud.idOf('zone', 'b1'), accountId: alice, serviceOfferingId: cloud.idOf('offering', 'plain-4g'), name: 'w1', securityGroupIds: [group.id] });
    expect(formatIpv4(cloud.vm('w1').nics[0]!.ip!)).toBe('10.0.1.2');
    const refused = cloud.run({ type: 'deleteSecurityGroup', id: group.id });
    expect(refused).toMatchObject({ code: 'RESOURCE_IN_USE', errorCode: 536, message: 'security group web is used by VM w1' });
    cloud.ok({ type: 'destroyVirtualMachine', id: cloud.vm('w1').id });
    cloud.ok({ type: 'deleteSecurityGroup', id: group.id });
    expect(cloud.state.securityGroups.has(group.id)).toBe(false);
  });

  it('give every account a default group on its first VM deployed without groups, and reuse it after', () => {
    const { cloud, alice } = basicZone();
    const deploy = (name: string, accountId = alice) => cloud.ok({ type: 'deployVirtualMachine', zoneId: cloud.idOf('zone', 'b1'), accountId, serviceOfferingId: cloud.idOf('offering', 'plain-4g'), name });
    deploy('w1');
    const defaults = () => [...cloud.state.securityGroups.values()].filter((g) => g.name === 'default');
    expect(defaults()).toHaveLength(1);
    const group = defaults()[0]!;
    // No rules: all ingress denied, all egress allowed.
    expect(group).toMatchObject({ accountId: alice, rules: [] });
    expect(cloud.vm('w1').securityGroupIds).toEqual([group.id]);
    deploy('w2');
    expect(cloud.vm('w2').securityGroupIds).toEqual([group.id]);
    expect(defaults()).toHaveLength(1);
    deploy('b1', cloud.idOf('account', 'bob'));
    expect(defaults().map((g) => g.accountId)).toEqual([alice, cloud.idOf('account', 'bob')]);
    expect(refusal(cloud, { type: 'createSecurityGroup', name: 'default', accountId: alice })).toBe('INVALID_PARAMETER 431 Unable to create security group, a group with name default already exists.');
    expect(refusal(cloud, { type: 'deleteSecurityGroup', id: group.id })).toBe('INVALID_STATE 431 the default security group cannot be deleted');
  });

  it("refuse a VM with another account's group, an unknown group, or groups in a zone without them", () => {
    const { cloud, group } = basicZone();
    const bob = cloud.idOf('account', 'bob');
    const deploy = (securityGroupIds: string[]) => refusal(cloud, { type: 'deployVirtualMachine', zoneId: cloud.idOf('zone', 'b1'), accountId: bob, serviceOfferingId: cloud.idOf('offering', 'plain-4g'), name: 'x', securityGroupIds });
    expect(deploy([group.id])).toBe('PERMISSION_DENIED 531 security group web belongs to another account');
    expect(deploy(['no-such-group'])).toBe('ENTITY_NOT_FOUND 431 security group no-such-group does not exist');
    const advanced = setUp();
    const own = advanced.cloud.idOf('account', 'alice');
    advanced.cloud.ok({ type: 'createSecurityGroup', name: 'web', accountId: own });
    const webGroup = [...advanced.cloud.state.securityGroups.values()][0]!;
    expect(refusal(advanced.cloud, { type: 'deployVirtualMachine', zoneId: advanced.zoneId, accountId: own, serviceOfferingId: advanced.cloud.idOf('offering', 'plain-4g'), name: 'x', securityGroupIds: [webGroup.id] })).toBe(
      'INVALID_PARAMETER 431 security groups are not enabled in zone z1',
    );
  });

  it('named default cannot be deleted', () => {
    const { cloud, alice } = basicZone();
    cloud.ok({ type: 'createSecurityGroup', name: 'default', accountId: alice });
    const group = [...cloud.state.securityGroups.values()].find((g) => g.name === 'default')!;
    expect(refusal(cloud, { type: 'deleteSecurityGroup', id: group.id })).toBe('INVALID_STATE 431 the default security group cannot be deleted');
  });
});

/**
 * The end of networks and the tiers of a VPC, as in CloudStack (networking.md §3.1-§3.3). When
 * the last VM of an isolated network is gone, the network garbage collector shuts the network
 * down after network.gc.wait (600 s): its virtual router is destroyed and expunged and its VLAN
 * goes back to the physical network's pool, while the source NAT address stays with the
 * network. A network with VMs (even destroyed ones not yet expunged) cannot be deleted, nor a
 * VPC with tiers. The first VM deployed into a VPC tier implements the tier with the VPC's one
 * router and source NAT address; a second tier plugs a NIC into that same router.
 *
 * The tests run on the tiny datacenter (guest VLANs 100-199, public range 203.0.113.10-20,
 * link-local control addresses on KVM) and read network states, VLANs, routers and addresses.
 */
import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../../../core/net/ipv4.js';
import type { TestCloud } from '../../support/cloud.js';
import { testCloud, tinyDatacenter } from '../../support/cloud.js';
import { lastAddress, publicAddresses, refusal, vpcDatacenter } from './fixtures.js';

function setUp(spec = tinyDatacenter()) {
  const cloud = testCloud(spec);
  const zoneId = cloud.idOf('zone', 'z1');
  const offering = cloud.idOf('offering', 'plain-4g');
  const deploy = (account: string, name: string, networkIds?: string[]) =>
    cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: cloud.idOf('account', account), serviceOfferingId: offering, name, ...(networkIds ? { networkIds } : {}) });
  return { cloud, deploy };
}

/** Routers as "name state: role=address, ...". */
function routers(cloud: TestCloud): string[] {
  return [...cloud.state.vms.values()].filter((vm) => vm.kind === 'DomainRouter').map((vm) => `${vm.name} ${vm.state}: ${vm.nics.map((n) => `${n.role}=${formatIpv4(n.ip!)}`).join(', ')}`);
}

/** Names of every VM ever created, so events of expunged ones still read well. */
function vmNames(cloud: TestCloud): Map<string, string> {
  const names = new Map<string, string>();
  for (const e of cloud.events) if (e.type === 'vmCreated') names.set(e.vm.id, e.vm.name);
  return names;
}

function trail(cloud: TestCloud, from: number): string[] {
  const names = vmNames(cloud);
  return cloud.events.slice(from).map((e) => {
    if (e.type === 'vmStateChanged') return `${e.type} ${names.get(e.vmId)} ${e.state}`;
    if (e.type === 'networkStateChanged') return `${e.type} ${e.state}`;
    if (e.type === 'ruleDeleted') return `${e.type} ${e.kind}`;
    if (e.type === 'vmCreated') return `${e.type} ${e.vm.name}`;
    return e.type;
  });
}

describe('network garbage collection', () => {
  it('shuts an isolated network down network.gc.wait after its last VM is destroyed', () => {
    const { cloud, deploy } = setUp();
    deploy('alice', 'web1');
    const network = cloud.state.networks.get(cloud.idOf('network', 'alice-network'))!;
    const vnets = cloud.state.pools.vnetByPhysicalNetwork.get(network.physicalNetworkId!)!;
    expect([network.state, network.vlan, vnets.freeCount]).toEqual(['Implemented', 100, 99]);

    cloud.ok({ type: 'destroyVirtualMachine', id: cloud.vm('web1').id });
    expect(cloud.timers.find((t) => t.command.type === 'networkGarbageCollection')).toEqual({ atMs: 600_000, command: { type: 'networkGarbageCollection', id: network.id } });
    cloud.advance(599_999);
    expect(network.state).toBe('Implemented');
    const from = cloud.events.length;
    cloud.advance(1);
    expect(trail(cloud, from)).toEqual(['vmStateChanged r-alice-network Destroyed', 'vmExpunged', 'networkStateChanged Allocated']);
    expect(network.state).toBe('Allocated');
    expect(network.vlan).toBeUndefined();
    expect(vnets.freeCount).toBe(100);
    expect(routers(cloud)).toEqual([]);
    // The source NAT address stays with the network.
    expect(publicAddresses(cloud)).toEqual(['203.0.113.10 source NAT']);
    expect(cloud.state.index.sourceNatByOwner.get(network.id)).toBe(lastAddress(cloud).id);
  });

  it('hands the freed VLAN to the next network, and re-implements the old one with its source NAT address', () => {
    const { cloud, deploy } = setUp();
    deploy('alice', 'web1');
    cloud.ok({ type: 'destroyVirtualMachine', id: cloud.vm('web1').id });
    cloud.advance(600_000);
    deploy('bob', 'b1');
    expect(cloud.state.networks.get(cloud.idOf('network', 'bob-network'))!.vlan).toBe(100);
    deploy('alice', 'web2');
    expect(cloud.state.networks.get(cloud.idOf('network', 'alice-network'))!.vlan).toBe(101);
    expect(routers(cloud)).toEqual([
      'r-bob-network Running: guest=10.1.1.1, public=203.0.113.11, control=169.254.0.2',
      'r-alice-network Running: guest=10.1.1.1, public=203.0.113.10, control=169.254.0.3',
    ]);
  });

  it('leaves a network with a running VM alone when its timer fires', () => {
    const { cloud, deploy } = setUp();
    deploy('alice', 'web1');
    deploy('alice', 'web2');
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('web1').id });
    cloud.ok({ type: 'destroyVirtualMachine', id: cloud.vm('web2').id });
    cloud.ok({ type: 'startVirtualMachine', id: cloud.vm('web1').id });
    cloud.advance(600_000);
    expect(cloud.state.networks.get(cloud.idOf('network', 'alice-network'))!.state).toBe('Implemented');
    expect(routers(cloud)).toEqual(['r-alice-network Running: guest=10.1.1.1, public=203.0.113.10, control=169.254.0.2']);
  });
});

describe('deleting a network', () => {
  it('is refused while it has VMs, destroyed ones not yet expunged included', () => {
    const { cloud, deploy } = setUp();
    deploy('alice', 'web1');
    const id = cloud.idOf('network', 'alice-network');
    const refused = cloud.run({ type: 'deleteNetwork', id });
    expect(refused).toMatchObject({ code: 'RESOURCE_IN_USE', errorCode: 536, message: 'network alice-network still has 1 VM(s)' });
    cloud.ok({ type: 'destroyVirtualMachine', id: cloud.vm('web1').id });
    expect(refusal(cloud, { type: 'deleteNetwork', id })).toBe('RESOURCE_IN_USE 536 network alice-network still has 1 VM(s)');
  });

  it('shuts it down and releases its addresses, revoking their rules and its egress rules first', () => {
    const { cloud, deploy } = setUp();
    deploy('alice', 'web1');
    const alice = cloud.idOf('account', 'alice');
    const id = cloud.idOf('network', 'alice-network');
    cloud.ok({ type: 'associateIpAddress', accountId: alice, networkId: id });
    const ip = lastAddress(cloud);
    cloud.ok({ type: 'createLoadBalancerRule', ipAddressId: ip.id, name: 'www', algorithm: 'roundrobin', publicPort: 80, privatePort: 80 });
    cloud.ok({ type: 'createFirewallRule', ipAddressId: ip.id, protocol: 'tcp', startPort: 80 });
    cloud.ok({ type: 'createEgressFirewallRule', networkId: id, protocol: 'all' });
    cloud.ok({ type: 'destroyVirtualMachine', id: cloud.vm('web1').id, expunge: true });
    const from = cloud.events.length;
    cloud.ok({ type: 'deleteNetwork', id });
    expect(trail(cloud, from)).toEqual([
      'vmStateChanged r-alice-network Destroyed',
      'vmExpunged',
      'networkStateChanged Allocated',
      'publicIpReleased',
      'ruleDeleted loadBalancer',
      'ruleDeleted firewall',
      'publicIpReleased',
      'ruleDeleted firewall',
      'networkDeleted',
    ]);
    expect(cloud.state.networks.get(id)!.state).toBe('Destroy');
    expect([cloud.state.publicIps.size, cloud.state.loadBalancerRules.size, cloud.state.firewallRules.size]).toEqual([0, 0, 0]);
    expect(cloud.state.index.accountUsage.get(alice)).toMatchObject({ network: 0, public_ip: 0 });
  });
});

describe('VPC tiers', () => {
  it('implement the first tier with the VPC\'s router and source NAT address', () => {
    const { cloud, deploy } = setUp(vpcDatacenter());
    const vpc = [...cloud.state.vpcs.values()][0]!;
    const web = cloud.idOf('network', 'web');
    const from = cloud.events.length;
    deploy('alice', 'w1', [web]);
    expect(trail(cloud, from)).toEqual(['networkImplemented', 'publicIpAllocated', 'vmCreated r-shop', 'vmCreated w1', 'vmStateChanged r-shop Running', 'vmStateChanged w1 Running']);
    expect(cloud.state.networks.get(web)).toMatchObject({ state: 'Implemented', vlan: 100 });
    expect(formatIpv4(cloud.vm('w1').nics[0]!.ip!)).toBe('10.10.1.2');
    expect(routers(cloud)).toEqual(['r-shop Running: guest=10.10.1.1, public=203.0.113.10, control=169.254.0.2']);
    const router = [...cloud.state.vms.values()].find((vm) => vm.kind === 'DomainRouter')!;
    expect(router.servesId).toBe(vpc.id);
    expect(lastAddress(cloud)).toMatchObject({ sourceNat: true, vpcId: vpc.id });
  });

  it('plug a second tier into the same router with a new NIC', () => {
    const { cloud, deploy } = setUp(vpcDatacenter());
    deploy('alice', 'w1', [cloud.idOf('network', 'web')]);
    const router = [...cloud.state.vms.values()].find((vm) => vm.kind === 'DomainRouter')!;
    const from = cloud.events.length;
    deploy('alice', 'a1', [cloud.idOf('network', 'app')]);
    expect(trail(cloud, from)).toEqual(['networkImplemented', 'vmNicAdded', 'vmCreated a1', 'vmStateChanged a1 Running']);
    const added = cloud.events[from + 1]!;
    expect(added).toEqual({ type: 'vmNicAdded', vmId: router.id, nic: { role: 'guest', networkId: cloud.idOf('network', 'app'), ip: router.nics.at(-1)!.ip, isDefault: false } });
    expect(routers(cloud)).toEqual(['r-shop Running: guest=10.10.1.1, public=203.0.113.10, control=169.254.0.2, guest=10.10.2.1']);
    expect(cloud.state.networks.get(cloud.idOf('network', 'app'))!.vlan).toBe(101);
    expect(formatIpv4(cloud.vm('a1').nics[0]!.ip!)).toBe('10.10.2.2');
    expect(publicAddresses(cloud)).toEqual(['203.0.113.10 source NAT']);
  });

  it('unplug the VPC router when deleted', () => {
    const { cloud, deploy } = setUp(vpcDatacenter());
    deploy('alice', 'w1', [cloud.idOf('network', 'web')]);
    deploy('alice', 'a1', [cloud.idOf('network', 'app')]);
    cloud.ok({ type: 'destroyVirtualMachine', id: cloud.vm('w1').id, expunge: true });
    const from = cloud.events.length;
    cloud.ok({ type: 'deleteNetwork', id: cloud.idOf('network', 'web') });
    expect(trail(cloud, from)).toEqual(['vmNicRemoved', 'networkStateChanged Allocated', 'networkDeleted']);
    expect(routers(cloud)).toEqual(['r-shop Running: public=203.0.113.10, control=169.254.0.2, guest=10.10.2.1']);
  });

  it('keep their VPC from being deleted until every tier is gone', () => {
    const { cloud, deploy } = setUp(vpcDatacenter());
    const vpc = [...cloud.state.vpcs.values()][0]!;
    deploy('alice', 'w1', [cloud.idOf('network', 'web')]);
    const refused = cloud.run({ type: 'deleteVPC', id: vpc.id });
    expect(refused).toMatchObject({ code: 'RESOURCE_IN_USE', errorCode: 536, message: 'VPC shop still has 2 tier(s)' });
    cloud.ok({ type: 'destroyVirtualMachine', id: cloud.vm('w1').id, expunge: true });
    cloud.ok({ type: 'deleteNetwork', id: cloud.idOf('network', 'web') });
    expect(refusal(cloud, { type: 'deleteVPC', id: vpc.id })).toBe('RESOURCE_IN_USE 536 VPC shop still has 1 tier(s)');
    cloud.ok({ type: 'deleteNetwork', id: cloud.idOf('network', 'app') });
    const from = cloud.events.length;
    cloud.ok({ type: 'deleteVPC', id: vpc.id });
    expect(trail(cloud, from)).toEqual(['vmStateChanged r-shop Destroyed', 'vmExpunged', 'publicIpReleased', 'vpcDeleted']);
    expect(routers(cloud)).toEqual([]);
    expect(cloud.state.publicIps.size).toBe(0);
    expect(cloud.state.index.accountUsage.get(cloud.idOf('account', 'alice'))).toMatchObject({ vpc: 0, network: 0, public_ip: 0 });
  });
});

/**
 * Deploying into an advanced zone the way CloudStack does it: the account's default isolated
 * network is created on first need and implemented on first use (a VLAN from the pool, a source
 * NAT address, a virtual router whose control NIC is link-local on KVM and a pod address on
 * VMware), the VM gets the first free guest address, and everything is counted against the
 * account's limits.
 */
import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../../../core/net/ipv4.js';
import { testCloud, tinyDatacenter } from '../../support/cloud.js';

function cloudWith(hypervisor: 'KVM' | 'VMware' = 'KVM') {
  const spec = tinyDatacenter();
  const cluster = spec.zones[0]!.pods![0]!.clusters![0]!;
  cluster.hypervisor = hypervisor;
  if (hypervisor === 'VMware') cluster.primaryStorage = [{ name: 'nfs', protocol: 'NFS', capacityGiB: 4000 }];
  const cloud = testCloud(spec);
  return {
    cloud,
    zoneId: cloud.idOf('zone', 'z1'),
    alice: cloud.idOf('account', 'alice'),
    bob: cloud.idOf('account', 'bob'),
    offering: cloud.idOf('offering', 'plain-4g'),
  };
}

describe('deploying into an advanced zone', () => {
  it('creates and implements the default isolated network with a VLAN, source NAT and a router', () => {
    const { cloud, zoneId, alice, offering } = cloudWith();
    cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: offering, name: 'web1' });
    const vm = cloud.vm('web1');
    expect(vm.state).toBe('Running');
    const network = [...cloud.state.networks.values()].find((n) => n.name === 'alice-network')!;
    expect(network.state).toBe('Implemented');
    expect(network.vlan).toBe(100);
    expect(formatIpv4(vm.nics[0]!.ip!)).toBe('10.1.1.2');
    const router = [...cloud.state.vms.values()].find((v) => v.kind === 'DomainRouter')!;
    expect(router.state).toBe('Running');
    expect(router.servesId).toBe(network.id);
    const byRole = Object.fromEntries(router.nics.map((n) => [n.role, formatIpv4(n.ip!)]));
    expect(byRole).toEqual({ guest: '10.1.1.1', public: '203.0.113.10', control: '169.254.0.2' });
    const sourceNat = [...cloud.state.publicIps.values()].find((ip) => ip.sourceNat)!;
    expect(sourceNat.networkId).toBe(network.id);
    expect(cloud.state.index.accountUsage.get(alice)).toMatchObject({ user_vm: 1, cpu: 2, memory: 4096, network: 1, public_ip: 1, volume: 1, primary_storage: 10 });
  });

  it('gives each account its own network, VLAN and source NAT address', () => {
    const { cloud, zoneId, alice, bob, offering } = cloudWith();
    cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: offering, name: 'a1' });
    cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: bob, serviceOfferingId: offering, name: 'b1' });
    cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: offering, name: 'a2' });
    const vlans = [...cloud.state.networks.values()].filter((n) => n.guestType === 'Isolated').map((n) => `${n.name}:${n.vlan}`).sort();
    expect(vlans).toEqual(['alice-network:100', 'bob-network:101']);
    expect(formatIpv4(cloud.vm('a2').nics[0]!.ip!)).toBe('10.1.1.3');
    expect(formatIpv4(cloud.vm('b1').nics[0]!.ip!)).toBe('10.1.1.2');
    expect([...cloud.state.publicIps.values()].map((ip) => formatIpv4(ip.ip)).sort()).toEqual(['203.0.113.10', '203.0.113.11']);
    expect([...cloud.state.vms.values()].filter((v) => v.kind === 'DomainRouter')).toHaveLength(2);
  });

  it('takes the router control address from the pod reserved range on VMware', () => {
    const { cloud, zoneId, alice, offering } = cloudWith('VMware');
    cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: offering, name: 'web1' });
    const router = [...cloud.state.vms.values()].find((v) => v.kind === 'DomainRouter')!;
    expect(formatIpv4(router.nics.find((n) => n.role === 'control')!.ip!)).toBe('10.0.0.2');
    expect(cloud.state.pools.reservedByPod.get(cloud.idOf('pod', 'p1'))!.allocatedCount).toBe(1);
  });

  it('refuses a deploy that would pass max.account.user.vms with CloudStack\'s error 535', () => {
    const spec = tinyDatacenter();
    spec.settings!['max.account.user.vms'] = 2;
    const cloud = testCloud(spec);
    const zoneId = cloud.idOf('zone', 'z1');
    const accountId = cloud.idOf('account', 'alice');
    const serviceOfferingId = cloud.idOf('offering', 'plain-4g');
    const networkIds = [cloud.idOf('network', 'l2')];
    cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId, serviceOfferingId, networkIds });
    cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId, serviceOfferingId, networkIds });
    const refused = cloud.run({ type: 'deployVirtualMachine', zoneId, accountId, serviceOfferingId, networkIds });
    expect(refused?.code).toBe('RESOURCE_LIMIT_EXCEEDED');
    expect(refused?.errorCode).toBe(535);
    expect(refused?.message).toBe("Maximum number of resources of type 'user_vm' for account alice has been exceeded: it holds 2 user VMs, asks for 1 more, and max.account.user.vms is 2");
  });

  it('refuses a user acting on another account\'s VM with error 531', () => {
    const { cloud, zoneId, alice, bob, offering } = cloudWith();
    cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: offering, name: 'a1' });
    cloud.ctx.actor = { accountId: bob, userId: 'bob-user', role: 'User', domainId: 'ROOT' };
    const refused = cloud.run({ type: 'stopVirtualMachine', id: cloud.vm('a1').id });
    expect(refused?.code).toBe('PERMISSION_DENIED');
    expect(refused?.errorCode).toBe(531);
    expect(cloud.vm('a1').state).toBe('Running');
  });

  it('says why a deploy cannot be placed, with the count each filter removed', () => {
    const { cloud, zoneId, alice } = cloudWith();
    const big = cloud.idOf('offering', 'big');
    const l2 = cloud.idOf('network', 'l2');
    // Two hosts of 32,000 MHz: with 0.85 thresholds a cluster holds 54,400 MHz, so three 16,000 MHz VMs.
    for (let i = 0; i < 3; i++) cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: big, networkIds: [l2] });
    const refused = cloud.run({ type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: big, networkIds: [l2] });
    expect(refused?.code).toBe('INSUFFICIENT_CAPACITY');
    expect(refused?.errorCode).toBe(533);
    expect(refused?.message).toBe('Unable to create a deployment for the VM (8 x 2000 MHz and 32,768 MiB) in zone z1: no host fits; removed: 1 cluster over the 0.85 CPU disable threshold');
  });
});
